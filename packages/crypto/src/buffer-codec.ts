import { randomBytes } from 'node:crypto';
import { NONCE_PREFIX_SIZE, SEGMENT_PLAINTEXT_SIZE, SEGMENT_RECORD_SIZE, TAG_SIZE } from './constants.js';
import { CorruptDataError } from './errors.js';
import { SegmentCipher } from './segment-cipher.js';

/** Number of segments a plaintext of this size is split into: at least one, even when empty. */
function segmentCount(plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / SEGMENT_PLAINTEXT_SIZE));
}

/** Stored size of an encrypted member: prefix + plaintext + one tag per segment. */
export function encryptedSize(plainSize: number): number {
  return NONCE_PREFIX_SIZE + plainSize + TAG_SIZE * segmentCount(plainSize);
}

/** Encrypts a whole buffer into exactly the bytes createEncryptStream would produce (with another random prefix). */
export function encryptBuffer(dataKey: Buffer, plain: Buffer, member: string): Buffer {
  const prefix = randomBytes(NONCE_PREFIX_SIZE);
  const cipher = new SegmentCipher(dataKey, member, prefix);
  const sealed = Buffer.allocUnsafe(encryptedSize(plain.length));
  prefix.copy(sealed, 0);
  let writeOffset = NONCE_PREFIX_SIZE;
  const segments = segmentCount(plain.length);
  for (let index = 0; index < segments; index++) {
    const start = index * SEGMENT_PLAINTEXT_SIZE;
    const chunk = plain.subarray(start, Math.min(start + SEGMENT_PLAINTEXT_SIZE, plain.length));
    const { ciphertext, tag } = cipher.seal(chunk, index, index === segments - 1);
    writeOffset += ciphertext.copy(sealed, writeOffset);
    writeOffset += tag.copy(sealed, writeOffset);
  }
  return sealed;
}

/** Decrypts a whole encrypted member; throws CorruptDataError exactly where the decrypt stream would. */
export function decryptBuffer(dataKey: Buffer, sealed: Buffer, member: string): Buffer {
  if (sealed.length < NONCE_PREFIX_SIZE) {
    throw new CorruptDataError(member, 0, 'the data ends inside the nonce prefix (the archive was truncated)');
  }
  const cipher = new SegmentCipher(dataKey, member, sealed.subarray(0, NONCE_PREFIX_SIZE));
  const body = sealed.subarray(NONCE_PREFIX_SIZE);
  // Every segment but the last is a full record; the last holds 1..SEGMENT_RECORD_SIZE bytes (>= TAG_SIZE if intact).
  const middleSegments = body.length > SEGMENT_RECORD_SIZE ? Math.ceil(body.length / SEGMENT_RECORD_SIZE) - 1 : 0;
  const lastRecordLength = body.length - middleSegments * SEGMENT_RECORD_SIZE;
  if (lastRecordLength < TAG_SIZE) {
    throw new CorruptDataError(member, middleSegments, 'the data ends inside a tag (the archive was truncated)');
  }
  const plain = Buffer.allocUnsafe(body.length - TAG_SIZE * (middleSegments + 1));
  let writeOffset = 0;
  for (let index = 0; index <= middleSegments; index++) {
    const start = index * SEGMENT_RECORD_SIZE;
    const end = Math.min(start + SEGMENT_RECORD_SIZE, body.length);
    const segment = cipher.open(
      body.subarray(start, end - TAG_SIZE),
      body.subarray(end - TAG_SIZE, end),
      index,
      index === middleSegments,
    );
    writeOffset += segment.copy(plain, writeOffset);
  }
  return plain;
}
