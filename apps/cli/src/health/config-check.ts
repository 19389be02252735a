import { join } from 'node:path';
import type { CommandContext } from '../cli/command-context.js';
import { CONFIG_FILE_NAME } from '../config/config-file.js';
import { readConfigFile } from '../config/read-config-file.js';
import { resolveConfig } from '../config/resolve-config.js';
import { ConfigError } from '../errors/cli-errors.js';
import { check, type HealthCheck } from './health-check.js';

/**
 * config: `.dbbackup.conf` in the working directory, on its own (every value checked, also those a flag or variable
 * overrides this time, since another run will use them):
 *   - unreadable, a malformed line or an invalid value → critical (the first problem);
 *   - keys it ignores (unknown, passwords, flag-only) → warning;
 *   - otherwise, or no file, or --no-config → ok.
 * When its problem would have stopped the command, the other checks ran with flags, environment and defaults only.
 */
export async function checkConfig(context: CommandContext): Promise<HealthCheck> {
  const path = join(context.cwd, CONFIG_FILE_NAME);
  if (!context.config.useConfigFile) return check('config', null, 'ok', `${CONFIG_FILE_NAME} not read (--no-config)`);
  const ignored = context.configFileProblem === null ? '' : ` (the other checks ran without ${path})`;
  try {
    const text = await readConfigFile(context.cwd);
    if (text === null) {
      return check('config', null, 'ok', `no ${CONFIG_FILE_NAME} in ${context.cwd}: flags, environment and defaults`);
    }
    // No flags and no environment: every value in the file is the one resolved, so every value is validated.
    const { warnings } = resolveConfig({}, {}, text);
    if (warnings.length > 0) return check('config', null, 'warning', `${path}: ${warnings.join('; ')}`);
    return check('config', null, 'ok', `${path} is valid`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return check('config', null, 'critical', `${error.message}${ignored}`);
  }
}
