/**
 * Helpers for the data-path tests: the test server, archives in a temp directory, and independent oracles
 * (CHECKSUM TABLE ... EXTENDED, row counts, mariadb-dump of the schema) to compare a source with its restored copy.
 * Throwaway databases, dataset loading and the oracles come from the schema half's helpers in ./helpers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArchiveWriter, type ArchiveWriterOptions, type ConnectionOptions } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import { backupDatabase, type MysqlBackupOptions } from '../src/backup/backup-database.js';
import { checksumTables, connectionConfig, withConnection } from './helpers/index.js';

const config = connectionConfig();

export const connection: ConnectionOptions = {
  host: String(config.host),
  port: Number(config.port),
  user: String(config.user),
};

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mysql-engine-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const plainArchive: ArchiveWriterOptions = {
  engine: 'mariadb',
  toolVersion: 'test',
  compression: { algorithm: 'zstd', level: 1 },
};

/** Backs a database up into a file archive (jobs = 2 unless told otherwise). */
export async function backupToFile(
  database: string,
  file: string,
  options: Partial<MysqlBackupOptions> & { archive?: ArchiveWriterOptions } = {},
) {
  const writer = await ArchiveWriter.createFile(file, options.archive ?? plainArchive);
  return backupDatabase({ connection, database, jobs: 2, ...options, writer });
}

export async function databaseExists(name: string): Promise<boolean> {
  return withConnection(undefined, async (client) => {
    const [rows] = await client.query<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    return rows.length > 0;
  });
}

export async function runSql(database: string, statements: readonly string[]): Promise<void> {
  await withConnection(database, async (client) => {
    for (const statement of statements) await client.query(statement);
  });
}

/** Row count of every base table (history rows of system-versioned tables included), by raw name. */
export async function rowCounts(database: string): Promise<Record<string, number>> {
  return withConnection(database, async (client) => {
    const [tables] = await client.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME`,
      [database],
    );
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const name = `\`${String(table.name).replaceAll('`', '``')}\``;
      const history = table.type === 'SYSTEM VERSIONED' ? ' FOR SYSTEM_TIME ALL' : '';
      const [rows] = await client.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${name}${history}`);
      counts[String(table.name)] = Number(rows[0]!.n);
    }
    return counts;
  });
}

/** CHECKSUM TABLE ... EXTENDED of every table and sequence, as a plain object for toEqual. */
export async function tableChecksums(database: string): Promise<Record<string, string | null>> {
  return withConnection(database, async (client) => Object.fromEntries(await checksumTables(client, database)));
}
