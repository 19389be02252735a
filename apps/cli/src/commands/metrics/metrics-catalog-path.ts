import { resolve } from 'node:path';
import type { CommandContext } from '../../cli/command-context.js';

/**
 * The catalog the metrics read: --catalog PATH (or DBBACKUP_CATALOG, `catalog =` in .dbbackup.conf, default
 * ~/.dbbackup/catalog.db). It is opened read-only on every collection, never created: metrics must not change it.
 */
export function metricsCatalogPath(context: CommandContext): string {
  const path = resolve(context.cwd, context.config.catalog);
  context.logger.debug(`catalog: ${path} (read-only)`);
  return path;
}
