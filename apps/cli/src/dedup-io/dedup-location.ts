import { resolve } from 'node:path';
import type { CommandContext } from '../cli/command-context.js';
import { UsageError } from '../errors/cli-errors.js';

/** Where a dedup store is: a local directory (--dedup-dir) or a storage folder (the global --cloud URI). */
export type DedupLocation = { kind: 'directory'; path: string } | { kind: 'cloud'; uri: string };

/**
 * The store a `dedup` command works on. --dedup-dir wins over a --cloud that came from the environment or
 * .dbbackup.conf (an explicit directory is what the user means); both given as flags is ambiguous and refused.
 */
export function resolveDedupLocation(
  context: CommandContext,
  dedupDir: string | undefined,
  commandName: string,
): DedupLocation {
  const { config, sources } = context;
  const cloud = config.cloud === '' ? undefined : config.cloud;
  if (dedupDir !== undefined) {
    if (cloud !== undefined && sources.cloud.kind === 'flag') {
      throw new UsageError(
        `dedup ${commandName} got both --dedup-dir ${dedupDir} and --cloud ${cloud}: give one of them, the store's directory or its cloud folder`,
      );
    }
    if (cloud !== undefined) context.logger.debug(`--dedup-dir given: ignoring cloud ${cloud}`);
    return { kind: 'directory', path: resolve(context.cwd, dedupDir) };
  }
  if (cloud !== undefined) return { kind: 'cloud', uri: cloud };
  throw new UsageError(
    `dedup ${commandName} needs the store: pass --dedup-dir DIR (a local directory) or --cloud URI (s3://bucket/prefix/, sftp://user@host/path/, ...)`,
  );
}

/** The flag that names this location, for messages that suggest a next command: `--dedup-dir /srv/dedup`. */
export function locationFlag(location: DedupLocation): string {
  return location.kind === 'directory' ? `--dedup-dir ${location.path}` : `--cloud ${location.uri}`;
}
