import { createHash } from 'node:crypto';

/**
 * The 256 random 32-bit values the gear hash adds per byte. Derived from a 32-byte seed with SHA-256 in counter mode,
 * so a store always rebuilds the same table: plain stores use PLAIN_GEAR_SEED (boundaries are the same in every
 * plain store, so data moved between them still deduplicates); encrypted stores derive the seed from their data
 * key, so chunk sizes do not let someone who knows a candidate plaintext confirm it (restic picks a random
 * polynomial per repository for the same reason).
 */
export function createGearTable(seed: Uint8Array): Int32Array {
  const table = new Int32Array(256);
  const words = 8; // 32 bytes of SHA-256 output = 8 table entries
  for (let block = 0; block < 256 / words; block++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(block);
    const digest = createHash('sha256').update(seed).update(counter).digest();
    for (let word = 0; word < words; word++) table[block * words + word] = digest.readInt32LE(word * 4);
  }
  return table;
}

/** Seed of the gear table of unencrypted stores. */
export const PLAIN_GEAR_SEED: Uint8Array = createHash('sha256').update('dbbackup-dedup-store gear table v1').digest();
