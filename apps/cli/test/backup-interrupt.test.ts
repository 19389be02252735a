import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveFiles,
  createDatabase,
  databaseExists,
  dbbackup,
  dbbackupJson,
  dropDatabase,
  psql,
  removeScratchDirectories,
  spawnDbbackup,
  uniqueName,
} from './backup-restore-fixtures.js';
import { emptyDirectory } from './support/run-built-cli.js';

const source = uniqueName('dbbackup_cli_big');

beforeAll(() => {
  // About 100 MB on disk: big enough that the backup is still writing data members when it is interrupted.
  createDatabase(source);
  psql(
    source,
    `CREATE TABLE big AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b FROM generate_series(1, 1000000) g`,
  );
});

afterAll(() => {
  dropDatabase(source);
  removeScratchDirectories();
});

/** The child's exit and everything it wrote to stderr, collected from the start. */
function watchExit(child: ChildProcess): { exited: Promise<unknown[]>; stderr: () => string } {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { exited: once(child, 'exit'), stderr: () => stderr };
}

/** Waits until the backup's .partial file holds data beyond header.json, so the run is mid-way. */
async function waitForPartialData(directory: string): Promise<string> {
  for (;;) {
    const partial = archiveFiles(directory).find((name) => name.endsWith('.partial'));
    if (partial && statSync(join(directory, partial)).size > 1_000_000) return partial;
    await sleep(20);
  }
}

describe('an interrupted backup', () => {
  it('killed with SIGKILL leaves only a .partial, which verify-backup rejects as incomplete', async () => {
    const directory = emptyDirectory();
    const child = spawnDbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '--jobs',
      '2',
    ]);
    const exited = once(child, 'exit');
    const partial = await waitForPartialData(directory);
    child.kill('SIGKILL');
    await exited;
    expect(archiveFiles(directory)).toEqual([partial]);
    const result = dbbackup(['verify-backup', join(directory, partial)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('incomplete');
  });

  it.each([
    ['an archive', []],
    ['a SQL script', ['--dump-format', 'sql']],
  ])('writing %s, stopped with SIGINT removes the .partial and exits 130', async (_kind, format) => {
    const directory = emptyDirectory();
    const child = spawnDbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '--jobs',
      '2',
      ...format,
    ]);
    const { exited, stderr } = watchExit(child);
    await waitForPartialData(directory);
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(130);
    expect(stderr()).toContain('interrupted by SIGINT');
    expect(archiveFiles(directory)).toEqual([]);
  });
});

/** Waits until a session of `database` runs a statement starting with `prefix` (e.g. the restore's COPY). */
async function waitForStatement(child: ChildProcess, database: string, prefix: string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the restore ended (exit ${child.exitCode}) before it ran ${prefix}`);
    const running = psql(
      'postgres',
      `SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}' AND query LIKE '${prefix}%'`,
    );
    if (Number(running.trim()) > 0) return;
    await sleep(20);
  }
}

describe('an interrupted restore', () => {
  it('stopped with SIGINT while loading data drops the database it created and exits 130', async () => {
    const directory = emptyDirectory();
    const backup = dbbackupJson([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '--format',
      'json',
    ]);
    const target = uniqueName('dbbackup_cli_interrupted');
    const child = spawnDbbackup([
      'restore',
      'single',
      String(backup.path),
      '--target',
      target,
      '--create',
      '--jobs',
      '2',
    ]);
    const { exited, stderr } = watchExit(child);
    await waitForStatement(child, target, 'COPY');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(130);
    expect(stderr()).toContain('interrupted by SIGINT');
    expect(databaseExists(target)).toBe(false);
  });
});
