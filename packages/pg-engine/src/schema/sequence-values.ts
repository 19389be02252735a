/** How sequenceValuesSql writes each statement: `SELECT pg_catalog.setval('<qualified>', <value>, <called>);\n`. */
const PREFIX = 'SELECT pg_catalog.setval(';

/**
 * Cuts a sequence-values script made by dumpSchema into its statements (so a restore can commit them in batches:
 * each setval locks its sequence until COMMIT). The sequence name is a quoted literal that may contain anything,
 * so it is skipped as a literal, not searched for `;`. Returns null for text in another shape.
 */
export function splitSequenceValues(script: string): string[] | null {
  const statements: string[] = [];
  let position = 0;
  while (position < script.length) {
    if (!script.startsWith(PREFIX, position) || script[position + PREFIX.length] !== "'") return null;
    let cursor = position + PREFIX.length + 1;
    for (;;) {
      const quote = script.indexOf("'", cursor);
      if (quote < 0) return null;
      if (script[quote + 1] === "'") cursor = quote + 2;
      else {
        cursor = quote + 1;
        break;
      }
    }
    const end = script.indexOf(');\n', cursor);
    if (end < 0 || script.slice(cursor, end).includes("'")) return null;
    statements.push(script.slice(position, end + 3));
    position = end + 3;
  }
  return statements;
}
