import { DamagedObjectError } from '../errors.js';
import { sha256Hex } from '../format/object-ids.js';
import { baseName } from '../format/store-layout.js';
import { putBuffers, readObject } from './object-io.js';
import type { StoreContext } from './store-context.js';

/**
 * Index files and snapshots are named by the sha256 of their stored bytes: writing is idempotent (the same bytes
 * get the same name) and reading checks the name, which catches damage even in unencrypted stores.
 */
export async function writeContentAddressed(
  context: StoreContext,
  directory: string,
  stored: Buffer,
): Promise<{ id: string; key: string }> {
  const id = sha256Hex(stored);
  const key = `${context.prefix}${directory}${id}`;
  await putBuffers(context.backend, key, [stored]);
  return { id, key };
}

export async function readContentAddressed(context: StoreContext, key: string): Promise<Buffer> {
  const stored = await readObject(context.backend, key);
  if (sha256Hex(stored) !== baseName(key)) {
    throw new DamagedObjectError(key, 'its content does not match its name (sha256)');
  }
  return stored;
}
