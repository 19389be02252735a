import { readFile, stat } from 'node:fs/promises';
import { KEY_SIZE } from './constants.js';
import { KeyFileError } from './errors.js';
import { computeKeyId, type MasterKey } from './master-key.js';

const BASE64_TEXT = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/;
const HOW_TO_CREATE = 'create one with: head -c 32 /dev/urandom > key';

/**
 * Loads a master key from a file holding exactly 32 raw bytes, or their base64 (surrounding whitespace ignored).
 * Warns (does not fail) when group or others have any access to the file.
 */
export async function loadMasterKeyFile(path: string): Promise<{ masterKey: MasterKey; warnings: string[] }> {
  let content: Buffer;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
    content = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new KeyFileError(`cannot read encryption key file ${path} (${reason}); check the path and its permissions`, {
      cause: error,
    });
  }
  try {
    const key = decodeKey(content, path);
    const warnings: string[] = [];
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      warnings.push(`key file ${path} is readable by group/others; chmod 600 it`);
    }
    return { masterKey: { keyId: computeKeyId(key), key }, warnings };
  } finally {
    content.fill(0);
  }
}

function decodeKey(content: Buffer, path: string): Buffer {
  if (content.length === KEY_SIZE) return copyOutOfPool(content);
  const text = content.toString('latin1').trim();
  if (BASE64_TEXT.test(text)) {
    const decoded = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    const key = copyOutOfPool(decoded);
    decoded.fill(0);
    if (key.length === KEY_SIZE) return key;
    key.fill(0);
    throw new KeyFileError(
      `encryption key file ${path} must hold ${KEY_SIZE} raw bytes or their base64 (found base64 of ${decoded.length} bytes); ${HOW_TO_CREATE}`,
    );
  }
  throw new KeyFileError(
    `encryption key file ${path} must hold ${KEY_SIZE} raw bytes or their base64 (found ${content.length} bytes); ${HOW_TO_CREATE}`,
  );
}

/** Small Buffer.from results live in a shared slab; a key gets its own allocation so it can be zeroed alone. */
function copyOutOfPool(bytes: Buffer): Buffer {
  const key = Buffer.alloc(bytes.length);
  bytes.copy(key);
  return key;
}
