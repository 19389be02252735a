import type { VerifyRestoreOptions, VerifyRestoreResult } from '@dbbackup/archive';
import { verifyRestore } from '../verify/verify-restore.js';
import { describeClusterArchive } from './cluster-layout.js';

/**
 * verify-restore for any PostgreSQL archive: a single-database archive (or one database of a cluster archive, with
 * `sourceDatabase`) as verifyRestore does; a whole cluster archive one database after another, each into its own
 * temporary database, with every table result naming its database. The globals are not replayed (the roles the
 * databases need must exist on the server, as for verifying a single database).
 */
export async function verifyAnyRestore(options: VerifyRestoreOptions): Promise<VerifyRestoreResult> {
  if (!options.reader.manifest.cluster || options.sourceDatabase !== undefined) {
    const result = await verifyRestore(options);
    if (options.sourceDatabase === undefined) return result;
    return { ...result, tables: result.tables.map((table) => ({ database: options.sourceDatabase, ...table })) };
  }
  const startedAt = Date.now();
  const { extra } = describeClusterArchive(options.reader.manifest);
  const temporary: string[] = [];
  const tables: VerifyRestoreResult['tables'] = [];
  for (const database of extra.databases) {
    const result = await verifyRestore({ ...options, sourceDatabase: database.name });
    temporary.push(result.database);
    tables.push(...result.tables.map((table) => ({ database: database.name, ...table })));
  }
  return {
    ok: tables.every((table) => table.ok),
    database: temporary.join(', '),
    tables,
    durationMs: Date.now() - startedAt,
  };
}
