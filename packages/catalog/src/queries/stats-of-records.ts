import type { BackupRecord, CatalogStats } from '../types.js';

/** The same figures as Catalog.stats(), computed over a list of records (an export of part of the catalog). */
export function statsOfRecords(records: readonly BackupRecord[]): CatalogStats {
  const perDatabase = new Map<string, CatalogStats['perDatabase'][number]>();
  const perEngine = new Map<string, CatalogStats['perEngine'][number]>();
  let successful = 0;
  let failed = 0;
  let running = 0;
  let totalBytes = 0;
  let oldest: string | null = null;
  let newest: string | null = null;
  for (const record of records) {
    const success = record.status === 'success';
    const bytes = success ? (record.bytes ?? 0) : 0;
    if (success) successful++;
    else if (record.status === 'failed') failed++;
    else running++;
    totalBytes += bytes;
    if (oldest === null || record.startedAt < oldest) oldest = record.startedAt;
    if (newest === null || record.startedAt > newest) newest = record.startedAt;

    const databaseKey = JSON.stringify([record.database, record.engine]);
    const database = perDatabase.get(databaseKey) ?? {
      database: record.database,
      engine: record.engine,
      backups: 0,
      successful: 0,
      bytes: 0,
      lastSuccessAt: null,
    };
    database.backups++;
    if (success) {
      database.successful++;
      database.bytes += bytes;
      if (database.lastSuccessAt === null || record.startedAt > database.lastSuccessAt) {
        database.lastSuccessAt = record.startedAt;
      }
    }
    perDatabase.set(databaseKey, database);

    const engine = perEngine.get(record.engine) ?? { engine: record.engine, backups: 0, successful: 0, bytes: 0 };
    engine.backups++;
    if (success) engine.successful++;
    engine.bytes += bytes;
    perEngine.set(record.engine, engine);
  }
  const finished = successful + failed;
  return {
    backups: records.length,
    successful,
    failed,
    running,
    successRate: finished === 0 ? null : successful / finished,
    totalBytes,
    oldest,
    newest,
    perDatabase: [...perDatabase.values()].sort(
      (a, b) =>
        (a.database === null ? 0 : 1) - (b.database === null ? 0 : 1) ||
        compareText(a.database ?? '', b.database ?? '') ||
        compareText(a.engine, b.engine),
    ),
    perEngine: [...perEngine.values()].sort((a, b) => compareText(a.engine, b.engine)),
  };
}

/** Code-unit order, as SQLite's BINARY collation sorts. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
