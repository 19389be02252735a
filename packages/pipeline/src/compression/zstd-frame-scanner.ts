import { CorruptCompressedDataError } from '../errors.js';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICTIONARY_ID_SIZES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_SIZES = [0, 2, 4, 8] as const;

type Field = 'magic' | 'skippable-size' | 'frame-header-descriptor' | 'frame-header-rest' | 'block-header';

/**
 * Finds where zstd frames end (RFC 8878) by walking frame and block headers, without decompressing.
 *
 * Why: node:zlib's zstd decoder treats the end of a frame as the end of the stream when more input follows in the
 * same write, silently dropping every later frame (nodejs/node#64741). Splitting writes at frame ends avoids that.
 * Work is one small header per block (<= 128 KiB), so this costs next to nothing.
 */
export class ZstdFrameScanner {
  private field: Field = 'magic';
  private readonly fieldBytes = Buffer.alloc(16);
  private fieldFilled = 0;
  private fieldLength = 4;
  /** Bytes of block body or skippable frame still to step over. */
  private skip = 0;
  private lastBlock = false;
  private hasChecksum = false;
  /** After the last block: whether the 4-byte checksum still ends the frame. */
  private frameEndsAfterSkip = false;
  private position = 0;

  /** True when the bytes seen so far are whole frames (also before any input). */
  get atFrameBoundary(): boolean {
    return this.field === 'magic' && this.fieldFilled === 0 && this.skip === 0 && !this.frameEndsAfterSkip;
  }

  /** Offsets inside `chunk` just after each frame that ends in it, in order. Throws CorruptCompressedDataError. */
  scan(chunk: Buffer): number[] {
    const frameEnds: number[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, chunk.length - offset);
        this.skip -= step;
        offset += step;
        if (this.skip === 0 && this.frameEndsAfterSkip) {
          this.frameEndsAfterSkip = false;
          frameEnds.push(offset);
        }
        continue;
      }
      const wanted = this.fieldLength - this.fieldFilled;
      const copied = chunk.copy(this.fieldBytes, this.fieldFilled, offset, offset + wanted);
      this.fieldFilled += copied;
      offset += copied;
      if (this.fieldFilled < this.fieldLength) break;
      this.fieldFilled = 0;
      if (this.onField(this.position + offset)) frameEnds.push(offset);
    }
    this.position += chunk.length;
    return frameEnds;
  }

  private expect(field: Field, length: number): void {
    this.field = field;
    this.fieldLength = length;
  }

  /** Decodes the completed field; returns true when it completed a frame. */
  private onField(streamOffset: number): boolean {
    const bytes = this.fieldBytes;
    switch (this.field) {
      case 'magic': {
        const magic = bytes.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) {
          this.expect('frame-header-descriptor', 1);
          return false;
        }
        if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
          this.expect('skippable-size', 4);
          return false;
        }
        throw new CorruptCompressedDataError(
          `not zstd data at byte ${streamOffset - 4} (magic 0x${magic.toString(16).padStart(8, '0')}): ` +
            'the file is damaged or was written with another compression',
        );
      }
      case 'skippable-size':
        return this.skipThenEndFrame(bytes.readUInt32LE(0));
      case 'frame-header-descriptor': {
        const descriptor = bytes[0]!;
        const singleSegment = (descriptor & 0x20) !== 0;
        this.hasChecksum = (descriptor & 0x04) !== 0;
        if ((descriptor & 0x08) !== 0) {
          throw new CorruptCompressedDataError(
            `damaged zstd frame header at byte ${streamOffset - 1} (reserved bit set): the file is corrupt`,
          );
        }
        const contentSizeFlag = descriptor >> 6;
        const contentSizeBytes = contentSizeFlag === 0 && singleSegment ? 1 : CONTENT_SIZE_SIZES[contentSizeFlag]!;
        const rest = (singleSegment ? 0 : 1) + DICTIONARY_ID_SIZES[descriptor & 0x03]! + contentSizeBytes;
        if (rest === 0) {
          this.expect('block-header', 3);
        } else {
          this.expect('frame-header-rest', rest);
        }
        return false;
      }
      case 'frame-header-rest':
        this.expect('block-header', 3);
        return false;
      case 'block-header': {
        const header = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
        this.lastBlock = (header & 1) === 1;
        const blockType = (header >> 1) & 3;
        const blockSize = header >>> 3;
        if (blockType === 3) {
          throw new CorruptCompressedDataError(
            `damaged zstd block header at byte ${streamOffset - 3} (reserved block type): the file is corrupt`,
          );
        }
        const bodyLength = blockType === 1 ? 1 : blockSize;
        if (!this.lastBlock) {
          this.skip = bodyLength;
          return false;
        }
        return this.skipThenEndFrame(bodyLength + (this.hasChecksum ? 4 : 0));
      }
    }
  }

  private skipThenEndFrame(length: number): boolean {
    this.expect('magic', 4);
    if (length === 0) return true;
    this.skip = length;
    this.frameEndsAfterSkip = true;
    return false;
  }
}
