import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecompressStream } from '@dbbackup/pipeline';
import type { SqlScriptExtension } from './backup-file-name.js';

/** The first comment of a dbbackup SQL script: `-- dbbackup SQL script of database "shop" (PostgreSQL 15.4)`. */
const HEADER_LINE = /^-- dbbackup SQL script of database ("(?:[^"\\]|\\.)*") \((\S+) ([^)]*)\)$/m;
/** The engines write it last; a script cut off mid-write lacks it. */
const COMPLETION_TRAILER = '-- dbbackup SQL script complete';
const PG_WAL_POSITION = /^-- one consistent snapshot, WAL position (\S+)$/m;
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 256;

export interface SqlScriptProbe {
  /** Null when the file has no dbbackup header line: not a dbbackup script. */
  header: { database: string; engine: string; serverVersion: string } | null;
  /** The completion trailer is the script's last line. */
  complete: boolean;
  /** PostgreSQL scripts name their WAL position. */
  consistency: Record<string, unknown> | null;
  /** sha256 of the file's bytes (compressed, as stored), when asked for. */
  sha256: string | undefined;
  /** Why the file could not be read to its end (damaged or truncated compression). */
  readError: string | null;
}

/**
 * Reads a SQL script once from start to end: the stored bytes are hashed while they are decompressed, the first
 * 64 KiB of SQL are kept for the header and the last bytes for the completion trailer.
 */
export async function probeSqlScript(
  path: string,
  extension: SqlScriptExtension,
  options: { hash: boolean },
): Promise<SqlScriptProbe> {
  const hash = options.hash ? createHash('sha256') : undefined;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail = Buffer.alloc(0);
  let readError: string | null = null;
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: 1024 * 1024 }),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash?.update(chunk);
          callback(null, chunk);
        },
      }),
      createDecompressStream(algorithmOf(extension)),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (headBytes < HEAD_BYTES) {
            const part = chunk.subarray(0, HEAD_BYTES - headBytes);
            head.push(part);
            headBytes += part.length;
          }
          tail = Buffer.concat([tail, chunk.subarray(Math.max(0, chunk.length - TAIL_BYTES))]).subarray(-TAIL_BYTES);
          callback();
        },
      }),
    );
  } catch (error) {
    readError = error instanceof Error ? error.message : String(error);
  }
  const headText = Buffer.concat(head).toString('utf8');
  return {
    header: parseHeader(headText),
    complete: readError === null && tail.toString('utf8').trimEnd().endsWith(COMPLETION_TRAILER),
    consistency: parseConsistency(headText),
    sha256: readError === null ? hash?.digest('hex') : undefined,
    readError,
  };
}

function algorithmOf(extension: SqlScriptExtension): 'zstd' | 'gzip' | 'none' {
  if (extension === '.sql.zst') return 'zstd';
  if (extension === '.sql.gz') return 'gzip';
  return 'none';
}

function parseHeader(text: string): SqlScriptProbe['header'] {
  const match = HEADER_LINE.exec(text);
  if (!match) return null;
  let database: unknown;
  try {
    database = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  if (typeof database !== 'string') return null;
  // 'PostgreSQL' → 'postgresql' (pg-engine's engine name); the MySQL engine writes its flavor: 'mysql' / 'mariadb'.
  return { database, engine: match[2]!.toLowerCase(), serverVersion: match[3]!.trim() };
}

function parseConsistency(text: string): Record<string, unknown> | null {
  const match = PG_WAL_POSITION.exec(text);
  return match ? { lsn: match[1] } : null;
}
