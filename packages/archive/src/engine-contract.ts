/**
 * The contract every database engine implements (PostgreSQL now, MySQL/MariaDB later), so the apps compose an engine
 * with an archive writer/reader and never branch on the engine type beyond choosing it.
 *
 * Types only: engines import this file; nothing here opens a connection. Passwords never appear in these options:
 * they come from the environment (PGPASSWORD, MYSQL_PWD) or the client's password file (.pgpass, option files).
 */
import type { Writable } from 'node:stream';
import type { ArchiveReader, ArchiveWriter, Manifest } from './index.js';

/** Where the server is. A password is deliberately not an option (see above). */
export interface ConnectionOptions {
  host?: string;
  port?: number;
  user?: string;
  /** Unix socket directory (or the socket file itself); takes precedence over host. */
  socket?: string;
  /** Database used for server-level queries (listing, CREATE DATABASE); each engine has a default. */
  database?: string;
}

/** Structured logging sink; engines never write to stdout/stderr themselves. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export type EnginePhase = 'connect' | 'schema' | 'data' | 'large-objects' | 'post-data' | 'analyze' | 'verify' | 'done';

/** Cumulative progress, reported at phase changes and at most every few hundred milliseconds in between. */
export interface EngineProgress {
  phase: EnginePhase;
  tablesDone: number;
  tablesTotal: number;
  rows: number;
  /** Plain (uncompressed) data bytes processed so far. */
  bytes: number;
  /** Estimated plain bytes in total, when known. */
  bytesTotal: number | null;
}
export type ProgressCallback = (progress: EngineProgress) => void;

/** Options every operation shares. */
export interface OperationOptions {
  connection: ConnectionOptions;
  /** Parallel connections for data and index work (default 1). */
  jobs?: number;
  logger?: Logger;
  onProgress?: ProgressCallback;
  /**
   * Stops the operation (Ctrl-C). The engine cancels its running queries, rolls back, drops a database it created
   * (always the verify-restore database), aborts the archive writer or the SQL script sink, and then rejects with
   * its aborted error (PostgreSQL: OperationAbortedError). A restore into an existing database that was aborted
   * after it started changing it leaves that database incomplete, and the error says so.
   */
  signal?: AbortSignal;
}

export interface ServerVersion {
  /** Human version string, e.g. "15.4". */
  version: string;
  /** Numeric version, e.g. 150004 (PostgreSQL's server_version_num; MySQL: major*10000+minor*100+patch). */
  versionNum: number;
  /** Full server banner (SELECT version()). */
  banner: string;
}

export interface DatabaseInfo {
  name: string;
  sizeBytes: number;
}

export interface SizeEstimate {
  database: string;
  /** Estimated plain bytes of table data. */
  dataBytes: number;
  /** Total on-disk size of the database, indexes included. */
  totalBytes: number;
  tables: number;
  rows: number;
}

/**
 * What a restore would find in its target database, so a dry run can refuse exactly what the restore refuses: a
 * restore without `create` needs an existing database and, unless `confirm`, an empty one; with `create` the
 * database must not exist.
 */
export interface TargetState {
  database: string;
  exists: boolean;
  /** No user objects: a restore without `confirm` accepts it. False when the database does not exist. */
  empty: boolean;
  /** User objects by kind, only kinds present (engine-specific keys such as tables, views, functions, types). */
  objects: Record<string, number>;
  totalObjects: number;
  /** The counts in words, e.g. "12 tables, 3 views, 1 function"; "no objects" when empty, "does not exist". */
  summary: string;
}

export interface BackupOptions extends OperationOptions {
  /** The database to back up. */
  database: string;
  /** An archive writer the app created (file, stdout or cloud upload); the engine finishes it, or aborts it on error. */
  writer: ArchiveWriter;
}

/**
 * A reduced copy of a database that still restores with every foreign key intact: each table contributes its own
 * deterministic sample, and the rows those rows reference (transitively, self-references included) are added.
 * percent: `value` percent of each table's rows (0 < value <= 100); rows: the first `value` rows of each table in
 * primary-key order (a positive integer).
 */
export interface SampleSpec {
  strategy: 'percent' | 'rows';
  value: number;
}

export interface SampleBackupOptions extends BackupOptions {
  sample: SampleSpec;
}

export interface BackupResult {
  manifest: Manifest;
  /** Archive bytes written. */
  bytes: number;
  /** sha256 of the whole archive. */
  sha256: string;
  /** Final path when the writer was a file writer. */
  path?: string;
  tables: number;
  rows: number;
  /** Plain bytes of table data. */
  dataBytes: number;
  durationMs: number;
  warnings: string[];
}

/**
 * safe: everything logged and synchronously committed (default).
 * balanced: synchronous_commit off on restore sessions; durable once the server flushed its WAL (milliseconds).
 * turbo: balanced, plus tables are loaded UNLOGGED and switched to LOGGED afterwards; always ends durable.
 */
export type RestoreMode = 'safe' | 'balanced' | 'turbo';

export interface RestoreOptions extends OperationOptions {
  /** An opened archive (the data key is already unwrapped, so a wrong key fails before any database is touched). */
  reader: ArchiveReader;
  /** Target database name. */
  database: string;
  /** Cluster archives: which of the archive's databases to restore (required for them, must match otherwise). */
  sourceDatabase?: string;
  /**
   * Create the target database; fails if it already exists. The source database's owner, comment, privileges,
   * connection settings and ALTER DATABASE / ALTER ROLE ... IN DATABASE settings are applied to it at the end.
   */
  create?: boolean;
  /** Drop the target's existing objects first (requires confirm). */
  clean?: boolean;
  /** Allow restoring into an existing, non-empty database. */
  confirm?: boolean;
  mode?: RestoreMode;
  /** Glob patterns (`user*`, `billing.payment*`) of tables restored first, data and indexes, before all others. */
  criticalTables?: string[];
}

export interface RestoreResult {
  database: string;
  created: boolean;
  mode: RestoreMode;
  tables: number;
  rows: number;
  /** Plain bytes of table data loaded. */
  dataBytes: number;
  durationMs: number;
  /** Qualified names of the tables matched by criticalTables. */
  criticalTables: string[];
  /** Milliseconds from start until the critical tables had their data and indexes; null without criticalTables. */
  criticalReadyMs: number | null;
  warnings: string[];
}

export interface VerifyRestoreOptions extends OperationOptions {
  reader: ArchiveReader;
  /** Cluster archives: verify only this database (default: every database of the archive, one after another). */
  sourceDatabase?: string;
}

export interface TableVerification {
  /** Cluster archives: the archive database the table belongs to. */
  database?: string;
  schema: string;
  name: string;
  expectedRows: number;
  actualRows: number;
  expectedChecksum: string;
  actualChecksum: string;
  ok: boolean;
}

export interface VerifyRestoreResult {
  ok: boolean;
  /** The temporary database used (already dropped); for a whole cluster archive, the temporary databases joined by ', '. */
  database: string;
  tables: TableVerification[];
  durationMs: number;
}

/**
 * Cluster-wide operations: the globals (roles with attributes and memberships, role settings, tablespaces) and then
 * every database, each with its own consistent snapshot (no engine can take one snapshot across databases).
 */
export interface ClusterBackupOptions extends OperationOptions {
  writer: ArchiveWriter;
  /** Databases to include; default all connectable non-template databases. */
  databases?: string[];
}
export interface ClusterRestoreOptions extends OperationOptions {
  reader: ArchiveReader;
  /**
   * Needed when the target is not (almost) empty: a database of the archive exists there and holds objects, or a role
   * of the archive exists (other than the restoring user), whose attributes the restore would change.
   */
  confirm?: boolean;
  mode?: RestoreMode;
  /** Restore only these databases of the archive (the globals are always restored). Default: all of them. */
  databases?: string[];
}
export interface ClusterRestoreResult {
  databases: RestoreResult[];
  durationMs: number;
  warnings: string[];
}

/** --dump-format sql: a psql/mysql-restorable script of one database, from one consistent snapshot. */
export interface SqlScriptOptions extends OperationOptions {
  database: string;
  /**
   * Receives the (uncompressed) script; the app adds compression. The engine ends it when the script is complete
   * (resolving once it has finished) and destroys it with the error when the script cannot be completed.
   */
  sink: Writable;
  /**
   * Write each table's rows sorted by its primary key (default false: the order the server reads them, PostgreSQL's
   * physical heap order, MySQL's natural order). Tables without a primary key keep that physical/natural order.
   * The script restores exactly as before, only the row order differs; it is for deduplicating stores, since heap
   * order shifts whenever free space is reused, so consecutive days' scripts share far fewer bytes without it.
   * Sorting costs an index scan or a sort per table on the server.
   */
  orderByPrimaryKey?: boolean;
}
export interface SqlScriptResult {
  /** Script bytes written to the sink. */
  bytes: number;
  tables: number;
  rows: number;
  durationMs: number;
  /** Objects the script could not include. */
  warnings: string[];
}

/**
 * What the connecting account may do, measured against what a backup needs (preflight and `backup --dry-run`).
 * `ok` is false exactly when `missing` is not empty: the backup would fail. `warnings` name what works but makes the
 * backup slower, less exact or less complete.
 */
export interface PrivilegeCheck {
  ok: boolean;
  /** The connecting role/account as the server sees it, e.g. "backup@localhost" or "postgres (superuser)". */
  account: string;
  /** One line: what was checked and found, e.g. "superuser" or "SELECT on all 14 tables, RELOAD, SHOW VIEW, ...". */
  detail: string;
  /**
   * What is missing, each actionable: `SELECT on table public."orders" (GRANT SELECT ON ... TO ...)`. At most ~20
   * listed, then "and N more".
   */
  missing: string[];
  /**
   * Things that work but degrade the backup: MySQL without RELOAD (no FLUSH TABLES WITH READ LOCK → one snapshot
   * connection), objects the account cannot see (MySQL triggers without TRIGGER), PostgreSQL rows hidden by
   * row-level security.
   */
  warnings: string[];
}

export interface DatabaseEngine {
  /** Engine name as written into archive headers and manifests ('postgresql', 'mysql'). */
  readonly name: string;
  serverVersion(connection: ConnectionOptions): Promise<ServerVersion>;
  listDatabases(connection: ConnectionOptions): Promise<DatabaseInfo[]>;
  estimateSize(connection: ConnectionOptions, database: string): Promise<SizeEstimate>;
  /** Optional: what a restore into `database` would find there (the same check the restore itself runs). */
  targetState?(connection: ConnectionOptions, database: string): Promise<TargetState>;
  backup(options: BackupOptions): Promise<BackupResult>;
  restore(options: RestoreOptions): Promise<RestoreResult>;
  /** Restore into a throwaway database, recompute every table's rows and checksum, compare, always drop it. */
  verifyRestore(options: VerifyRestoreOptions): Promise<VerifyRestoreResult>;
  /** Optional (an engine without it cannot take sampled backups): a reduced, referentially complete backup. */
  backupSample?(options: SampleBackupOptions): Promise<BackupResult>;
  /** Optional until implemented: cluster backups (globals + every database). */
  backupCluster?(options: ClusterBackupOptions): Promise<BackupResult>;
  restoreCluster?(options: ClusterRestoreOptions): Promise<ClusterRestoreResult>;
  /** Optional until implemented: plain SQL script output. */
  writeSqlScript?(options: SqlScriptOptions): Promise<SqlScriptResult>;
  /**
   * Optional: what a backup of `database` (or of the whole cluster when database is null) needs from the connecting
   * user. Throws the engine's connection error when the server is unreachable, and its missing-database error
   * (naming the database) when the database does not exist. (MySQL does not tell an account without any privilege
   * on a database whether it exists: that account gets a missing privilege naming the database instead, since its
   * backup fails either way.)
   */
  checkBackupPrivileges?(connection: ConnectionOptions, database: string | null): Promise<PrivilegeCheck>;
}
