import { addChecksums, checksumLines as checksumCopyText } from '@dbbackup/engine-kit';
import { describe, expect, it } from 'vitest';
import { CopyFrameParser } from '../src/backup/copy-frame-parser.js';
import { planWork } from '../src/backup/work-plan.js';

function sampleRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}\tname ${i}\t${'x'.repeat(i % 37)}\t\\N\tü€😀`);
}

function message(code: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = code.charCodeAt(0);
  header.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

/** A COPY TO STDOUT response as the server sends it: CopyOutResponse, one CopyData per row, a notice, CopyDone. */
function copyResponse(lines: string[]): Buffer {
  const messages = [message('H', Buffer.from([0, 0, 1, 0, 0]))];
  lines.forEach((line, i) => {
    messages.push(message('d', Buffer.from(`${line}\n`)));
    if (i === 7) messages.push(message('N', Buffer.from('SNOTICE\0Mhello\0\0')));
  });
  messages.push(message('c', Buffer.alloc(0)), message('C', Buffer.from('COPY 1\0')), message('Z', Buffer.from('I')));
  return Buffer.concat(messages);
}

interface Part {
  body: Buffer;
  rows: number;
  checksum: string;
}

/** Drives a parser the way CopyOutParts does; returns the parts and the bytes left after CopyDone. */
function parseChunks(chunks: Buffer[], partBytes: number): { parts: Part[]; rest: Buffer } {
  const parser = CopyFrameParser.acquire(partBytes);
  const parts: Part[] = [];
  const cut = () => {
    const rows = parser.rows;
    const checksum = parser.checksum;
    const body = Buffer.alloc(parser.complete);
    parser.cutInto(body);
    parts.push({ body, rows, checksum });
  };
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      if (parser.filled === parser.capacity) {
        if (parser.complete === 0) parser.grow();
        else cut();
      }
      offset += parser.feed(chunk, offset);
      const stop = parser.stop;
      if (stop.kind === 'end') {
        expect(String.fromCharCode(stop.code)).toBe('c');
        if (parser.complete > 0) cut();
        expect(parser.filled).toBe(0);
        parser.release();
        return { parts, rest: chunk.subarray(offset + stop.payloadBytes) };
      }
      expect(stop.kind).toBe('none');
    }
  }
  throw new Error('no CopyDone');
}

describe('CopyFrameParser (WebAssembly)', () => {
  it('strips the framing, cuts at line boundaries whatever the chunking, and hashes like RowChecksum', () => {
    const rows = sampleRows(5000);
    rows.push('y'.repeat(50_000)); // longer than a part: the part area grows
    rows.push('', 'z');
    const text = Buffer.from(`${rows.join('\n')}\n`);
    const whole = checksumCopyText(text);
    const response = copyResponse(rows);
    const chunks: Buffer[] = [];
    for (let offset = 0, size = 1; offset < response.length; offset += size, size = (size * 7) % 9001 || 1) {
      chunks.push(response.subarray(offset, offset + size));
    }
    const { parts, rest } = parseChunks(chunks, 16 * 1024);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) expect(part.body.at(-1)).toBe(10);
    expect(Buffer.concat(parts.map((part) => part.body)).equals(text)).toBe(true);
    expect(parts.reduce((sum, part) => sum + part.rows, 0)).toBe(whole.rows);
    expect(addChecksums(parts.map((part) => part.checksum))).toBe(whole.checksum);
    // What follows CopyDone (CommandComplete, ReadyForQuery) is left for the driver.
    expect(rest.subarray(0, 1).toString()).toBe('C');
  });

  it('gives the same checksum as RowChecksum for every line length and byte value', () => {
    const lines: string[] = [];
    for (let length = 0; length < 70; length++) {
      lines.push(Array.from({ length }, (_, i) => String.fromCharCode(1 + ((i * 31 + length) % 254))).join(''));
    }
    const safe = lines.map((line) => line.replaceAll('\n', ' '));
    const { parts } = parseChunks([copyResponse(safe)], 1 << 20);
    const text = Buffer.from(`${safe.join('\n')}\n`);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.body.equals(text)).toBe(true);
    expect(parts[0]).toMatchObject(checksumCopyText(text));
  });

  it('stops at an ErrorResponse without consuming it', () => {
    const parser = CopyFrameParser.acquire(1024);
    const error = message('E', Buffer.from('SERROR\0Mboom\0\0'));
    const bytes = Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('d', Buffer.from('a\n')), error]);
    const consumed = parser.feed(bytes, 0);
    expect(parser.stop).toEqual({ kind: 'error-response' });
    expect(bytes.subarray(consumed).equals(error)).toBe(true);
    expect(parser.complete).toBe(2);
    parser.release();
  });

  it('a pooled parser starts clean', () => {
    const first = CopyFrameParser.acquire(1024);
    first.feed(Buffer.concat([message('H', Buffer.alloc(3)), message('d', Buffer.from('half'))]), 0);
    first.release();
    const second = CopyFrameParser.acquire(1024);
    expect(second.filled).toBe(0);
    expect(second.rows).toBe(0);
    second.release();
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
