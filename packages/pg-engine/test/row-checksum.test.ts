import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { copyStreamToParts } from '../src/backup/copy-to-parts.js';
import { planWork } from '../src/backup/work-plan.js';
import { addChecksums, checksumCopyText, EMPTY_CHECKSUM, RowChecksum } from '../src/checksum/row-checksum.js';
import { compileTablePatterns } from '../src/restore/critical-tables.js';

function sampleRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}\tname ${i}\t${'x'.repeat(i % 37)}\t\\N\tü€😀`);
}

describe('row checksum', () => {
  it('does not depend on row order or on how rows are split into parts', () => {
    const rows = sampleRows(1000);
    const whole = checksumCopyText(`${rows.join('\n')}\n`);
    const reversed = checksumCopyText(`${[...rows].reverse().join('\n')}\n`);
    const parts = [rows.slice(0, 10), rows.slice(10, 500), rows.slice(500)].map((part) =>
      checksumCopyText(`${part.join('\n')}\n`),
    );
    expect(whole.rows).toBe(1000);
    expect(reversed).toEqual(whole);
    expect(addChecksums(parts.map((part) => part.checksum))).toBe(whole.checksum);
  });

  it('distinguishes content, including lines that differ only in one byte or in length', () => {
    const a = checksumCopyText('abc\n');
    expect(checksumCopyText('abd\n').checksum).not.toBe(a.checksum);
    expect(checksumCopyText('abc \n').checksum).not.toBe(a.checksum);
    expect(checksumCopyText('\n').checksum).not.toBe(EMPTY_CHECKSUM);
    expect(checksumCopyText('').checksum).toBe(EMPTY_CHECKSUM);
    expect(checksumCopyText('abc\nabc\n').checksum).not.toBe(a.checksum);
  });

  it('ignores an unfinished last line and reports where it starts', () => {
    const checksum = new RowChecksum();
    const bytes = Buffer.from('one\ntwo\nthr');
    expect(checksum.addLines(bytes, 0, bytes.length)).toBe(8);
    expect(checksum.rows).toBe(2);
  });

  it('wraps around 2^64 when adding', () => {
    expect(addChecksums(['ffffffffffffffff', '0000000000000002'])).toBe('0000000000000001');
  });
});

describe('copyStreamToParts', () => {
  it('cuts at line boundaries whatever the chunking, and the parts add up to the whole', async () => {
    const rows = sampleRows(5000);
    rows.push('y'.repeat(50_000)); // longer than a part: the buffer grows
    const text = Buffer.from(`${rows.join('\n')}\n`);
    const whole = checksumCopyText(text);
    const chunks: Buffer[] = [];
    for (let offset = 0, size = 1; offset < text.length; offset += size, size = (size * 7) % 9001 || 1) {
      chunks.push(text.subarray(offset, offset + size));
    }
    const parts: { rows: number; checksum: string; body: Buffer }[] = [];
    await copyStreamToParts(Readable.from(chunks), { partSizeBytes: 16 * 1024, reuseBuffers: false }, async (part) => {
      parts.push(part);
    });
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) expect(part.body.at(-1)).toBe(10);
    expect(Buffer.concat(parts.map((part) => part.body)).equals(text)).toBe(true);
    expect(parts.reduce((sum, part) => sum + part.rows, 0)).toBe(whole.rows);
    expect(addChecksums(parts.map((part) => part.checksum))).toBe(whole.checksum);
  });

  it('reuses part buffers only after the receiver is done with them', async () => {
    const text = Buffer.from(`${sampleRows(20000).join('\n')}\n`);
    const chunks = Array.from({ length: Math.ceil(text.length / 1000) }, (_, i) =>
      text.subarray(i * 1000, i * 1000 + 1000),
    );
    const copies: Buffer[] = [];
    await copyStreamToParts(Readable.from(chunks), { partSizeBytes: 64 * 1024, reuseBuffers: true }, async (part) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      copies.push(Buffer.from(part.body));
    });
    expect(copies.length).toBeGreaterThan(5);
    expect(Buffer.concat(copies).equals(text)).toBe(true);
  });

  it('rejects COPY output that ends mid-row', async () => {
    await expect(
      copyStreamToParts(
        Readable.from([Buffer.from('a\nb')]),
        { partSizeBytes: 1024, reuseBuffers: true },
        async () => {},
      ),
    ).rejects.toThrow(/middle of a row/);
  });
});

describe('planWork', () => {
  const table = (name: string, estimatedBytes: number, pages: number) => ({
    oid: 1,
    qualifiedName: `public.${name}`,
    columns: '"id"',
    estimatedBytes,
    pages,
  });
  const options = { jobs: 2, serverVersionNum: 150000, splitThresholdBytes: 1_000_000, partSizeBytes: 100_000 };

  it('splits big tables into ctid ranges covering every block, the last one open-ended', () => {
    const items = planWork([table('big', 5_000_000, 610), table('small', 1000, 1)], options);
    const big = items.filter((item) => item.table.qualifiedName === 'public.big');
    expect(big.length).toBeGreaterThan(1);
    expect(big[0]!.range!.fromPage).toBe(0);
    expect(big.at(-1)!.range!.toPage).toBeNull();
    expect(big.at(-1)!.sql).not.toMatch(/ctid </);
    expect(big[0]!.sql).toMatch(/FROM ONLY public\.big WHERE ctid < '\(\d+,0\)'::tid/);
    expect(items.at(-1)!.table.qualifiedName).toBe('public.small');
  });

  it('does not split below PostgreSQL 14', () => {
    const items = planWork([table('big', 5_000_000, 610)], { ...options, serverVersionNum: 130000 });
    expect(items).toHaveLength(1);
    expect(items[0]!.sql).toBe('COPY public.big ("id") TO STDOUT');
  });
});

describe('critical table patterns', () => {
  it('matches table names and schema-qualified names', () => {
    const match = compileTablePatterns(['user*, billing.pay?ent']);
    expect(match({ schema: 'public', name: 'users' })).toBe(true);
    expect(match({ schema: 'billing', name: 'payment' })).toBe(true);
    expect(match({ schema: 'public', name: 'payment' })).toBe(false);
    expect(match({ schema: 'public', name: 'superusers' })).toBe(false);
  });
});
