import type { PackRecord } from '../format/index-file.js';
import { idKeyOf } from '../format/object-ids.js';
import type { BlobType } from '../format/pack-format.js';
import { BloomFilter } from './bloom-filter.js';

/** Where one blob is stored. */
export interface BlobLocation {
  packId: string;
  offset: number;
  storedLength: number;
  plainLength: number;
  compressed: boolean;
  type: BlobType;
}

const INITIAL_SLOTS = 1024;
const FLAG_COMPRESSED = 1;
const FLAG_LIST = 2;

/**
 * The store's index in memory: chunk id → location. Compact on purpose (it is the one structure that grows with the
 * store): ids are 32-char latin1 Map keys mapping to a slot number, and the slot's fields live in typed arrays,
 * about 90 bytes per chunk in all. When a chunk is in several packs (two concurrent backups wrote it), the first copy
 * added is the one used; gc removes the others. A V8 Map holds at most 2^24 entries: 16.7 M distinct chunks,
 * about 2 TiB of unique data at the default 128 KiB average.
 */
export class ChunkIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly packIds: string[] = [];
  private readonly packSlotOf = new Map<string, number>();
  private packOf = new Uint32Array(INITIAL_SLOTS);
  private offsets = new Uint32Array(INITIAL_SLOTS);
  private storedLengths = new Uint32Array(INITIAL_SLOTS);
  private plainLengths = new Uint32Array(INITIAL_SLOTS);
  private flags = new Uint8Array(INITIAL_SLOTS);
  private bloom: BloomFilter;
  private storedTotal = 0;
  private plainTotal = 0;

  constructor(expectedBlobs = 0) {
    this.bloom = new BloomFilter(Math.max(65_536, expectedBlobs * 2));
  }

  static fromPacks(packs: readonly PackRecord[]): ChunkIndex {
    let blobs = 0;
    for (const pack of packs) blobs += pack.blobs.length;
    const index = new ChunkIndex(blobs);
    for (const pack of packs) index.addPack(pack);
    return index;
  }

  /** Number of distinct chunks. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Packs that hold at least one first copy. */
  get packCount(): number {
    return this.packIds.length;
  }

  /** Sum of the stored / plain lengths of the distinct chunks. */
  get uniqueStoredBytes(): number {
    return this.storedTotal;
  }

  get uniquePlainBytes(): number {
    return this.plainTotal;
  }

  addPack(pack: PackRecord): void {
    for (const blob of pack.blobs) {
      const key = idKeyOf(blob.id);
      if (this.slotOf.has(key)) continue;
      let packSlot = this.packSlotOf.get(pack.packId);
      if (packSlot === undefined) {
        packSlot = this.packIds.length;
        this.packIds.push(pack.packId);
        this.packSlotOf.set(pack.packId, packSlot);
      }
      const slot = this.slotOf.size;
      if (slot === this.offsets.length) this.grow();
      this.slotOf.set(key, slot);
      this.packOf[slot] = packSlot;
      this.offsets[slot] = blob.offset;
      this.storedLengths[slot] = blob.storedLength;
      this.plainLengths[slot] = blob.plainLength;
      this.flags[slot] = (blob.compressed ? FLAG_COMPRESSED : 0) | (blob.type === 'list' ? FLAG_LIST : 0);
      this.storedTotal += blob.storedLength;
      this.plainTotal += blob.plainLength;
      if (this.slotOf.size > this.bloom.capacity) this.rebuildBloom();
      this.bloom.add(blob.id);
    }
  }

  /** The bloom filter answers most misses; only possible hits reach the Map. */
  has(id: Buffer): boolean {
    return this.bloom.mightContain(id) && this.slotOf.has(idKeyOf(id));
  }

  lookup(id: Buffer): BlobLocation | undefined {
    return this.lookupKey(idKeyOf(id));
  }

  /** By latin1 id key (see object-ids.ts). */
  lookupKey(key: string): BlobLocation | undefined {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return undefined;
    const flags = this.flags[slot]!;
    return {
      packId: this.packIds[this.packOf[slot]!]!,
      offset: this.offsets[slot]!,
      storedLength: this.storedLengths[slot]!,
      plainLength: this.plainLengths[slot]!,
      compressed: (flags & FLAG_COMPRESSED) !== 0,
      type: flags & FLAG_LIST ? 'list' : 'data',
    };
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const grown = <T extends Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.packOf = grown(this.packOf, (n) => new Uint32Array(n));
    this.offsets = grown(this.offsets, (n) => new Uint32Array(n));
    this.storedLengths = grown(this.storedLengths, (n) => new Uint32Array(n));
    this.plainLengths = grown(this.plainLengths, (n) => new Uint32Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
  }

  private rebuildBloom(): void {
    this.bloom = new BloomFilter(this.bloom.capacity * 2);
    for (const key of this.slotOf.keys()) this.bloom.add(Buffer.from(key, 'latin1'));
  }
}
