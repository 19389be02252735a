import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ArchiveReader, IncompleteBackupError, type KeyProvider } from '@dbbackup/archive';
import { MissingKeyError, WrongKeyError } from '@dbbackup/crypto';
import { CatalogError } from '../errors.js';
import type { Verification } from '../types.js';
import { readVerificationHistory, type SidecarVerification } from '../verification/verification-sidecar.js';
import { probeArchiveHeader } from './archive-header-probe.js';
import { recordFromHeader, recordFromManifest } from './archive-record.js';
import {
  backupFileType,
  parseBackupFileName,
  type SqlScriptExtension,
  stripBackupExtension,
} from './backup-file-name.js';
import { fileSha256 } from './file-sha256.js';
import type { ScannedBackup } from './scanned-backup.js';
import { probeSqlScript } from './sql-script-probe.js';

export interface ScanOptions {
  /** Opens encrypted archives fully (tables, rows, consistency point); without it they are read from the header. */
  keyProvider?: KeyProvider;
  /** Into subdirectories too (default true). Symbolic links to directories are not followed. */
  recursive?: boolean;
  /** sha256 of each complete file (default true); reads every byte. */
  hash?: boolean;
  /** Added to the draft: called before each backup file is read (for progress). */
  onFile?: (path: string) => void;
}

/** The directory to scan does not exist or is not a directory. */
export class BackupDirectoryError extends CatalogError {
  constructor(directory: string, why: string, options?: ErrorOptions) {
    super('BACKUP_DIRECTORY', `cannot read backup directory ${directory}: ${why}; check the path`, options);
  }
}

/**
 * Every backup file under `directory`, in name order: `*.dbb.tar` archives (header and manifest through
 * ArchiveReader), dbbackup SQL scripts (`*.sql`, `*.sql.zst`, `*.sql.gz`, recognised by their first comment line),
 * and the `.partial` files of either. Other files, verification sidecars included, are not backups and are passed
 * over. Each backup's `<file>.verify.json` sidecar supplies its verification.
 */
export async function* scanBackupDirectory(directory: string, options: ScanOptions = {}): AsyncIterable<ScannedBackup> {
  const root = resolve(directory);
  const rootStat = await stat(root).catch((error: unknown) => {
    throw new BackupDirectoryError(root, (error as Error).message, { cause: error });
  });
  if (!rootStat.isDirectory()) throw new BackupDirectoryError(root, 'it is not a directory');
  for await (const path of walk(root, options.recursive ?? true)) {
    const scanned = await scanFile(path, options);
    if (scanned) yield scanned;
  }
}

async function* walk(directory: string, recursive: boolean): AsyncIterable<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    // A subdirectory that vanished or cannot be listed is passed over rather than ending the scan.
    if (['ENOENT', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (recursive) yield* walk(path, recursive);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      yield path;
    }
  }
}

/** One file: undefined when it is not a backup (by name, or a .sql file dbbackup did not write). */
async function scanFile(path: string, options: ScanOptions): Promise<ScannedBackup | undefined> {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const fileType = backupFileType(fileName);
  if (fileType.type === 'other') return undefined;
  let facts: { bytes: number; modifiedAt: string };
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    facts = { bytes: info.size, modifiedAt: info.mtime.toISOString() };
  } catch {
    return undefined; // removed while scanning, or a dangling link
  }
  options.onFile?.(path);
  const base = { path, ...facts, record: null, verification: null, readFrom: null, verificationHistory: [] };
  if (fileType.type === 'partial') {
    return { ...base, state: 'partial', note: 'being written, or left behind by a backup that did not finish' };
  }
  try {
    if (fileType.type === 'archive') return await scanArchive(path, facts, options);
    return await scanSqlScript(path, fileType.extension, facts, options);
  } catch (error) {
    return { ...base, state: 'unreadable', note: error instanceof Error ? error.message : String(error) };
  }
}

type FileFacts = { bytes: number; modifiedAt: string };

async function scanArchive(path: string, facts: FileFacts, options: ScanOptions): Promise<ScannedBackup> {
  const base = { path, ...facts, verification: null, verificationHistory: [] };
  let keyProblem: string;
  try {
    const reader = await ArchiveReader.open(path, options.keyProvider ? { keyProvider: options.keyProvider } : {});
    const manifest = reader.manifest;
    await reader.close();
    const sha256 = options.hash === false ? undefined : await fileSha256(path);
    const record = recordFromManifest(manifest, { location: path, bytes: facts.bytes, sha256 });
    return withVerification({ ...base, state: 'complete', record, note: null, readFrom: 'manifest' }, sha256);
  } catch (error) {
    if (error instanceof IncompleteBackupError) {
      return {
        ...base,
        state: 'incomplete',
        record: null,
        note: 'no manifest: the backup never finished',
        readFrom: null,
      };
    }
    if (error instanceof MissingKeyError) {
      keyProblem = options.keyProvider
        ? `encrypted, and no key could be had (${error.message})`
        : 'encrypted: pass --encryption-key-file for tables, rows and the consistency point';
    } else if (error instanceof WrongKeyError) {
      keyProblem = `encrypted, and the key given does not open it (${error.message})`;
    } else {
      throw error;
    }
  }
  return scanEncryptedWithoutKey(path, facts, options, keyProblem);
}

async function scanEncryptedWithoutKey(
  path: string,
  facts: FileFacts,
  options: ScanOptions,
  note: string,
): Promise<ScannedBackup> {
  const base = { path, ...facts, verification: null, verificationHistory: [] };
  const probe = await probeArchiveHeader(path);
  if (probe.header === null) return { ...base, state: 'unreadable', record: null, note, readFrom: null };
  if (!probe.hasManifest) {
    return {
      ...base,
      state: 'incomplete',
      record: null,
      note: 'no manifest: the backup never finished',
      readFrom: null,
    };
  }
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const name = parseBackupFileName(stripBackupExtension(fileName));
  const sha256 = options.hash === false ? undefined : await fileSha256(path);
  const record = recordFromHeader(probe.header, name, { location: path, sha256, ...facts });
  return withVerification({ ...base, state: 'complete', record, note, readFrom: 'header' }, sha256);
}

async function scanSqlScript(
  path: string,
  extension: SqlScriptExtension,
  facts: FileFacts,
  options: ScanOptions,
): Promise<ScannedBackup | undefined> {
  const base = { path, ...facts, verification: null, verificationHistory: [] };
  const probe = await probeSqlScript(path, extension, { hash: options.hash !== false });
  if (probe.header === null) {
    // A .sql file dbbackup did not write (or one too damaged to show its first line) is not reported as a backup.
    if (probe.readError === null) return undefined;
    return { ...base, state: 'unreadable', record: null, note: probe.readError, readFrom: null };
  }
  if (!probe.complete) {
    const note = probe.readError ?? 'no completion line at its end: the script was cut off before it finished';
    return { ...base, state: 'incomplete', record: null, note, readFrom: null };
  }
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const name = parseBackupFileName(stripBackupExtension(fileName));
  const compression = extension === '.sql.zst' ? 'zstd' : extension === '.sql.gz' ? 'gzip' : 'none';
  const record = {
    database: probe.header.database,
    engine: probe.header.engine,
    host: null,
    kind: name.kind === 'sample' ? ('sample' as const) : ('single' as const),
    format: 'sql' as const,
    location: path,
    // The name's stamp (whole seconds) is when the backup started; the file was last written when it finished.
    startedAt: name.startedAt ?? facts.modifiedAt,
    encrypted: false,
    compression,
    parentId: null,
    finishedAt: facts.modifiedAt,
    bytes: facts.bytes,
    ...(probe.sha256 !== undefined ? { sha256: probe.sha256 } : {}),
    consistency: probe.consistency,
    serverVersion: probe.header.serverVersion,
    tables: null,
    rows: null,
  };
  return withVerification({ ...base, state: 'complete', record, note: null, readFrom: 'sql-script' }, probe.sha256);
}

/**
 * Adds the sidecar's verifications when they are for these bytes: a sidecar whose sha256 differs belongs to an
 * earlier file of the same name, and its results say nothing about this one. Without a hash they are trusted.
 */
async function withVerification(scanned: ScannedBackup, sha256: string | undefined): Promise<ScannedBackup> {
  let history: SidecarVerification[];
  try {
    history = await readVerificationHistory(scanned.path);
  } catch (error) {
    return { ...scanned, note: joinNotes(scanned.note, (error as Error).message) };
  }
  if (history.length === 0) return scanned;
  const matching = sha256 === undefined ? history : history.filter((entry) => entry.sha256 === sha256);
  if (matching.length === 0) {
    const note = 'its verification file is for other bytes (the file changed after it was verified); verify it again';
    return { ...scanned, note: joinNotes(scanned.note, note) };
  }
  const verifications: Verification[] = matching.map(({ at, result, kind, detail }) => ({ at, result, kind, detail }));
  return { ...scanned, verification: verifications.at(-1)!, verificationHistory: verifications };
}

function joinNotes(first: string | null, second: string): string {
  return first === null ? second : `${first}; ${second}`;
}
