import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveFiles,
  BACKUP_REPORT_KEYS,
  cliEnv,
  createDatabase,
  createForeignKeyDatabase,
  dbbackup,
  dbbackupJson,
  dropDatabase,
  FOREIGN_KEY_TABLES,
  foreignKeyRowCounts,
  foreignKeyState,
  removeScratchDirectories,
  sampleFingerprints,
  uniqueName,
} from './backup-restore-fixtures.js';
import { emptyDirectory } from './support/run-built-cli.js';

const source = uniqueName('dbbackup_cli_fk');
const created: string[] = [];
function targetName(label: string): string {
  const name = uniqueName(`dbbackup_cli_${label}`);
  created.push(name);
  return name;
}

let sourceCounts: Record<string, number>;
let sourceFingerprints: Record<string, string>;

beforeAll(() => {
  createForeignKeyDatabase(source);
  sourceCounts = foreignKeyRowCounts(source);
  sourceFingerprints = sampleFingerprints(source, FOREIGN_KEY_TABLES);
});

afterAll(() => {
  for (const name of [source, ...created]) dropDatabase(name);
  removeScratchDirectories();
});

function backupJson(args: readonly string[]): Record<string, unknown> {
  return dbbackupJson([...args, '-d', 'postgres']);
}

describe('dbbackup backup sample', () => {
  it.each([
    ['percent', '10'],
    ['rows', '25'],
  ])(
    '--sample-strategy %s --sample-value %s restores with --create, smaller, every foreign key holding',
    (strategy, value) => {
      const directory = emptyDirectory();
      const report = backupJson([
        'backup',
        'sample',
        source,
        '--sample-strategy',
        strategy,
        '--sample-value',
        value,
        '--backup-dir',
        directory,
      ]);
      expect(Object.keys(report).sort()).toEqual([...BACKUP_REPORT_KEYS, 'sample'].sort());
      expect(report).toMatchObject({ database: source, tables: 3, sample: { strategy, value: Number(value) } });
      expect(report.path).toMatch(new RegExp(`/${source}-sample-\\d{8}T\\d{6}Z\\.dbb\\.tar$`));
      expect(archiveFiles(directory)).toEqual([basename(report.path as string)]);

      const target = targetName('sample');
      const restore = dbbackup(['restore', 'single', report.path as string, '--target', target, '--create']);
      expect(restore.stderr).toBe('');
      expect(restore.status).toBe(0);
      const counts = foreignKeyRowCounts(target);
      const total = (rows: Record<string, number>) => Object.values(rows).reduce((sum, count) => sum + count, 0);
      expect(total(counts)).toBe(report.rows);
      expect(total(counts)).toBeLessThan(total(sourceCounts));
      for (const table of FOREIGN_KEY_TABLES) {
        expect(counts[table]).toBeGreaterThan(0);
        expect(counts[table]).toBeLessThanOrEqual(sourceCounts[table]!);
      }
      // Each table's own sample is smaller than the table; the closure only adds referenced parents.
      expect(counts.grandchild!).toBeLessThan(sourceCounts.grandchild!);
      if (strategy === 'rows') expect(counts.grandchild).toBe(Number(value));
      expect(foreignKeyState(target)).toEqual({ orphans: 0, constraints: 2 });
    },
  );

  it('refuses impossible samples with one line naming the flag, before writing anything', () => {
    const directory = emptyDirectory();
    const cases: Array<[string, string]> = [
      ['percent', '0'],
      ['percent', '100.5'],
      ['percent', 'ten'],
      ['rows', '0'],
      ['rows', '2.5'],
    ];
    for (const [strategy, value] of cases) {
      const result = dbbackup([
        'backup',
        'sample',
        source,
        '-d',
        'postgres',
        '--sample-strategy',
        strategy,
        '--sample-value',
        value,
        '--backup-dir',
        directory,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^dbbackup: invalid --sample-value .*--sample-value \d+\n$/);
    }
    expect(archiveFiles(directory)).toEqual([]);
  });
});

/** Pipes a script file through `decompress` into psql against a new database, as a user would restore it. */
function restoreScript(decompress: string, file: string, database: string): void {
  execFileSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      `${decompress} "$1" | psql -X -q -v ON_ERROR_STOP=1 -d "$2" >/dev/null`,
      'bash',
      file,
      database,
    ],
    { env: { ...process.env, ...cliEnv }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

describe('dbbackup backup single --dump-format sql', () => {
  it.each([
    ['zstd', '.sql.zst', 'zstd -dc'],
    ['gzip', '.sql.gz', 'gunzip -c'],
  ])(
    '%s: writes <db>-<stamp>%s with its sha256, and psql restores the same rows',
    (algorithm, extension, decompress) => {
      const directory = emptyDirectory();
      const report = backupJson([
        'backup',
        'single',
        source,
        '--dump-format',
        'sql',
        '--compression-algorithm',
        algorithm,
        '--backup-dir',
        directory,
      ]);
      expect(Object.keys(report).sort()).toEqual([...BACKUP_REPORT_KEYS, 'dump_format'].sort());
      expect(report).toMatchObject({ dump_format: 'sql', database: source, tables: 3, rows: 4200, encrypted: false });
      const path = report.path as string;
      expect(path).toMatch(new RegExp(`/${source}-\\d{8}T\\d{6}Z${extension.replaceAll('.', '\\.')}$`));
      expect(archiveFiles(directory)).toEqual([basename(path)]);
      const bytes = readFileSync(path);
      expect(report.bytes).toBe(bytes.length);
      expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

      const target = targetName(`sql_${algorithm}`);
      createDatabase(target);
      restoreScript(decompress, path, target);
      expect(sampleFingerprints(target, FOREIGN_KEY_TABLES)).toEqual(sourceFingerprints);
      expect(foreignKeyState(target)).toEqual({ orphans: 0, constraints: 2 });
    },
  );

  it('refuses --encrypt and --verify-restore, which need an archive, and writes nothing', () => {
    const directory = emptyDirectory();
    const base = ['backup', 'single', source, '-d', 'postgres', '--dump-format', 'sql', '--backup-dir', directory];
    const encrypted = dbbackup([...base, '--encrypt'], { DBBACKUP_ENCRYPTION_PASSPHRASE: 'secret words' });
    expect(encrypted.status).toBe(2);
    expect(encrypted.stderr).toMatch(/^dbbackup: .*psql.*--dump-format archive.*\n$/);
    const verified = dbbackup([...base, '--verify-restore']);
    expect(verified.status).toBe(2);
    expect(verified.stderr).toMatch(/^dbbackup: --verify-restore needs an archive.*--dump-format archive.*\n$/);
    expect(archiveFiles(directory)).toEqual([]);
  });
});
