import { quoteIdentifier } from './quote.js';
import { tokenize, unquoteIdentifier } from './sql-scanner.js';

/**
 * The statement without `` `db`. `` in front of two-part names in the dumped database. SHOW CREATE TABLE prints a
 * sequence used in a DEFAULT as nextval(`db`.`seq`), which replayed under another database name would keep
 * drawing numbers from the source's sequence; unqualified, the name resolves in the database being restored.
 * Three-part names (`db`.`table`.`column`) and names in other databases are left alone.
 */
export function stripDatabaseQualifier(statement: string, database: string): string {
  if (!statement.includes(`${quoteIdentifier(database)}.`)) return statement;
  const tokens = tokenize(statement);
  const cuts: Array<{ start: number; end: number }> = [];
  tokens.forEach((token, position) => {
    if (token.type !== 'identifier' || unquoteIdentifier(token.text) !== database) return;
    const dot = tokens[position + 1];
    const name = tokens[position + 2];
    if (dot?.text !== '.' || dot.start !== token.end || name?.type !== 'identifier' || name.start !== dot.end) return;
    if (tokens[position + 3]?.text === '.' || tokens[position - 1]?.text === '.') return;
    cuts.push({ start: token.start, end: dot.end });
  });
  let text = statement;
  for (const cut of cuts.reverse()) text = text.slice(0, cut.start) + text.slice(cut.end);
  return text;
}
