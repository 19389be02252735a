import { readHeaderMember } from '../archive-reader.js';
import { openFileSource } from '../file-source.js';
import type { ArchiveHeader } from '../manifest-types.js';
import type { RandomAccessSource } from '../random-access-source.js';

/**
 * header.json alone (never encrypted): the engine, format, compression and encryption of an archive, without a
 * key and without reading the rest. Throws as ArchiveReader.open does for a file that is no (complete) archive.
 */
export async function readArchiveHeader(source: RandomAccessSource | string): Promise<ArchiveHeader> {
  const opened = typeof source === 'string' ? await openFileSource(source) : source;
  try {
    return await readHeaderMember(opened, await opened.size());
  } finally {
    if (typeof source === 'string') await opened.close();
  }
}
