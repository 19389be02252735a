// How the harness calls our own CLI: the `dbbackup` launcher (apps/cli/bin/dbbackup.js, which loads the built
// dist/main.js) under this Node, as a user runs it, isolated from the user's .dbbackup.conf and catalog, so a
// benchmark neither reads nor changes anyone's settings or backup history.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchCommandError, BenchSetupError } from './errors.mjs';
import { runCheckedAsync } from './processes.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = join(repoRoot, 'apps/cli/bin/dbbackup.js');
const builtCliPath = join(repoRoot, 'apps/cli/dist/main.js');

export function assertCliBuilt() {
  if (!existsSync(builtCliPath)) {
    throw new BenchSetupError(
      'apps/cli/dist/main.js is missing; run `pnpm turbo run build --filter @dbbackup/cli...` first',
    );
  }
}

/**
 * One dbbackup invocation. The catalog lives next to the run's output directory (removed with it); --no-config
 * keeps .dbbackup.conf out of both directions; --format json keeps progress output off the terminal.
 */
export function dbbackupCommand(args, { outDir, env }) {
  return {
    file: process.execPath,
    args: [cliPath, ...args, '--catalog', join(outDir, '..', 'catalog.db'), '--no-config', '--format', 'json'],
    env,
  };
}

/** Writes one untimed backup into `dir` (a restore source, and a warm-up read) and returns the archive path. */
export async function prepareDbbackupArchive(description, args, { dir, env }) {
  const { file, args: fullArgs } = dbbackupCommand([...args, '--backup-dir', dir], { outDir: dir, env });
  await runCheckedAsync(description, file, fullArgs, { env });
  const archive = readdirSync(dir).find((name) => name.endsWith('.dbb.tar'));
  if (!archive) throw new BenchCommandError(description, `no .dbb.tar was written to ${dir}`);
  return join(dir, archive);
}

/**
 * The restore side shared by both database suites: a target `<database>_restore`, dropped before each run (a
 * leftover of a killed run) and after it.
 */
export function restoreTargetOf(database, dropDatabase) {
  const target = `${database}_restore`;
  return { target, before: () => dropDatabase(target), after: () => dropDatabase(target) };
}

/** `dbbackup restore single ARCHIVE --target <database>_restore --create --jobs 2` as a timed command. */
export function ourRestoreCommand({ database, archive, cli, ourFlags, dropDatabase }) {
  const { target, before, after } = restoreTargetOf(database, dropDatabase);
  return {
    id: 'ours_restore',
    label: 'dbbackup restore --jobs 2 --create',
    kind: 'restore',
    ours: true,
    unavailable: archive ? undefined : 'no source: our backup failed',
    build: (outDir) =>
      cli(['restore', 'single', archive, ...ourFlags, '--target', target, '--create', '--jobs', '2'], outDir),
    before,
    after,
  };
}
