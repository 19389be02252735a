import type { ConnectionOptions, Logger as EngineLogger } from '@dbbackup/archive';
import type { ResolvedConfig } from '../config/settings.js';
import type { Logger } from '../output/logger.js';

/**
 * Where the server is, from the resolved configuration. No password: the engine's driver reads PGPASSWORD /
 * ~/.pgpass (MYSQL_PWD / option files) itself, so it never passes through dbbackup's options or logs.
 */
export function connectionOptions(config: ResolvedConfig): ConnectionOptions {
  return {
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...(config.port !== undefined ? { port: config.port } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.socket !== undefined ? { socket: config.socket } : {}),
  };
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
