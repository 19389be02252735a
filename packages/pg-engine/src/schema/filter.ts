import type { SchemaDumpOptions } from './types.js';

/** `*` matches any run of characters, `?` one character; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** Decides which schemas and relations a dump covers, from SchemaDumpOptions. */
export class ObjectFilter {
  private readonly includeSchemas: RegExp[] | null;
  private readonly excludeSchemas: RegExp[];
  private readonly includeTables: Array<{ schema: RegExp | null; name: RegExp }> | null;

  constructor(options: SchemaDumpOptions) {
    this.includeSchemas = options.includeSchemas?.length ? options.includeSchemas.map(globToRegExp) : null;
    this.excludeSchemas = (options.excludeSchemas ?? []).map(globToRegExp);
    this.includeTables = options.includeTables?.length
      ? options.includeTables.map((pattern) => {
          const dot = pattern.indexOf('.');
          return dot < 0
            ? { schema: null, name: globToRegExp(pattern) }
            : { schema: globToRegExp(pattern.slice(0, dot)), name: globToRegExp(pattern.slice(dot + 1)) };
        })
      : null;
  }

  /** True when the whole database is dumped: database-wide objects (casts, event triggers, blobs) go along. */
  get everything(): boolean {
    return this.includeSchemas === null && this.excludeSchemas.length === 0 && this.includeTables === null;
  }

  get filtersTables(): boolean {
    return this.includeTables !== null;
  }

  schemaIncluded(name: string): boolean {
    if (name === 'information_schema' || name.startsWith('pg_')) return false;
    if (this.excludeSchemas.some((pattern) => pattern.test(name))) return false;
    return this.includeSchemas === null || this.includeSchemas.some((pattern) => pattern.test(name));
  }

  relationIncluded(schema: string, name: string): boolean {
    if (this.includeTables === null) return true;
    return this.includeTables.some(
      (pattern) => (pattern.schema === null || pattern.schema.test(schema)) && pattern.name.test(name),
    );
  }
}
