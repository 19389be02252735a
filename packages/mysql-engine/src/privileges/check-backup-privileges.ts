import type { ConnectionOptions, PrivilegeCheck } from '@dbbackup/archive';
import { capList, count } from '@dbbackup/engine-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { SYSTEM_DATABASES } from '../cluster/backup-cluster.js';
import { closeQuietly, connect, type MysqlSession } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { MysqlConnectionError } from '../errors.js';
import { type MysqlFlavor, quoteIdentifier } from '../schema/index.js';
import { readAccountPrivileges } from './account.js';
import { checkDatabasePrivileges } from './database-privileges.js';
import { checkSnapshotPrivileges } from './snapshot-privileges.js';

/**
 * What a backup of `database` (or, when null, of every database with the accounts and grants) needs from the
 * connecting account, checked against what the backup runs: the same connection (so the same missing-database and
 * connection errors), FLUSH TABLES WITH READ LOCK, the binlog position and the schema dump's SHOW CREATE statements.
 * Nothing is locked; the only statement tried is the read-only SHOW MASTER STATUS.
 */
export async function checkBackupPrivileges(
  connection: ConnectionOptions,
  database: string | null,
  options: { flavor?: MysqlFlavor } = {},
): Promise<PrivilegeCheck> {
  return database === null
    ? checkClusterPrivileges(connection, options.flavor)
    : checkOneDatabase(connection, database, options.flavor);
}

async function checkOneDatabase(
  connection: ConnectionOptions,
  database: string,
  flavor: MysqlFlavor | undefined,
): Promise<PrivilegeCheck> {
  const quotedDatabase = quoteIdentifier(database);
  let session: MysqlSession | undefined;
  try {
    // As the backup connects: a missing database throws its DatabaseNotFoundError, naming it.
    session = await connect(connection, database, { flavor });
  } catch (error) {
    if (!isDatabaseDenied(error)) throw error;
    // The server does not say whether a database the account may not use exists; the backup fails either way.
    session = await connect(connection, undefined, { flavor });
    try {
      const server = (await requireSupportedServer(session)).info;
      const account = await readAccountPrivileges(session, server);
      const missing = [
        `a privilege on database ${quotedDatabase} (or it does not exist): GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON ${quotedDatabase}.* TO ${account.grantee}`,
      ];
      return result(account.description, `no privilege on ${quotedDatabase}`, missing, null, []);
    } finally {
      await closeQuietly(session);
    }
  }
  try {
    const server = (await requireSupportedServer(session)).info;
    const account = await readAccountPrivileges(session, server);
    const snapshot = await checkSnapshotPrivileges(session, server, account);
    const found = await checkDatabasePrivileges(session, server, account, database);
    const hint = `GRANT SELECT, SHOW VIEW ON ${quotedDatabase}.* TO ${account.grantee} covers every table and view`;
    const detail = `${found.detail}; ${snapshot.reload ? 'RELOAD' : 'no RELOAD'}`;
    return result(account.description, detail, found.missing, hint, [...snapshot.warnings, ...found.warnings]);
  } finally {
    await closeQuietly(session);
  }
}

/**
 * A cluster backup first dumps every account with SHOW CREATE USER and SHOW GRANTS FOR, which need SELECT on the
 * mysql database (global SELECT will do); without it the backup fails. Then it backs up every database
 * information_schema lists to the account, which without SHOW DATABASES are only those it holds privileges in.
 */
async function checkClusterPrivileges(
  connection: ConnectionOptions,
  flavor: MysqlFlavor | undefined,
): Promise<PrivilegeCheck> {
  const session = await connect(connection, undefined, { flavor });
  try {
    const server = (await requireSupportedServer(session)).info;
    const account = await readAccountPrivileges(session, server);
    const missing: string[] = [];
    const warnings: string[] = [];
    const accountsReadable = account.grants.hasOnDatabase('SELECT', 'mysql');
    if (!accountsReadable) {
      missing.push(
        `SELECT on mysql.*: a cluster backup reads every account and its grants (GRANT SELECT ON mysql.* TO ${account.grantee})`,
      );
    }
    if (!account.grants.seesEveryDatabase()) {
      warnings.push(
        `without SHOW DATABASES this account lists only the databases it holds privileges in: any other would be left out of the cluster backup without an error; GRANT SHOW DATABASES ON *.* TO ${account.grantee}`,
      );
    }
    const snapshot = await checkSnapshotPrivileges(session, server, account);
    warnings.push(...snapshot.warnings);
    const [rows] = await session.client.query<RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
    );
    const databases = rows
      .map((row) => String(row.name))
      .filter((name) => !SYSTEM_DATABASES.includes(name.toLowerCase()));
    let complete = 0;
    for (const database of databases) {
      const found = await checkDatabasePrivileges(session, server, account, database);
      missing.push(...found.missing);
      warnings.push(...found.warnings);
      if (found.missing.length === 0) complete++;
    }
    const detail = [
      accountsReadable ? 'SELECT on mysql.*' : 'no SELECT on mysql.*',
      `${count(databases.length, 'database')}, everything readable in ${complete} of them`,
      snapshot.reload ? 'RELOAD' : 'no RELOAD',
    ].join('; ');
    const hint = `GRANT SELECT, SHOW VIEW ON *.* TO ${account.grantee} covers every table and view`;
    return result(account.description, detail, missing, hint, warnings);
  } finally {
    await closeQuietly(session);
  }
}

function result(
  account: string,
  detail: string,
  missing: string[],
  hint: string | null,
  warnings: string[],
): PrivilegeCheck {
  return { ok: missing.length === 0, account, detail, missing: capList(missing, hint), warnings };
}

/** The account may not use the database (connect() wraps ER_DBACCESS_DENIED_ERROR in a MysqlConnectionError). */
function isDatabaseDenied(error: unknown): boolean {
  return (
    error instanceof MysqlConnectionError &&
    (error.cause as { code?: string } | undefined)?.code === 'ER_DBACCESS_DENIED_ERROR'
  );
}
