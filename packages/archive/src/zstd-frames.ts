/**
 * Splits a buffer of concatenated zstd frames (RFC 8878) into its frames by walking frame and block headers,
 * without decompressing.
 *
 * Why: node:zlib's one-shot zstdDecompress stops at the end of the first frame and silently drops the rest
 * (nodejs/node#64741), and our writer emits one frame per 2 MiB block. Decoding frame by frame avoids that; the
 * walk costs one small header per block (<= 128 KiB of data).
 */
const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICTIONARY_ID_SIZES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_SIZES = [0, 2, 4, 8] as const;
const BLOCK_HEADER_SIZE = 3;
const CHECKSUM_SIZE = 4;

/** Frame headers that cannot be walked; the caller decides what that means (its bytes passed their sha256). */
export class ZstdFrameError extends Error {
  override name = 'ZstdFrameError';
}

export interface ZstdFrame {
  bytes: Buffer;
  /** Decoded size as the frame header records it (our writer always records it); undefined when absent. */
  contentSize: number | undefined;
}

/** The zstd frames of `data`, in order (skippable frames are left out); throws ZstdFrameError on a bad header. */
export function splitZstdFrames(data: Buffer): ZstdFrame[] {
  const frames: ZstdFrame[] = [];
  let offset = 0;
  const need = (end: number, what: string) => {
    if (end > data.length) throw new ZstdFrameError(`zstd data ends inside a ${what} at byte ${offset}`);
  };
  while (offset < data.length) {
    need(offset + 4, 'frame magic');
    const magic = data.readUInt32LE(offset);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(offset + 8, 'skippable frame header');
      const end = offset + 8 + data.readUInt32LE(offset + 4);
      need(end, 'skippable frame');
      offset = end;
      continue;
    }
    if (magic !== ZSTD_MAGIC) {
      throw new ZstdFrameError(`not zstd data at byte ${offset} (magic 0x${magic.toString(16).padStart(8, '0')})`);
    }
    const start = offset;
    need(offset + 5, 'frame header');
    const descriptor = data[offset + 4]!;
    if ((descriptor & 0x08) !== 0)
      throw new ZstdFrameError(`zstd frame header at byte ${offset} has a reserved bit set`);
    const singleSegment = (descriptor & 0x20) !== 0;
    const hasChecksum = (descriptor & 0x04) !== 0;
    const contentSizeFlag = descriptor >> 6;
    const contentSizeBytes = contentSizeFlag === 0 && singleSegment ? 1 : CONTENT_SIZE_SIZES[contentSizeFlag]!;
    const contentSizeAt = offset + 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_SIZES[descriptor & 0x03]!;
    offset = contentSizeAt + contentSizeBytes;
    need(offset, 'frame header');
    const contentSize = readContentSize(data, contentSizeAt, contentSizeBytes);
    for (let last = false; !last; ) {
      need(offset + BLOCK_HEADER_SIZE, 'block header');
      const header = data[offset]! | (data[offset + 1]! << 8) | (data[offset + 2]! << 16);
      last = (header & 1) === 1;
      const blockType = (header >> 1) & 3;
      if (blockType === 3) throw new ZstdFrameError(`zstd block header at byte ${offset} has the reserved type`);
      offset += BLOCK_HEADER_SIZE + (blockType === 1 ? 1 : header >>> 3);
    }
    if (hasChecksum) offset += CHECKSUM_SIZE;
    need(offset, 'frame');
    frames.push({ bytes: data.subarray(start, offset), contentSize });
  }
  return frames;
}

/** Frame_Content_Size (RFC 8878 3.1.1.1.4): the 2-byte form is stored minus 256. */
function readContentSize(data: Buffer, at: number, length: number): number | undefined {
  if (length === 1) return data[at]!;
  if (length === 2) return data.readUInt16LE(at) + 256;
  if (length === 4) return data.readUInt32LE(at);
  if (length === 8) return Number(data.readBigUInt64LE(at));
  return undefined;
}
