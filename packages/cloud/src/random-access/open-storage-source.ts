import { Readable } from 'node:stream';
import type { RandomAccessSource } from '@dbbackup/archive';
import type { StorageBackend } from '../storage-backend.js';
import { rangeChunks } from './range-chunks.js';
import { RangedReadsUnsupportedError } from './ranged-reads-unsupported-error.js';

/**
 * An object in a backend as a RandomAccessSource for @dbbackup/archive: every read is a ranged get, so parallel
 * restore workers stream different members of one archive at once without downloading it. Stats the object once
 * (NotFoundError if it is missing). close() releases nothing of the backend's: its owner closes the backend.
 * Throws RangedReadsUnsupportedError when the backend cannot read ranges (download the archive first then).
 */
export async function openStorageSource(backend: StorageBackend, key: string): Promise<RandomAccessSource> {
  const description = `${backend.description.replace(/\/$/, '')}/${key}`;
  if (!backend.capabilities.rangedReads) throw new RangedReadsUnsupportedError(backend.kind, description);
  const { size } = await backend.stat(key);

  /** The part of [offset, offset + length) that lies inside the object. */
  const clamp = (offset: number, length: number): number => Math.max(0, Math.min(length, size - offset));

  return {
    description,

    async size() {
      return size;
    },

    async read(offset, length) {
      const wanted = clamp(offset, length);
      const buffer = Buffer.allocUnsafe(wanted);
      let filled = 0;
      if (wanted > 0) {
        for await (const chunk of rangeChunks(backend, key, offset, wanted)) {
          chunk.copy(buffer, filled);
          filled += chunk.length;
        }
      }
      return filled === wanted ? buffer : buffer.subarray(0, filled);
    },

    createReadStream(offset, length) {
      const wanted = clamp(offset, length);
      if (wanted === 0) return Readable.from([], { objectMode: false });
      return Readable.from(rangeChunks(backend, key, offset, wanted), { objectMode: false });
    },

    async close() {},
  };
}
