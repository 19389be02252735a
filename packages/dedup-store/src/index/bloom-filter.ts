/**
 * A Bloom filter over chunk ids: `mightContain` false means "certainly not in the index", so most new chunks of a
 * backup skip the Map lookup. Ids are SHA-256 / HMAC outputs, already uniformly random, so their first 8 bytes serve
 * as the two base hashes of double hashing (no extra hashing). 10 bits per entry and 7 probes give about 1 % false
 * positives at capacity; the owner rebuilds it larger when it fills up.
 */
const BITS_PER_ENTRY = 10;
const PROBES = 7;

function nextPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(64, value)));
}

export class BloomFilter {
  readonly capacity: number;
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    const bitCount = nextPowerOfTwo(capacity * BITS_PER_ENTRY);
    this.bits = new Uint32Array(bitCount / 32);
    this.mask = bitCount - 1;
  }

  add(id: Uint8Array): void {
    const first = readWord(id, 0);
    const step = readWord(id, 4) | 1;
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + Math.imul(probe, step)) & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mightContain(id: Uint8Array): boolean {
    const first = readWord(id, 0);
    const step = readWord(id, 4) | 1;
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + Math.imul(probe, step)) & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

function readWord(id: Uint8Array, at: number): number {
  return (id[at]! | (id[at + 1]! << 8) | (id[at + 2]! << 16) | (id[at + 3]! << 24)) >>> 0;
}
