/**
 * The distinct values of one referenced key (a parent relation's referenced columns) that sampled rows point at,
 * kept column by column as the text the server printed, so they can be cast back to the column types in SQL.
 */
export class KeySet {
  /** One array per key column; index i of every array is one key. */
  readonly columns: string[][];
  private readonly seen = new Set<string>();

  constructor(
    /** Quoted referenced column names. */
    readonly columnNames: readonly string[],
    /** format_type() of each column. */
    readonly types: readonly string[],
  ) {
    this.columns = columnNames.map(() => []);
  }

  get size(): number {
    return this.seen.size;
  }

  /** Adds one key (its columns' text, none null); returns whether it was new. */
  add(values: readonly string[]): boolean {
    // NUL cannot occur in PostgreSQL text, so it separates the columns unambiguously.
    const joined = values.join('\u0000');
    if (this.seen.has(joined)) return false;
    this.seen.add(joined);
    for (const [index, value] of values.entries()) this.columns[index]!.push(value);
    return true;
  }

  /**
   * `(s.a, s.b) IN (SELECT k.k0::type_a, k.k1::type_b FROM ROWS FROM (unnest(<text array>), ...) AS k(k0, k1))` for the row alias
   * `s`, or null while the set is empty. The keys travel as array literals: a COPY (SELECT ...) takes no parameters.
   */
  condition(): string | null {
    if (this.size === 0) return null;
    const aliases = this.columnNames.map((_, index) => `k${index}`);
    const arrays = this.columns.map((values) => `${escapeStringLiteral(arrayLiteral(values))}::pg_catalog.text[]`);
    const casts = aliases.map((alias, index) => `k.${alias}::${this.types[index]}`);
    const left = this.columnNames.map((name) => `s.${name}`);
    const target = left.length === 1 ? left[0]! : `(${left.join(', ')})`;
    // ROWS FROM (unnest(a), unnest(b)): the multi-argument unnest(a, b) cannot be schema-qualified.
    const unnests = arrays.map((array) => `pg_catalog.unnest(${array})`).join(', ');
    return `${target} IN (SELECT ${casts.join(', ')} FROM ROWS FROM (${unnests}) AS k(${aliases.join(', ')}))`;
  }
}

/** A text[] literal: every element double-quoted, `"` and `\` backslash-escaped (array_in's rules). */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** E'...': independent of standard_conforming_strings. */
function escapeStringLiteral(text: string): string {
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
