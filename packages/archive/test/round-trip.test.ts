import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../src/archive-reader.js';
import { ArchiveWriter } from '../src/archive-writer.js';
import { FORMAT_VERSION } from '../src/format.js';
import {
  bufferSource,
  makeMasterKey,
  makeTempDirectory,
  manifestFields,
  readAll,
  sha256,
  writerOptions,
  writeSample,
} from './helpers.js';

const algorithms = ['zstd', 'gzip', 'none'] as const;
let directory: Awaited<ReturnType<typeof makeTempDirectory>>;

beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

describe.each(algorithms)('round trip with %s compression', (algorithm) => {
  it.each([false, true])('encrypted: %s', async (encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const path = join(directory.path, `round-${algorithm}-${encrypted}.dbb`);
    const writer = await ArchiveWriter.createFile(path, writerOptions(algorithm, masterKey));
    const { entries, result, members } = await writeSample(writer);

    const fileBytes = await readFile(path);
    expect(result.path).toBe(path);
    expect(result.bytes).toBe(fileBytes.length);
    expect(result.sha256).toBe(sha256(fileBytes));
    expect(fileBytes.length % 512).toBe(0);

    const keyProvider = masterKey ? async () => masterKey : undefined;
    const reader = await ArchiveReader.open(path, keyProvider ? { keyProvider } : {});
    try {
      expect(reader.encrypted).toBe(encrypted);
      expect(reader.header.formatVersion).toBe(FORMAT_VERSION);
      expect(reader.header.compression.algorithm).toBe(algorithm);
      expect(reader.manifest).toEqual(result.manifest);
      expect(reader.manifest).toMatchObject({ ...manifestFields(), engine: 'postgresql', toolVersion: '0.1.0-test' });
      expect(reader.manifest.encryption).toEqual(encrypted ? reader.header.encryption : null);
      expect(reader.manifest.members).toEqual(entries);

      const extension = { zstd: '.zst', gzip: '.gz', none: '' }[algorithm];
      expect(entries.map((entry) => entry.name)).toEqual([
        `schema/000001.sql${extension}`,
        `data/000002.copy${extension}`,
        `data/000003.copy${extension}`,
        `data/000004.copy${extension}`,
        `data/000005.copy${extension}`,
        `schema/000006.sql${extension}`,
      ]);
      for (const [index, entry] of entries.entries()) {
        const member = members[index]!;
        expect(entry).toMatchObject(member.meta);
        expect(entry.plainSize).toBe(member.body.length);
        // The offset points at the stored bytes, which hash to the recorded sha256.
        const stored = fileBytes.subarray(entry.offset, entry.offset + entry.storedSize);
        expect(sha256(stored)).toBe(entry.sha256);
        expect(entry.offset % 512).toBe(0);
        if (algorithm === 'none' && !encrypted) expect(stored.equals(member.body)).toBe(true);
        const plain = await readAll(reader.openMember(entry));
        expect(plain.equals(member.body)).toBe(true);
      }
      expect(await reader.readMemberText(entries[0]!)).toBe('CREATE TABLE public.t (id int);\n');
      const verified: string[] = [];
      await reader.verify({ onMember: (entry) => verified.push(entry.name) });
      expect(verified).toEqual(entries.map((entry) => entry.name));
    } finally {
      await reader.close();
    }
  });
});

describe('other sinks and sources', () => {
  it('writes to any Writable and reads from any RandomAccessSource', async () => {
    const masterKey = makeMasterKey();
    const sink = new PassThrough();
    const collected = readAll(sink);
    const writer = await ArchiveWriter.create(sink, writerOptions('zstd', masterKey));
    const { entries, result, members } = await writeSample(writer);
    const bytes = await collected;
    expect(result.path).toBeUndefined();
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(sha256(bytes));

    const reader = await ArchiveReader.open(bufferSource(bytes), { keyProvider: async () => masterKey });
    for (const [index, entry] of entries.entries()) {
      expect((await readAll(reader.openMember(entry))).equals(members[index]!.body)).toBe(true);
    }
    await reader.verify();
    await reader.close();
  });

  it('reads members in parallel from one source', async () => {
    const path = join(directory.path, 'parallel-read.dbb');
    const { entries, members } = await writeSample(await ArchiveWriter.createFile(path, writerOptions('gzip')));
    const reader = await ArchiveReader.open(path);
    const bodies = await Promise.all(entries.map((entry) => readAll(reader.openMember(entry))));
    bodies.forEach((body, index) => {
      expect(body.equals(members[index]!.body)).toBe(true);
    });
    await reader.close();
  });

  it('writes an archive with no members', async () => {
    const sink = new PassThrough();
    const collected = readAll(sink);
    const writer = await ArchiveWriter.create(sink, writerOptions('none'));
    const { manifest } = await writer.finish(manifestFields());
    expect(manifest.members).toEqual([]);
    const reader = await ArchiveReader.open(bufferSource(await collected));
    expect(reader.manifest.members).toEqual([]);
    await reader.verify();
  });
});
