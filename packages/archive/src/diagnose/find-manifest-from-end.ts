/**
 * Finds manifest.json by scanning tar header blocks backwards from the end of the file. Used only when walking the
 * tar from the start fails (a damaged member header stops the walk): the manifest, written last, usually survives,
 * and with it every other member can still be checked.
 */
import { MANIFEST_MEMBER_NAME } from '../format.js';
import type { RandomAccessSource } from '../random-access-source.js';
import { BLOCK_SIZE, parseHeaderBlock } from '../tar/tar-header.js';

/** How far back to look: the manifest takes about 300 bytes per member, so this covers archives of ~800k members. */
export const MANIFEST_SCAN_LIMIT = 256 * 1024 * 1024;
const WINDOW = 1024 * 1024;
const NAME_PREFIX = Buffer.from(`${MANIFEST_MEMBER_NAME}\u0000`, 'latin1');

/** The manifest's body position (members are 512-byte aligned from the start of the file), or undefined. */
export async function findManifestFromEnd(
  source: RandomAccessSource,
  size: number,
): Promise<{ offset: number; size: number } | undefined> {
  const lastBlock = Math.floor((size - BLOCK_SIZE) / BLOCK_SIZE) * BLOCK_SIZE;
  const lowest = Math.max(0, size - MANIFEST_SCAN_LIMIT);
  for (let windowEnd = lastBlock + BLOCK_SIZE; windowEnd > lowest; windowEnd -= WINDOW) {
    const windowStart = Math.max(lowest - (lowest % BLOCK_SIZE), windowEnd - WINDOW);
    const window = await source.read(windowStart, windowEnd - windowStart);
    for (let at = window.length - BLOCK_SIZE; at >= 0; at -= BLOCK_SIZE) {
      if (!window.subarray(at, at + NAME_PREFIX.length).equals(NAME_PREFIX)) continue;
      const block = parseHeaderBlock(window.subarray(at, at + BLOCK_SIZE));
      const bodyOffset = windowStart + at + BLOCK_SIZE;
      if (block.kind === 'entry' && block.name === MANIFEST_MEMBER_NAME && bodyOffset + block.size <= size) {
        return { offset: bodyOffset, size: block.size };
      }
    }
    if (windowStart <= lowest) break;
  }
  return undefined;
}
