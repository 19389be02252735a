import { createHash, type Hash } from 'node:crypto';
import type { EncodedBlob } from '../format/blob-codec.js';
import type { PackRecord } from '../format/index-file.js';
import type { PackBlobEntry } from '../format/pack-format.js';
import { encodePackTail } from '../format/pack-header.js';
import { packName } from '../format/store-layout.js';
import { putBuffers } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';

/** Packs being uploaded while the next one fills: bounds memory at about (1 + this) × packSize. */
const UPLOADS_IN_FLIGHT = 2;

class OpenPack {
  readonly pieces: Buffer[] = [];
  readonly entries: PackBlobEntry[] = [];
  readonly hash: Hash = createHash('sha256');
  size = 0;

  add(blob: EncodedBlob): void {
    this.entries.push({
      id: blob.id,
      type: blob.type,
      compressed: blob.compressed,
      offset: this.size,
      storedLength: blob.stored.length,
      plainLength: blob.plainLength,
    });
    this.pieces.push(blob.stored);
    this.hash.update(blob.stored);
    this.size += blob.stored.length;
  }
}

/**
 * Collects encoded blobs into packs of about the store's packSize and uploads each when full, a couple at a time.
 * A pack's name is the sha256 of its bytes, so an upload repeated after a crash or retry writes the same object.
 * Stored packs are handed out (drainStored) for the index files, which must only be written after their packs.
 */
export class PackWriter {
  private readonly context: StoreContext;
  private readonly signal: AbortSignal | undefined;
  private current = new OpenPack();
  private readonly uploads = new Set<Promise<void>>();
  private stored: PackRecord[] = [];
  private failure: { error: unknown } | undefined;
  private readonly onStored: (record: PackRecord) => void;
  /** Bytes of packs uploaded so far (blobs + headers). */
  storedBytes = 0;
  packCount = 0;

  constructor(context: StoreContext, options: { signal?: AbortSignal; onStored?: (record: PackRecord) => void } = {}) {
    this.context = context;
    this.signal = options.signal;
    this.onStored = options.onStored ?? (() => undefined);
  }

  async add(blob: EncodedBlob): Promise<void> {
    this.throwIfFailed();
    this.current.add(blob);
    if (this.current.size >= this.context.config.packSize) await this.closePack();
  }

  /** Packs stored and not yet drained. */
  get storedCount(): number {
    return this.stored.length;
  }

  /** Packs stored since the last call. */
  drainStored(): PackRecord[] {
    const records = this.stored;
    this.stored = [];
    return records;
  }

  /** Closes the open pack and waits for every upload; throws the first upload error. */
  async finish(): Promise<void> {
    if (this.current.entries.length > 0) await this.closePack();
    await Promise.all(this.uploads);
    this.throwIfFailed();
  }

  /** After a failure or abort: lets uploads in flight settle (their packs become orphans for gc). */
  async abandon(): Promise<void> {
    await Promise.all(this.uploads);
  }

  private async closePack(): Promise<void> {
    const pack = this.current;
    this.current = new OpenPack();
    const tail = encodePackTail(this.context.codec, pack.entries);
    for (const piece of tail) pack.hash.update(piece);
    const packId = pack.hash.digest('hex');
    const size = pack.size + tail[0]!.length + tail[1]!.length;
    while (this.uploads.size >= UPLOADS_IN_FLIGHT) await Promise.race(this.uploads);
    this.throwIfFailed();
    const upload = putBuffers(
      this.context.backend,
      `${this.context.prefix}${packName(packId)}`,
      [...pack.pieces, ...tail],
      this.signal,
    ).then(
      () => {
        const record: PackRecord = { packId, size, blobs: pack.entries };
        this.stored.push(record);
        this.storedBytes += size;
        this.packCount++;
        this.onStored(record);
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const tracked = upload.finally(() => this.uploads.delete(tracked));
    this.uploads.add(tracked);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
