import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lineDiff } from './line-diff.js';
import { libpqEnvironment } from './postgres.js';

const run = promisify(execFile);

/**
 * `pg_dump -s` of a database (the oracle: a restore is right when pg_dump cannot tell it from the source),
 * normalised so two databases compare equal: comment lines, \restrict/\unrestrict lines and blank-line runs are
 * dropped, and the database's own name is replaced by <database>.
 */
export async function pgDumpSchema(database: string, extraArguments: string[] = []): Promise<string> {
  const { stdout } = await run('pg_dump', ['--schema-only', ...extraArguments, '-d', database], {
    env: libpqEnvironment(),
    maxBuffer: 256 * 1024 * 1024,
  });
  return normaliseSchemaDump(stdout, database);
}

export function normaliseSchemaDump(text: string, database: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('--')) continue;
    if (line.startsWith('\\restrict') || line.startsWith('\\unrestrict')) continue;
    if (line.trim() === '' && (lines.length === 0 || lines[lines.length - 1] === '')) continue;
    lines.push(line.replaceAll(database, '<database>'));
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

export interface SchemaComparison {
  equal: boolean;
  /** Unified-style diff (expected = a, actual = b) with a few lines of context; empty when equal. */
  diff: string;
}

export function compareSchemas(expected: string, actual: string): SchemaComparison {
  if (expected === actual) return { equal: true, diff: '' };
  return { equal: false, diff: lineDiff(expected.split('\n'), actual.split('\n'), { context: 3, maxLines: 400 }) };
}
