/**
 * Restore data-load behaviour that is about speed but must not change results: the order of the loads and the
 * sessions' InnoDB insert path. Assertions are on order and locking, never on timing.
 */
import type { MemberEntry } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQuietly, connect, type MysqlSession } from '../src/connection/connect.js';
import { requireSupportedServer } from '../src/connection/server-version.js';
import { type DataLoad, loadCost, orderLoads } from '../src/restore/restore-plan.js';
import { openRestoreSession } from '../src/restore/restore-session.js';
import { connection } from './data-fixtures.js';
import { createTempDatabase, type TempDatabase } from './helpers/index.js';

const load = (table: string, part: number, plainSize: number, rows: number): DataLoad =>
  ({
    table: { schema: 's', name: table },
    entry: { name: `${table}:${part}`, plainSize, rows } as MemberEntry,
  }) as unknown as DataLoad;
const names = (loads: DataLoad[]) => loads.map((item) => item.entry.name);

describe('restore load order', () => {
  it('loads tables with deferred indexes first, each table together and its biggest members first', () => {
    const loads = [
      load('plain', 0, 40_000_000, 100_000),
      load('indexed', 0, 30_000_000, 100_000),
      load('indexed', 1, 600_000, 2_000), // a small last part must not wait behind every other table
      load('plain', 1, 40_000_000, 100_000),
      load('indexed', 2, 30_000_000, 100_000),
      load('other', 0, 1_000, 10),
    ];
    expect(names(orderLoads(loads, new Set(['indexed'])))).toEqual([
      'indexed:0',
      'indexed:2',
      'indexed:1',
      'plain:0',
      'plain:1',
      'other:0',
    ]);
    // Without deferred indexes the costliest table goes first.
    expect(names(orderLoads(loads, new Set()))).toEqual([
      'plain:0',
      'plain:1',
      'indexed:0',
      'indexed:2',
      'indexed:1',
      'other:0',
    ]);
  });

  it('weighs rows, not only bytes: many narrow rows cost more than fewer wide ones', () => {
    const narrow = load('narrow', 0, 14_000_000, 1_000_000);
    const wide = load('wide', 0, 33_000_000, 140_000);
    expect(loadCost(narrow.entry)).toBeGreaterThan(loadCost(wide.entry));
    expect(names(orderLoads([wide, narrow], new Set()))).toEqual(['narrow:0', 'wide:0']);
  });
});

describe('restore sessions on MariaDB', () => {
  let database: TempDatabase;
  const sessions: MysqlSession[] = [];

  beforeAll(async () => {
    database = await createTempDatabase();
  });
  afterAll(async () => {
    await Promise.all(sessions.map(closeQuietly));
    await database.drop();
  });

  it('keep foreign key checks off and unique checks on', async () => {
    const admin = await connect(connection, undefined);
    const target = (await requireSupportedServer(admin)).info;
    await closeQuietly(admin);
    const session = await openRestoreSession(connection, database.name, target, { skipBinlog: false });
    sessions.push(session);
    const [rows] = await session.client.query<RowDataPacket[]>(
      'SELECT @@foreign_key_checks AS fk, @@unique_checks AS uc',
    );
    expect(Number(rows[0]!.fk)).toBe(0);
    expect(Number(rows[0]!.uc)).toBe(target.flavor === 'mariadb' ? 1 : 0);
  });

  it('let a second session load into a table another session is filling from empty, without a table lock', async () => {
    const admin = await connect(connection, undefined);
    const target = (await requireSupportedServer(admin)).info;
    await closeQuietly(admin);
    const [first, second] = [
      await openRestoreSession(connection, database.name, target, { skipBinlog: false }),
      await openRestoreSession(connection, database.name, target, { skipBinlog: false }),
    ];
    sessions.push(first, second);
    await first.client.query('CREATE TABLE parts (id INT PRIMARY KEY) ENGINE=InnoDB');
    // With unique_checks = 0 MariaDB's bulk insert into an empty table holds a table X lock until the first
    // session commits, and the second insert would time out here.
    await second.client.query('SET SESSION innodb_lock_wait_timeout = 1');
    await first.client.query('START TRANSACTION');
    await first.client.query('INSERT INTO parts VALUES (1), (2)');
    await second.client.query('START TRANSACTION');
    await second.client.query('INSERT INTO parts VALUES (3), (4)');
    await second.client.query('COMMIT');
    await first.client.query('COMMIT');
    const [rows] = await first.client.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM parts');
    expect(Number(rows[0]!.n)).toBe(4);
  });
});
