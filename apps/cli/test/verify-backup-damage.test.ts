import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSampleDatabase,
  dbbackup,
  dropDatabase,
  removeScratchDirectories,
  scratchDirectory,
  uniqueName,
} from './backup-restore-fixtures.js';
import { emptyDirectory } from './support/run-built-cli.js';

interface ManifestEntry {
  name: string;
  kind: string;
  offset: number;
  storedSize: number;
}

const source = uniqueName('dbbackup_cli_damage');
let path: string;
let members: ManifestEntry[];

beforeAll(() => {
  createSampleDatabase(source);
  const result = dbbackup([
    'backup',
    'single',
    source,
    '-d',
    'postgres',
    '--backup-dir',
    scratchDirectory(),
    '--format',
    'json',
  ]);
  expect(result.status).toBe(0);
  path = (JSON.parse(result.stdout) as { path: string }).path;
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', path, 'manifest.json'], { encoding: 'utf8' })) as {
    members: ManifestEntry[];
  };
  members = manifest.members;
});

afterAll(() => {
  dropDatabase(source);
  removeScratchDirectories();
});

/** A copy of the backup, in a fresh directory, for one kind of damage. */
function copyOfBackup(name = 'copy.dbb.tar'): string {
  const copy = join(emptyDirectory(), name);
  copyFileSync(path, copy);
  return copy;
}

describe('dbbackup verify-backup on damaged archives', () => {
  it('a truncated archive exits 2: incomplete', () => {
    const copy = copyOfBackup();
    const data = members.find((member) => member.kind === 'data')!;
    truncateSync(copy, data.offset + Math.floor(data.storedSize / 2));
    const result = dbbackup(['verify-backup', copy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dbbackup: .*incomplete.*\n$/);
  });

  it('one changed byte in a data member exits 2 naming the member', () => {
    const copy = copyOfBackup();
    const data = members.find((member) => member.kind === 'data')!;
    const at = data.offset + Math.floor(data.storedSize / 2);
    const handle = openSync(copy, 'r+');
    const byte = Buffer.alloc(1);
    readSync(handle, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(handle, byte, 0, 1, at);
    closeSync(handle);
    expect(statSync(copy).size).toBe(statSync(path).size);
    const result = dbbackup(['verify-backup', copy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(data.name);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a .partial file exits 2: incomplete', () => {
    const copy = copyOfBackup('shop-20260101T000000Z.dbb.tar.partial');
    truncateSync(copy, members.at(-1)!.offset);
    const result = dbbackup(['verify-backup', copy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('incomplete');
  });

  it('a file that does not exist exits 2 naming it', () => {
    const missing = join(emptyDirectory(), 'nothing.dbb.tar');
    const result = dbbackup(['verify-backup', missing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(missing);
  });
});
