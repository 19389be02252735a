import { Readable } from 'node:stream';
import { addChecksums, checksumLines as checksumCopyText } from '@dbbackup/engine-kit';
import { describe, expect, it } from 'vitest';
import { copyStreamToParts } from '../src/backup/copy-to-parts.js';
import { planWork } from '../src/backup/work-plan.js';

function sampleRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}\tname ${i}\t${'x'.repeat(i % 37)}\t\\N\tü€😀`);
}

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
