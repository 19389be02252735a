import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors/cli-errors.js';
import { CONFIG_FILE_NAME } from './config-file.js';

/** The text of `.dbbackup.conf` in `directory`, or null when there is none. */
export async function readConfigFile(directory: string): Promise<string | null> {
  const path = join(directory, CONFIG_FILE_NAME);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`cannot read ${path} (${reason}); fix its permissions or pass --no-config`, { cause: error });
  }
}
