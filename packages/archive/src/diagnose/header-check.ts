import { readHeaderMember } from '../archive-reader.js';
import { ArchiveFormatError, IncompleteBackupError, UnsupportedFormatError } from '../errors.js';
import { HEADER_MEMBER_NAME } from '../format.js';
import type { ArchiveHeader } from '../manifest-types.js';
import type { RandomAccessSource } from '../random-access-source.js';
import type { DiagnosisCheck } from './diagnosis-types.js';

export type HeaderCheckResult =
  | { ok: true; header: ArchiveHeader; check: DiagnosisCheck }
  /** `damaged`: header.json is there but its bytes are wrong; `incomplete`: the file ends inside it. */
  | { ok: false; check: DiagnosisCheck; damaged: boolean; incomplete: boolean };

/** header.json: a tar member first in the file, a dbbackup header of a format this version reads. */
export async function checkHeader(source: RandomAccessSource, size: number): Promise<HeaderCheckResult> {
  const check = (status: 'ok' | 'failed', detail: string): DiagnosisCheck => ({
    check: 'header',
    member: HEADER_MEMBER_NAME,
    status,
    detail,
  });
  try {
    const header = await readHeaderMember(source, size);
    return { ok: true, header, check: check('ok', describeHeader(header)) };
  } catch (error) {
    if (error instanceof IncompleteBackupError) {
      return {
        ok: false,
        check: check('failed', `the file ends inside ${HEADER_MEMBER_NAME}: the backup never finished`),
        damaged: false,
        incomplete: true,
      };
    }
    if (error instanceof UnsupportedFormatError || error instanceof ArchiveFormatError) {
      return {
        ok: false,
        check: check('failed', error.message),
        damaged: error instanceof ArchiveFormatError,
        incomplete: false,
      };
    }
    throw error;
  }
}

function describeHeader(header: ArchiveHeader): string {
  const encryption = header.encryption
    ? `encrypted (${header.encryption.algorithm}, key id ${header.encryption.keyId}${header.encryption.kdf ? ', passphrase' : ''})`
    : 'not encrypted';
  return (
    `dbbackup archive format ${header.formatVersion}, engine ${header.engine}, written by dbbackup ` +
    `${header.toolVersion} at ${header.createdAt}, ${header.compression.algorithm} level ${header.compression.level}, ${encryption}`
  );
}
