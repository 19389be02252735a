import type { ChunkerParameters } from './chunker-parameters.js';

/** A mask of the `bits` highest bits of a 32-bit word (as a signed int32, like the hash it is applied to). */
function highBitsMask(bits: number): number {
  return bits === 0 ? 0 : (~0 << (32 - bits)) | 0;
}

/**
 * FastCDC's cut-point search (Xia et al., "FastCDC", USENIX ATC 2016 / TPDS 2020) as a resumable state machine, so
 * input can arrive in pieces of any size and the cuts do not depend on how it was split.
 *
 * The gear hash is `hash = (hash << 1) + gear[byte]` in 32 bits: after a shift by one per byte, bit k depends on the
 * last k+1 bytes only, so the masks use the highest bits (the 15..19 top bits see the last 14..18+ bytes). The first
 * `minSize` bytes of a chunk are skipped without hashing; up to `averageSize` a strict mask (log2(avg)+level bits)
 * makes a cut unlikely, after it a loose mask (log2(avg)-level bits) makes one likely: that "normalized chunking"
 * narrows the size distribution around the average; at `maxSize` the cut is forced.
 *
 * The inner loops touch only locals, a typed-array table and the input array, and allocate nothing.
 */
export class BoundaryFinder {
  private readonly gear: Int32Array;
  private readonly minSize: number;
  private readonly normalSize: number;
  private readonly maxSize: number;
  private readonly strictMask: number;
  private readonly looseMask: number;
  /** Bytes of the current chunk seen before the scan that is about to start. */
  private length = 0;
  private hash = 0;

  constructor(parameters: ChunkerParameters, gear: Int32Array) {
    const bits = Math.round(Math.log2(parameters.averageSize));
    this.gear = gear;
    this.minSize = parameters.minSize;
    this.normalSize = parameters.averageSize;
    this.maxSize = parameters.maxSize;
    this.strictMask = highBitsMask(Math.min(31, bits + parameters.normalization));
    this.looseMask = highBitsMask(Math.max(1, bits - parameters.normalization));
  }

  /** Bytes of the chunk in progress (0 right after a cut). */
  get pendingLength(): number {
    return this.length;
  }

  /**
   * Continues the current chunk over data[start, end). Returns the index just after the cut (the chunk ends there
   * and the next one starts), or -1 when the chunk goes on past `end`.
   */
  scan(data: Uint8Array, start: number, end: number): number {
    const gear = this.gear;
    // Where the current chunk started, in data's coordinates (negative when it began in earlier input).
    const chunkStart = start - this.length;
    let hash = this.hash;
    let index = Math.max(start, chunkStart + this.minSize);
    if (index >= end) {
      this.length = end - chunkStart;
      return -1;
    }
    const strictMask = this.strictMask;
    let stop = Math.min(end, chunkStart + this.normalSize);
    for (; index < stop; index++) {
      hash = ((hash << 1) + gear[data[index]!]!) | 0;
      if ((hash & strictMask) === 0) return this.cut(index + 1);
    }
    const looseMask = this.looseMask;
    stop = Math.min(end, chunkStart + this.maxSize);
    for (; index < stop; index++) {
      hash = ((hash << 1) + gear[data[index]!]!) | 0;
      if ((hash & looseMask) === 0) return this.cut(index + 1);
    }
    if (index === chunkStart + this.maxSize) return this.cut(index);
    this.length = end - chunkStart;
    this.hash = hash;
    return -1;
  }

  private cut(at: number): number {
    this.length = 0;
    this.hash = 0;
    return at;
  }
}
