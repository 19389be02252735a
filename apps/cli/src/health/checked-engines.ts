import type { DatabaseStatus } from '@dbbackup/catalog';
import { type DbType, engineFamily } from '../config/settings.js';
import {
  engineFamilyOfArchive,
  type SelectedEngine,
  selectEngineForArchive,
  selectEngineForDbType,
} from '../engines/select-engine.js';

/** An engine health connects to: its archive name, and the engine or why it cannot be loaded. */
export type CheckedEngine =
  | { name: string; selected: SelectedEngine; problem?: undefined }
  | { name: string; selected?: undefined; problem: string };

/**
 * Which engines `health` checks: the --db-type engine; without one, every engine that has backups in the catalog
 * (of --database, when given); with no such backups, PostgreSQL.
 */
export async function checkedEngines(
  dbType: DbType | undefined,
  statuses: readonly DatabaseStatus[],
): Promise<CheckedEngine[]> {
  if (dbType !== undefined) {
    const selected = await selectEngineForDbType(dbType);
    return [{ name: selected.name, selected }];
  }
  const names = [...new Set(statuses.map((status) => status.engine))].sort();
  if (names.length === 0) names.push((await selectEngineForDbType('postgres')).name);
  return Promise.all(
    names.map(async (name): Promise<CheckedEngine> => {
      try {
        return { name, selected: await selectEngineForArchive(name) };
      } catch (error) {
        return { name, problem: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/**
 * Whether a catalog entry belongs to the engines checked. With --db-type the engine family decides (a MariaDB
 * server backed up with --db-type mysql is recorded as 'mysql'); otherwise the engines came from the catalog.
 */
export function belongsToCheckedEngines(
  engineName: string,
  dbType: DbType | undefined,
  engines: readonly CheckedEngine[],
): boolean {
  if (dbType !== undefined) return engineFamilyOfArchive(engineName) === engineFamily(dbType);
  return engines.some((engine) => engine.name === engineName);
}
