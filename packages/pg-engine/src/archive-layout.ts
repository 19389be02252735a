/**
 * How a PostgreSQL backup is laid out in a dbbackup archive: member labels and the engine's part of
 * manifest.extra. A restore needs nothing but the archive, so everything it needs is recorded here.
 */
import type { Manifest, MemberEntry } from '@dbbackup/archive';
import { UnsuitableArchiveError } from './errors.js';

export const ENGINE_NAME = 'postgresql';

export const LABEL_PRE_DATA = 'pre-data';
export const LABEL_POST_DATA = 'post-data';
export const LABEL_SEQUENCE_VALUES = 'sequence-values';

/** One table with data (relkind r, p, m... as dumped), with totals over its data members. */
export interface ArchivedTable {
  schema: string;
  name: string;
  /** Quoted "schema"."name" as the schema module spells it (post-data items refer to tables this way). */
  qualifiedName: string;
  /** Quoted COPY column list, generated columns excluded. */
  columns: string;
  relkind: string;
  isPartitionParent: boolean;
  /** relpersistence in the source: 'p' permanent, 'u' unlogged. */
  persistence: string;
  estimatedBytes: number;
  rows: number;
  /** Sum of the parts' checksums (see checksum/row-checksum.ts). */
  checksum: string;
  /** Plain COPY bytes. */
  bytes: number;
  parts: number;
}

/** What CREATE DATABASE needs to recreate the source database's encoding and locale. */
export interface ArchivedDatabase {
  name: string;
  encoding: string;
  collate: string;
  ctype: string;
  /** 'c' libc or 'i' icu (PostgreSQL 15+); absent before 15. */
  localeProvider?: string;
  iculocale?: string | null;
  /** Owner, comment, privileges, flags and settings, applied when a restore creates the database (absent in old archives). */
  properties?: DatabaseProperties;
}

/** Database-level properties that CREATE DATABASE does not carry; see cluster/database-properties.ts. */
export interface DatabaseProperties {
  owner: string;
  isTemplate: boolean;
  allowConnections: boolean;
  /** -1: no limit. */
  connectionLimit: number;
  comment: string | null;
  /** datacl as aclitem[] text; null = the default privileges. */
  acl: string | null;
  /** acldefault('d', owner) as aclitem[] text, the base the ACL is diffed against. */
  aclDefault: string;
  /** ALTER DATABASE ... SET (role null) and ALTER ROLE ... IN DATABASE ... SET entries, as `name=value`. */
  settings: { role: string | null; config: string }[];
}

/** How a sampled backup chose its rows (manifest.extra.sample). */
export interface SampleSummary {
  strategy: 'percent' | 'rows';
  value: number;
  /** Rounds of adding referenced parent rows until no foreign key pointed outside the sample. */
  closureRounds: number;
  /** Foreign keys (between tables with data) the sample was closed over. */
  foreignKeys: number;
  /** Distinct parent keys that sampled rows reference (many may be in the parent's own sample anyway). */
  referencedKeys: number;
}

export interface PgManifestExtra {
  /** Every table the backup considered (partition parents included, with 0 rows). */
  tables: ArchivedTable[];
  database: ArchivedDatabase;
  schema: {
    serverVersionNum: number;
    preDataBytes: number;
    postDataItems: number;
    largeObjects: number;
  };
  options: { jobs: number; partSizeBytes: number; splitThresholdBytes: number };
  /** Objects the schema dump could not include. */
  warnings: string[];
  /** Present when the backup holds a sample of the rows, not all of them. */
  sample?: SampleSummary;
}

export interface PostgresArchive {
  extra: PgManifestExtra;
  preData: MemberEntry;
  postData: MemberEntry;
  sequenceValues: MemberEntry | undefined;
  dataMembers: MemberEntry[];
  largeObjects: MemberEntry[];
}

/** Checks that a manifest is a single-database PostgreSQL backup and finds its members. */
export function describeArchive(manifest: Manifest): PostgresArchive {
  if (manifest.engine !== ENGINE_NAME) {
    throw new UnsuitableArchiveError(
      `this archive was made by the ${manifest.engine} engine; restore it with the matching engine, not PostgreSQL`,
    );
  }
  if (manifest.cluster) {
    throw new UnsuitableArchiveError(
      'this is a cluster archive; restore it with the cluster restore, not a database restore',
    );
  }
  const extra = manifest.extra as Partial<PgManifestExtra>;
  if (!Array.isArray(extra.tables) || !extra.database || !extra.schema) {
    throw new UnsuitableArchiveError(
      'the manifest lacks the PostgreSQL table list; the archive was not written by this engine',
    );
  }
  const schemaMember = (label: string) => manifest.members.find((m) => m.kind === 'schema' && m.label === label);
  const preData = schemaMember(LABEL_PRE_DATA);
  const postData = schemaMember(LABEL_POST_DATA);
  if (!preData || !postData) {
    throw new UnsuitableArchiveError('the archive has no pre-data/post-data schema members; it cannot be restored');
  }
  return {
    extra: extra as PgManifestExtra,
    preData,
    postData,
    sequenceValues: schemaMember(LABEL_SEQUENCE_VALUES),
    dataMembers: manifest.members.filter((m) => m.kind === 'data'),
    largeObjects: manifest.members.filter((m) => m.kind === 'large-object'),
  };
}

export function tableKey(table: { schema: string; name: string }): string {
  return `${table.schema}\u0000${table.name}`;
}
