import type { ConnectionOptions, Logger as EngineLogger } from '@dbbackup/archive';
import { type EngineFamily, GLOBAL_SETTINGS, type ResolvedConfig } from '../config/settings.js';
import type { ConfigSources } from '../config/value-origin.js';
import type { Logger } from '../output/logger.js';
import { engineFamilyOfArchive } from './select-engine.js';

const CONNECTION_KEYS = ['host', 'port', 'user', 'socket'] as const;

/**
 * Where the server is, from the resolved configuration. No password: the engine's driver reads PGPASSWORD /
 * ~/.pgpass (MYSQL_PWD / option files) itself, so it never passes through dbbackup's options or logs.
 *
 * `engineName` (a restore's archive engine) matters when no --db-type was given: the configuration then read the
 * PG* variables, which do not describe a MySQL/MariaDB server, so values that came from the other family's client
 * variables are dropped and the engine's driver falls back to its own (MYSQL_HOST, MYSQL_TCP_PORT, port 3306).
 */
export function connectionOptions(
  config: ResolvedConfig,
  sources?: ConfigSources,
  engineName?: string,
): ConnectionOptions {
  const family = engineName === undefined ? undefined : engineFamilyOfArchive(engineName);
  const options: ConnectionOptions = {};
  for (const key of CONNECTION_KEYS) {
    const value = config[key];
    if (value === undefined) continue;
    const origin = sources?.[key];
    if (family !== undefined && origin?.kind === 'env' && isOtherFamilyVariable(key, family, origin.variable)) {
      continue;
    }
    Object.assign(options, { [key]: value });
  }
  return options;
}

function isOtherFamilyVariable(key: (typeof CONNECTION_KEYS)[number], family: EngineFamily, variable: string): boolean {
  const clientEnv = GLOBAL_SETTINGS[key].clientEnv ?? {};
  return Object.entries(clientEnv).some(([owner, name]) => owner !== family && name === variable);
}

/**
 * The engine's structured logger on top of the CLI's. Engine `info` lines are progress narration ("snapshot
 * exported"), so they show with --debug only; warnings always show.
 */
export function engineLogger(logger: Logger): EngineLogger {
  const format = (message: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    info: (message, fields) => logger.debug(() => format(message, fields)),
    warn: (message, fields) => logger.warn(format(message, fields)),
    debug: (message, fields) => logger.debug(() => format(message, fields)),
  };
}
