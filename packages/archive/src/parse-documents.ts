/**
 * Turns the bytes of header.json / manifest.json into validated objects. The format version is checked before the
 * schema, so a backup from a newer dbbackup says "upgrade" instead of listing fields this version does not know.
 */
import { ArchiveFormatError, UnsupportedFormatError, unsupportedVersionError } from './errors.js';
import { ARCHIVE_FORMAT_NAME, FORMAT_VERSION, HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from './format.js';
import { archiveHeaderSchema, describeIssues, manifestSchema } from './manifest-schema.js';
import type { ArchiveHeader, Manifest } from './manifest-types.js';

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function checkVersion(document: unknown): void {
  const version = (document as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > FORMAT_VERSION) throw unsupportedVersionError(version, FORMAT_VERSION);
}

export function parseHeaderDocument(bytes: Buffer, description: string): ArchiveHeader {
  const document = parseJson(bytes);
  if (
    typeof document !== 'object' ||
    document === null ||
    (document as { format?: unknown }).format !== ARCHIVE_FORMAT_NAME
  ) {
    throw new UnsupportedFormatError(
      `not a dbbackup archive: ${description} has a ${HEADER_MEMBER_NAME} that is not a dbbackup header; check the file name`,
    );
  }
  checkVersion(document);
  const result = archiveHeaderSchema.safeParse(document);
  if (!result.success) {
    throw new ArchiveFormatError(
      `backup ${description} has an invalid ${HEADER_MEMBER_NAME} (${describeIssues(result.error)}); the file is damaged`,
    );
  }
  return result.data;
}

export function parseManifestDocument(bytes: Buffer, description: string): Manifest {
  const document = parseJson(bytes);
  if (typeof document !== 'object' || document === null) {
    throw new ArchiveFormatError(
      `backup ${description} has a ${MANIFEST_MEMBER_NAME} that is not JSON; the file is damaged`,
    );
  }
  checkVersion(document);
  const result = manifestSchema.safeParse(document);
  if (!result.success) {
    throw new ArchiveFormatError(
      `backup ${description} has an invalid ${MANIFEST_MEMBER_NAME} (${describeIssues(result.error)}); the file is damaged`,
    );
  }
  return result.data;
}
