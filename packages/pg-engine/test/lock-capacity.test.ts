import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveWriter, type ConnectionOptions } from '@dbbackup/archive';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup/backup-database.js';
import { LockTableFullError } from '../src/errors.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import {
  backupToFile,
  connection,
  createDatabase,
  dropDatabase,
  openArchive,
  plainArchive,
  psqlStdin,
  tempDir,
} from './helpers/data-fixtures.js';
import { startThrowawayCluster, type ThrowawayCluster } from './helpers/throwaway-cluster.js';

const TABLES = 600;

/** Run one at a time: creating them all in one transaction would need more lock slots than the small server has. */
const TABLE_STATEMENTS = Array.from(
  { length: TABLES },
  (_, i) => `CREATE TABLE t${i} (id serial PRIMARY KEY, name text); INSERT INTO t${i} (name) VALUES ('row ${i}');`,
);

/**
 * Every user table with its columns (type, default, NOT NULL), constraints, indexes and row count. Each table's
 * rows are counted in its own statement: one statement over all of them would fill the small lock table.
 */
async function schemaFingerprint(target: ConnectionOptions, database: string): Promise<Record<string, string>> {
  const client = new pg.Client({ host: target.host, port: target.port, user: target.user, database });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name,
              concat_ws(' | ',
                (SELECT string_agg(format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                                          ' default ' || pg_get_expr(d.adbin, d.adrelid),
                                          CASE WHEN a.attnotnull THEN ' not null' END), ', ' ORDER BY a.attnum)
                   FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                (SELECT string_agg(pg_get_constraintdef(o.oid), ', ' ORDER BY o.conname)
                   FROM pg_constraint o WHERE o.conrelid = c.oid),
                (SELECT string_agg(pg_get_indexdef(i.indexrelid), ', ' ORDER BY i.indexrelid::regclass::text)
                   FROM pg_index i WHERE i.indrelid = c.oid)) AS definition
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = 'public'`,
    );
    const fingerprint: Record<string, string> = {};
    for (const row of rows) {
      const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${row.name}`);
      fingerprint[row.name] = `${row.definition} | ${count.rows[0]!.n} rows`;
    }
    return fingerprint;
  } finally {
    await client.end();
  }
}

/**
 * A server whose lock table holds about 120 entries (max_locks_per_transaction 10 × 12 server processes), far
 * fewer than a backup of 600 tables keeps locked, and fewer than one transaction creating a few dozen tables takes.
 */
describe('a server with a small lock table', () => {
  let server: ThrowawayCluster;
  let source: string;
  let dir: string;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    server = await startThrowawayCluster({
      settings: {
        max_connections: 10,
        max_locks_per_transaction: 10,
        max_worker_processes: 0,
        max_wal_senders: 0,
        autovacuum_max_workers: 1,
      },
    });
    source = await createDatabase('pgengine_locks');
    await psqlStdin(source, TABLE_STATEMENTS.join('\n'));
  });

  afterAll(async () => {
    await server?.stop();
    if (source) await dropDatabase(source);
    await cleanup?.();
  });

  it('a backup that cannot lock every table says to raise max_locks_per_transaction, and keeps no archive', async () => {
    await server.withClient('postgres', (client) => client.query('CREATE DATABASE wide'));
    await server.withClient('wide', async (client) => {
      for (const statement of TABLE_STATEMENTS) await client.query(statement);
    });
    const file = path.join(dir, 'wide.dbb');
    const attempt = backupDatabase({
      connection: server.connection,
      database: 'wide',
      writer: await ArchiveWriter.createFile(file, plainArchive),
      jobs: 2,
    });
    await expect(attempt).rejects.toThrow(LockTableFullError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^backup of database "wide" ran out of lock slots on the server \\(out of shared memory\\): like pg_dump \\(which has the same limit\\), it holds an ACCESS SHARE lock on each of the ${TABLES} tables .*; set max_locks_per_transaction = \\d+ or more \\(now 10: about 120 lock slots for 12 server processes\\) in postgresql.conf and restart PostgreSQL$`,
      ),
    );
    await expect(stat(`${file}.partial`)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
  });

  it('a restore creates and drops the schema in transactions small enough for it', async () => {
    const file = path.join(dir, 'source.dbb');
    await backupToFile(source, file);
    const reader = await openArchive(file);
    try {
      await restoreDatabase({ connection: server.connection, reader, database: 'copy', create: true, jobs: 2 });
      // And --clean drops all 600 tables again before restoring them a second time.
      await restoreDatabase({ connection: server.connection, reader, database: 'copy', clean: true, confirm: true });
    } finally {
      await reader.close();
    }
    // pg_dump cannot run there (it locks every table too), so compare the catalogs directly.
    expect(await schemaFingerprint(server.connection, 'copy')).toEqual(await schemaFingerprint(connection, source));
  });
});
