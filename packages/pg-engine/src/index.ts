export { addChecksums, checksumLines as checksumCopyText, EMPTY_CHECKSUM, RowChecksum } from '@dbbackup/engine-kit';
export {
  type ArchivedDatabase,
  type ArchivedTable,
  type DatabaseProperties,
  describeArchive,
  ENGINE_NAME,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  LABEL_SEQUENCE_VALUES,
  type PgManifestExtra,
  type PostgresArchive,
  type SampleSummary,
} from './archive-layout.js';
export { backupDatabase, type PgBackupOptions } from './backup/backup-database.js';
export { DEFAULT_PART_SIZE_BYTES, DEFAULT_SPLIT_THRESHOLD_BYTES } from './backup/work-plan.js';
export { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
export { backupCluster, type PgClusterBackupOptions } from './cluster/backup-cluster.js';
export {
  CLUSTER_CONSISTENCY_NOTE,
  type ClusterDatabaseExtra,
  describeClusterArchive,
  describeClusterDatabase,
  LABEL_GLOBALS,
  type PgClusterManifestExtra,
  type PostgresClusterArchive,
  selectDatabaseArchive,
} from './cluster/cluster-layout.js';
export {
  applyDatabaseProperties,
  databasePropertiesSql,
  readDatabaseProperties,
} from './cluster/database-properties.js';
export { ClusterRestoreError, ClusterTargetNotEmptyError, DatabaseNotConnectableError } from './cluster/errors.js';
export { type PgClusterRestoreOptions, restoreCluster } from './cluster/restore-cluster.js';
export { GlobalsRestoreError } from './cluster/restore-globals.js';
export { verifyAnyRestore } from './cluster/verify-cluster.js';
export { resolveTarget } from './connection/connection-target.js';
export {
  CleanRequiresConfirmError,
  DatabaseExistsError,
  DatabaseNotFoundError,
  IncompleteRestoreError,
  LockTableFullError,
  NotDurableError,
  OperationAbortedError,
  PgConnectionError,
  PgEngineError,
  TargetNotEmptyError,
  UnsuitableArchiveError,
  UnsupportedServerVersionError,
} from './errors.js';
export { createPostgresEngine } from './postgres-engine.js';
export { checkBackupPrivileges } from './privileges/check-backup-privileges.js';
export { type PgRestoreOptions, restoreDatabase } from './restore/restore-database.js';
export { targetState } from './restore/target-state.js';
export { InvalidSampleError, validateSample } from './sample/sample-spec.js';
export {
  AclParseError,
  buildAclCommands,
  DependencyCycleError,
  databaseCreateSql,
  dumpGlobals,
  dumpSchema,
  type GlobalsDumpOptions,
  type LargeObjectInfo,
  largeObjectCreateSql,
  type PostDataItem,
  type PostDataKind,
  type PreDataItem,
  PreDataScriptError,
  parseAclItem,
  parsePgArray,
  Quoter,
  quoteLiteral,
  RESTORE_SESSION_SETUP,
  RolePasswordsUnreadableError,
  type SchemaDump,
  SchemaDumpError,
  type SchemaDumpOptions,
  type SqlStatements,
  splitPreDataScript,
  splitSequenceValues,
  type TableDataInfo,
} from './schema/index.js';
export { writeSqlScript } from './sql-script/write-sql-script.js';
export { checksumTable } from './verify/table-checksum.js';
export { verifyRestore } from './verify/verify-restore.js';
