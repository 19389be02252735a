export {
  type ArchivedDatabase,
  type ArchivedTable,
  describeArchive,
  ENGINE_NAME,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  LABEL_SEQUENCE_VALUES,
  type PgManifestExtra,
  type PostgresArchive,
} from './archive-layout.js';
export { backupDatabase, type PgBackupOptions } from './backup/backup-database.js';
export { DEFAULT_PART_SIZE_BYTES, DEFAULT_SPLIT_THRESHOLD_BYTES } from './backup/work-plan.js';
export { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
export { addChecksums, checksumCopyText, EMPTY_CHECKSUM, RowChecksum } from './checksum/row-checksum.js';
export { resolveTarget } from './connection/connection-target.js';
export {
  CleanRequiresConfirmError,
  DatabaseExistsError,
  DatabaseNotFoundError,
  IncompleteRestoreError,
  NotDurableError,
  PgConnectionError,
  PgEngineError,
  TargetNotEmptyError,
  UnsuitableArchiveError,
  UnsupportedServerVersionError,
} from './errors.js';
export { createPostgresEngine } from './postgres-engine.js';
export { type PgRestoreOptions, restoreDatabase } from './restore/restore-database.js';
export {
  AclParseError,
  DatabaseNotFoundError as SchemaDatabaseNotFoundError,
  DependencyCycleError,
  databaseCreateSql,
  dumpGlobals,
  dumpSchema,
  type GlobalsDumpOptions,
  type LargeObjectInfo,
  largeObjectCreateSql,
  type PostDataItem,
  type PostDataKind,
  RESTORE_SESSION_SETUP,
  RolePasswordsUnreadableError,
  type SchemaDump,
  SchemaDumpError,
  type SchemaDumpOptions,
  type SqlStatements,
  type TableDataInfo,
  UnsupportedServerVersionError as SchemaUnsupportedServerVersionError,
} from './schema/index.js';
export { checksumTable } from './verify/table-checksum.js';
export { verifyRestore } from './verify/verify-restore.js';
