import { createHash } from 'node:crypto';
import { crc32cBase64 } from './crc32c.js';
import { HttpError } from './http-helpers.js';

export interface ClaimedHashes {
  crc32c?: string;
  md5?: string;
}

/** Reads `X-Goog-Hash: crc32c=…,md5=…` (either may be missing). */
export function parseGoogHash(header: string | string[] | undefined): ClaimedHashes {
  const claimed: ClaimedHashes = {};
  for (const value of [header ?? []].flat()) {
    for (const pair of value.split(',')) {
      const separator = pair.indexOf('=');
      if (separator === -1) continue;
      const kind = pair.slice(0, separator).trim().toLowerCase();
      const digest = pair.slice(separator + 1).trim();
      if (kind === 'crc32c') claimed.crc32c = digest;
      if (kind === 'md5') claimed.md5 = digest;
    }
  }
  return claimed;
}

/** Rejects the upload with 400, as GCS does, when a checksum the client sent does not match the bytes received. */
export function verifyClaimedHashes(data: Buffer, claimed: ClaimedHashes): void {
  if (claimed.crc32c !== undefined) {
    const actual = crc32cBase64(data);
    if (actual !== claimed.crc32c) {
      throw new HttpError(400, `Provided CRC32C "${claimed.crc32c}" doesn't match calculated CRC32C "${actual}".`);
    }
  }
  if (claimed.md5 !== undefined) {
    const actual = createHash('md5').update(data).digest('base64');
    if (actual !== claimed.md5) {
      throw new HttpError(400, `Provided MD5 hash "${claimed.md5}" doesn't match calculated MD5 hash "${actual}".`);
    }
  }
}
