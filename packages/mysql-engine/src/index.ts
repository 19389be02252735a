/**
 * @dbbackup/mysql-engine: native MySQL/MariaDB logical backup and restore on the dbbackup archive format, without
 * mysqldump, mydumper or the mysql client.
 */

export { addChecksums, checksumLines, EMPTY_CHECKSUM, RowChecksum, SinkWriter } from '@dbbackup/engine-kit';
export {
  type ArchivedTable,
  describeArchive,
  ENGINE_NAMES,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  type MysqlArchive,
  type MysqlManifestExtra,
} from './archive-layout.js';
export {
  backupDatabase,
  type DumpedDatabase,
  dumpDatabaseInto,
  type MysqlBackupOptions,
} from './backup/backup-database.js';
export {
  ESCAPES,
  encodeProtocolRow,
  LOAD_DATA_FORMAT_CLAUSES,
  maxEncodedLength,
} from './backup/load-data-format.js';
export { type EncodedPart, PartEncoder, type PartEncoderOptions, type RowFlow } from './backup/part-encoder.js';
export { type RawRowSink, readRawRows, UnsupportedDriverError } from './backup/raw-rows.js';
export { type RowsToPartsOptions, readRowsToParts } from './backup/rows-to-parts.js';
export { columnExpression, parseEnumMembers, type TableReadSpec, tableReadSpec } from './backup/select-list.js';
export { type BinlogPosition, type SnapshotResult, startConsistentSnapshot } from './backup/snapshot.js';
export { DEFAULT_PART_SIZE_BYTES, DEFAULT_SPLIT_THRESHOLD_BYTES, selectSql } from './backup/work-plan.js';
export { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
export { backupCluster, type MysqlClusterBackupOptions, SYSTEM_DATABASES } from './cluster/backup-cluster.js';
export {
  CLUSTER_CONSISTENCY_NOTE,
  describeClusterArchive,
  describeClusterDatabase,
  LABEL_GLOBALS,
  type MysqlAccountName,
  type MysqlClusterArchive,
  type MysqlClusterDatabaseExtra,
  type MysqlClusterManifestExtra,
  selectDatabaseArchive,
} from './cluster/cluster-layout.js';
export { ClusterRestoreError, ClusterTargetNotEmptyError, GlobalsRestoreError } from './cluster/errors.js';
export { type MysqlClusterRestoreOptions, restoreCluster } from './cluster/restore-cluster.js';
export { closeQuietly, connect, type MysqlSession } from './connection/connect.js';
export { resolveTarget } from './connection/connection-target.js';
export { prepareReadSession, readSessionSettings } from './connection/read-session.js';
export {
  MINIMUM_MARIADB_VERSION_NUM,
  MINIMUM_MYSQL_VERSION_NUM,
  type MysqlServerVersion,
  readServerVersion,
} from './connection/server-version.js';
export {
  CleanRequiresConfirmError,
  DatabaseExistsError,
  DatabaseNotFoundError,
  DataLoadError,
  IncompleteRestoreError,
  MysqlConnectionError,
  MysqlEngineError,
  TargetNotEmptyError,
  UnsuitableArchiveError,
  UnsupportedServerVersionError,
} from './errors.js';
export { createMysqlEngine } from './mysql-engine.js';
export { checkBackupPrivileges } from './privileges/check-backup-privileges.js';
export { Grants, type ParsedGrant, parseGrantLine } from './privileges/grants.js';
export { LocalInfileDisabledError, loadDataMember } from './restore/load-data.js';
export { type MysqlRestoreOptions, restoreDatabase } from './restore/restore-database.js';
export { type ForeignKeyEdge, readForeignKeys } from './sample/foreign-keys.js';
export { KEY_BATCH_SIZE, planSample, type SamplePlan, type SampleSummary } from './sample/sample-plan.js';
export { InvalidSampleError, validateSample } from './sample/sample-spec.js';
export * from './schema/index.js';
export { appendRowLiterals, type LiteralKind, literalKind } from './sql-script/sql-literals.js';
export { DEFAULT_MAX_INSERT_BYTES, writeTableInserts } from './sql-script/table-inserts.js';
export { type MysqlSqlScriptOptions, writeSqlScript } from './sql-script/write-sql-script.js';
export { checksumTable } from './verify/table-checksum.js';
export { type MysqlVerifyRestoreOptions, verifyRestore } from './verify/verify-restore.js';
