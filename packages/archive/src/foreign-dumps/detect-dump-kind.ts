/**
 * Tells what a dump file is from its first bytes (and, for a directory, its toc.dat), never from its name alone:
 * "PGDMP" is a pg_dump archive (the format byte says custom or a bare toc.dat), a tar whose first member is toc.dat
 * is pg_dump's tar format and one whose first member is header.json a dbbackup archive, gzip and zstd magic numbers
 * mean a compressed SQL script, and text without NUL bytes a plain one.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import { HEADER_MEMBER_NAME } from '../format.js';
import { BLOCK_SIZE, parseHeaderBlock } from '../tar/tar-header.js';
import type { DumpKind } from './dump-inspection-types.js';
import { PG_DUMP_MAGIC, PG_FORMAT_CUSTOM } from './pg-archive-header.js';

export interface DetectedDump {
  kind: DumpKind;
  /** sql: how the text is compressed. */
  compression: CompressionAlgorithm;
  /** Bytes on disk (for a directory, of the files in it). */
  bytes: number;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Directory dumps keep their table of contents in toc.dat (pg_dump 16+ may compress it). */
export const DIRECTORY_TOC_NAMES = ['toc.dat', 'toc.dat.gz', 'toc.dat.lz4', 'toc.dat.zst'] as const;

export async function detectDumpKind(path: string): Promise<DetectedDump> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const names = await readdir(path);
    let bytes = 0;
    for (const name of names) {
      const file = await stat(join(path, name));
      if (file.isFile()) bytes += file.size;
    }
    const isDump = names.some((name) => (DIRECTORY_TOC_NAMES as readonly string[]).includes(name));
    return { kind: isDump ? 'pg-directory' : 'unknown', compression: 'none', bytes };
  }
  const head = await readHead(path, BLOCK_SIZE);
  return { ...classify(head), bytes: info.size };
}

function classify(head: Buffer): Omit<DetectedDump, 'bytes'> {
  const none = 'none' as const;
  if (head.subarray(0, PG_DUMP_MAGIC.length).equals(PG_DUMP_MAGIC)) {
    return { kind: pgFormatByte(head) === PG_FORMAT_CUSTOM ? 'pg-custom' : 'pg-toc', compression: none };
  }
  if (head.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) return { kind: 'sql', compression: 'gzip' };
  if (head.subarray(0, ZSTD_MAGIC.length).equals(ZSTD_MAGIC)) return { kind: 'sql', compression: 'zstd' };
  const tarName = head.length === BLOCK_SIZE ? tarMemberName(head) : undefined;
  if (tarName === HEADER_MEMBER_NAME) return { kind: 'dbbackup-archive', compression: none };
  if (tarName === 'toc.dat') return { kind: 'pg-tar', compression: none };
  if (tarName !== undefined) return { kind: 'unknown', compression: none };
  // A dbbackup writer killed within its first write leaves less than one block, starting with the member name.
  if (head.subarray(0, HEADER_MEMBER_NAME.length + 1).equals(Buffer.from(`${HEADER_MEMBER_NAME}\u0000`))) {
    return { kind: 'dbbackup-archive', compression: none };
  }
  if (head.length > 0 && !head.includes(0)) return { kind: 'sql', compression: none };
  return { kind: 'unknown', compression: none };
}

/** The format byte: after magic, major, minor, a revision from 1.1 on, intSize and an offSize from 1.7 on. */
function pgFormatByte(head: Buffer): number | undefined {
  const major = head[5] ?? 0;
  const minor = head[6] ?? 0;
  let position = 7;
  if (major > 1 || (major === 1 && minor > 0)) position += 1;
  position += 1; // intSize
  if (major > 1 || (major === 1 && minor >= 7)) position += 1;
  return head[position];
}

function tarMemberName(block: Buffer): string | undefined {
  const parsed = parseHeaderBlock(block);
  return parsed.kind === 'entry' ? parsed.name : undefined;
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
