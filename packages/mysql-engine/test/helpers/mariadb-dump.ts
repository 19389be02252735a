import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lineDiff } from './line-diff.js';
import { clientArguments, clientEnvironment } from './mariadb.js';

const run = promisify(execFile);

export interface DumpNormaliseOptions {
  /**
   * Drop `AUTO_INCREMENT=N` table options. A schema-only replay cannot reproduce them (no rows were loaded past
   * the counter); after a data restore they must match and should be compared.
   */
  stripAutoIncrement?: boolean;
}

/**
 * `mariadb-dump --no-data --routines --events --triggers --skip-dump-date` of a database (the oracle: a restore is
 * right when mariadb-dump cannot tell it from the source), normalised so two databases compare equal: the header
 * comment block (host, server version) is dropped and the database's name, quoted or bare, becomes DB.
 */
export async function mariadbDumpSchema(database: string, options: DumpNormaliseOptions = {}): Promise<string> {
  const { stdout } = await run(
    'mariadb-dump',
    [
      ...clientArguments(),
      '--skip-lock-tables',
      '--no-data',
      '--routines',
      '--events',
      '--triggers',
      '--skip-dump-date',
      database,
    ],
    { env: clientEnvironment(), maxBuffer: 256 * 1024 * 1024 },
  );
  return normaliseDump(stdout, database, options);
}

export function normaliseDump(text: string, database: string, options: DumpNormaliseOptions = {}): string {
  const bare = new RegExp(`(?<![\\p{L}\\p{N}_$])${escapeRegExp(database)}(?![\\p{L}\\p{N}_$])`, 'gu');
  const lines: string[] = [];
  for (const rawLine of text.split('\n')) {
    if (/^-- (MariaDB dump|Host:|Server version)/.test(rawLine)) continue;
    let line = rawLine.replaceAll(`\`${database}\``, '`DB`').replace(bare, 'DB');
    if (options.stripAutoIncrement) line = line.replace(/ AUTO_INCREMENT=\d+/, '');
    lines.push(line);
  }
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SchemaComparison {
  equal: boolean;
  /** Unified-style diff (expected = source, actual = restored) with context; empty when equal. */
  diff: string;
}

export function compareDumps(expected: string, actual: string): SchemaComparison {
  if (expected === actual) return { equal: true, diff: '' };
  return { equal: false, diff: lineDiff(expected.split('\n'), actual.split('\n'), { context: 3, maxLines: 400 }) };
}

/** Dumps both databases and compares them. */
export async function compareDatabases(
  source: string,
  restored: string,
  options: DumpNormaliseOptions = {},
): Promise<SchemaComparison> {
  const [expected, actual] = await Promise.all([
    mariadbDumpSchema(source, options),
    mariadbDumpSchema(restored, options),
  ]);
  return compareDumps(expected, actual);
}
