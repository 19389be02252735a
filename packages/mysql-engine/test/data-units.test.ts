import { addChecksums, checksumLines } from '@dbbackup/engine-kit';
import { describe, expect, it } from 'vitest';
import { encodeProtocolRow, maxEncodedLength } from '../src/backup/load-data-format.js';
import { type EncodedPart, PartEncoder } from '../src/backup/part-encoder.js';
import { parseEnumMembers } from '../src/backup/select-list.js';
import { type PlannedTable, planWork, selectSql, splitColumnOf } from '../src/backup/work-plan.js';
import { resolveTarget } from '../src/connection/connection-target.js';
import { assertSupportedVersion } from '../src/connection/server-version.js';
import { UnsupportedServerVersionError } from '../src/errors.js';
import { type LoadJob, runLoadSchedule } from '../src/restore/load-schedule.js';
import type { DataLoad } from '../src/restore/restore-plan.js';
import { parseServerVersion } from '../src/schema/index.js';

/** A text-protocol row: each value as a length-encoded string, null as 0xfb. */
function protocolRow(values: (Buffer | string | null)[]): Buffer {
  const pieces: Buffer[] = [];
  for (const value of values) {
    if (value === null) {
      pieces.push(Buffer.from([0xfb]));
      continue;
    }
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const n = bytes.length;
    if (n < 0xfb) pieces.push(Buffer.from([n]));
    else if (n < 0x10000) pieces.push(Buffer.from([0xfc, n & 0xff, n >> 8]));
    else if (n < 0x1000000) pieces.push(Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]));
    else {
      const prefix = Buffer.alloc(9);
      prefix[0] = 0xfe;
      prefix.writeBigUInt64LE(BigInt(n), 1);
      pieces.push(prefix);
    }
    pieces.push(bytes);
  }
  return Buffer.concat(pieces);
}

function encode(values: (Buffer | string | null)[]): Buffer {
  const row = protocolRow(values);
  const out = Buffer.alloc(maxEncodedLength(row.length));
  const end = encodeProtocolRow(row, 0, row.length, out, 0);
  return out.subarray(0, end);
}

/** What LOAD DATA ... FIELDS TERMINATED BY '\t' ESCAPED BY '\\' makes of one line (the reference decoder). */
function loadDataFields(line: Buffer): (Buffer | null)[] {
  const escaped: Record<string, number> = { '0': 0, t: 9, n: 10, r: 13, Z: 26, b: 8 };
  const fields: (Buffer | null)[] = [];
  let current: number[] = [];
  let isNull = false;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === 9) {
      fields.push(isNull ? null : Buffer.from(current));
      current = [];
      isNull = false;
      continue;
    }
    if (line[i] === 0x5c) {
      const next = String.fromCharCode(line[++i]!);
      if (next === 'N' && current.length === 0 && (i + 1 === line.length || line[i + 1] === 9)) isNull = true;
      else current.push(escaped[next] ?? next.charCodeAt(0));
      continue;
    }
    current.push(line[i]!);
  }
  return fields;
}

describe('LOAD DATA encoding of protocol rows', () => {
  it('writes NULL as \\N, separates fields with tabs and escapes exactly the structural bytes', () => {
    expect(encode(['1', null, '', 'NULL', '\\N']).toString('latin1')).toBe('1\t\\N\t\tNULL\t\\\\N');
    expect(encode([Buffer.from([0, 9, 10, 13, 26, 92, 78, 255])]).toString('latin1')).toBe(
      '\\0\\t\\n\\r\\Z\\\\N\u00ff',
    );
  });

  it('round-trips every byte value and every length prefix through the LOAD DATA reading rules', () => {
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const values = [
      allBytes,
      Buffer.alloc(300, 0x5c),
      Buffer.alloc(70_000, 0x09),
      Buffer.alloc(0),
      null,
      Buffer.from('😀 ü', 'utf8'),
    ];
    expect(loadDataFields(encode(values))).toEqual(values);
  });

  it('decodes the 8-byte length prefix of values of 16 MiB and more', () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 3, 0x41);
    const encoded = encode([big, 'x']);
    expect(encoded.length).toBe(big.length + 2);
    expect(encoded.subarray(-2).toString()).toBe('\tx');
  });
});

describe('PartEncoder', () => {
  it('cuts parts at row boundaries, pauses while two parts wait, and its checksums add up', async () => {
    const rows = Array.from({ length: 500 }, (_, i) =>
      protocolRow([String(i), `row ${i}\t${'x'.repeat(i % 50)}`, null]),
    );
    const parts: EncodedPart[] = [];
    const waiting: Array<() => void> = [];
    const events: string[] = [];
    const encoder = new PartEncoder({
      partSizeBytes: 2048,
      reuseBuffers: false,
      onPart: (part) => {
        parts.push({ ...part, chunks: [Buffer.concat(part.chunks)] });
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      onFailure: (error) => {
        throw error;
      },
      flow: { pause: () => events.push('pause'), resume: () => events.push('resume') },
    });
    for (const row of rows) encoder.addRow(row, 0, row.length);
    expect(events[0]).toBe('pause');
    const finished = encoder.finish();
    while (parts.length === 0 || waiting.length > 0) {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(events).toContain('resume');
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      const body = part.chunks[0]!;
      expect(body.length).toBe(part.bytes);
      expect(body.length).toBeLessThanOrEqual(2048 + 200);
      expect(body[body.length - 1]).toBe(10);
    }
    const whole = Buffer.concat(parts.map((part) => part.chunks[0]!));
    const reference = checksumLines(whole);
    expect(parts.reduce((sum, part) => sum + part.rows, 0)).toBe(500);
    expect(reference.rows).toBe(500);
    expect(addChecksums(parts.map((part) => part.checksum))).toBe(reference.checksum);
  });

  it('counts ENUM error-value tokens only where they stand for index 0', async () => {
    const counts: number[] = [];
    const encoder = new PartEncoder({
      partSizeBytes: 1 << 20,
      reuseBuffers: true,
      onPart: async (part) => {
        counts.push(part.enumErrorValues);
      },
      onFailure: () => undefined,
      flow: { pause: () => undefined, resume: () => undefined },
      enumTokenFields: [{ field: 1, tokenLength: 2 }],
    });
    for (const values of [
      ['1', '00', '00'],
      ['2', '0', '00'],
      ['3', '00', null],
      ['4', null, '0'],
    ]) {
      const row = protocolRow(values);
      encoder.addRow(row, 0, row.length);
    }
    await encoder.finish();
    expect(counts).toEqual([2]);
  });
});

describe('select list and work plan', () => {
  it('parses ENUM members as COLUMN_TYPE prints them', () => {
    expect(parseEnumMembers("enum('a','b''c','d\\\\e','x,y','0')")).toEqual(['a', "b'c", 'd\\e', 'x,y', '0']);
  });

  it('splits a dominating table with an integer key into open-ended key ranges', async () => {
    const table: PlannedTable = {
      quotedName: '`t`',
      selectList: '`id`, `v`',
      allHistory: false,
      estimatedBytes: 100 * 1024 * 1024,
      splitColumn: splitColumnOf(['`id`'], () => 'bigint'),
    };
    const small: PlannedTable = { ...table, quotedName: '`s`', estimatedBytes: 1024, splitColumn: null };
    const items = await planWork(
      [small, table],
      { jobs: 2, splitThresholdBytes: 1 << 30, partSizeBytes: 1 << 20 },
      async () => ({
        min: -10n,
        max: 18446744073709551615n,
      }),
    );
    const ranges = items.filter((item) => item.table === table);
    expect(ranges.length).toBeGreaterThan(2);
    expect(ranges[0]!.sql).toBe('SELECT `id`, `v` FROM `t` WHERE `id` < ' + ranges[0]!.range!.to);
    expect(ranges.at(-1)!.range!.to).toBeNull();
    expect(ranges.slice(1).map((item) => item.range!.from)).toEqual(ranges.slice(0, -1).map((item) => item.range!.to));
    expect(items.at(-1)!.table).toBe(small);
    expect(selectSql({ ...table, allHistory: true })).toBe('SELECT `id`, `v` FROM `t` FOR SYSTEM_TIME ALL');
  });

  it('does not split without an integer key or with a single job', async () => {
    expect(splitColumnOf(['`name`'], () => 'varchar')).toBeNull();
    expect(splitColumnOf(null, () => 'int')).toBeNull();
    const table: PlannedTable = {
      quotedName: '`t`',
      selectList: '`id`',
      allHistory: false,
      estimatedBytes: 1 << 30,
      splitColumn: '`id`',
    };
    const items = await planWork([table], { jobs: 1, splitThresholdBytes: 1024, partSizeBytes: 1024 }, async () => {
      throw new Error('not asked');
    });
    expect(items).toHaveLength(1);
  });
});

describe('connections and versions', () => {
  it('refuses MariaDB before 10.3 and MySQL before 5.7', () => {
    expect(() => assertSupportedVersion(parseServerVersion('10.2.44-MariaDB'))).toThrow(UnsupportedServerVersionError);
    expect(() => assertSupportedVersion(parseServerVersion('10.2.44-MariaDB'))).toThrow(
      'MariaDB 10.2 is not supported; dbbackup needs MariaDB 10.3 or newer',
    );
    expect(() => assertSupportedVersion(parseServerVersion('5.6.51-log'))).toThrow(
      'MySQL 5.6 is not supported; dbbackup needs MySQL 5.7 or newer',
    );
    expect(() => assertSupportedVersion(parseServerVersion('10.3.39-MariaDB'))).not.toThrow();
    expect(() => assertSupportedVersion(parseServerVersion('8.4.2'))).not.toThrow();
  });

  it('resolves host, port, socket and user like the mysql client, without a password', () => {
    expect(resolveTarget({ host: 'db', port: 3307, user: 'u' })).toMatchObject({
      host: 'db',
      port: 3307,
      user: 'u',
      description: 'db:3307',
    });
    expect(resolveTarget({ socket: '/run/mysqld/mysqld.sock', user: 'u' }).description).toBe(
      '/run/mysqld/mysqld.sock (socket)',
    );
    expect(JSON.stringify(resolveTarget({ user: 'u' }))).not.toMatch(/password/i);
  });
});

describe('restore load schedule', () => {
  const load = (table: string, part: number): DataLoad =>
    ({ table: { schema: 's', name: table }, entry: { name: `${table}:${part}` } }) as unknown as DataLoad;
  const index = (table: string, dependsOn: string[] = []) => ({
    id: `index:${table}`,
    kind: 'index' as const,
    table,
    statements: [],
    dependsOn,
  });
  const label = (job: LoadJob) => (job.kind === 'load' ? job.load.entry.name : job.item.id);

  it('builds the indexes of a table as soon as its last member is in, before the remaining loads', async () => {
    const started: string[] = [];
    const completed = new Set<string>();
    await runLoadSchedule({
      loads: [load('big', 0), load('big', 1), load('small', 0), load('small', 1), load('tiny', 0)],
      indexItems: [index('big'), index('small'), index('empty'), index('waits', ['other'])],
      concurrency: 2,
      completed,
      run: async (job) => {
        started.push(label(job));
        await new Promise((resolve) => setTimeout(resolve, job.kind === 'index' ? 1 : 5));
      },
    });
    // A table without data builds its indexes at once; big's start before small's second member.
    expect(started[0]).toBe('index:empty');
    expect(started.indexOf('index:big')).toBeLessThan(started.indexOf('small:1'));
    expect(started).not.toContain('index:waits');
    expect([...completed].sort()).toEqual(['index:big', 'index:empty', 'index:small']);
  });

  it('stops starting jobs after a failure and rethrows it', async () => {
    const started: string[] = [];
    const attempt = runLoadSchedule({
      loads: [load('a', 0), load('b', 0), load('c', 0), load('d', 0)],
      indexItems: [],
      concurrency: 1,
      completed: new Set(),
      run: async (job) => {
        started.push(label(job));
        if (label(job) === 'b:0') throw new Error('load failed');
      },
    });
    await expect(attempt).rejects.toThrow('load failed');
    expect(started).toEqual(['a:0', 'b:0']);
  });
});
