import type { PreDataItem } from './pre-data-script.js';

export type { PreDataItem };

/** Which objects `dumpSchema` covers. Patterns accept `*` and `?` globs and match raw (unquoted) names. */
export interface SchemaDumpOptions {
  /** Only these schemas (and the objects inside them). Default: every non-system schema. */
  includeSchemas?: string[];
  /** Never these schemas; wins over `includeSchemas`. */
  excludeSchemas?: string[];
  /**
   * Only these relations, as `schema.table` globs (a pattern without a dot matches the name in any schema).
   * Non-relation objects of the included schemas (types, functions, ...) are still dumped so the tables can be
   * created; relations that do not match are left out with their indexes, constraints, triggers and policies.
   * Sequences owned by or used in defaults of an included table are kept.
   */
  includeTables?: string[];
  /** Leave out every `ALTER ... OWNER TO`. */
  noOwner?: boolean;
  /** Leave out GRANT/REVOKE and ALTER DEFAULT PRIVILEGES. */
  noPrivileges?: boolean;
}

/** A relation whose rows the data path copies. */
export interface TableDataInfo {
  oid: number;
  schema: string;
  name: string;
  /** Quoted and schema-qualified, e.g. `public."Order"`. */
  qualifiedName: string;
  /** Quoted column names for a COPY column list, in column order; generated columns are left out. */
  columns: string[];
  relkind: 'r' | 'p' | 'm' | 'f';
  /** A partitioned table holds no rows itself; its partitions are listed separately. */
  isPartitionParent: boolean;
  /** The partitioned table this partition belongs to (qualified), if any. */
  partitionOf: string | null;
  /**
   * Heap + TOAST size from pg_class.relpages (as of the last VACUUM/ANALYZE), a scheduling hint. Read from the
   * catalog rather than pg_table_size() so the dump takes no lock on any table.
   */
  estimatedBytes: number;
  /** pg_class.reltuples, 0 when never analysed. */
  estimatedRows: number;
  /** Quoted primary-key columns in key order, or null. */
  primaryKey: string[] | null;
  hasOids?: never;
}

export type PostDataKind =
  | 'index'
  | 'constraint'
  | 'foreign-key'
  | 'trigger'
  | 'rule'
  | 'policy'
  | 'matview-refresh'
  | 'statistics'
  | 'event-trigger'
  | 'acl'
  | 'comment'
  | 'other';

/**
 * One post-data step. Run each item as its own query (it may hold several statements) on a session that has run
 * RESTORE_SESSION_SETUP. Items are listed in a valid serial order; `dependsOn` names the earlier items that must
 * have finished before this one may start, so independent items (most indexes and constraints) can run in parallel.
 */
export interface PostDataItem {
  /** Unique within one dump. */
  id: string;
  kind: PostDataKind;
  /** The qualified table (or matview) the item belongs to. */
  table?: string;
  sql: string;
  /** Ids of post-data items that must complete first. */
  dependsOn: string[];
  /** Qualified tables whose data must be loaded first (the item's table, referenced tables, matview sources). */
  dependsOnTables?: string[];
}

export interface LargeObjectInfo {
  oid: number;
  owner: string | null;
}

export interface SchemaDump {
  serverVersion: string;
  serverVersionNum: number;
  /**
   * One psql-runnable script: RESTORE_SESSION_SETUP, then every pre-data object in dependency order, each after a
   * `-- dbbackup:item:<nonce> <id>` line. Nothing in it refuses a transaction block, so a small schema can run it as
   * one multi-statement query; a large one should run `preDataItems` (or splitPreDataScript(preData)) in batches,
   * since one transaction creating thousands of tables runs out of lock slots (max_locks_per_transaction).
   */
  preData: string;
  /** The same objects as `preData`, one entry per object, in order (without the session setup). */
  preDataItems: PreDataItem[];
  tables: TableDataInfo[];
  /** `SELECT pg_catalog.setval(...)` statements; run after the data. */
  sequenceValues: string;
  /** Create each with `largeObjectCreateSql()` before writing its contents; ACLs and comments are in postData. */
  largeObjects: LargeObjectInfo[];
  postData: PostDataItem[];
  /** Objects that were present but are not dumped (unsupported kinds), one line each. */
  warnings: string[];
}

/** Statements that must each run as their own query in autocommit mode (some refuse a transaction block). */
export interface SqlStatements {
  statements: string[];
  /** The statements joined into one psql-runnable script. */
  script: string;
}

export interface GlobalsDumpOptions {
  /**
   * Copy the roles' password hashes (rolpassword, as stored: SCRAM or md5). Default true, since restoring a cluster
   * needs them. The hash is only ever placed in the returned SQL, never logged.
   */
  includePasswords?: boolean;
}
