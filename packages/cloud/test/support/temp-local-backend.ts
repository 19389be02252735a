import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalBackend } from '../../src/backends/local/index.js';
import type { StorageBackend } from '../../src/storage-backend.js';

/** A local backend in a fresh temporary directory; `remove()` deletes the directory. */
export async function createTempLocalBackend(): Promise<{
  backend: StorageBackend;
  root: string;
  remove(): Promise<void>;
}> {
  const root = await mkdtemp(path.join(tmpdir(), 'dbbackup-cloud-test-'));
  return { backend: createLocalBackend({ root }), root, remove: () => rm(root, { recursive: true, force: true }) };
}
