import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../src/archive-reader.js';
import { ArchiveWriter } from '../src/archive-writer.js';
import { ArchiveExistsError, ArchiveWriterStateError, IncompleteBackupError } from '../src/errors.js';
import {
  dumpText,
  makeMasterKey,
  makeTempDirectory,
  manifestFields,
  readAll,
  sampleMembers,
  writerOptions,
} from './helpers.js';

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;

beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('file writers', () => {
  it('abort() leaves neither a .partial nor the final file', async () => {
    const path = join(directory.path, 'aborted.dbb');
    const writer = await ArchiveWriter.createFile(path, writerOptions('zstd'));
    expect(await exists(`${path}.partial`)).toBe(true);
    await writer.addMember({ kind: 'data' }, dumpText(300_000, 5), '.copy');
    await writer.abort(new Error('the database went away'));
    await writer.abort(); // idempotent
    expect(await exists(`${path}.partial`)).toBe(false);
    expect(await exists(path)).toBe(false);
    await expect(writer.addMember({ kind: 'data' }, 'x')).rejects.toBeInstanceOf(ArchiveWriterStateError);
    await expect(writer.finish(manifestFields())).rejects.toBeInstanceOf(ArchiveWriterStateError);
  });

  it('refuses to overwrite an existing backup, and a .partial in progress', async () => {
    const path = join(directory.path, 'existing.dbb');
    await writeFile(path, 'precious');
    const error = await ArchiveWriter.createFile(path, writerOptions('zstd')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArchiveExistsError);
    expect((error as Error).message).toBe(
      `backup ${path} already exists; choose another name (backups are never overwritten)`,
    );
    expect(await exists(`${path}.partial`)).toBe(false);

    const other = join(directory.path, 'in-progress.dbb');
    const first = await ArchiveWriter.createFile(other, writerOptions('zstd'));
    await expect(ArchiveWriter.createFile(other, writerOptions('zstd'))).rejects.toBeInstanceOf(ArchiveExistsError);
    await first.finish(manifestFields());
    expect(await exists(other)).toBe(true);
    expect(await exists(`${other}.partial`)).toBe(false);
    await expect(ArchiveWriter.createFile(other, writerOptions('zstd'))).rejects.toBeInstanceOf(ArchiveExistsError);
  });

  it('a killed writer leaves only the .partial, which open() rejects as incomplete', async () => {
    const path = join(directory.path, 'killed.dbb');
    const child = spawn(
      process.execPath,
      [
        '--import',
        fileURLToPath(new URL('./fixtures/resolve-ts-hooks.mjs', import.meta.url)),
        fileURLToPath(new URL('./fixtures/killed-writer.ts', import.meta.url)),
        path,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit');
    let stdout = '';
    for await (const chunk of child.stdout) {
      stdout += (chunk as Buffer).toString();
      if (stdout.includes('ready')) break;
    }
    expect(stdout, stderr).toContain('ready');
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');

    const files = await readdir(directory.path);
    expect(files).toContain('killed.dbb.partial');
    expect(files).not.toContain('killed.dbb');
    const error = await ArchiveReader.open(`${path}.partial`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IncompleteBackupError);
  });

  it('rejects reserved, duplicate and invalid member names and metadata', async () => {
    const path = join(directory.path, 'names.dbb');
    const writer = await ArchiveWriter.createFile(path, writerOptions('none'));
    const encoded = await writer.encodeMember('x', 'manifest.json');
    await expect(writer.appendEncoded({ kind: 'meta' }, encoded)).rejects.toBeInstanceOf(ArchiveWriterStateError);
    const ok = await writer.encodeMember('x', 'meta/custom.txt');
    await writer.appendEncoded({ kind: 'meta' }, ok);
    await expect(writer.appendEncoded({ kind: 'meta' }, ok)).rejects.toBeInstanceOf(ArchiveWriterStateError);
    await expect(
      writer.appendEncoded({ kind: 'table' } as never, await writer.encodeMember('', 'meta/y')),
    ).rejects.toThrow(/invalid metadata for member meta\/y: kind/);
    expect(() => writer.allocateName('data', 'co py')).toThrow(ArchiveWriterStateError);
    expect(writer.allocateName('large-object', 'bin')).toBe('large-objects/000001.bin');
    await writer.finish(manifestFields());
    const reader = await ArchiveReader.open(path);
    expect(reader.manifest.members.map((member) => member.name)).toEqual(['meta/custom.txt']);
    await reader.close();
  });
});

describe('concurrency', () => {
  it('8 members encoded in parallel, then appended, read back exact', async () => {
    const path = join(directory.path, 'parallel.dbb');
    const masterKey = makeMasterKey();
    const writer = await ArchiveWriter.createFile(path, writerOptions('zstd', masterKey));
    const bodies = Array.from({ length: 8 }, (_, index) => dumpText(200_000 + index * 123_457, 100 + index));
    const names = bodies.map(() => writer.allocateName('data', '.copy'));
    const encoded = await Promise.all(bodies.map((body, index) => writer.encodeMember(body, names[index]!)));
    // Appends are started without awaiting each one: the writer serialises them in call order.
    const entries = await Promise.all(
      encoded.map((member, index) =>
        writer.appendEncoded({ kind: 'data', table: { schema: 'public', name: `t${index}` }, part: 0 }, member),
      ),
    );
    expect(entries.map((entry) => entry.name)).toEqual(names);
    for (let index = 1; index < entries.length; index++) {
      expect(entries[index]!.offset).toBeGreaterThan(entries[index - 1]!.offset + entries[index - 1]!.storedSize);
    }
    await writer.finish(manifestFields());

    const reader = await ArchiveReader.open(path, { keyProvider: async () => masterKey });
    const readBack = await Promise.all(reader.manifest.members.map((entry) => readAll(reader.openMember(entry))));
    readBack.forEach((body, index) => {
      expect(body.equals(bodies[index]!)).toBe(true);
    });
    expect(reader.manifest.members.map((member) => member.table?.name)).toEqual(bodies.map((_, index) => `t${index}`));
    await reader.close();
  });

  it('parallel addMember calls from several workers all land in the archive', async () => {
    const path = join(directory.path, 'workers.dbb');
    const writer = await ArchiveWriter.createFile(path, writerOptions('gzip'));
    const members = sampleMembers();
    await Promise.all(members.map((member) => writer.addMember(member.meta, member.body, member.extension)));
    await writer.finish(manifestFields());
    const reader = await ArchiveReader.open(path);
    for (const entry of reader.manifest.members) {
      const sequence = Number(entry.name.slice(entry.name.indexOf('/') + 1, entry.name.indexOf('.')));
      const body = await readAll(reader.openMember(entry));
      expect(body.equals(members[sequence - 1]!.body)).toBe(true);
    }
    await reader.verify();
    await reader.close();
  });
});
