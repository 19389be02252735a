export { ArchiveReader, type ArchiveReaderOptions, type KeyProvider, type VerifyOptions } from './archive-reader.js';
export {
  ArchiveStreamReader,
  type ArchiveStreamReaderOptions,
  type ArchiveStreamResult,
  verifyArchiveStream,
} from './archive-stream-reader.js';
export { type ArchiveWriteResult, ArchiveWriter, type ArchiveWriterOptions } from './archive-writer.js';
export { diagnoseArchive } from './diagnose/diagnose-archive.js';
export type {
  ArchiveDiagnosis,
  DamagedMember,
  DiagnoseOptions,
  DiagnosisCheck,
  DiagnosisCheckName,
  DiagnosisStatus,
  MemberDiagnosis,
  RowVerifier,
  RowVerifierFactory,
} from './diagnose/diagnosis-types.js';
export { readArchiveHeader } from './diagnose/read-archive-header.js';
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
export { type DetectedDump, detectDumpKind } from './foreign-dumps/detect-dump-kind.js';
export type {
  DumpCheck,
  DumpCheckName,
  DumpInspection,
  DumpKind,
  DumpProducer,
} from './foreign-dumps/dump-inspection-types.js';
export { inspectDumpFile } from './foreign-dumps/inspect-dump-file.js';
export { FORMAT_VERSION, HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from './format.js';
export { archiveHeaderSchema, manifestSchema, memberEntrySchema, memberMetaSchema } from './manifest-schema.js';
export type {
  ArchiveHeader,
  BackupSource,
  CompressionSettings,
  Manifest,
  ManifestFields,
  MemberEntry,
  MemberKind,
  MemberMeta,
} from './manifest-types.js';
export { MemberScratch } from './member-buffer.js';
export type { EncodedMember, MemberBody } from './member-encoder.js';
export type { RandomAccessSource } from './random-access-source.js';
