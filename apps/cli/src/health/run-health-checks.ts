import { resolve } from 'node:path';
import type { BackupGap, DatabaseStatus } from '@dbbackup/catalog';
import { resolveBackupDirectory } from '../archive-io/backup-directory.js';
import { openCatalog } from '../catalog-io/open-catalog.js';
import type { CommandContext } from '../cli/command-context.js';
import { connectionOptions } from '../engines/engine-options.js';
import { backupTargets } from './backup-targets.js';
import { belongsToCheckedEngines, checkedEngines } from './checked-engines.js';
import { checkConfig } from './config-check.js';
import { checkConnectivity, checkDatabaseExists } from './connectivity-check.js';
import { checkDisk } from './disk-check.js';
import { checkFreshness } from './freshness-check.js';
import { checkGaps } from './gap-check.js';
import { check, type HealthCheck } from './health-check.js';
import { checkVerification } from './verification-check.js';

export interface HealthOptions {
  /** --database: check only this database (and that it exists). */
  database: string | undefined;
  /** --max-age: the backup interval that is still fine. */
  maxAgeMs: number;
  now: Date;
}

/**
 * Every check of `dbbackup health`, in this order: config, catalog, connectivity (per engine), database (with
 * --database, when the server answered), freshness (per database), gaps, verification (per database with a
 * successful backup), disk. Each check's rules are documented on its function; no check throws.
 */
export async function runHealthChecks(context: CommandContext, options: HealthOptions): Promise<HealthCheck[]> {
  const { config } = context;
  const checks: HealthCheck[] = [await checkConfig(context)];

  const catalog = await readCatalog(context, options);
  checks.push(catalog.check);

  const engines = await checkedEngines(config.dbType, catalog.statuses);
  for (const engine of engines) {
    context.progress.update(`health: connecting to ${engine.name}`);
    const connection = connectionOptions(config, context.sources, engine.name);
    const connectivity = await checkConnectivity(engine, connection);
    checks.push(connectivity.check);
    if (options.database !== undefined && connectivity.reachable && engine.selected !== undefined) {
      checks.push(await checkDatabaseExists(engine.selected, connection, options.database));
    }
  }
  context.progress.stop();

  const inScope = catalog.statuses.filter((status) => belongsToCheckedEngines(status.engine, config.dbType, engines));
  const targets = backupTargets(inScope, options.database);
  if (catalog.readable) {
    if (targets.length === 0) {
      const engineNames = engines.map((engine) => engine.name).join(', ');
      checks.push(
        check(
          'freshness',
          null,
          'critical',
          `no ${engineNames} backups in the catalog ${catalog.path}; back up with dbbackup backup single DATABASE or add existing backups with dbbackup catalog sync DIR`,
        ),
      );
    }
    for (const target of targets) checks.push(checkFreshness(target, options.maxAgeMs, options.now));
    const gaps = catalog.gaps.filter((gap) => belongsToCheckedEngines(gap.engine, config.dbType, engines));
    checks.push(checkGaps(gaps, options.maxAgeMs, options.now));
    for (const target of targets) {
      const verification = checkVerification(target, options.now);
      if (verification !== null) checks.push(verification);
    }
  }

  checks.push(await checkDisk(resolveBackupDirectory(config.backupDir, context.cwd), targets));
  return checks;
}

interface CatalogFacts {
  path: string;
  check: HealthCheck;
  readable: boolean;
  statuses: DatabaseStatus[];
  gaps: BackupGap[];
}

/**
 * catalog: it opens and answers → ok with what it holds; otherwise critical, and freshness, gaps and verification
 * (which read it) are left out.
 */
async function readCatalog(context: CommandContext, options: HealthOptions): Promise<CatalogFacts> {
  let catalog: Awaited<ReturnType<typeof openCatalog>> | undefined;
  try {
    catalog = await openCatalog(context);
    const all = await catalog.databaseStatus();
    const statuses =
      options.database === undefined ? all : all.filter((status) => status.database === options.database);
    const gaps = await catalog.gaps({
      intervalMs: options.maxAgeMs,
      now: options.now,
      ...(options.database === undefined ? {} : { database: options.database }),
    });
    const stats = await catalog.stats();
    const detail = `${catalog.path}: ${stats.backups} ${stats.backups === 1 ? 'backup' : 'backups'} of ${all.length} ${all.length === 1 ? 'database' : 'databases'}`;
    return { path: catalog.path, check: check('catalog', null, 'ok', detail), readable: true, statuses, gaps };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const path = resolve(context.cwd, context.config.catalog);
    return { path, check: check('catalog', null, 'critical', message), readable: false, statuses: [], gaps: [] };
  } finally {
    await catalog?.close().catch(() => undefined);
  }
}
