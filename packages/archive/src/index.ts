export { ArchiveReader, type ArchiveReaderOptions, type KeyProvider, type VerifyOptions } from './archive-reader.js';
export {
  ArchiveStreamReader,
  type ArchiveStreamReaderOptions,
  type ArchiveStreamResult,
  verifyArchiveStream,
} from './archive-stream-reader.js';
export { type ArchiveWriteResult, ArchiveWriter, type ArchiveWriterOptions } from './archive-writer.js';
export * from './engine-contract.js';
export {
  ArchiveError,
  ArchiveExistsError,
  ArchiveFormatError,
  ArchiveWriterStateError,
  ChecksumMismatchError,
  IncompleteBackupError,
  UnsupportedFormatError,
} from './errors.js';
export { openFileSource } from './file-source.js';
export { FORMAT_VERSION, HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from './format.js';
export { archiveHeaderSchema, manifestSchema, memberEntrySchema, memberMetaSchema } from './manifest-schema.js';
export type {
  ArchiveHeader,
  CompressionSettings,
  Manifest,
  ManifestFields,
  MemberEntry,
  MemberKind,
  MemberMeta,
} from './manifest-types.js';
export type { EncodedMember, MemberBody } from './member-encoder.js';
export type { RandomAccessSource } from './random-access-source.js';
