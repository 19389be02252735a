/**
 * inspectDumpFile on dumps made by the real tools: pg_dump in custom, directory, tar and plain formats (plain also
 * through gzip and zstd) and mariadb-dump, then truncated and corrupted copies of them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveWriter } from '../src/archive-writer.js';
import { inspectDumpFile } from '../src/foreign-dumps/inspect-dump-file.js';
import {
  compressFile,
  createMariadbSource,
  createPgSource,
  dropPgDatabase,
  flippedCopy,
  mariadb,
  mariadbDump,
  pgDump,
  psql,
  toolAvailable,
  truncatedCopy,
  uniqueName,
} from './foreign-dumps-support.js';
import { makeTempDirectory, readAll, writerOptions, writeSample } from './helpers.js';

const hasPgDump = toolAvailable('pg_dump') && toolAvailable('psql');
const hasMariadbDump = toolAvailable('mariadb-dump') && toolAvailable('mariadb');
const hasGzip = toolAvailable('gzip');
const hasZstd = toolAvailable('zstd');

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;
beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory?.remove();
});

/** "; TOC Entries: 8" and the other summary lines pg_restore -l prints. */
function pgRestoreSummary(file: string): Record<string, string> {
  const listing = execFileSync('pg_restore', ['-l', file], { encoding: 'utf8' });
  const summary: Record<string, string> = {};
  for (const match of listing.matchAll(/^;\s+([^:\n]+):\s*(.*)$/gm)) summary[match[1]!.trim()] = match[2]!.trim();
  return summary;
}

describe.skipIf(!hasPgDump)('pg_dump dumps (pg_dump and psql are installed)', () => {
  const database = uniqueName('dbb_foreign_pg');
  const files = {} as Record<'custom' | 'custom0' | 'directory' | 'tar' | 'plain' | 'gzip' | 'zstd', string>;
  let serverVersion: string;

  beforeAll(() => {
    createPgSource(database);
    try {
      serverVersion = psql(database, 'SHOW server_version');
      const at = (name: string) => join(directory.path, name);
      files.custom = at('shop.dump');
      pgDump(database, ['-Fc', '-f', files.custom]);
      files.custom0 = at('shop-z0.dump');
      pgDump(database, ['-Fc', '-Z0', '-f', files.custom0]);
      files.directory = at('shop.dir');
      pgDump(database, ['-Fd', '-f', files.directory]);
      files.tar = at('shop.tar');
      pgDump(database, ['-Ft', '-f', files.tar]);
      files.plain = at('shop.sql');
      pgDump(database, ['-f', files.plain]);
      if (hasGzip) {
        files.gzip = at('shop.sql.gz');
        compressFile('gzip', ['-c'], files.plain, files.gzip);
      }
      if (hasZstd) {
        files.zstd = at('shop.sql.zst');
        compressFile('zstd', ['-q', '-c'], files.plain, files.zstd);
      }
    } finally {
      dropPgDatabase(database);
    }
  });

  it('reads a custom dump: signature, version, TOC entries as pg_restore -l counts them, and every data block', async () => {
    const report = await inspectDumpFile(files.custom);
    const summary = pgRestoreSummary(files.custom);
    expect(report).toMatchObject({
      kind: 'pg-custom',
      signature: 'PGDMP',
      producer: 'pg_dump',
      database,
      status: 'ok',
      reason: null,
      tocEntries: Number(summary['TOC Entries']),
      bytes: statSync(files.custom).size,
    });
    expect(summary['Dump Version']).toBe(report.formatVersion!.replace(/\.(\d+)$/, '-$1'));
    expect(report.serverVersion).toContain(serverVersion);
    expect(report.toolVersion).toBe(summary['Dumped by pg_dump version']);
    expect(report.compression).toMatch(/^gzip/);
    expect(report.dataEntries).toBe(4); // items, empty_table, sales.orders, the large objects
    expect(report.plainBytes).toBeGreaterThan(400_000);
    expect(report.checks.map((check) => [check.check, check.status])).toEqual([
      ['header', 'ok'],
      ['toc', 'ok'],
      ['data', 'ok'],
    ]);
  });

  it('reads an uncompressed custom dump to the same plain size as the compressed one', async () => {
    const [compressed, uncompressed] = await Promise.all([
      inspectDumpFile(files.custom),
      inspectDumpFile(files.custom0),
    ]);
    expect(uncompressed).toMatchObject({ kind: 'pg-custom', status: 'ok', compression: 'none' });
    expect(uncompressed.plainBytes).toBe(compressed.plainBytes);
  });

  it('catches a custom dump cut anywhere: in the header, the TOC, a data block, or between blocks', async () => {
    const size = statSync(files.custom).size;
    const report = await inspectDumpFile(files.custom);
    expect(report.status).toBe('ok');
    // The TOC of this small dump ends well before byte 4000; the data blocks follow it.
    const cuts: Array<[number, 'header' | 'toc' | 'data']> = [
      [20, 'header'],
      [400, 'toc'],
      [Math.floor(size / 2), 'data'],
      [size - 1, 'data'],
    ];
    for (const [cut, check] of cuts) {
      const copy = truncatedCopy(files.custom, directory.path, `cut-${cut}.dump`, cut);
      const damaged = await inspectDumpFile(copy);
      expect(damaged.status, `cut at ${cut}`).toBe('damaged');
      expect(damaged.checks.at(-1)).toMatchObject({ check, status: 'failed' });
      expect(damaged.reason).toMatch(/truncated|damaged|missing/);
    }
  });

  it('catches a custom dump cut exactly between two data blocks (the TOC records where each block is)', async () => {
    expect((await inspectDumpFile(files.custom0)).status).toBe('ok');
    // The large objects' block comes last: type byte 3, then its dump id as an Int (sign byte 0, 4 bytes LE).
    const blobs = execFileSync('pg_restore', ['-l', files.custom0], { encoding: 'utf8' }).match(/^(\d+); .* BLOBS /m);
    const dumpId = Buffer.alloc(4);
    dumpId.writeInt32LE(Number(blobs?.[1]));
    const bytes = readFileSync(files.custom0);
    const lastBlock = bytes.lastIndexOf(Buffer.concat([Buffer.from([0x03, 0x00]), dumpId]));
    expect(lastBlock).toBeGreaterThan(0);
    const copy = truncatedCopy(files.custom0, directory.path, 'cut-between-blocks.dump', lastBlock);
    const damaged = await inspectDumpFile(copy);
    expect(damaged.status).toBe('damaged');
    expect(damaged.reason).toBe(`the data of BLOBS BLOBS (dump id ${blobs?.[1]}) is missing: the file is truncated`);
  });

  it('catches one changed byte inside the compressed table data', async () => {
    const size = statSync(files.custom).size;
    const copy = flippedCopy(files.custom, directory.path, 'flipped.dump', Math.floor(size * 0.6));
    const damaged = await inspectDumpFile(copy);
    expect(damaged).toMatchObject({ kind: 'pg-custom', status: 'damaged' });
    expect(damaged.checks.at(-1)).toMatchObject({ check: 'data', status: 'failed' });
  });

  it('reads a directory dump: toc.dat, every data file present and decompressing', async () => {
    const report = await inspectDumpFile(files.directory);
    expect(report).toMatchObject({
      kind: 'pg-directory',
      status: 'ok',
      database,
      tocEntries: Number(pgRestoreSummary(files.directory)['TOC Entries']),
    });
    expect(report.plainBytes).toBeGreaterThan(400_000);

    const missing = join(directory.path, 'missing.dir');
    cpSync(files.directory, missing, { recursive: true });
    const biggest = readdirSync(missing)
      .filter((name) => name.endsWith('.dat.gz'))
      .sort((a, b) => statSync(join(missing, b)).size - statSync(join(missing, a)).size)[0]!;
    rmSync(join(missing, biggest));
    const withoutFile = await inspectDumpFile(missing);
    expect(withoutFile.status).toBe('damaged');
    expect(withoutFile.reason).toContain(biggest.replace(/\.gz$/, ''));

    const cut = join(directory.path, 'cut.dir');
    cpSync(files.directory, cut, { recursive: true });
    execFileSync('truncate', ['-s', '-100', join(cut, biggest)]);
    const truncated = await inspectDumpFile(cut);
    expect(truncated.status).toBe('damaged');
    expect(truncated.reason).toMatch(new RegExp(`${biggest.replace(/\./g, '\\.')} .*does not decompress`));
  });

  it('reads a tar dump and catches it cut short', async () => {
    const report = await inspectDumpFile(files.tar);
    expect(report).toMatchObject({
      kind: 'pg-tar',
      status: 'ok',
      tocEntries: Number(pgRestoreSummary(files.tar)['TOC Entries']),
    });
    const size = statSync(files.tar).size;
    for (const cut of [size - 1024, Math.floor(size / 2)]) {
      const damaged = await inspectDumpFile(truncatedCopy(files.tar, directory.path, `cut-${cut}.tar`, cut));
      expect(damaged.status, `cut at ${cut}`).toBe('damaged');
      expect(damaged.reason).toMatch(/truncated|missing/);
    }
  });

  it('reads toc.dat on its own as a table of contents', async () => {
    const report = await inspectDumpFile(join(files.directory, 'toc.dat'));
    expect(report).toMatchObject({ kind: 'pg-toc', status: 'ok', signature: 'PGDMP' });
    expect(report.checks.find((check) => check.check === 'data')?.status).toBe('skipped');
  });

  it('reads a plain dump: producer, versions, the completion line; a cut one has none', async () => {
    const report = await inspectDumpFile(files.plain);
    expect(report).toMatchObject({ kind: 'sql', producer: 'pg_dump', compression: 'none', status: 'ok' });
    expect(report.serverVersion).toContain(serverVersion);
    expect(report.toolVersion).toMatch(/^\d+\.\d+/);
    expect(report.checks.find((check) => check.check === 'trailer')?.detail).toContain('dump complete');

    const size = statSync(files.plain).size;
    const cut = await inspectDumpFile(truncatedCopy(files.plain, directory.path, 'cut.sql', Math.floor(size * 0.7)));
    expect(cut).toMatchObject({ kind: 'sql', producer: 'pg_dump', status: 'damaged' });
    expect(cut.reason).toContain('-- PostgreSQL database dump complete');
  });

  it.skipIf(!hasGzip)(
    'reads a gzip-compressed plain dump and catches truncation and a changed byte (gzip installed)',
    async () => {
      const report = await inspectDumpFile(files.gzip);
      expect(report).toMatchObject({ kind: 'sql', compression: 'gzip', producer: 'pg_dump', status: 'ok' });
      expect(report.plainBytes).toBe(statSync(files.plain).size);
      const size = statSync(files.gzip).size;
      const cut = await inspectDumpFile(truncatedCopy(files.gzip, directory.path, 'cut.sql.gz', size - 10));
      expect(cut.status).toBe('damaged');
      expect(cut.checks.find((check) => check.check === 'compression')?.status).toBe('failed');
      const flipped = await inspectDumpFile(
        flippedCopy(files.gzip, directory.path, 'flip.sql.gz', Math.floor(size / 2)),
      );
      expect(flipped.status).toBe('damaged');
    },
  );

  it.skipIf(!hasZstd)('reads a zstd-compressed plain dump and catches truncation (zstd installed)', async () => {
    const report = await inspectDumpFile(files.zstd);
    expect(report).toMatchObject({ kind: 'sql', compression: 'zstd', producer: 'pg_dump', status: 'ok' });
    const size = statSync(files.zstd).size;
    const cut = await inspectDumpFile(truncatedCopy(files.zstd, directory.path, 'cut.sql.zst', Math.floor(size / 2)));
    expect(cut.status).toBe('damaged');
  });

  it('recognises the content, not the name: a custom dump named .sql is still a custom dump', async () => {
    const renamed = join(directory.path, 'misleading.sql');
    copyFileSync(files.custom, renamed);
    expect((await inspectDumpFile(renamed)).kind).toBe('pg-custom');
  });
});

describe.skipIf(!hasMariadbDump)('mariadb-dump dumps (mariadb-dump and mariadb are installed)', () => {
  it('reads a mariadb-dump script and catches it cut short', async () => {
    const database = uniqueName('dbb_foreign_my');
    const file = join(directory.path, 'people.sql');
    createMariadbSource(database);
    try {
      mariadbDump(database, file);
    } finally {
      mariadb(`DROP DATABASE IF EXISTS \`${database}\``);
    }
    const report = await inspectDumpFile(file);
    expect(report).toMatchObject({ kind: 'sql', producer: 'mariadb-dump', database, status: 'ok' });
    expect(report.serverVersion).toMatch(/MariaDB/);
    expect(report.checks.find((check) => check.check === 'trailer')?.detail).toContain('-- Dump completed');

    const cut = await inspectDumpFile(truncatedCopy(file, directory.path, 'people-cut.sql', statSync(file).size - 200));
    expect(cut).toMatchObject({ producer: 'mariadb-dump', status: 'damaged' });
    expect(cut.reason).toContain('-- Dump completed');
  });
});

describe('other files', () => {
  it("takes dbbackup's own SQL script by its header and trailer", async () => {
    const file = join(directory.path, 'script.sql');
    const text = '-- dbbackup SQL script of database "shop" (mariadb 10.11.19)\nCREATE TABLE t (id int);\n';
    writeFileSync(file, `${text}\n-- dbbackup SQL script complete\n`);
    expect(await inspectDumpFile(file)).toMatchObject({
      producer: 'dbbackup',
      database: 'shop',
      serverVersion: 'mariadb 10.11.19',
      status: 'ok',
    });
    writeFileSync(file, text);
    expect(await inspectDumpFile(file)).toMatchObject({ producer: 'dbbackup', status: 'damaged' });
  });

  it('sends a dbbackup archive to diagnoseArchive and refuses what it does not know', async () => {
    const sink = new PassThrough();
    const collected = readAll(sink);
    await writeSample(await ArchiveWriter.create(sink, writerOptions('zstd')));
    const archive = join(directory.path, 'sample.dbb.tar');
    writeFileSync(archive, await collected);
    expect(await inspectDumpFile(archive)).toMatchObject({ kind: 'dbbackup-archive', status: 'unsupported' });

    const binary = join(directory.path, 'random.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255, 7]));
    const unknown = await inspectDumpFile(binary);
    expect(unknown).toMatchObject({ kind: 'unknown', status: 'unsupported' });
    expect(unknown.reason).toContain('not a recognised dump');

    const empty = join(directory.path, 'empty-dir');
    mkdirSync(empty);
    expect((await inspectDumpFile(empty)).kind).toBe('unknown');
  });
});
