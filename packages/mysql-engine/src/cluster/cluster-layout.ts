/**
 * How a MySQL/MariaDB cluster (whole-server) backup is laid out: one `globals` member (the dumpUsersAndGrants
 * statements, IF NOT EXISTS variant, as a JSON array), then each database's members exactly as in a
 * single-database archive but tagged with `database`; in manifest.extra one MysqlManifestExtra per database.
 */
import type { Manifest, MemberEntry } from '@dbbackup/archive';
import {
  describeArchive,
  ENGINE_NAMES,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  type MysqlArchive,
  type MysqlManifestExtra,
} from '../archive-layout.js';
import { UnsuitableArchiveError } from '../errors.js';

export const LABEL_GLOBALS = 'globals';

export const CLUSTER_CONSISTENCY_NOTE =
  'each database was read in its own consistent snapshot (its own brief global read lock), one database after ' +
  'another, so the databases are not mutually consistent; the users and grants were read first';

export interface MysqlClusterDatabaseExtra extends MysqlManifestExtra {
  name: string;
  consistency: { binlogFile: string | null; binlogPosition: number | null; gtid: string | null };
}

export interface MysqlClusterManifestExtra {
  databases: MysqlClusterDatabaseExtra[];
  globals: {
    /** Accounts as `'user'@'host'` and roles as their bare name, so a restore can tell which exist already. */
    accounts: MysqlAccountName[];
    statements: number;
  };
  /** 'per-database': one consistent snapshot per database (see CLUSTER_CONSISTENCY_NOTE). */
  snapshot: 'per-database';
  consistencyNote: string;
  options: { jobs: number; databases: string[] | null };
}

export interface MysqlAccountName {
  user: string;
  host: string;
  isRole: boolean;
}

export interface MysqlClusterArchive {
  extra: MysqlClusterManifestExtra;
  globals: MemberEntry;
}

function requireMysqlEngine(manifest: Manifest): void {
  if (!(ENGINE_NAMES as readonly string[]).includes(manifest.engine)) {
    throw new UnsuitableArchiveError(
      `this archive was made by the ${manifest.engine} engine; restore it with the matching engine, not MySQL/MariaDB`,
    );
  }
}

/** Checks that a manifest is a MySQL/MariaDB cluster backup and finds its globals member. */
export function describeClusterArchive(manifest: Manifest): MysqlClusterArchive {
  requireMysqlEngine(manifest);
  if (!manifest.cluster) {
    throw new UnsuitableArchiveError(
      `this is a backup of the single database "${manifest.database}"; restore it with a database restore, not a cluster restore`,
    );
  }
  const extra = manifest.extra as Partial<MysqlClusterManifestExtra>;
  const globals = manifest.members.find((member) => member.kind === 'globals' && member.label === LABEL_GLOBALS);
  if (!Array.isArray(extra.databases) || !extra.globals || !globals) {
    throw new UnsuitableArchiveError(
      'the manifest lacks the cluster database list or the globals; the archive was not written by this engine',
    );
  }
  return { extra: extra as MysqlClusterManifestExtra, globals };
}

/** One database of a cluster archive, described like a single-database archive so the restore code can take it. */
export function describeClusterDatabase(manifest: Manifest, database: string): MysqlArchive {
  const { extra } = describeClusterArchive(manifest);
  const entry = extra.databases.find((candidate) => candidate.name === database);
  if (!entry) {
    throw new UnsuitableArchiveError(
      `database "${database}" is not in this cluster archive (it holds ${extra.databases.map((db) => `"${db.name}"`).join(', ')})`,
    );
  }
  const members = manifest.members.filter((member) => member.database === database);
  const schemaMember = (label: string) => members.find((m) => m.kind === 'schema' && m.label === label);
  const preData = schemaMember(LABEL_PRE_DATA);
  const postData = schemaMember(LABEL_POST_DATA);
  if (!preData || !postData) {
    throw new UnsuitableArchiveError(
      `the archive has no pre-data/post-data members for database "${database}"; it cannot be restored`,
    );
  }
  return { extra: entry, preData, postData, dataMembers: members.filter((m) => m.kind === 'data') };
}

/**
 * The database a restore works on: the whole archive for a single-database backup (a `sourceDatabase` must then
 * name it), or the named database of a cluster backup.
 */
export function selectDatabaseArchive(manifest: Manifest, sourceDatabase: string | undefined): MysqlArchive {
  requireMysqlEngine(manifest);
  if (manifest.cluster) {
    if (sourceDatabase === undefined) {
      const names = describeClusterArchive(manifest).extra.databases.map((db) => `"${db.name}"`);
      throw new UnsuitableArchiveError(
        `this is a cluster archive (databases ${names.join(', ')}); restore it with the cluster restore, or name the database to restore from it`,
      );
    }
    return describeClusterDatabase(manifest, sourceDatabase);
  }
  if (sourceDatabase !== undefined && sourceDatabase !== manifest.database) {
    throw new UnsuitableArchiveError(
      `this archive holds database "${manifest.database}", not "${sourceDatabase}"; leave out the source database or pick the right archive`,
    );
  }
  return describeArchive(manifest);
}
