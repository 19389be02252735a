import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArchiveReader, ArchiveWriter, type ConnectionOptions } from '@dbbackup/archive';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup/backup-database.js';
import { backupCluster } from '../src/cluster/backup-cluster.js';
import { restoreCluster } from '../src/cluster/restore-cluster.js';
import { OperationAbortedError } from '../src/errors.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { writeSqlScript } from '../src/sql-script/write-sql-script.js';
import { verifyRestore } from '../src/verify/verify-restore.js';
import {
  backupToFile,
  connection,
  createDatabase,
  databaseExists,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { startThrowawayCluster, type ThrowawayCluster } from './helpers/throwaway-cluster.js';

/** ~50 MB of COPY text in one table, so a restore spends a while in its COPY and in an index build. */
const SOURCE_SQL = `
  CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL);
  INSERT INTO big SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 250000) g;
  CREATE INDEX big_payload ON big (payload);
  CREATE TABLE small (id integer PRIMARY KEY);
  INSERT INTO small SELECT generate_series(1, 10);`;

/**
 * Aborts `controller` as soon as one of our sessions runs a statement matching `statement` in a database matching
 * `database` (LIKE patterns) on `server`, so the abort lands in the middle of it whatever the machine's speed.
 * Gives up when `operation` settles first (the test then fails on its result).
 */
async function abortDuringStatement(
  controller: AbortController,
  operation: Promise<unknown>,
  database: string,
  statement: string,
  server: ConnectionOptions = connection,
): Promise<void> {
  let settled = false;
  void operation.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: 'postgres' });
  await client.connect();
  try {
    while (!settled) {
      const { rows } = await client.query(
        `SELECT 1 FROM pg_stat_activity
          WHERE datname LIKE $1 AND application_name = 'dbbackup' AND state = 'active' AND query LIKE $2`,
        [database, statement],
      );
      if (rows.length > 0) {
        controller.abort(new Error('interrupted by the test'));
        return;
      }
      await sleep(10);
    }
  } finally {
    await client.end();
  }
}

/** Our sessions still connected to databases matching `database` (LIKE). */
async function ourSessions(database: string, server: ConnectionOptions = connection): Promise<number> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1 AND application_name = 'dbbackup'`,
      [database],
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function verifyDatabases(): Promise<string[]> {
  return withClient('postgres', async (client) => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE datname LIKE 'dbbackup\\_verify\\_%'",
    );
    return rows.map((row) => row.name);
  });
}

describe('aborting an operation with its AbortSignal', () => {
  let source: string;
  let dir: string;
  let cleanup: (() => Promise<void>) | undefined;
  let archivePath: string;
  const created: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    source = await createDatabase('pgengine_abort');
    created.push(source);
    await psqlStdin(source, SOURCE_SQL);
    archivePath = path.join(dir, 'big.dbb');
    await backupToFile(source, archivePath);
  });

  afterAll(async () => {
    await Promise.all(created.map(dropDatabase));
    await cleanup?.();
  });

  async function restoreAborted(
    options: Partial<Parameters<typeof restoreDatabase>[0]> & { database: string },
    statement = 'COPY %FROM STDIN%',
  ) {
    const reader = await ArchiveReader.open(archivePath);
    try {
      const controller = new AbortController();
      const restore = restoreDatabase({ connection, reader, jobs: 2, signal: controller.signal, ...options });
      await abortDuringStatement(controller, restore, options.database, statement);
      return await restore.then(
        () => undefined,
        (error: unknown) => error,
      );
    } finally {
      await reader.close();
    }
  }

  it('a restore with create stops in its COPY and drops the database it created', async () => {
    const target = uniqueName('pgengine_abort_create');
    created.push(target);
    const failure = await restoreAborted({ database: target, create: true });
    expect(failure).toBeInstanceOf(OperationAbortedError);
    expect(String(failure)).toContain(
      `restore of database "${target}" was aborted; the database it had created was dropped`,
    );
    expect(await databaseExists(target)).toBe(false);
  });

  it('a restore into an existing database rolls back, leaves no session behind and says the target is incomplete', async () => {
    const target = await createDatabase('pgengine_abort_existing');
    created.push(target);
    const failure = await restoreAborted({ database: target });
    expect(failure).toBeInstanceOf(OperationAbortedError);
    expect(String(failure)).toContain('the target is incomplete and must be restored again');
    expect(await ourSessions(target)).toBe(0);
    // The aborted COPY was rolled back: the table exists (pre-data committed) but holds none of its rows.
    const rows = await withClient(
      target,
      async (client) => (await client.query('SELECT count(*)::int AS n FROM big')).rows[0].n,
    );
    expect(rows).toBe(0);
  });

  it('a restore aborted in an index build ends that build on the server before it reports the abort', async () => {
    const target = await createDatabase('pgengine_abort_index');
    created.push(target);
    const failure = await restoreAborted({ database: target }, 'CREATE INDEX big_payload%');
    expect(failure).toBeInstanceOf(OperationAbortedError);
    // Without pg_terminate_backend the backend would build on until it noticed its closed socket.
    expect(await ourSessions(target)).toBe(0);
    const indexes = await withClient(target, async (client) => {
      const { rows } = await client.query("SELECT 1 FROM pg_indexes WHERE indexname = 'big_payload'");
      return rows.length;
    });
    expect(indexes).toBe(0);
  });

  it('an already aborted signal changes nothing', async () => {
    const target = uniqueName('pgengine_abort_early');
    const reader = await ArchiveReader.open(archivePath);
    try {
      const attempt = restoreDatabase({
        connection,
        reader,
        database: target,
        create: true,
        signal: AbortSignal.abort(),
      });
      await expect(attempt).rejects.toThrow(OperationAbortedError);
      await expect(attempt).rejects.toThrow('nothing was changed');
    } finally {
      await reader.close();
    }
    expect(await databaseExists(target)).toBe(false);
  });

  it('verify-restore stops and leaves no dbbackup_verify_* database', async () => {
    const before = await verifyDatabases();
    const reader = await ArchiveReader.open(archivePath);
    try {
      const controller = new AbortController();
      const verify = verifyRestore({ connection, reader, jobs: 2, signal: controller.signal });
      await abortDuringStatement(controller, verify, 'dbbackup\\_verify\\_%', 'COPY %FROM STDIN%');
      const failure = await verify.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OperationAbortedError);
      expect(String(failure)).toMatch(
        /verify-restore was aborted; its temporary database dbbackup_verify_\w+ was dropped/,
      );
    } finally {
      await reader.close();
    }
    expect((await verifyDatabases()).filter((name) => !before.includes(name))).toEqual([]);
  });

  it('a backup stops in its COPY, removes the unfinished archive and leaves no session on the source', async () => {
    const file = path.join(dir, 'aborted.dbb');
    const controller = new AbortController();
    const backup = backupDatabase({
      connection,
      database: source,
      writer: await ArchiveWriter.createFile(file, plainArchive),
      jobs: 2,
      signal: controller.signal,
    });
    await abortDuringStatement(controller, backup, source, 'COPY %TO STDOUT');
    await expect(backup).rejects.toThrow(OperationAbortedError);
    await expect(backup).rejects.toThrow(
      `backup of database "${source}" was aborted; the unfinished archive was discarded`,
    );
    await expect(stat(`${file}.partial`)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
    expect(await ourSessions(source)).toBe(0);
  });

  it('a SQL script stops even while its sink accepts nothing, and the sink is destroyed', async () => {
    const controller = new AbortController();
    // Takes the first chunk and never acknowledges it: the script waits on backpressure until the abort.
    const sink = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, _callback) {
        controller.abort(new Error('interrupted by the test'));
      },
    });
    sink.on('error', () => undefined);
    const script = writeSqlScript({ connection, database: source, sink, signal: controller.signal });
    await expect(script).rejects.toThrow(OperationAbortedError);
    await expect(script).rejects.toThrow(`SQL script of database "${source}" was aborted`);
    expect(sink.destroyed).toBe(true);
    expect(await ourSessions(source)).toBe(0);
  });

  describe('a cluster restore', () => {
    let server: ThrowawayCluster | undefined;

    afterAll(async () => {
      await server?.stop();
    });

    it('stops in a database it creates and drops it', async () => {
      server = await startThrowawayCluster();
      const file = path.join(dir, 'cluster.dbb');
      await backupCluster({
        connection,
        databases: [source],
        writer: await ArchiveWriter.createFile(file, plainArchive),
        jobs: 2,
      });
      const reader = await ArchiveReader.open(file);
      try {
        const controller = new AbortController();
        const restore = restoreCluster({ connection: server.connection, reader, jobs: 2, signal: controller.signal });
        await abortDuringStatement(controller, restore, source, 'COPY %FROM STDIN%', server.connection);
        const failure = await restore.then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(OperationAbortedError);
        expect(String(failure)).toContain(
          `cluster restore was aborted; database "${source}" was being restored: the database it had created was dropped`,
        );
      } finally {
        await reader.close();
      }
      const exists = await server.withClient('postgres', async (client) => {
        const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [source]);
        return rows.length === 1;
      });
      expect(exists).toBe(false);
    });
  });
});
