import { randomBytes } from 'node:crypto';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpUsersAndGrants } from '../src/schema/index.js';
import { connect, createTempDatabase, type TempDatabase } from './helpers/index.js';

/**
 * Accounts are server-wide and other tests may create their own at the same time, so this test names its
 * accounts with a random prefix and replays only the statements that mention them.
 */
describe('dumpUsersAndGrants', () => {
  const prefix = `dbb_acct_${randomBytes(4).toString('hex')}`;
  const reader = `'${prefix}_reader'@'localhost'`;
  const admin = `'${prefix}_admin'@'%'`;
  const role = `${prefix}_role`;
  const innerRole = `${prefix}_inner`;
  let connection: Connection;
  let database: TempDatabase;

  const dropAccounts = async () => {
    await connection.query(`DROP USER IF EXISTS ${reader}, ${admin}`);
    await connection.query(`DROP ROLE IF EXISTS ${role}, ${innerRole}`);
  };

  const describeAccounts = async () => {
    const lines: string[] = [];
    for (const account of [reader, admin]) {
      const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE USER ${account}`);
      lines.push(...created.map((row) => String(Object.values(row)[0])));
    }
    for (const account of [reader, admin, role, innerRole]) {
      const [grants] = await connection.query<RowDataPacket[]>(`SHOW GRANTS FOR ${account}`);
      lines.push(...grants.map((row) => String(Object.values(row)[0])).sort());
    }
    return lines;
  };

  beforeAll(async () => {
    connection = await connect();
    database = await createTempDatabase();
    const db = `\`${database.name}\``;
    await connection.query(`CREATE TABLE ${db}.t (id INT PRIMARY KEY, secret INT)`);
    await connection.query(`CREATE PROCEDURE ${db}.p() SELECT 1`);
    await connection.query(`CREATE ROLE ${innerRole}`);
    await connection.query(`CREATE ROLE ${role}`);
    await connection.query(`GRANT SELECT ON ${db}.* TO ${innerRole}`);
    await connection.query(`GRANT ${innerRole} TO ${role}`);
    await connection.query(
      `CREATE USER ${reader} IDENTIFIED BY 'pw-1' WITH MAX_QUERIES_PER_HOUR 10 PASSWORD EXPIRE INTERVAL 30 DAY`,
    );
    await connection.query(`CREATE USER ${admin} IDENTIFIED BY 'pw-2' REQUIRE SSL ACCOUNT LOCK`);
    await connection.query(`GRANT SELECT (id), UPDATE (secret) ON ${db}.t TO ${reader}`);
    await connection.query(`GRANT EXECUTE ON PROCEDURE ${db}.p TO ${reader}`);
    await connection.query(`GRANT ALL ON ${db}.* TO ${admin} WITH GRANT OPTION`);
    await connection.query(`GRANT ${role} TO ${reader}`);
    await connection.query(`GRANT ${innerRole} TO ${admin} WITH ADMIN OPTION`);
    await connection.query(`SET DEFAULT ROLE ${role} FOR ${reader}`);
  });

  afterAll(async () => {
    if (connection) {
      await dropAccounts();
      await connection.end();
    }
    await database?.drop();
  });

  it('recreates accounts, roles, grants and default roles exactly', async () => {
    const before = await describeAccounts();
    const statements = await dumpUsersAndGrants(connection);
    expect(statements.some((statement) => /`?root`?@`?localhost`?/.test(statement))).toBe(false);
    expect(statements.some((statement) => statement.includes('mariadb.sys'))).toBe(false);
    const ours = statements.filter((statement) => statement.includes(prefix));
    // Roles, then users, then grants, then default roles.
    expect(ours.findIndex((statement) => statement.startsWith('CREATE ROLE'))).toBe(0);
    expect(ours.at(-1)).toMatch(/^SET DEFAULT ROLE/);

    await dropAccounts();
    for (const statement of ours) await connection.query(statement);
    expect(await describeAccounts()).toEqual(before);
  });

  it('writes CREATE ... IF NOT EXISTS when asked, so a replay over existing accounts succeeds', async () => {
    const statements = (await dumpUsersAndGrants(connection, { ifNotExists: true })).filter((statement) =>
      statement.includes(prefix),
    );
    expect(
      statements
        .filter((statement) => statement.startsWith('CREATE'))
        .every((s) => /^CREATE (USER|ROLE) IF NOT EXISTS /.test(s)),
    ).toBe(true);
    const before = await describeAccounts();
    for (const statement of statements) await connection.query(statement);
    expect(await describeAccounts()).toEqual(before);
  });
});
