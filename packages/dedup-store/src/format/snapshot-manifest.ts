import { CorruptDataError } from '@dbbackup/crypto';
import { DamagedObjectError } from '../errors.js';
import type { BlobCodec } from './blob-codec.js';
import { isHexId } from './object-ids.js';

/** What `list` shows about a snapshot (everything in its manifest except the chunk lists). */
export interface SnapshotInfo {
  /** sha256 of the stored manifest, 64 hex digits; any unique prefix names it. */
  id: string;
  /** When the backup started (ISO 8601); retention decides by it. */
  created: string;
  finished: string;
  /** What was backed up: a file path, '-' for stdin, or whatever the caller names it. */
  source: string;
  database: string | null;
  engine: string | null;
  hostname: string;
  /** Bytes of the backed-up stream. */
  size: number;
  /** sha256 of the whole stream, hex; checked at the end of every restore. */
  sha256: string;
  chunkCount: number;
  tags: string[];
  meta: Record<string, string>;
}

/** A snapshot with the ids (hex) of the chunk-list blobs that give its chunks in order. */
export interface Snapshot extends SnapshotInfo {
  lists: string[];
}

interface ManifestDocument extends Omit<Snapshot, 'id'> {
  format: 'dbbackup-dedup-snapshot';
  version: 1;
}

const FORMAT = 'dbbackup-dedup-snapshot';
const MEMBER = 'snapshot';

/** The stored manifest: JSON, encrypted when the store is (then list, database and meta are not readable without the key). */
export function encodeSnapshot(codec: BlobCodec, snapshot: Omit<Snapshot, 'id'>): Buffer {
  const document: ManifestDocument = { format: FORMAT, version: 1, ...snapshot };
  return codec.seal(Buffer.from(`${JSON.stringify(document)}\n`, 'utf8'), MEMBER);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

export function decodeSnapshot(codec: BlobCodec, stored: Buffer, key: string, id: string): Snapshot {
  let document: Partial<ManifestDocument>;
  try {
    document = JSON.parse(codec.open(stored, MEMBER).toString('utf8')) as Partial<ManifestDocument>;
  } catch (error) {
    const reason = error instanceof CorruptDataError ? 'it fails authentication' : 'it is not JSON';
    throw new DamagedObjectError(key, reason, { cause: error });
  }
  const valid =
    document?.format === FORMAT &&
    document.version === 1 &&
    typeof document.created === 'string' &&
    typeof document.finished === 'string' &&
    typeof document.source === 'string' &&
    typeof document.hostname === 'string' &&
    (document.database === null || typeof document.database === 'string') &&
    (document.engine === null || typeof document.engine === 'string') &&
    Number.isSafeInteger(document.size) &&
    typeof document.sha256 === 'string' &&
    Number.isSafeInteger(document.chunkCount) &&
    Array.isArray(document.lists) &&
    document.lists.every((list) => typeof list === 'string' && isHexId(list)) &&
    Array.isArray(document.tags) &&
    document.tags.every((tag) => typeof tag === 'string') &&
    isStringRecord(document.meta);
  if (!valid) throw new DamagedObjectError(key, 'it is not a dedup snapshot manifest of version 1');
  const { format: _format, version: _version, ...snapshot } = document as ManifestDocument;
  return { id, ...snapshot };
}

export function snapshotInfoOf(snapshot: Snapshot): SnapshotInfo {
  const { lists: _lists, ...info } = snapshot;
  return info;
}
