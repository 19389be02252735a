/**
 * How a PostgreSQL cluster backup is laid out: one `globals` member (the dumpGlobals statements as a JSON array,
 * since CREATE TABLESPACE must run on its own), then each database's members exactly as in a single-database
 * archive but tagged with `database`, in manifest.extra one PgManifestExtra per database.
 */
import type { Manifest, MemberEntry } from '@dbbackup/archive';
import {
  describeArchive,
  ENGINE_NAME,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  LABEL_SEQUENCE_VALUES,
  type PgManifestExtra,
  type PostgresArchive,
} from '../archive-layout.js';
import { UnsuitableArchiveError } from '../errors.js';

export const LABEL_GLOBALS = 'globals';

export const CLUSTER_CONSISTENCY_NOTE =
  'each database was read in its own consistent snapshot, one database after another; PostgreSQL has no snapshot ' +
  'spanning several databases, so the databases are not mutually consistent (the globals were read first)';

export interface ClusterDatabaseExtra extends PgManifestExtra {
  name: string;
  consistency: Record<string, unknown>;
}

export interface PgClusterManifestExtra {
  databases: ClusterDatabaseExtra[];
  globals: {
    /** Role names (not pg_*), so a restore can tell which already exist on the target. */
    roles: string[];
    tablespaces: string[];
    statements: number;
  };
  consistencyNote: string;
  options: { jobs: number; databases: string[] | null };
}

export interface PostgresClusterArchive {
  extra: PgClusterManifestExtra;
  globals: MemberEntry;
}

/** Checks that a manifest is a PostgreSQL cluster backup and finds its globals member. */
export function describeClusterArchive(manifest: Manifest): PostgresClusterArchive {
  if (manifest.engine !== ENGINE_NAME) {
    throw new UnsuitableArchiveError(
      `this archive was made by the ${manifest.engine} engine; restore it with the matching engine, not PostgreSQL`,
    );
  }
  if (!manifest.cluster) {
    throw new UnsuitableArchiveError(
      `this is a backup of the single database "${manifest.database}"; restore it with a database restore, not a cluster restore`,
    );
  }
  const extra = manifest.extra as Partial<PgClusterManifestExtra>;
  const globals = manifest.members.find((member) => member.kind === 'globals' && member.label === LABEL_GLOBALS);
  if (!Array.isArray(extra.databases) || !extra.globals || !globals) {
    throw new UnsuitableArchiveError(
      'the manifest lacks the cluster database list or the globals; the archive was not written by this engine',
    );
  }
  return { extra: extra as PgClusterManifestExtra, globals };
}

/** One database of a cluster archive, described like a single-database archive so the restore code can take it. */
export function describeClusterDatabase(manifest: Manifest, database: string): PostgresArchive {
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
  return {
    extra: entry,
    preData,
    postData,
    sequenceValues: schemaMember(LABEL_SEQUENCE_VALUES),
    dataMembers: members.filter((m) => m.kind === 'data'),
    largeObjects: members.filter((m) => m.kind === 'large-object'),
  };
}

/**
 * The database a restore works on: the whole archive for a single-database backup (a `sourceDatabase` must then
 * name it), or the named database of a cluster backup.
 */
export function selectDatabaseArchive(manifest: Manifest, sourceDatabase: string | undefined): PostgresArchive {
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
