import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../src/index.js';

const writerScript = fileURLToPath(new URL('./support/concurrent-writer.mjs', import.meta.url));
const CYCLES = 50;

interface Writer {
  ready: Promise<void>;
  go(): void;
  finished: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startWriter(catalogPath: string, name: string): Writer {
  const child = spawn(process.execPath, [writerScript, catalogPath, name, String(CYCLES)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      markReady(); // a child that died before "ready" must not hang the test
      resolve({ code, stdout, stderr });
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), finished };
}

describe('two processes writing one catalog at once', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('both succeed: every backup, verification and shared upsert is recorded', async () => {
    directory = await mkdtemp(join(tmpdir(), 'catalog-concurrent-'));
    const catalogPath = join(directory, 'new', 'catalog.db');
    const writers = [startWriter(catalogPath, 'alpha'), startWriter(catalogPath, 'beta')];
    await Promise.all(writers.map((writer) => writer.ready));
    // Released together: both create the file and migrate it, then interleave 50 begin/finish cycles each.
    for (const writer of writers) writer.go();
    const results = await Promise.all(writers.map((writer) => writer.finished));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('done');
    }

    const catalog = await Catalog.open(catalogPath);
    try {
      for (const name of ['alpha', 'beta']) {
        const records = await catalog.listBackups({ database: `db_${name}`, order: 'oldest' });
        expect(records).toHaveLength(CYCLES);
        expect(records.every((record) => record.status === 'success' && record.durationMs === 1000)).toBe(true);
        expect(records.map((record) => record.rows)).toEqual(Array.from({ length: CYCLES }, (_, cycle) => cycle));
        expect(records.filter((record) => record.verification?.detail === name)).toHaveLength(CYCLES / 5);
      }
      // Both upserted the same 50 locations: one row each, never a duplicate or a lost one.
      expect(await catalog.listBackups({ database: 'shared' })).toHaveLength(CYCLES);
      expect((await catalog.stats()).backups).toBe(3 * CYCLES);
    } finally {
      await catalog.close();
    }
  });
});
