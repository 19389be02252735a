import { copyFile, open } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveReader, type MemberEntry } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedTable } from '../src/archive-layout.js';
import { IncompleteRestoreError } from '../src/errors.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { type DataLoad, planLoadUnits } from '../src/restore/restore-plan.js';
import {
  backupToFile,
  connection,
  createDatabase,
  dropDatabase,
  psqlStdin,
  tableFingerprints,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';

function table(name: string): ArchivedTable {
  return {
    schema: 'public',
    name,
    qualifiedName: `"public"."${name}"`,
    columns: '',
    relkind: 'r',
    isPartitionParent: false,
    persistence: 'p',
    estimatedBytes: 0,
    rows: 0,
    checksum: '0',
    bytes: 0,
    parts: 0,
  };
}

function loads(of: ArchivedTable, sizes: number[]): DataLoad[] {
  return sizes.map((plainSize, part) => ({
    table: of,
    entry: { kind: 'data', name: `data/${of.name}-${part}`, part, plainSize } as MemberEntry,
  }));
}

describe('planLoadUnits', () => {
  it('loads each table in one unit, parts in order, with FREEZE, biggest table first', () => {
    const a = table('a');
    const b = table('b');
    // Listed biggest member first, as planRestore sorts them.
    const units = planLoadUnits([...loads(b, [30, 30, 30]), ...loads(a, [40, 10])].reverse(), 2);
    expect(units.map((unit) => [unit.table.name, unit.freeze, unit.entries.map((entry) => entry.part)])).toEqual([
      ['b', true, [0, 1, 2]],
      ['a', true, [0, 1]],
    ]);
  });

  it('splits a table far bigger than its share over the jobs, in consecutive parts, without FREEZE', () => {
    const big = table('big');
    const small = table('small');
    const units = planLoadUnits([...loads(big, [10, 10, 10, 10, 10, 10, 10, 10]), ...loads(small, [5])], 2);
    const bigUnits = units.filter((unit) => unit.table === big);
    expect(bigUnits.map((unit) => unit.entries.map((entry) => entry.part))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(bigUnits.every((unit) => !unit.freeze)).toBe(true);
    expect(units.find((unit) => unit.table === small)?.freeze).toBe(true);
  });

  it('never splits with one job, nor a table of one member', () => {
    const big = table('big');
    expect(planLoadUnits(loads(big, [10, 10, 10]), 1)).toHaveLength(1);
    expect(planLoadUnits([...loads(big, [100]), ...loads(table('x'), [1])], 4)).toHaveLength(2);
  });
});

/** Two multi-part tables with indexes, and a small one, so the restore schedules loads and index builds together. */
const SOURCE_SQL = `
  CREATE TABLE wide (id bigint PRIMARY KEY, payload text NOT NULL);
  INSERT INTO wide SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 60000) g;
  CREATE INDEX wide_payload ON wide (payload);
  CREATE TABLE narrow (id integer PRIMARY KEY, n integer NOT NULL);
  INSERT INTO narrow SELECT g, g % 7 FROM generate_series(1, 600000) g;
  CREATE INDEX narrow_n ON narrow (n);
  CREATE TABLE tiny (id integer PRIMARY KEY);
  INSERT INTO tiny SELECT generate_series(1, 10);`;

describe('restoring tables in units', () => {
  let source: string;
  let archivePath: string;
  let cleanup: (() => Promise<void>) | undefined;
  const created: string[] = [];

  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    source = await createDatabase('pgengine_units');
    created.push(source);
    await psqlStdin(source, SOURCE_SQL);
    archivePath = path.join(temp.dir, 'units.dbb');
    // Small parts: every table but tiny has several data members.
    await backupToFile(source, archivePath, { partSizeBytes: 512 * 1024, splitThresholdBytes: 1024 * 1024 });
  });

  afterAll(async () => {
    await Promise.all(created.map(dropDatabase));
    await cleanup?.();
  });

  it('restores identical rows with valid indexes, the rows written frozen', async () => {
    const reader = await ArchiveReader.open(archivePath);
    const parts = reader.manifest.members.filter((member) => member.kind === 'data' && member.table?.name === 'wide');
    expect(parts.length).toBeGreaterThan(2);
    const target = uniqueName('pgengine_units_copy');
    created.push(target);
    try {
      await restoreDatabase({ connection, reader, database: target, create: true, jobs: 2 });
    } finally {
      await reader.close();
    }
    expect(await tableFingerprints(target)).toEqual(await tableFingerprints(source));
    await withClient(target, async (client) => {
      const invalid = await client.query('SELECT 1 FROM pg_index WHERE NOT indisvalid');
      expect(invalid.rowCount).toBe(0);
      const indexes = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'",
      );
      expect(indexes.rows[0]!.n).toBe(5);
      // COPY FREEZE marks every page all-visible (ANALYZE has counted them); a plain COPY leaves none so.
      const visibility = await client.query<{ relname: string; relpages: number; relallvisible: number }>(
        "SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN ('wide', 'narrow')",
      );
      for (const row of visibility.rows) {
        expect(row.relpages).toBeGreaterThan(0);
        expect(row.relallvisible).toBe(row.relpages);
      }
    });
  });

  it('a damaged later part rolls back every part of its table', async () => {
    const damagedPath = `${archivePath}.damaged`;
    await copyFile(archivePath, damagedPath);
    const reader = await ArchiveReader.open(damagedPath);
    const last = reader.manifest.members
      .filter((member) => member.kind === 'data' && member.table?.name === 'wide')
      .sort((a, b) => (b.part ?? 0) - (a.part ?? 0))[0]!;
    await reader.close();
    const handle = await open(damagedPath, 'r+');
    const position = last.offset + Math.floor(last.storedSize / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, position);
    await handle.close();

    const target = await createDatabase('pgengine_units_damaged');
    created.push(target);
    const damaged = await ArchiveReader.open(damagedPath);
    try {
      await expect(restoreDatabase({ connection, reader: damaged, database: target, jobs: 2 })).rejects.toThrow(
        IncompleteRestoreError,
      );
    } finally {
      await damaged.close();
    }
    // The earlier parts of wide were sent in the same transaction as the damaged one: none of them was committed.
    const rows = await withClient(
      target,
      async (client) => (await client.query('SELECT count(*)::int AS n FROM wide')).rows[0].n,
    );
    expect(rows).toBe(0);
  });
});
