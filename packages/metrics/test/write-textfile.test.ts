import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TextfileWriteError, writeTextfile } from '../src/index.js';
import { tempDirectory } from './support/temp-catalog.js';

describe('writeTextfile', () => {
  let savedUmask: number;
  beforeEach(() => {
    // A strict umask, as under cron or systemd: the collector must still be able to read the file.
    savedUmask = process.umask(0o077);
  });
  afterEach(() => {
    process.umask(savedUmask);
  });

  it('writes the file with mode 0644 and leaves no temporary file', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'dbbackup.prom');
    await writeTextfile(path, 'dbbackup_catalog_up 1\n');
    expect(await readFile(path, 'utf8')).toBe('dbbackup_catalog_up 1\n');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect(await readdir(directory)).toEqual(['dbbackup.prom']);
  });

  it('replaces the previous file whole', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'dbbackup.prom');
    await writeFile(path, 'old content that is longer than the new one\n'.repeat(100));
    const before = await stat(path);
    await writeTextfile(path, 'dbbackup_catalog_up 0\n');
    expect(await readFile(path, 'utf8')).toBe('dbbackup_catalog_up 0\n');
    // A rename puts a new inode in place: a reader that had the old file open keeps reading the old one whole.
    expect((await stat(path)).ino).not.toBe(before.ino);
    expect(await readdir(directory)).toEqual(['dbbackup.prom']);
  });

  it('a missing directory: TextfileWriteError naming the path and the fix', async () => {
    const path = join(await tempDirectory(), 'absent', 'dbbackup.prom');
    const error = await writeTextfile(path, 'x 1\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TextfileWriteError);
    expect((error as TextfileWriteError).message).toContain(path);
    expect((error as TextfileWriteError).message).toContain('directory does not exist');
    expect((error as TextfileWriteError).message).toContain('--output FILE');
  });

  it('a failed rename (the target is a directory) removes the temporary file and keeps what was there', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'dbbackup.prom');
    await mkdir(path);
    await writeFile(join(path, 'kept'), 'kept');
    const error = await writeTextfile(path, 'x 1\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TextfileWriteError);
    expect(await readdir(directory)).toEqual(['dbbackup.prom']);
    expect(await readFile(join(path, 'kept'), 'utf8')).toBe('kept');
  });
});
