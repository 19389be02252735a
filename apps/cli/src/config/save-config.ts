import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors/cli-errors.js';
import { CONFIG_FILE_NAME, updateConfigFileText } from './config-file.js';
import { GLOBAL_SETTING_KEYS, GLOBAL_SETTINGS, type ResolvedConfig, settingName } from './settings.js';
import type { ConfigSources } from './value-origin.js';

export interface SaveConfigResult {
  path: string;
  /** The keys written (long flag names); empty when nothing needed saving. */
  keys: string[];
}

/**
 * Remembers this run's connection, storage and compression flags in `.dbbackup.conf` of `directory`, so the
 * next run there needs fewer flags. Only values given as flags are written: values from the environment stay
 * in the environment, defaults stay defaults, and the file's other lines and comments are kept. Only settings
 * marked `persisted` are written, and none of them is secret (no password, no key material; the key file's
 * path is fine). The file is replaced atomically (temp file in the same directory, fsync, rename).
 *
 * Callers decide whether to save (see CommandContext.saveConfigAfterSuccess, which honours --no-save-config,
 * --no-config and --dry-run).
 */
export async function saveConfig(
  resolution: { config: ResolvedConfig; sources: ConfigSources },
  options: { directory: string },
): Promise<SaveConfigResult> {
  const path = join(options.directory, CONFIG_FILE_NAME);
  const updates: Array<[string, string]> = [];
  for (const key of GLOBAL_SETTING_KEYS) {
    const value = resolution.config[key];
    if (!GLOBAL_SETTINGS[key].persisted || resolution.sources[key].kind !== 'flag' || value === undefined) continue;
    updates.push([settingName(key), String(value)]);
  }
  if (updates.length === 0) return { path, keys: [] };

  const existing = await readExisting(path);
  const text = updateConfigFileText(existing, updates);
  if (text !== existing) {
    try {
      await writeFileAtomically(path, text);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(`cannot save ${path} (${reason}); fix the directory or pass --no-save-config`, {
        cause: error,
      });
    }
  }
  return { path, keys: updates.map(([key]) => key) };
}

async function readExisting(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`cannot read ${path} (${reason}); fix it or pass --no-save-config`, { cause: error });
  }
}

async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const mode = await stat(path).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
