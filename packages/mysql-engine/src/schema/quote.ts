/** Backtick-quotes an identifier the way SHOW CREATE does: embedded backticks are doubled. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * A single-quoted string literal for the settings this package writes (sql_mode, charset, collation, time zone
 * names, account names). Quotes are doubled and backslashes escaped, which is right whenever the session's
 * sql_mode lacks NO_BACKSLASH_ESCAPES; the statements that use it always run under the restore session's sql_mode.
 */
export function quoteString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const BARE_IDENTIFIER = /^[A-Za-z0-9_$]+$/;

/** The identifier unquoted if it needs no quotes (letters, digits, `_`, `$`, not all digits), else quoted. */
export function identifierLikeSource(name: string): string {
  return BARE_IDENTIFIER.test(name) && !/^[0-9]+$/.test(name) ? name : quoteIdentifier(name);
}
