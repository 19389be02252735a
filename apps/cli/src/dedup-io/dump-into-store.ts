import { PassThrough } from 'node:stream';
import type { SqlScriptOptions, SqlScriptResult } from '@dbbackup/archive';
import type { BackupOptions, BackupResult, DedupStore } from '@dbbackup/dedup-store';

/** Buffered between the engine and the chunker: enough to keep both busy, small enough to stay constant memory. */
const SINK_BUFFER_BYTES = 4 * 1024 * 1024;

export interface DumpIntoStoreRequest {
  store: DedupStore;
  writeSqlScript: (options: SqlScriptOptions) => Promise<SqlScriptResult>;
  /** The engine's options (connection, logger, progress) and the database; sink, signal and row order are set here. */
  script: Omit<SqlScriptOptions, 'sink' | 'signal' | 'orderByPrimaryKey'>;
  snapshot: Omit<BackupOptions, 'signal'>;
  /** Ctrl-C: stops both sides. */
  signal: AbortSignal;
}

/**
 * Streams an engine's plain SQL script straight into the store: no file, constant memory. Rows are written in
 * primary-key order, so unchanged stretches of a table give the same bytes day after day and deduplicate (heap order
 * shifts whenever PostgreSQL reuses free space). The script is uncompressed: the store compresses each chunk itself,
 * and compressed input would not deduplicate at all.
 *
 * Whichever side fails first stops the other: a failed dump destroys the stream, so the store writes no snapshot; a
 * failed store (a lock, the storage) aborts the dump. Both are settled before this returns, and the first error is
 * the one reported.
 */
export async function dumpIntoStore(
  request: DumpIntoStoreRequest,
): Promise<{ script: SqlScriptResult; backup: BackupResult }> {
  const sink = new PassThrough({ highWaterMark: SINK_BUFFER_BYTES });
  const dumpFailed = new AbortController();
  const storeFailed = new AbortController();
  let firstError: unknown;
  const failed = (side: AbortController) => (error: unknown) => {
    firstError ??= error;
    side.abort(error);
    if (!sink.destroyed) sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  };
  const dump = request
    .writeSqlScript({
      ...request.script,
      sink,
      orderByPrimaryKey: true,
      signal: AbortSignal.any([request.signal, storeFailed.signal]),
    })
    .catch(failed(dumpFailed));
  const stored = request.store
    .backup(sink, { ...request.snapshot, signal: AbortSignal.any([request.signal, dumpFailed.signal]) })
    .catch(failed(storeFailed));
  const [script, backup] = await Promise.allSettled([dump, stored]);
  if (script.status === 'rejected' || backup.status === 'rejected') throw firstError;
  return { script: script.value, backup: backup.value };
}
