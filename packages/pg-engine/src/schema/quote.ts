import type { ClientBase } from 'pg';

/**
 * Identifier quoting with the server's own rules (quote_identifier() in ruleutils.c): a name stays bare only when
 * it is all lower-case ASCII letters, digits and underscores, does not start with a digit, and is not a keyword
 * other than an unreserved one. The keyword list comes from the server (pg_get_keywords()).
 */
export class Quoter {
  constructor(private readonly keywords: ReadonlySet<string>) {}

  static async load(client: ClientBase): Promise<Quoter> {
    const { rows } = await client.query<{ word: string }>(
      "SELECT word FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U'",
    );
    return new Quoter(new Set(rows.map((row) => row.word)));
  }

  ident(name: string): string {
    if (/^[a-z_][a-z0-9_]*$/.test(name) && !this.keywords.has(name)) return name;
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** `schema.name`, each part quoted. */
  qualify(schema: string, name: string): string {
    return `${this.ident(schema)}.${this.ident(name)}`;
  }
}

/** A string literal for a session with standard_conforming_strings on (backslashes are plain characters). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
