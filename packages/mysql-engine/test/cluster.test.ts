import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ArchiveReader, ArchiveWriter } from '@dbbackup/archive';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterTargetNotEmptyError,
  createMysqlEngine,
  type MysqlClusterManifestExtra,
  UnsuitableArchiveError,
} from '../src/index.js';
import { connection, plainArchive, runSql, tempDir } from './data-fixtures.js';
import {
  checksumTables,
  clientArguments,
  clientEnvironment,
  compareDumps,
  connect,
  createTempDatabase,
  normaliseDump,
  type TempDatabase,
} from './helpers/index.js';
import { startThrowawayMariadb, type ThrowawayMariadb } from './helpers/throwaway-mariadb.js';

const run = promisify(execFile);

async function dumpSchema(args: string[], database: string): Promise<string> {
  const { stdout } = await run(
    'mariadb-dump',
    [...args, '--skip-lock-tables', '--no-data', '--routines', '--events', '--triggers', '--skip-dump-date', database],
    { env: clientEnvironment(), maxBuffer: 64 * 1024 * 1024 },
  );
  return normaliseDump(stdout, database);
}

async function grantsOf(connection: Connection, account: string): Promise<string[]> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW GRANTS FOR ${account}`);
  return rows.map((row) => String(Object.values(row)[0])).sort();
}

describe('cluster backup and restore', () => {
  const engine = createMysqlEngine('mariadb');
  const suffix = randomBytes(4).toString('hex');
  const user = `dbb_u_${suffix}`;
  const role = `dbb_r_${suffix}`;
  const account = `'${user}'@'%'`;
  let first: TempDatabase;
  let second: TempDatabase;
  let target: ThrowawayMariadb;
  let work: { dir: string; cleanup: () => Promise<void> };
  let file: string;
  let admin: Connection;

  beforeAll(async () => {
    [first, second, target, work] = await Promise.all([
      createTempDatabase(),
      createTempDatabase({ characterSet: 'latin1' }),
      startThrowawayMariadb(),
      tempDir(),
    ]);
    file = path.join(work.dir, 'cluster.dbb');
    await runSql(first.name, [
      'CREATE TABLE customers (id int PRIMARY KEY, name varchar(40), KEY (name))',
      "INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_500",
      'CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, total decimal(10,2), FOREIGN KEY (customer_id) REFERENCES customers (id))',
      'INSERT INTO orders SELECT seq, 1 + seq % 500, seq / 7 FROM seq_1_to_1000',
      'CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100',
    ]);
    await runSql(second.name, [
      'CREATE TABLE notes (id bigint PRIMARY KEY AUTO_INCREMENT, body text, created date)',
      "INSERT INTO notes (body, created) SELECT REPEAT('n', seq % 50), '2024-01-01' + INTERVAL seq DAY FROM seq_1_to_300",
    ]);
    admin = await connect();
    await admin.query(`CREATE ROLE ${role}`);
    await admin.query(`GRANT SELECT ON \`${first.name}\`.* TO ${role}`);
    await admin.query(`CREATE USER ${account} IDENTIFIED BY 'secret-${suffix}'`);
    await admin.query(`GRANT INSERT, UPDATE ON \`${second.name}\`.\`notes\` TO ${account}`);
    await admin.query(`GRANT ${role} TO ${account}`);
    await admin.query(`SET DEFAULT ROLE ${role} FOR ${account}`);
  });

  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS ${account}`).catch(() => undefined);
    await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin?.end();
    await Promise.all([first?.drop(), second?.drop(), target?.stop(), work?.cleanup()]);
  });

  it('backs up the users and the chosen databases and restores them into an empty server', async () => {
    const backup = await engine.backupCluster!({
      connection,
      databases: [first.name, second.name],
      jobs: 2,
      writer: await ArchiveWriter.createFile(file, { ...plainArchive, engine: engine.name }),
    });
    expect(backup).toMatchObject({ tables: 3, rows: 1800 });
    const reader = await ArchiveReader.open(file);
    try {
      const manifest = reader.manifest;
      expect(manifest.cluster).toBe(true);
      expect(manifest.members[0]).toMatchObject({ kind: 'globals', label: 'globals' });
      const extra = manifest.extra as unknown as MysqlClusterManifestExtra;
      expect(extra.snapshot).toBe('per-database');
      expect(extra.databases.map((db) => db.name)).toEqual([first.name, second.name]);
      expect(extra.globals.accounts).toEqual(
        expect.arrayContaining([
          { user, host: '%', isRole: false },
          { user: role, host: '', isRole: true },
        ]),
      );
      expect(manifest.members.filter((member) => member.kind !== 'globals').every((m) => m.database)).toBe(true);

      const targetConnection = { host: target.host, port: target.port, user: target.user };
      const restored = await engine.restoreCluster!({ connection: targetConnection, reader, jobs: 2 });
      expect(restored.databases.map((db) => [db.database, db.rows])).toEqual([
        [first.name, 1500],
        [second.name, 300],
      ]);

      const copy = await target.connect();
      try {
        for (const name of [first.name, second.name]) {
          const expected = await checksumTables(admin, name);
          expect(expected.size).toBeGreaterThan(0);
          expect(await checksumTables(copy, name)).toEqual(expected);
          const schema = compareDumps(
            await dumpSchema(clientArguments(), name),
            await dumpSchema(target.clientArguments(), name),
          );
          expect(schema.diff).toBe('');
        }
        expect(await grantsOf(copy, account)).toEqual(await grantsOf(admin, account));
        expect(await grantsOf(copy, role)).toEqual(await grantsOf(admin, role));

        await expect(engine.restoreCluster!({ connection: targetConnection, reader })).rejects.toBeInstanceOf(
          ClusterTargetNotEmptyError,
        );
      } finally {
        await copy.end();
      }
    } finally {
      await reader.close();
    }
  });

  it('verifies a cluster archive database by database and drops every temporary database', async () => {
    const reader = await ArchiveReader.open(file);
    try {
      const result = await engine.verifyRestore({ connection, reader, jobs: 2 });
      expect(result.ok).toBe(true);
      const databases = new Set(result.tables.map((table) => table.database));
      expect(databases).toEqual(new Set([first.name, second.name]));
      const [leftovers] = await admin.query<RowDataPacket[]>("SHOW DATABASES LIKE 'dbbackup\\_verify\\_%'");
      expect(leftovers).toHaveLength(0);
    } finally {
      await reader.close();
    }
  });

  it('restores one database of a cluster archive by its source name', async () => {
    const reader = await ArchiveReader.open(file);
    const copy = await createTempDatabase();
    try {
      await expect(engine.restore({ connection, reader, database: copy.name, confirm: true })).rejects.toBeInstanceOf(
        UnsuitableArchiveError,
      );
      await engine.restore({ connection, reader, database: copy.name, sourceDatabase: second.name });
      expect(await checksumTables(admin, copy.name)).toEqual(await checksumTables(admin, second.name));
    } finally {
      await reader.close();
      await copy.drop();
    }
  });
});
