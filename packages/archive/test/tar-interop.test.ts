import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveWriter } from '../src/archive-writer.js';
import { makeTempDirectory, writerOptions, writeSample } from './helpers.js';

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;

beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

function tar(...args: string[]): Buffer {
  return execFileSync('tar', args, { maxBuffer: 64 * 1024 * 1024 });
}

describe('an unencrypted archive is a standard tar', () => {
  it.each([
    ['gzip', '.gz', ['gunzip', '-c']],
    ['zstd', '.zst', ['zstd', '-dc']],
  ] as const)(
    '%s: tar lists it and the members decompress with the standard tool',
    async (algorithm, extension, tool) => {
      const path = join(directory.path, `interop.${algorithm}.dbb`);
      const { entries, members } = await writeSample(await ArchiveWriter.createFile(path, writerOptions(algorithm)));

      const names = tar('-tf', path).toString('utf8').trim().split('\n');
      expect(names).toEqual(['header.json', ...entries.map((entry) => entry.name), 'manifest.json']);
      expect(names[2]).toBe(`data/000002.copy${extension}`);

      const verbose = tar('-tvf', path).toString('utf8').trim().split('\n');
      expect(verbose[0]).toMatch(/^-rw-r--r-- 0\/0 /);

      const header = JSON.parse(tar('-xOf', path, 'header.json').toString('utf8'));
      expect(header).toMatchObject({ format: 'dbbackup-archive', formatVersion: 1, compression: { algorithm } });
      const manifest = JSON.parse(tar('-xOf', path, 'manifest.json').toString('utf8'));
      expect(manifest.members.map((member: { name: string }) => member.name)).toEqual(names.slice(1, -1));

      for (const index of [1, 2, 3]) {
        const compressed = tar('-xOf', path, entries[index]!.name);
        const [command, ...args] = tool;
        const plain = execFileSync(command, args, { input: compressed, maxBuffer: 64 * 1024 * 1024 });
        expect(plain.equals(members[index]!.body)).toBe(true);
      }
    },
  );
});
