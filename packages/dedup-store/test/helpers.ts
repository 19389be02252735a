import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createLocalBackend, type StorageBackend } from '@dbbackup/cloud';
import type { MasterKey } from '@dbbackup/crypto';
import { computeKeyId } from '@dbbackup/crypto';
import type { DedupStore } from '../src/store/dedup-store.js';
import { type InitStoreOptions, initStore } from '../src/store/open-store.js';

/** A fresh directory under the OS temp dir; remove it with removeDirectory. */
export async function makeTempDirectory(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `dedup-store-${label}-`));
}

export async function removeDirectory(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

export interface TestStore {
  directory: string;
  backend: StorageBackend;
  store: DedupStore;
}

export async function createTestStore(
  label: string,
  options: Omit<InitStoreOptions, 'backend'> = {},
): Promise<TestStore> {
  const directory = await makeTempDirectory(label);
  const backend = createLocalBackend({ root: directory });
  const store = await initStore({ backend, ...options });
  return { directory, backend, store };
}

export function randomMasterKey(): MasterKey {
  const key = randomBytes(32);
  return { key, keyId: computeKeyId(key) };
}

/** A Readable over `data` in pieces of `pieceSize` (what a file or pipe hands over). */
export function streamOf(data: Buffer, pieceSize = 64 * 1024): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += pieceSize)
    pieces.push(data.subarray(offset, offset + pieceSize));
  return Readable.from(pieces, { objectMode: false });
}

/** A Writable that keeps what it is given. */
export function collector(): { sink: Writable; bytes: () => Buffer } {
  const pieces: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pieces.push(chunk);
      callback();
    },
  });
  return { sink, bytes: () => Buffer.concat(pieces) };
}

/** Every object file below `directory` (relative paths; not the local backend's in-progress uploads). */
export async function listFiles(directory: string, under = ''): Promise<string[]> {
  const root = path.join(directory, under);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !/\.partial-[0-9a-f]{12}$/.test(entry.name))
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

export async function totalSize(directory: string): Promise<number> {
  let total = 0;
  for (const file of await listFiles(directory)) total += (await stat(path.join(directory, file))).size;
  return total;
}

/** Flips one bit of the byte at `offset` (negative: from the end) of a file. */
export async function flipByte(file: string, offset: number): Promise<void> {
  const bytes = await readFile(file);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at]! ^= 0x01;
  await writeFile(file, bytes);
}
