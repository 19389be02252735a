/**
 * The privileges of one account read from its SHOW GRANTS lines. information_schema's USER_PRIVILEGES,
 * SCHEMA_PRIVILEGES and TABLE_PRIVILEGES would be easier to query, but MariaDB lists only the user's own grants
 * there, not those of its current role (nor of roles granted to that role, nor PUBLIC's); SHOW GRANTS prints all
 * of them. Only the levels a backup needs are kept: global, database (whose name is a LIKE pattern, `_` and `%`
 * wildcards, `\` escapes) and table. Column-level grants are not counted: a backup reads whole tables, and a table
 * readable column by column is reported as unreadable. Routine-level grants are skipped (routine definitions are
 * checked in information_schema.ROUTINES instead), so are role grants and PROXY.
 */

/** Privileges that make a database's tables visible in information_schema when held on the whole database. */
const TABLE_LEVEL_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'REFERENCES',
  'INDEX',
  'ALTER',
  'CREATE VIEW',
  'SHOW VIEW',
  'TRIGGER',
  'DELETE HISTORY',
];

interface DatabaseGrant {
  pattern: RegExp;
  privileges: Set<string>;
}

export class Grants {
  private readonly global = new Set<string>();
  private readonly databases: DatabaseGrant[] = [];
  private readonly tables = new Map<string, Set<string>>();

  /** `lines` as SHOW GRANTS prints them; names compare case-insensitively when lower_case_table_names is set. */
  constructor(
    lines: readonly string[],
    private readonly caseInsensitiveNames = false,
  ) {
    for (const line of lines) this.add(line);
  }

  /** Held globally (`ON *.*`). */
  hasGlobal(privilege: string): boolean {
    return this.global.has('ALL') || this.global.has(privilege);
  }

  /** Held globally or on `database.*` (a grant on a pattern such as `app\_%`.* counts when it matches). */
  hasOnDatabase(privilege: string, database: string): boolean {
    if (this.hasGlobal(privilege)) return true;
    const name = this.fold(database);
    return this.databases.some(
      (grant) => grant.pattern.test(name) && (grant.privileges.has('ALL') || grant.privileges.has(privilege)),
    );
  }

  /** Held globally, on the database or on the table itself. */
  hasOnTable(privilege: string, database: string, table: string): boolean {
    if (this.hasOnDatabase(privilege, database)) return true;
    const privileges = this.tables.get(this.tableKey(database, table));
    return privileges !== undefined && (privileges.has('ALL') || privileges.has(privilege));
  }

  /** Some table-level privilege on the whole database: then every table and view of it is visible. */
  seesWholeDatabase(database: string): boolean {
    return TABLE_LEVEL_PRIVILEGES.some((privilege) => this.hasOnDatabase(privilege, database));
  }

  /** SHOW DATABASES, or a table-level privilege on `*.*`: then information_schema lists every database. */
  seesEveryDatabase(): boolean {
    return this.hasGlobal('SHOW DATABASES') || TABLE_LEVEL_PRIVILEGES.some((privilege) => this.hasGlobal(privilege));
  }

  private add(line: string): void {
    const parsed = parseGrantLine(line);
    if (!parsed) return;
    const { privileges, database, table } = parsed;
    if (database === null) {
      for (const privilege of privileges) this.global.add(privilege);
    } else if (table === null) {
      this.databases.push({ pattern: likePattern(this.fold(database)), privileges: new Set(privileges) });
    } else {
      const key = this.tableKey(database, table);
      const set = this.tables.get(key) ?? new Set<string>();
      for (const privilege of privileges) set.add(privilege);
      this.tables.set(key, set);
    }
  }

  private fold(name: string): string {
    return this.caseInsensitiveNames ? name.toLowerCase() : name;
  }

  private tableKey(database: string, table: string): string {
    return `${this.fold(database)}\u0000${this.fold(table)}`;
  }
}

export interface ParsedGrant {
  /** Upper case, e.g. SELECT, SHOW VIEW, BINLOG MONITOR; `ALL PRIVILEGES` becomes ALL. Column grants left out. */
  privileges: string[];
  /** null for `*.*`; the database name (a LIKE pattern for database-level grants) otherwise. */
  database: string | null;
  /** null for `db.*`. */
  table: string | null;
}

/**
 * One `GRANT <privileges> ON <db>.<table> TO ...` line, or null for what is not a privilege grant on tables
 * (role grants, PROXY, routine grants, SET DEFAULT ROLE).
 */
export function parseGrantLine(line: string): ParsedGrant | null {
  if (!/^GRANT\s/i.test(line)) return null;
  const on = findTopLevel(line, ' ON ', 6);
  if (on < 0) return null;
  const privileges = splitTopLevel(line.slice(6, on))
    .map((item) => item.trim())
    .filter((item) => !item.includes('('))
    .map((item) => item.replace(/\s+/g, ' ').toUpperCase())
    .map((item) => (item === 'ALL PRIVILEGES' ? 'ALL' : item));
  const target = line.slice(on + 4);
  if (/^(FUNCTION|PROCEDURE|PACKAGE)\s/i.test(target)) return null;
  const database = readName(target, 0);
  if (!database || target[database.end] !== '.') return null;
  const table = readName(target, database.end + 1);
  if (!table || !/^\s+TO\s/i.test(target.slice(table.end))) return null;
  if (database.name === null && table.name !== null) return null;
  return { privileges, database: database.name, table: table.name };
}

/** `*` (null) or a backtick-quoted name at `start`; `end` is the index after it. */
function readName(text: string, start: number): { name: string | null; end: number } | null {
  if (text[start] === '*') return { name: null, end: start + 1 };
  if (text[start] !== '`') return null;
  let name = '';
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] !== '`') name += text[index];
    else if (text[index + 1] === '`') {
      name += '`';
      index++;
    } else return { name, end: index + 1 };
  }
  return null;
}

/** Index of `needle` outside backticks and parentheses (column lists), from `from`; -1 when absent. */
function findTopLevel(text: string, needle: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '`') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && text.startsWith(needle, index)) return index;
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (;;) {
    const comma = findTopLevel(text, ',', start);
    if (comma < 0) break;
    items.push(text.slice(start, comma));
    start = comma + 1;
  }
  items.push(text.slice(start));
  return items;
}

/** A database-level grant's name as MySQL matches it: LIKE semantics, `\` escapes the next character. */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]!);
    else if (char === '_') source += '.';
    else if (char === '%') source += '.*';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
