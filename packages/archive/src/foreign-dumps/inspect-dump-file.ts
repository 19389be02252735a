/**
 * Looks into a dump made by another tool (or dbbackup's own SQL script) without restoring it: recognises it by
 * content, reads it as far as it can be checked, and reports what it is and whether it is complete and intact.
 */
import { detectDumpKind } from './detect-dump-kind.js';
import type { DumpInspection, DumpKind } from './dump-inspection-types.js';
import { inspectPgArchiveFile } from './inspect-pg-custom.js';
import { inspectPgDirectory } from './inspect-pg-directory.js';
import { inspectPgTar } from './inspect-pg-tar.js';
import { inspectSqlDump } from './inspect-sql-dump.js';

export async function inspectDumpFile(path: string): Promise<DumpInspection> {
  const detected = await detectDumpKind(path);
  switch (detected.kind) {
    case 'pg-custom':
    case 'pg-toc':
      return inspectPgArchiveFile(path, detected.bytes);
    case 'pg-directory':
      return inspectPgDirectory(path, detected.bytes);
    case 'pg-tar':
      return inspectPgTar(path, detected.bytes);
    case 'sql':
      return inspectSqlDump(path, detected.bytes, detected.compression);
    case 'dbbackup-archive':
      return unsupported(path, detected.kind, detected.bytes, 'a dbbackup archive: diagnose it with diagnoseArchive');
    case 'unknown':
      return unsupported(
        path,
        detected.kind,
        detected.bytes,
        'not a recognised dump: neither a pg_dump archive (custom, directory or tar) nor SQL text (plain, gzip or zstd)',
      );
  }
}

function unsupported(path: string, kind: DumpKind, bytes: number, reason: string): DumpInspection {
  return {
    path,
    kind,
    signature: kind === 'dbbackup-archive' ? 'tar + header.json' : 'unknown',
    producer: null,
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
    status: 'unsupported',
    reason,
    checks: [{ check: 'signature', status: 'failed', detail: reason }],
  };
}
