import { createHash } from 'node:crypto';

/**
 * Ids in this package are 32 bytes (SHA-256 or HMAC-SHA256). In memory, chunk ids are kept as 32-character latin1
 * strings (one char per byte: half the size of hex, and usable as Map/Set keys); everything public and every object
 * name uses 64-character lowercase hex.
 */
export const ID_SIZE = 32;

const HEX_ID = /^[0-9a-f]{64}$/;

export function isHexId(value: string): boolean {
  return HEX_ID.test(value);
}

export function idKeyOf(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('latin1');
}

export function hexOfIdKey(idKey: string): string {
  return Buffer.from(idKey, 'latin1').toString('hex');
}

export function idKeyOfHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('latin1');
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
