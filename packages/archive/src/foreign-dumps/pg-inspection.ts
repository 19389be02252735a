/** Shared by the pg_dump archive inspections: the report skeleton and the header and TOC checks. */
import { type ByteCursor, DumpTruncatedError } from './byte-cursor.js';
import type { DumpCheck, DumpInspection, DumpKind } from './dump-inspection-types.js';
import {
  describeCompression,
  type PgArchiveHeader,
  PgDumpFormatError,
  readPgArchiveHeader,
} from './pg-archive-header.js';
import { type PgTocEntry, readPgToc } from './pg-archive-toc.js';

/** Errors that mean "the bytes are not what pg_dump writes": damage, not a failure of the inspection. */
export function isDumpDamage(error: unknown): error is Error {
  return error instanceof PgDumpFormatError || error instanceof DumpTruncatedError;
}

/** Entries whose data pg_dump stores (table data, large objects, sequence values are in the TOC itself). */
export function dataEntryCount(entries: readonly PgTocEntry[]): number {
  return entries.filter((entry) => entry.hadDumper).length;
}

export class PgInspection {
  readonly checks: DumpCheck[] = [];
  readonly report: DumpInspection;

  constructor(path: string, kind: DumpKind, bytes: number) {
    this.report = {
      path,
      kind,
      signature: 'PGDMP',
      producer: 'pg_dump',
      formatVersion: null,
      serverVersion: null,
      toolVersion: null,
      database: null,
      createdAt: null,
      compression: null,
      tocEntries: null,
      dataEntries: null,
      bytes,
      plainBytes: null,
      status: 'ok',
      reason: null,
      checks: this.checks,
    };
  }

  ok(check: DumpCheck['check'], detail: string): void {
    this.checks.push({ check, status: 'ok', detail });
  }

  skipped(check: DumpCheck['check'], detail: string): void {
    this.checks.push({ check, status: 'skipped', detail });
  }

  /** Records the failed check; the first failure is the report's reason. */
  damaged(check: DumpCheck['check'], detail: string): DumpInspection {
    this.checks.push({ check, status: 'failed', detail });
    this.report.status = 'damaged';
    this.report.reason ??= detail;
    return this.report;
  }

  header(header: PgArchiveHeader): void {
    Object.assign(this.report, {
      formatVersion: header.versionText,
      serverVersion: header.serverVersion,
      toolVersion: header.pgDumpVersion,
      database: header.database,
      createdAt: header.createdAt,
      compression: describeCompression(header),
    });
    const parts = [
      `archive version ${header.versionText}`,
      header.pgDumpVersion ? `pg_dump ${header.pgDumpVersion}` : undefined,
      header.serverVersion ? `server ${header.serverVersion}` : undefined,
      header.database !== null ? `database ${header.database}` : undefined,
      header.createdAt ? `created ${header.createdAt}` : undefined,
      `data ${describeCompression(header)}`,
    ];
    this.ok('header', parts.filter((part) => part !== undefined).join(', '));
  }

  toc(entries: readonly PgTocEntry[]): void {
    this.report.tocEntries = entries.length;
    this.report.dataEntries = dataEntryCount(entries);
    const tables = entries.filter((entry) => entry.desc === 'TABLE DATA').length;
    this.ok('toc', `${entries.length} entries, ${this.report.dataEntries} with data (${tables} tables)`);
  }
}

/** The file names a large-object listing (blobs.toc) holds: one "oid filename" line per large object. */
export function largeObjectFileNames(listing: string): string[] {
  return listing
    .split('\n')
    .map((line) => line.trim().split(' ')[1])
    .filter((name): name is string => name !== undefined && name !== '');
}

/**
 * toc.dat of the directory and tar formats (the custom format's header and TOC, with a file name per data entry):
 * the TOC entries, recorded on the inspection, or the damaged report naming which of the two is broken.
 */
export async function readTocDat(cursor: ByteCursor, inspection: PgInspection): Promise<PgTocEntry[] | DumpInspection> {
  let header: PgArchiveHeader;
  try {
    header = await readPgArchiveHeader(cursor);
  } catch (error) {
    if (isDumpDamage(error)) return inspection.damaged('header', `toc.dat: ${error.message}`);
    throw error;
  }
  inspection.header(header);
  let entries: PgTocEntry[];
  try {
    entries = await readPgToc(cursor, header, 'filename');
  } catch (error) {
    if (isDumpDamage(error)) return inspection.damaged('toc', `toc.dat: ${error.message}`);
    throw error;
  }
  inspection.toc(entries);
  return entries;
}
