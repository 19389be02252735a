import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { CatalogError, CatalogWriteError } from '../errors.js';
import { normalizeTime } from '../time/normalize-time.js';
import { VERIFICATION_KINDS, VERIFICATION_RESULTS, type Verification } from '../types.js';

/** A verification together with the sha256 of the archive bytes it checked. */
export type SidecarVerification = Verification & { sha256: string };

const SIDECAR_FORMAT = 'dbbackup-verification';
const SIDECAR_FORMAT_VERSION = 1;
/** Older entries kept in the sidecar's history; enough for years of daily verification without growing forever. */
const MAX_HISTORY = 1000;

/** `<archive>.verify.json` beside the archive, which itself is never modified. */
export function verificationSidecarPath(archivePath: string): string {
  return `${archivePath}.verify.json`;
}

/** The sidecar file is not what writeVerificationSidecar writes. */
export class SidecarFormatError extends CatalogError {
  constructor(path: string, why: string) {
    super(
      'SIDECAR_FORMAT',
      `verification file ${path} is unreadable (${why}); delete it and run dbbackup verify-backup on the archive again`,
    );
  }
}

/**
 * Records a verification beside the archive, so deleting the catalog and syncing loses no result. The file keeps
 * the latest verification at the top and the history of every verification of the same bytes (an entry for other
 * bytes, of an earlier file of that name, is dropped). Written to a temporary file and renamed: never half-written.
 */
export async function writeVerificationSidecar(archivePath: string, verification: SidecarVerification): Promise<void> {
  const path = verificationSidecarPath(archivePath);
  const entry = normalizeEntry(
    verification,
    (why) => new CatalogWriteError(`cannot record the verification of ${archivePath}: ${why}`),
  );
  let history: SidecarVerification[] = [];
  try {
    history = (await readVerificationHistory(archivePath)).filter((older) => older.sha256 === entry.sha256);
  } catch (error) {
    if (!(error instanceof SidecarFormatError)) throw error;
    // A damaged sidecar is replaced by the new result rather than blocking it.
  }
  history.push(entry);
  history.sort((a, b) => a.at.localeCompare(b.at));
  const latest = history.at(-1)!;
  const document = {
    format: SIDECAR_FORMAT,
    formatVersion: SIDECAR_FORMAT_VERSION,
    ...latest,
    history: history.slice(-MAX_HISTORY),
  };
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The latest verification recorded beside the archive; null when there is no sidecar. */
export async function readVerificationSidecar(archivePath: string): Promise<SidecarVerification | null> {
  const history = await readVerificationHistory(archivePath);
  return history.at(-1) ?? null;
}

/** Added to the draft: every verification in the sidecar, oldest first; [] when there is no sidecar. */
export async function readVerificationHistory(archivePath: string): Promise<SidecarVerification[]> {
  const path = verificationSidecarPath(archivePath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new SidecarFormatError(path, 'not JSON');
  }
  if (!isRecord(document) || document.format !== SIDECAR_FORMAT) {
    throw new SidecarFormatError(path, `not a ${SIDECAR_FORMAT} document`);
  }
  if (document.formatVersion !== SIDECAR_FORMAT_VERSION) {
    throw new SidecarFormatError(path, `format version ${String(document.formatVersion)} is not supported`);
  }
  const entries = Array.isArray(document.history) && document.history.length > 0 ? document.history : [document];
  return entries
    .map((entry: unknown) => normalizeEntry(entry, (why) => new SidecarFormatError(path, why)))
    .sort((a: SidecarVerification, b: SidecarVerification) => a.at.localeCompare(b.at));
}

function normalizeEntry(entry: unknown, fail: (why: string) => Error): SidecarVerification {
  if (!isRecord(entry)) throw fail('an entry is not an object');
  const { at, result, kind, detail, sha256 } = entry;
  if (typeof at !== 'string') throw fail('missing time');
  if (!VERIFICATION_RESULTS.includes(result as Verification['result'])) {
    throw fail(`unknown result ${JSON.stringify(result)}`);
  }
  if (!VERIFICATION_KINDS.includes(kind as Verification['kind'])) {
    throw fail(`unknown kind ${JSON.stringify(kind)}`);
  }
  if (detail !== null && detail !== undefined && typeof detail !== 'string') {
    throw fail('detail is not text');
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw fail('missing or malformed sha256');
  }
  let normalizedAt: string;
  try {
    normalizedAt = normalizeTime('verification time', at);
  } catch {
    throw fail(`bad time ${JSON.stringify(at)}`);
  }
  return {
    at: normalizedAt,
    result: result as Verification['result'],
    kind: kind as Verification['kind'],
    detail: typeof detail === 'string' ? detail : null,
    sha256,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
