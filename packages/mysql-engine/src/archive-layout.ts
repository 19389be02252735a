/**
 * How a MySQL/MariaDB backup is laid out in a dbbackup archive: member labels and the engine's part of
 * manifest.extra. A restore needs nothing but the archive, so everything it needs is recorded here.
 */
import type { Manifest, MemberEntry } from '@dbbackup/archive';
import { UnsuitableArchiveError } from './errors.js';
import type { MysqlDatabaseOptions, MysqlFlavor } from './schema/index.js';

/** Engine names an archive of this engine may carry (createMysqlEngine('mysql' | 'mariadb')). */
export const ENGINE_NAMES: readonly MysqlFlavor[] = ['mysql', 'mariadb'];

export const LABEL_PRE_DATA = 'pre-data';
export const LABEL_POST_DATA = 'post-data';

/** One base table whose rows the backup copied, with totals over its data members. */
export interface ArchivedTable {
  schema: string;
  name: string;
  /** Backtick-quoted name, unqualified (restores run in the target database). */
  quotedName: string;
  engine: string | null;
  /** SELECT expressions the rows were read with (verify-restore re-reads the restored table with them). */
  selectList: string;
  /** Quoted LOAD DATA column list, in the order of the fields in each line. */
  loadColumns: string;
  columnCount: number;
  /** System-versioned: read FOR SYSTEM_TIME ALL, loaded with system_versioning_insert_history. */
  allHistory: boolean;
  /** False for engines that keep no rows of their own (MRG_MyISAM, FEDERATED, ...): never read nor loaded. */
  ownsData: boolean;
  estimatedBytes: number;
  rows: number;
  /** Sum of the parts' checksums (see @dbbackup/engine-kit's RowChecksum). */
  checksum: string;
  /** Plain (encoded) bytes. */
  bytes: number;
  parts: number;
  /** Quoted column the table was split on into key ranges, or null. */
  splitColumn: string | null;
  /**
   * ENUM columns whose error value (index 0) is written as a '0' token: each such value loads with one truncation
   * warning, and a data member's `extra.enumErrorValues` says how many to expect.
   */
  enumTokenColumns: string[];
}

export interface MysqlManifestExtra {
  tables: ArchivedTable[];
  /** Character set, collation and comment for CREATE DATABASE. */
  database: MysqlDatabaseOptions;
  server: { flavor: MysqlFlavor; version: string; versionNum: number };
  /** How the consistent view was obtained (see backup/snapshot.ts). */
  snapshot: {
    method: 'flush-tables-with-read-lock' | 'single-snapshot';
    lockHeldMs: number | null;
    dataJobs: number;
  };
  schema: { preDataStatements: number; postDataItems: number };
  options: { jobs: number; partSizeBytes: number; splitThresholdBytes: number; deferSecondaryIndexes: boolean };
  /** Things the backup could not capture exactly, one line each. */
  warnings: string[];
}

export interface MysqlArchive {
  extra: MysqlManifestExtra;
  preData: MemberEntry;
  postData: MemberEntry;
  dataMembers: MemberEntry[];
}

/** Checks that a manifest is a single-database MySQL/MariaDB backup and finds its members. */
export function describeArchive(manifest: Manifest): MysqlArchive {
  if (!(ENGINE_NAMES as readonly string[]).includes(manifest.engine)) {
    throw new UnsuitableArchiveError(
      `this archive was made by the ${manifest.engine} engine; restore it with the matching engine, not MySQL/MariaDB`,
    );
  }
  if (manifest.cluster) {
    throw new UnsuitableArchiveError(
      'this is a cluster archive; restore it with the cluster restore, not a database restore',
    );
  }
  const extra = manifest.extra as Partial<MysqlManifestExtra>;
  if (!Array.isArray(extra.tables) || !extra.database || !extra.server) {
    throw new UnsuitableArchiveError(
      'the manifest lacks the MySQL table list; the archive was not written by this engine',
    );
  }
  const schemaMember = (label: string) => manifest.members.find((m) => m.kind === 'schema' && m.label === label);
  const preData = schemaMember(LABEL_PRE_DATA);
  const postData = schemaMember(LABEL_POST_DATA);
  if (!preData || !postData) {
    throw new UnsuitableArchiveError('the archive has no pre-data/post-data schema members; it cannot be restored');
  }
  return {
    extra: extra as MysqlManifestExtra,
    preData,
    postData,
    dataMembers: manifest.members.filter((m) => m.kind === 'data'),
  };
}

export function tableKey(table: { schema: string; name: string }): string {
  return `${table.schema}\u0000${table.name}`;
}
