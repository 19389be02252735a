import type { MemberEntry } from '../manifest-types.js';
import type { RandomAccessSource } from '../random-access-source.js';
import { BLOCK_SIZE, MAX_OCTAL_SIZE, parseHeaderBlock } from '../tar/tar-header.js';
import type { DiagnosisCheck } from './diagnosis-types.js';
import type { MemberOrigin } from './member-label.js';

const USTAR_NAME_BYTES = 100;

/**
 * The tar header block right before a member's body (checked only when the tar could not be walked): it must be a
 * valid header naming the member with the manifest's size. Long names and huge sizes live in a pax header further
 * back; the ustar block then carries a stand-in, so only what it can hold is compared.
 */
export async function checkMemberTarHeader(
  source: RandomAccessSource,
  entry: MemberEntry,
  origin: MemberOrigin,
): Promise<DiagnosisCheck> {
  const result = (status: 'ok' | 'failed', detail: string): DiagnosisCheck => ({
    check: 'tar-header',
    ...origin,
    status,
    detail,
  });
  if (entry.offset < BLOCK_SIZE) return result('failed', `the manifest records body offset ${entry.offset}`);
  const block = parseHeaderBlock(await source.read(entry.offset - BLOCK_SIZE, BLOCK_SIZE));
  if (block.kind !== 'entry') {
    const why = block.kind === 'invalid' ? block.reason : 'an end-of-archive block';
    return result('failed', `the tar header at byte ${entry.offset - BLOCK_SIZE} is damaged (${why})`);
  }
  const nameFits = Buffer.byteLength(entry.name, 'utf8') <= USTAR_NAME_BYTES;
  if (nameFits && block.name !== entry.name) {
    return result('failed', `the tar header before it names ${JSON.stringify(block.name)}, not this member`);
  }
  if (entry.storedSize <= MAX_OCTAL_SIZE && block.size !== entry.storedSize) {
    return result('failed', `the tar header records ${block.size} bytes but the manifest ${entry.storedSize}`);
  }
  return result('ok', `valid, at byte ${entry.offset - BLOCK_SIZE}`);
}
