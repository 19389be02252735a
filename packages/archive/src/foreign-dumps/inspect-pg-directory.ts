/**
 * pg_dump's directory format: toc.dat (header and TOC, as in the custom format but with a file name per data
 * entry) and one file per table, `NNNN.dat` plus `.gz`/`.lz4`/`.zst` when compressed. Every data file the TOC
 * names must exist, gzip and zstd files must decompress to their end, and a large-object TOC (`blobs*.toc`, lines
 * of "oid file") must name files that exist. Uncompressed data files carry no checksum, so only their presence is
 * checked.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompressionAlgorithm, createDecompressStream } from '@dbbackup/pipeline';
import { openFileSource } from '../file-source.js';
import { ByteCursor } from './byte-cursor.js';
import type { DumpInspection } from './dump-inspection-types.js';
import { describeTocEntry, type PgTocEntry } from './pg-archive-toc.js';
import { largeObjectFileNames, PgInspection, readTocDat } from './pg-inspection.js';

const DATA_SUFFIXES: ReadonlyArray<{ suffix: string; compression: CompressionAlgorithm | 'lz4' }> = [
  { suffix: '', compression: 'none' },
  { suffix: '.gz', compression: 'gzip' },
  { suffix: '.zst', compression: 'zstd' },
  { suffix: '.lz4', compression: 'lz4' },
];

export async function inspectPgDirectory(path: string, bytes: number): Promise<DumpInspection> {
  const inspection = new PgInspection(path, 'pg-directory', bytes);
  inspection.report.signature = 'PGDMP (toc.dat)';
  const files = new Set(await readdir(path));
  if (!files.has('toc.dat')) {
    inspection.report.status = 'unsupported';
    inspection.report.reason = 'the directory holds a compressed toc.dat; only an uncompressed toc.dat can be read';
    return inspection.report;
  }

  const tocPath = join(path, 'toc.dat');
  const source = await openFileSource(tocPath);
  let entries: PgTocEntry[] | DumpInspection;
  try {
    const cursor = new ByteCursor((offset, length) => source.read(offset, length), 0, await source.size());
    entries = await readTocDat(cursor, inspection);
  } finally {
    await source.close();
  }
  if (!Array.isArray(entries)) return entries;

  const problems: string[] = [];
  let checkedFiles = 0;
  let plainBytes = 0;
  /** Decodes one data file (trying the compression suffixes); returns false when it is missing. */
  const checkFile = async (filename: string, owner: string): Promise<boolean> => {
    const found = DATA_SUFFIXES.find(({ suffix }) => files.has(filename + suffix));
    if (!found) return false;
    const file = filename + found.suffix;
    try {
      plainBytes += await decodedSize(join(path, file), found.compression);
      checkedFiles += 1;
    } catch (error) {
      problems.push(`the data file ${file} of ${owner} does not decompress (${(error as Error).message})`);
    }
    return true;
  };
  for (const entry of entries) {
    const filename = entry.filename;
    if (!entry.hadDumper || !filename) continue;
    const owner = describeTocEntry(entry);
    if (!(await checkFile(filename, owner))) {
      problems.push(`the data file ${filename} of ${owner} is missing`);
      continue;
    }
    // Large objects: blobs.toc lists "oid filename", one file per object.
    if (filename.endsWith('.toc')) {
      for (const name of largeObjectFileNames(await readFile(join(path, filename), 'utf8'))) {
        if (!(await checkFile(name, owner)))
          problems.push(`the large object file ${name} listed in ${filename} is missing`);
      }
    }
  }
  inspection.report.plainBytes = plainBytes;
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    return inspection.damaged('data', `${problems[0]}${more}`);
  }
  inspection.ok('data', `${checkedFiles} data files present; compressed ones decode to their end`);
  return inspection.report;
}

/** Plain bytes of a data file, decoding gzip and zstd (lz4 files are only counted). */
async function decodedSize(file: string, compression: CompressionAlgorithm | 'lz4'): Promise<number> {
  let bytes = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  if (compression === 'lz4') await pipeline(createReadStream(file), counter);
  else await pipeline(createReadStream(file), createDecompressStream(compression), counter);
  return bytes;
}
