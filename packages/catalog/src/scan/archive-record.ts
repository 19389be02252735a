import type { ArchiveHeader, CompressionSettings, Manifest } from '@dbbackup/archive';
import type { BackupInput, BackupKind, BackupOutcome } from '../types.js';
import type { NameFacts } from './backup-file-name.js';

/** 'zstd:3', 'gzip:6', 'none'. */
export function describeCompression(compression: CompressionSettings | { algorithm: string; level?: number }): string {
  if (compression.algorithm === 'none') return 'none';
  return compression.level === undefined ? compression.algorithm : `${compression.algorithm}:${compression.level}`;
}

/** What a complete archive's manifest says, as the catalog records it. */
export function recordFromManifest(
  manifest: Manifest,
  file: { location: string; bytes: number; sha256: string | undefined },
): BackupInput & Partial<BackupOutcome> {
  const dataMembers = manifest.members.filter((member) => member.kind === 'data' && member.table !== undefined);
  const tables = new Set(
    dataMembers.map((member) => JSON.stringify([member.database ?? null, member.table!.schema, member.table!.name])),
  );
  return {
    database: manifest.database,
    engine: manifest.engine,
    host: manifestHost(manifest),
    kind: manifestKind(manifest),
    format: 'archive',
    location: file.location,
    startedAt: manifest.startedAt,
    encrypted: manifest.encryption !== null,
    compression: describeCompression(manifest.compression),
    parentId: null,
    finishedAt: manifest.finishedAt,
    bytes: file.bytes,
    ...(file.sha256 !== undefined ? { sha256: file.sha256 } : {}),
    consistency: manifest.consistency,
    serverVersion: manifest.serverVersion,
    tables: tables.size,
    rows: dataMembers.reduce((sum, member) => sum + (member.rows ?? 0), 0),
  };
}

/**
 * What an encrypted archive read without its key shows: engine, compression and start time from the plain
 * header.json; database and kind from the file name; finishedAt from the file's modification time (it is renamed
 * into place when complete). Table and row counts, consistency point and server version stay unknown.
 */
export function recordFromHeader(
  header: ArchiveHeader,
  name: NameFacts,
  file: { location: string; bytes: number; sha256: string | undefined; modifiedAt: string },
): BackupInput & Partial<BackupOutcome> {
  return {
    database: name.database,
    engine: header.engine,
    host: null,
    kind: name.kind,
    format: 'archive',
    location: file.location,
    startedAt: header.createdAt,
    encrypted: header.encryption !== undefined,
    compression: describeCompression(header.compression),
    parentId: null,
    finishedAt: file.modifiedAt,
    bytes: file.bytes,
    ...(file.sha256 !== undefined ? { sha256: file.sha256 } : {}),
  };
}

function manifestKind(manifest: Manifest): BackupKind {
  if (manifest.cluster) return 'cluster';
  if (manifest.extra['sample'] !== undefined) return 'sample';
  return 'single';
}

/** manifest.source.host, read defensively: archives written before the field existed lack it. */
function manifestHost(manifest: Manifest): string | null {
  const source: unknown = (manifest as { source?: unknown }).source;
  if (typeof source !== 'object' || source === null) return null;
  const host: unknown = (source as { host?: unknown }).host;
  return typeof host === 'string' && host !== '' ? host : null;
}
