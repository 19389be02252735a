import { resolveBlockCompression } from './compress-stream.js';
import type { CompressionOptions } from './compression-options.js';

/**
 * Compresses a whole in-memory buffer into the same concatenated blocks createCompressStream would emit, without
 * copying it: the blocks are views of `input`, compressed up to maxBlocksInFlight at once on the thread pool. For
 * `none` the result is `[input]` itself. `input` must not change until the promise settles.
 */
export async function compressBuffer(input: Buffer, options: CompressionOptions): Promise<Buffer[]> {
  const blocks = resolveBlockCompression(options);
  if (!blocks) return input.length > 0 ? [input] : [];
  const { codec, blockSize, maxBlocksInFlight } = blocks;
  // An empty input still produces one (empty) member/frame: gunzip and zstd reject a zero-byte file.
  const count = Math.max(1, Math.ceil(input.length / blockSize));
  const outputs: Buffer[] = new Array(count);
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    let finished = 0;
    let failure: Error | null = null;
    const launch = () => {
      while (!failure && running < maxBlocksInFlight && next < count) {
        const index = next++;
        running++;
        codec(input.subarray(index * blockSize, (index + 1) * blockSize), (error, compressed) => {
          running--;
          failure ??= error;
          if (failure) {
            // Settle only when no block reads `input` any more, so the caller may reuse it at once.
            if (running === 0) reject(failure);
            return;
          }
          outputs[index] = compressed;
          if (++finished === count) resolve();
          else launch();
        });
      }
    };
    launch();
  });
  return outputs;
}
