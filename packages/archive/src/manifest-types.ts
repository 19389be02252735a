import type { EncryptionHeader } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';

export type MemberKind = 'schema' | 'data' | 'globals' | 'large-object' | 'meta';

/** What the engine knows about a member; the writer adds where and how it is stored (MemberEntry). */
export interface MemberMeta {
  kind: MemberKind;
  /** Cluster archives: which database the member belongs to. */
  database?: string;
  /** Data members: the table. Real names live only in the (possibly encrypted) manifest, never in tar names. */
  table?: { schema: string; name: string };
  /** Data members: 0-based part of a table split into several members. */
  part?: number;
  /** Data members: row count. */
  rows?: number;
  /** Data members: order-independent row checksum. */
  checksum?: string;
  /** Schema members: 'pre-data' | 'post-data' | ... */
  label?: string;
  extra?: Record<string, unknown>;
}

export interface MemberEntry extends MemberMeta {
  /** Neutral tar name, e.g. data/000017.copy.zst. */
  name: string;
  /** Byte offset of the member's body inside the tar. */
  offset: number;
  /** Bytes in the tar (compressed, then encrypted). */
  storedSize: number;
  /** Bytes before compression. */
  plainSize: number;
  /** Hex sha256 of the stored bytes. */
  sha256: string;
}

export interface CompressionSettings {
  algorithm: CompressionAlgorithm;
  level: number;
}

/** header.json: the first member, never compressed nor encrypted. */
export interface ArchiveHeader {
  format: 'dbbackup-archive';
  formatVersion: number;
  engine: string;
  toolVersion: string;
  createdAt: string;
  compression: CompressionSettings;
  encryption?: EncryptionHeader;
}

/**
 * Where the backup was taken from, as the client addressed the server (host name, address or socket directory), so a
 * catalog rebuilt from archives alone can tell two servers' databases of the same name apart. Never credentials.
 */
export interface BackupSource {
  host: string | null;
  port: number | null;
}

/** manifest.json: the last member; a backup without it is incomplete. */
export interface Manifest {
  format: 'dbbackup-archive';
  formatVersion: number;
  toolVersion: string;
  engine: string;
  serverVersion: string;
  database: string | null;
  cluster: boolean;
  startedAt: string;
  finishedAt: string;
  /** PG: { snapshot, lsn }; MySQL: { binlogFile, binlogPosition, gtid }. */
  consistency: Record<string, unknown>;
  compression: CompressionSettings;
  encryption: EncryptionHeader | null;
  members: MemberEntry[];
  /** Engine-specific: databases in a cluster, options used, warnings. */
  extra: Record<string, unknown>;
  /** Set by the app through ArchiveWriterOptions.source; absent in archives written before it existed. */
  source?: BackupSource;
}

/** The manifest fields the engine supplies to ArchiveWriter.finish; the writer fills in the rest. */
export type ManifestFields = Omit<
  Manifest,
  'format' | 'formatVersion' | 'toolVersion' | 'engine' | 'compression' | 'encryption' | 'members' | 'source'
>;
