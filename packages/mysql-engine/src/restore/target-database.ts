import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlSession } from '../connection/connect.js';
import { DatabaseExistsError } from '../errors.js';
import { createDatabaseSql, type MysqlDatabaseOptions, quoteIdentifier } from '../schema/index.js';

export async function databaseExists(admin: MysqlSession, name: string): Promise<boolean> {
  const [rows] = await admin.client.query<RowDataPacket[]>(
    'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [name],
  );
  return rows.length > 0;
}

/** CREATE DATABASE with the source's character set, collation and comment, so defaults of new objects match. */
export async function createDatabase(admin: MysqlSession, name: string, source: MysqlDatabaseOptions): Promise<void> {
  if (await databaseExists(admin, name)) throw new DatabaseExistsError(name);
  await admin.client.query(createDatabaseSql(name, source));
}

/** Drops a database this process created (its restore sessions must be closed first). */
export async function dropDatabase(admin: MysqlSession, name: string): Promise<void> {
  await admin.client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
}

export interface TargetContents {
  tables: number;
  /** Tables, views, sequences, routines, events and triggers. */
  objects: number;
}

/** What a restore would collide with in an existing database. */
export async function describeTargetContents(session: MysqlSession, database: string): Promise<TargetContents> {
  const [rows] = await session.client.query<RowDataPacket[]>(
    `SELECT
       (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW' AND TABLE_TYPE <> 'SEQUENCE') AS tables,
       (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
       + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
       + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?)
       + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?) AS objects`,
    [database, database, database, database, database],
  );
  const row = rows[0]!;
  return { tables: Number(row.tables), objects: Number(row.objects) };
}

/**
 * --clean: drops every view, table (sequences included; their triggers go with them), routine and event of the
 * target, so the pre-data can create them again. Foreign key checks are off in restore sessions, so tables drop in
 * any order.
 */
export async function cleanTarget(session: MysqlSession, database: string): Promise<void> {
  const names = async (sql: string): Promise<RowDataPacket[]> =>
    (await session.client.query<RowDataPacket[]>(sql, [database]))[0];
  for (const row of await names('SELECT TABLE_NAME AS name FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?')) {
    await session.client.query(`DROP VIEW IF EXISTS ${quoteIdentifier(String(row.name))}`);
  }
  for (const row of await names(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW'",
  )) {
    await session.client.query(`DROP TABLE IF EXISTS ${quoteIdentifier(String(row.name))}`);
  }
  for (const row of await names(
    'SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?',
  )) {
    // ROUTINE_TYPE is the DROP keyword: PROCEDURE, FUNCTION, PACKAGE, PACKAGE BODY (MariaDB Oracle mode).
    const kind = String(row.type);
    if (!/^(PROCEDURE|FUNCTION|PACKAGE|PACKAGE BODY)$/.test(kind)) continue;
    await session.client.query(`DROP ${kind} IF EXISTS ${quoteIdentifier(String(row.name))}`);
  }
  for (const row of await names('SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?')) {
    await session.client.query(`DROP EVENT IF EXISTS ${quoteIdentifier(String(row.name))}`);
  }
}
