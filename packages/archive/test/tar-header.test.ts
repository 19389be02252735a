import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePaxRecords, parsePaxRecords } from '../src/tar/pax.js';
import {
  BLOCK_SIZE,
  encodeMemberHeader,
  endOfArchive,
  MAX_OCTAL_SIZE,
  paddingFor,
  parseHeaderBlock,
  parsePaxOverrides,
} from '../src/tar/tar-header.js';
import { TarStreamParser } from '../src/tar/tar-stream-parser.js';
import { walkTar } from '../src/tar/tar-walk.js';
import { bufferSource, makeTempDirectory } from './helpers.js';

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;

beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

function buildTar(members: { name: string; body: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { name, body } of members) {
    parts.push(encodeMemberHeader(name, body.length, 1_700_000_000), body, Buffer.alloc(paddingFor(body.length)));
  }
  parts.push(endOfArchive());
  return Buffer.concat(parts);
}

const longName = `data/${'very-long-directory-name/'.repeat(6)}000001.copy.zst`;
const unicodeName = `schema/${'ß'.repeat(60)}.sql`; // 120 bytes in UTF-8

describe('tar headers', () => {
  it('writes ustar headers that parse back', () => {
    const block = encodeMemberHeader('data/000017.copy.zst', 12_345, 1_700_000_000);
    expect(block.length).toBe(BLOCK_SIZE);
    expect(block.toString('latin1', 257, 263)).toBe('ustar\u0000');
    expect(parseHeaderBlock(block)).toEqual({
      kind: 'entry',
      name: 'data/000017.copy.zst',
      size: 12_345,
      typeflag: '0',
      mtime: 1_700_000_000,
    });
    const damaged = Buffer.from(block);
    damaged[3]! ^= 1;
    expect(parseHeaderBlock(damaged)).toMatchObject({ kind: 'invalid' });
    expect(parseHeaderBlock(Buffer.alloc(BLOCK_SIZE))).toEqual({ kind: 'end' });
  });

  it('round-trips names longer than 100 bytes through pax headers, readable by tar', async () => {
    const members = [
      { name: 'header.json', body: Buffer.from('{}') },
      { name: longName, body: Buffer.from('long name body\n') },
      { name: unicodeName, body: Buffer.alloc(1000, 0x61) },
      { name: 'manifest.json', body: Buffer.from('{}') },
    ];
    expect(longName.length).toBeGreaterThan(100);
    const archive = buildTar(members);

    const walked = [];
    for await (const step of walkTar(bufferSource(archive), archive.length)) walked.push(step);
    expect(walked.map((step) => (step.kind === 'entry' ? step.entry.name : step.kind))).toEqual([
      ...members.map((member) => member.name),
      'end',
    ]);
    for (const [index, step] of walked.slice(0, -1).entries()) {
      if (step.kind !== 'entry') throw new Error('expected an entry');
      const body = archive.subarray(step.entry.offset, step.entry.offset + step.entry.size);
      expect(body.equals(members[index]!.body)).toBe(true);
    }

    const path = join(directory.path, 'long-names.tar');
    await writeFile(path, archive);
    const listed = execFileSync('tar', ['-tf', path]).toString('utf8').trim().split('\n');
    expect(listed).toEqual(members.map((member) => member.name));
    expect(execFileSync('tar', ['-xOf', path, longName]).toString('utf8')).toBe('long name body\n');
  });

  it('parses the same archive incrementally, whatever the chunking', async () => {
    const members = [
      { name: 'header.json', body: Buffer.from('{"a":1}') },
      { name: longName, body: Buffer.alloc(1537, 0x62) },
      { name: 'data/empty', body: Buffer.alloc(0) },
      { name: 'manifest.json', body: Buffer.from('{}') },
    ];
    const archive = buildTar(members);
    for (const chunkSize of [1, 7, 512, 100_000]) {
      const seen: { name: string; body: Buffer[] }[] = [];
      const parser = new TarStreamParser({
        entryStart: (entry) => seen.push({ name: entry.name, body: [] }),
        entryData: (chunk) => seen.at(-1)!.body.push(Buffer.from(chunk)),
        entryEnd: () => {},
      });
      for (let offset = 0; offset < archive.length; offset += chunkSize) {
        await parser.write(archive.subarray(offset, offset + chunkSize));
      }
      expect(parser.ended).toBe(true);
      expect(seen.map((entry) => entry.name)).toEqual(members.map((member) => member.name));
      seen.forEach((entry, index) => {
        expect(Buffer.concat(entry.body).equals(members[index]!.body)).toBe(true);
      });
    }
  });

  it('records sizes above 8 GiB - 1 in pax (and base-256) form', () => {
    const size = MAX_OCTAL_SIZE + 10;
    const headers = encodeMemberHeader('data/000001.copy', size, 1_700_000_000);
    expect(headers.length).toBe(3 * BLOCK_SIZE);
    const pax = parseHeaderBlock(headers.subarray(0, BLOCK_SIZE));
    expect(pax).toMatchObject({ kind: 'entry', typeflag: 'x' });
    const paxSize = pax.kind === 'entry' ? pax.size : 0;
    expect(parsePaxOverrides(headers.subarray(BLOCK_SIZE, BLOCK_SIZE + paxSize))).toEqual({ size });
    expect(parseHeaderBlock(headers.subarray(2 * BLOCK_SIZE))).toMatchObject({ kind: 'entry', size });
  });

  it('computes pax record lengths across digit boundaries', () => {
    for (const length of [1, 90, 91, 92, 93, 94, 95, 96, 989, 990, 991, 992, 993, 994, 995, 996]) {
      const value = 'v'.repeat(length);
      const encoded = encodePaxRecords({ path: value });
      expect(Number(encoded.toString('latin1').split(' ')[0])).toBe(encoded.length);
      expect(parsePaxRecords(encoded)).toEqual({ path: value });
    }
  });
});
