/**
 * --critical-tables "user*,billing.payment*": glob patterns (* any run, ? one character) matched against a table's
 * name and against schema.name, case-sensitively (PostgreSQL identifiers and MySQL table names on Linux servers
 * are both case-sensitive).
 */
export function compileTablePatterns(
  patterns: readonly string[],
): (table: { schema: string; name: string }) => boolean {
  const expressions = patterns
    .flatMap((pattern) => pattern.split(','))
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '')
    .map(globToRegExp);
  return (table) =>
    expressions.some((expression) => expression.test(table.name) || expression.test(`${table.schema}.${table.name}`));
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${body}$`, 'u');
}
