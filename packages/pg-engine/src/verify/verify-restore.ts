import { randomBytes } from 'node:crypto';
import type { TableVerification, VerifyRestoreOptions, VerifyRestoreResult } from '@dbbackup/archive';
import { addChecksums, EMPTY_CHECKSUM, runParallel } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { tableKey } from '../archive-layout.js';
import { selectDatabaseArchive } from '../cluster/cluster-layout.js';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { readServerVersion } from '../connection/server-version.js';
import { OperationAbortedError } from '../errors.js';
import { dropDatabase } from '../restore/create-database.js';
import { restoreDatabase } from '../restore/restore-database.js';
import { checksumTable } from './table-checksum.js';

/**
 * Proves a backup restores: restores it into a throwaway database dbbackup_verify_<random>, recomputes every
 * table's row count and checksum from the restored rows and compares them with the manifest's data members. The
 * temporary database is always dropped, also when the restore or the comparison fails or the operation is aborted.
 */
export async function verifyRestore(options: VerifyRestoreOptions): Promise<VerifyRestoreResult> {
  const startedAt = Date.now();
  const archive = selectDatabaseArchive(options.reader.manifest, options.sourceDatabase);
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const database = `dbbackup_verify_${randomBytes(6).toString('hex')}`;
  const sessions: pg.Client[] = [];
  const cancellation = new Cancellation(options.signal);
  try {
    // The restore drops the database itself when it fails or is aborted (it passes the same signal).
    await restoreDatabase({ ...options, database, create: true, mode: 'balanced', databaseProperties: false });
    for (let i = 0; i < jobs; i++) {
      sessions.push(cancellation.track(await connect(options.connection, database, options.logger)));
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
    const tables = archive.extra.tables.filter((table) => table.relkind === 'r' && !table.isPartitionParent);
    const results: TableVerification[] = [];
    await runParallel(tables, jobs, async (table, slot) => {
      const actual = await checksumTable(sessions[slot]!, table.qualifiedName, table.columns);
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
    cancellation.throwIfAborted();
    results.sort((a, b) => a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
    return { ok: results.every((result) => result.ok), database, tables: results, durationMs: Date.now() - startedAt };
  } catch (error) {
    if (!cancellation.aborted) throw error;
    // Rejected only after the finally block below has dropped the database.
    throw new OperationAbortedError('verify-restore', `its temporary database ${database} was dropped`, {
      cause: cancellation.reason,
    });
  } finally {
    cancellation.dispose();
    await Promise.all(sessions.map(closeQuietly));
    await dropTemporaryDatabase(options, database);
  }
}

async function dropTemporaryDatabase(options: VerifyRestoreOptions, database: string): Promise<void> {
  const admin = await connect(options.connection, options.connection.database ?? DEFAULT_MAINTENANCE_DATABASE);
  try {
    await dropDatabase(admin, database, (await readServerVersion(admin)).versionNum);
  } finally {
    await closeQuietly(admin);
  }
}
