import { randomInt } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Splits a buffer into pieces of random length 1..maxChunk, like an unpredictable producer would write it. */
export function randomChunks(data: Buffer, maxChunk = 100_000): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const size = Math.min(randomInt(1, maxChunk + 1), data.length - offset);
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Pushes the chunks through the transform and returns everything it emitted. */
export async function runTransform(transform: Transform, chunks: Buffer[]): Promise<Buffer> {
  const output: Buffer[] = [];
  await pipeline(Readable.from(chunks, { objectMode: false }), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) output.push(chunk);
  });
  return Buffer.concat(output);
}

/** Like runTransform, but reports what was emitted before the failure instead of throwing it. */
export async function runTransformCatching(
  transform: Transform,
  chunks: Buffer[],
): Promise<{ emitted: number; error: unknown }> {
  let emitted = 0;
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), transform, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) emitted += chunk.length;
    });
    return { emitted, error: undefined };
  } catch (error) {
    return { emitted, error };
  }
}
