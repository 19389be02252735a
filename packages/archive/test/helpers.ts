import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { computeKeyId, createDataKey, type MasterKey, wrapDataKey } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import type { ArchiveWriter, ArchiveWriterOptions } from '../src/archive-writer.js';
import type { ManifestFields, MemberEntry, MemberMeta } from '../src/manifest-types.js';
import type { RandomAccessSource } from '../src/random-access-source.js';

export async function makeTempDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'dbbackup-archive-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function makeMasterKey(): MasterKey {
  const key = randomBytes(32);
  return { keyId: computeKeyId(key), key };
}

export function writerOptions(algorithm: CompressionAlgorithm, masterKey?: MasterKey): ArchiveWriterOptions {
  const options: ArchiveWriterOptions = { engine: 'postgresql', toolVersion: '0.1.0-test', compression: { algorithm } };
  if (masterKey) {
    const dataKey = createDataKey();
    options.encryption = { dataKey, header: wrapDataKey(dataKey, masterKey) };
  }
  return options;
}

/** Deterministic text that compresses like a table dump (not trivially). */
export function dumpText(bytes: number, seed: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let row = 0; length < bytes; row++) {
    const digest = createHash('sha256').update(`${seed}:${row}`).digest('hex');
    const line = `${row}\t${digest.slice(0, 8 + (row % 40))}\t${(row * 7919) % 100_003}\t2024-01-${String((row % 28) + 1).padStart(2, '0')}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join(''), 'utf8').subarray(0, bytes);
}

export interface SampleMember {
  meta: MemberMeta;
  extension: string;
  body: Buffer;
}

/** A schema member, four data members (one empty, one 5 MB, one streamed) and a post-data schema member. */
export function sampleMembers(): SampleMember[] {
  return [
    {
      meta: { kind: 'schema', label: 'pre-data' },
      extension: '.sql',
      body: Buffer.from('CREATE TABLE public.t (id int);\n'),
    },
    {
      meta: { kind: 'data', table: { schema: 'public', name: 'small' }, part: 0, rows: 3, checksum: 'abc' },
      extension: '.copy',
      body: Buffer.from('1\tone\n2\ttwo\n3\tthree\n'),
    },
    {
      meta: { kind: 'data', table: { schema: 'public', name: 'empty' }, rows: 0 },
      extension: '.copy',
      body: Buffer.alloc(0),
    },
    {
      meta: { kind: 'data', table: { schema: 'sales', name: 'big' }, part: 0, rows: 1, extra: { note: 'five MB' } },
      extension: '.copy',
      body: dumpText(5 * 1024 * 1024, 1),
    },
    {
      meta: { kind: 'data', table: { schema: 'sales', name: 'odd' }, rows: 2 },
      extension: '.copy',
      body: dumpText(70_001, 2),
    },
    {
      meta: { kind: 'schema', label: 'post-data' },
      extension: '.sql',
      body: Buffer.from('CREATE INDEX ON public.t (id);\n'),
    },
  ];
}

export function manifestFields(): ManifestFields {
  return {
    serverVersion: '15.4',
    database: 'shop',
    cluster: false,
    startedAt: '2024-05-01T10:00:00.000Z',
    finishedAt: '2024-05-01T10:05:00.000Z',
    consistency: { snapshot: '00000003-0000001B-1', lsn: '0/1A2B3C4' },
    extra: { jobs: 4 },
  };
}

/** Writes the sample members (the streamed ones as Readables, the rest as Buffers) and finishes. */
export async function writeSample(writer: ArchiveWriter, members = sampleMembers()) {
  const entries: MemberEntry[] = [];
  for (const [index, member] of members.entries()) {
    const body = index % 2 === 0 ? member.body : Readable.from(chunked(member.body, 100_000));
    entries.push(await writer.addMember(member.meta, body, member.extension));
  }
  const result = await writer.finish(manifestFields());
  return { entries, result, members };
}

function* chunked(buffer: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

/** An in-memory RandomAccessSource, as a cloud backend would provide with ranged reads. */
export function bufferSource(buffer: Buffer, description = 'memory://archive'): RandomAccessSource {
  return {
    description,
    size: async () => buffer.length,
    read: async (offset, length) => Buffer.from(buffer.subarray(offset, offset + length)),
    createReadStream: (offset, length) => Readable.from(chunked(buffer.subarray(offset, offset + length), 65_536)),
    close: async () => {},
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}
