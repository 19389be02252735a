/** Which server family produced a dump; the few places where MySQL 8 and MariaDB differ branch on this. */
export type MysqlFlavor = 'mariadb' | 'mysql';

export interface MysqlServerInfo {
  flavor: MysqlFlavor;
  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1`. */
  version: string;
  /** major * 10000 + minor * 100 + patch, e.g. 101119. */
  versionNum: number;
}

/** The database's own options, enough to recreate it under any name with `createDatabaseSql`. */
export interface MysqlDatabaseOptions {
  /** The dumped database's name (statements in the dump never contain it, except where `retargetSchemaDump` fixes it). */
  name: string;
  characterSet: string;
  collation: string;
  /** MariaDB 10.5+ database comment, or null. */
  comment: string | null;
}

export interface MysqlColumnInfo {
  /** Raw column name. */
  name: string;
  /** Backtick-quoted name. */
  quotedName: string;
  /** information_schema DATA_TYPE, lower case: `int`, `varchar`, `enum`, `geometry`, ... */
  dataType: string;
  /** Full COLUMN_TYPE: `int(10) unsigned`, `enum('a','b')`, `bit(16)`, ... */
  columnType: string;
  characterSet: string | null;
  collation: string | null;
  nullable: boolean;
  /** INVISIBLE columns are not returned by `SELECT *` but hold data: select and load them by name. */
  invisible: boolean;
}

/**
 * System versioning of a MariaDB `WITH SYSTEM VERSIONING` table. History rows are only visible with
 * `SELECT ... FOR SYSTEM_TIME ALL`, and only loadable with `SET system_versioning_insert_history = 1` (MariaDB
 * 10.11+) naming the row-start/row-end columns explicitly.
 */
export interface MysqlSystemVersioning {
  /** Quoted row-start column: a declared `GENERATED ALWAYS AS ROW START` column, or the implicit `ROW_START`. */
  rowStart: string;
  /** Quoted row-end column, or the implicit `ROW_END`. */
  rowEnd: string;
  /** True when the period columns are implicit (not declared, not in `columns`). */
  implicit: boolean;
}

/** A base table whose rows the data path copies (views and sequences are not listed here). */
export interface MysqlTableInfo {
  /** The dumped database. */
  schema: string;
  /** Raw table name. */
  name: string;
  /** Backtick-quoted table name, unqualified (restores run in the target database). */
  quotedName: string;
  /** ENGINE from information_schema (InnoDB, MyISAM, Aria, ...). */
  engine: string | null;
  /**
   * Backtick-quoted columns for `SELECT` and `LOAD DATA`, in table order: every stored column including INVISIBLE
   * ones, without generated columns (VIRTUAL/STORED, which the server computes) and without system-versioning
   * period columns (see `systemVersioning`).
   */
  columns: string[];
  /** Details of `columns`, same order and length. */
  columnDetails: MysqlColumnInfo[];
  /** Quoted primary-key columns in key order, or null when the table has no primary key. */
  primaryKey: string[] | null;
  /** information_schema DATA_LENGTH, a scheduling hint (InnoDB: an estimate). */
  estimatedBytes: number;
  /** information_schema TABLE_ROWS (InnoDB: an estimate). */
  estimatedRows: number;
  /** Present when the table is `WITH SYSTEM VERSIONING` (MariaDB). */
  systemVersioning: MysqlSystemVersioning | null;
  isPartitioned: boolean;
  /**
   * False for engines whose rows live elsewhere or nowhere (MRG_MyISAM, FEDERATED, CONNECT, SPIDER, BLACKHOLE):
   * dump their definition, never their data (as mysqldump does).
   */
  ownsData: boolean;
}

export type MysqlPostDataKind = 'index' | 'sequence-value' | 'trigger' | 'event';

/**
 * One post-data step. Run its `statements` in order on one session that has run the restore session setup and
 * `USE`d the target database; each statement is a single SQL statement (no multi-statement mode or DELIMITER
 * needed). An item leaves the session's settings as the setup left them. Items are listed in a valid serial order;
 * `dependsOn` names earlier items that must have finished first, so items without dependencies (indexes of
 * different tables) can run on parallel sessions.
 */
export interface MysqlPostDataItem {
  /**
   * Unique within one dump: `index:<table>`, `index-fulltext:<n>:<table>`, `sequence-value:<sequence>`,
   * `trigger:<trigger>`, `event:<event>` (raw names).
   */
  id: string;
  kind: MysqlPostDataKind;
  /** Raw name of the table the item belongs to (indexes, triggers, sequence values). */
  table?: string;
  statements: string[];
  dependsOn: string[];
  /**
   * Places where a statement names the dumped database explicitly (a trigger written as
   * `CREATE TRIGGER db.trg ... ON db.t`); `retargetSchemaDump` rewrites them for a restore under another name.
   */
  databaseReferences?: MysqlDatabaseReference[];
}

/** `length` characters at `offset` of `statements[statement]` are the (quoted or bare) source database name. */
export interface MysqlDatabaseReference {
  statement: number;
  offset: number;
  length: number;
}

export interface MysqlSchemaDumpOptions {
  /**
   * Create InnoDB tables with only their primary key and the indexes foreign keys need, and add the other
   * secondary indexes in post-data (`kind: 'index'`) after the data is loaded, like myloader's
   * --innodb-optimize-keys. Only indexes whose late creation leaves `SHOW CREATE TABLE` unchanged are deferred.
   */
  deferSecondaryIndexes?: boolean;
}

export interface MysqlSchemaDump {
  server: MysqlServerInfo;
  database: MysqlDatabaseOptions;
  /**
   * Statements in order: sequences, tables, routines, views. Run them on one session that ran the restore session
   * setup and `USE`d the target database; each is a single statement. Some are session `SET`s that frame the
   * next CREATE (a routine's sql_mode and character set) and put the setup's values back afterwards.
   */
  preData: string[];
  /** Base tables with data to copy, in name order. */
  tables: MysqlTableInfo[];
  /** Secondary indexes (when deferred), sequence values, triggers, events; after the data. */
  postData: MysqlPostDataItem[];
  /** Things noticed while dumping that a restore cannot reproduce exactly, one line each. */
  warnings: string[];
}

export interface MysqlUsersDumpOptions {
  /** `CREATE USER IF NOT EXISTS` / `CREATE ROLE IF NOT EXISTS`, for a target that may already have some accounts. */
  ifNotExists?: boolean;
}
