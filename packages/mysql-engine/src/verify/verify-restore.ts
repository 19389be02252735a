import { randomBytes } from 'node:crypto';
import type { TableVerification, VerifyRestoreOptions, VerifyRestoreResult } from '@dbbackup/archive';
import { addChecksums, EMPTY_CHECKSUM, runParallel } from '@dbbackup/engine-kit';
import { tableKey } from '../archive-layout.js';
import { describeClusterArchive, selectDatabaseArchive } from '../cluster/cluster-layout.js';
import { closeQuietly, connect, type MysqlSession } from '../connection/connect.js';
import { prepareReadSession } from '../connection/read-session.js';
import { readServerVersion } from '../connection/server-version.js';
import { restoreDatabase } from '../restore/restore-database.js';
import { dropDatabase } from '../restore/target-database.js';
import type { MysqlFlavor } from '../schema/index.js';
import { checksumTable } from './table-checksum.js';

export interface MysqlVerifyRestoreOptions extends VerifyRestoreOptions {
  /** Which server family the caller expects; only used to name it in connection errors. */
  flavor?: MysqlFlavor;
}

/**
 * Proves a backup restores: restores it into a throwaway database dbbackup_verify_<random>, recomputes every
 * table's row count and checksum from the restored rows (same SELECT, same encoder) and compares them with the
 * manifest's data members. The temporary database is always dropped, also when the restore or the comparison fails.
 */
export async function verifyRestore(options: MysqlVerifyRestoreOptions): Promise<VerifyRestoreResult> {
  const { manifest } = options.reader;
  if (!manifest.cluster || options.sourceDatabase !== undefined) return verifyOneDatabase(options);
  // A cluster archive: verify its databases one after another, each in its own temporary database.
  const startedAt = Date.now();
  const results: VerifyRestoreResult[] = [];
  for (const { name } of describeClusterArchive(manifest).extra.databases) {
    const result = await verifyOneDatabase({ ...options, sourceDatabase: name });
    results.push({ ...result, tables: result.tables.map((table) => ({ ...table, database: name })) });
  }
  return {
    ok: results.every((result) => result.ok),
    database: results.map((result) => result.database).join(', '),
    tables: results.flatMap((result) => result.tables),
    durationMs: Date.now() - startedAt,
  };
}

async function verifyOneDatabase(options: MysqlVerifyRestoreOptions): Promise<VerifyRestoreResult> {
  const startedAt = Date.now();
  const archive = selectDatabaseArchive(options.reader.manifest, options.sourceDatabase);
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const database = `dbbackup_verify_${randomBytes(6).toString('hex')}`;
  const connectOptions = { flavor: options.flavor, logger: options.logger };
  const sessions: MysqlSession[] = [];
  try {
    await restoreDatabase({ ...options, database, create: true, mode: 'safe' });
    for (let i = 0; i < jobs; i++) {
      const session = await connect(options.connection, database, connectOptions);
      sessions.push(session);
      await prepareReadSession(session, (await readServerVersion(session)).info);
    }

    const expected = new Map<string, { rows: number; checksums: string[] }>();
    for (const entry of archive.dataMembers) {
      if (!entry.table) continue;
      const key = tableKey(entry.table);
      const sum = expected.get(key) ?? { rows: 0, checksums: [] };
      sum.rows += entry.rows ?? 0;
      if (entry.checksum) sum.checksums.push(entry.checksum);
      expected.set(key, sum);
    }
    const tables = archive.extra.tables.filter((table) => table.ownsData && table.columnCount > 0);
    const results: TableVerification[] = [];
    await runParallel(tables, jobs, async (table, slot) => {
      const actual = await checksumTable(sessions[slot]!, table);
      const want = expected.get(tableKey(table));
      const expectedChecksum = want && want.checksums.length > 0 ? addChecksums(want.checksums) : EMPTY_CHECKSUM;
      const expectedRows = want?.rows ?? 0;
      results.push({
        schema: table.schema,
        name: table.name,
        expectedRows,
        actualRows: actual.rows,
        expectedChecksum,
        actualChecksum: actual.checksum,
        ok: expectedRows === actual.rows && expectedChecksum === actual.checksum,
      });
    });
    results.sort((a, b) => a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
    return { ok: results.every((result) => result.ok), database, tables: results, durationMs: Date.now() - startedAt };
  } finally {
    await Promise.all(sessions.map(closeQuietly));
    const admin = await connect(options.connection, undefined, connectOptions);
    try {
      await dropDatabase(admin, database);
    } finally {
      await closeQuietly(admin);
    }
  }
}
