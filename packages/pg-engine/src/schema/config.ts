import type { Quoter } from './quote.js';
import { quoteLiteral } from './quote.js';
import type { SqlStatements } from './types.js';

/** GUCs whose stored value is already a list of quoted elements (GUC_LIST_QUOTE), as in pg_dump's dumputils.c. */
const listQuoteVariables = new Set([
  'local_preload_libraries',
  'search_path',
  'session_preload_libraries',
  'shared_preload_libraries',
  'temp_tablespaces',
  'unix_socket_directories',
]);

/**
 * `ALTER <type> <name> [IN <type2> <name2>] SET var TO value;` from a `var=value` setconfig entry (pg_dump's
 * makeAlterConfigCommand): list variables are split and each element quoted, everything else is one literal.
 */
export function alterConfigSql(
  quoter: Quoter,
  configItem: string,
  target: { type: string; name: string },
  scope?: { type: string; name: string },
): string {
  const equals = configItem.indexOf('=');
  if (equals < 0) return '';
  const variable = configItem.slice(0, equals);
  const value = configItem.slice(equals + 1);
  let sql = `ALTER ${target.type} ${quoter.ident(target.name)} `;
  if (scope) sql += `IN ${scope.type} ${quoter.ident(scope.name)} `;
  sql += `SET ${quoter.ident(variable)} TO `;
  if (listQuoteVariables.has(variable.toLowerCase())) {
    const elements = splitGucList(value);
    sql += elements === null ? quoteLiteral(value) : elements.map(quoteLiteral).join(', ');
  } else {
    sql += quoteLiteral(value);
  }
  return `${sql};`;
}

/** SplitGUCList: comma-separated identifiers, double-quoted ones with "" escapes; null on a syntax error. */
export function splitGucList(raw: string): string[] | null {
  const result: string[] = [];
  let index = 0;
  const skipSpace = () => {
    while (index < raw.length && /\s/.test(raw[index]!)) index++;
  };
  skipSpace();
  if (index >= raw.length) return result;
  for (;;) {
    let name = '';
    if (raw[index] === '"') {
      index++;
      for (;;) {
        const quote = raw.indexOf('"', index);
        if (quote < 0) return null;
        name += raw.slice(index, quote);
        index = quote + 1;
        if (raw[index] !== '"') break;
        name += '"';
        index++;
      }
    } else {
      const start = index;
      while (index < raw.length && raw[index] !== ',' && !/\s/.test(raw[index]!)) index++;
      if (start === index) return null;
      name = raw.slice(start, index);
    }
    result.push(name);
    skipSpace();
    if (index >= raw.length) return result;
    if (raw[index] !== ',') return null;
    index++;
    skipSpace();
  }
}

export function statements(list: string[]): SqlStatements {
  return { statements: list, script: list.map((statement) => `${statement}\n`).join('') };
}
