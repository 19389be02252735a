/**
 * Input blocks of the block compressors, recycled across streams. A backup whose members come as streams makes one
 * compressor per member (every data part), and fresh multi-MiB buffers fault on every page at first touch (measured
 * ~6 ms per MiB), which cost more than compressing them at zstd level 1; recycled blocks cost nothing.
 */

/** Free blocks kept per block size; a few streams' windows' worth. */
const MAX_FREE_BLOCKS = 16;

const free = new Map<number, Buffer[]>();

export function takeBlock(size: number): Buffer {
  return free.get(size)?.pop() ?? Buffer.allocUnsafe(size);
}

/** Gives a block back once nothing refers to its bytes any more. */
export function returnBlock(block: Buffer): void {
  let list = free.get(block.length);
  if (!list) {
    list = [];
    free.set(block.length, list);
  }
  if (list.length < MAX_FREE_BLOCKS) list.push(block);
}
