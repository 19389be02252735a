import type { ConnectionOptions, PrivilegeCheck } from '@dbbackup/archive';
import { capList, count } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { resolveTarget } from '../connection/connection-target.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { DatabaseNotFoundError, PgConnectionError } from '../errors.js';
import { quoteIdentifier } from '../util/quote.js';
import { type AccountFacts, describeAccount, readAccountFacts } from './account.js';
import { readDatabasePrivileges } from './database-privileges.js';

const INSUFFICIENT_PRIVILEGE = '42501';
const ADMIN_SHUTDOWN = '57P01';

/**
 * What a backup of `database` (or, when null, of the whole cluster) needs from the connecting role, checked the way
 * the backup itself would meet it: the same connection, the same missing-database and connection errors, the same
 * relations (see database-privileges.ts). Nothing is locked or read but the catalogs.
 */
export async function checkBackupPrivileges(
  connection: ConnectionOptions,
  database: string | null,
): Promise<PrivilegeCheck> {
  return database === null ? checkClusterPrivileges(connection) : checkDatabasePrivileges(connection, database);
}

async function checkDatabasePrivileges(connection: ConnectionOptions, database: string): Promise<PrivilegeCheck> {
  let client: pg.Client;
  try {
    // As the backup connects: a missing database throws its DatabaseNotFoundError, naming it.
    client = await connect(connection, database);
  } catch (error) {
    if (!isConnectDenied(error)) throw error;
    const user = resolveTarget(connection).user ?? '';
    return result(user, `no CONNECT on "${database}"`, [connectMissing(database, quoteIdentifier(user))], null, []);
  }
  try {
    await requireSupportedServer(client);
    const account = await readAccountFacts(client);
    const found = await readDatabasePrivileges(client, database, account);
    return result(describeAccount(account), found.detail, found.missing, found.bulkHint, found.warnings);
  } finally {
    await closeQuietly(client);
  }
}

/**
 * A cluster backup dumps the globals first, reading role passwords from pg_authid: without superuser it fails
 * (RolePasswordsUnreadableError), so that is missing, not a warning. Then it backs up every connectable
 * non-template database, each needing CONNECT and what a database backup needs; those are checked too, so the
 * answer lists everything to grant at once.
 */
async function checkClusterPrivileges(connection: ConnectionOptions): Promise<PrivilegeCheck> {
  const admin = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE);
  let account: AccountFacts;
  let databases: { name: string; connect: boolean }[];
  try {
    await requireSupportedServer(admin);
    account = await readAccountFacts(admin);
    ({ rows: databases } = await admin.query<{ name: string; connect: boolean }>(
      `SELECT datname AS name, pg_catalog.has_database_privilege(oid, 'CONNECT') AS connect
         FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname`,
    ));
  } finally {
    await closeQuietly(admin);
  }
  if (account.superuser) {
    const detail = `superuser: reads role passwords (pg_authid) and all ${count(databases.length, 'database')}`;
    return result(describeAccount(account), detail, [], null, []);
  }

  const missing = [
    `superuser: a cluster backup copies role passwords from pg_authid, which only superusers can read (ALTER ROLE ${account.quoted} SUPERUSER, or back up the databases one by one)`,
  ];
  const warnings: string[] = [];
  let bulkHint: string | null = null;
  let complete = 0;
  for (const { name, connect: allowed } of databases) {
    if (!allowed) {
      missing.push(connectMissing(name, account.quoted));
      continue;
    }
    let client: pg.Client | undefined;
    try {
      client = await connect(connection, name);
      const found = await readDatabasePrivileges(client, name, account);
      missing.push(...found.missing.map((item) => `database "${name}": ${item}`));
      warnings.push(...found.warnings.map((item) => `database "${name}": ${item}`));
      bulkHint = found.bulkHint;
      if (found.missing.length === 0) complete++;
    } catch (error) {
      // Dropped since it was listed (DROP DATABASE ... WITH (FORCE) terminates our session): the backup would
      // not see it either.
      if (error instanceof DatabaseNotFoundError || isTerminated(error)) continue;
      if (!(error instanceof PgConnectionError)) throw error;
      missing.push(`database "${name}": ${error.message}`);
    } finally {
      await closeQuietly(client);
    }
  }
  const connectable = databases.filter((entry) => entry.connect).length;
  const detail = `not a superuser (pg_authid unreadable); CONNECT on ${connectable} of ${count(databases.length, 'database')}; everything readable in ${complete} of them`;
  return result(describeAccount(account), detail, missing, bulkHint, warnings);
}

function result(
  account: string,
  detail: string,
  missing: string[],
  bulkHint: string | null,
  warnings: string[],
): PrivilegeCheck {
  return { ok: missing.length === 0, account, detail, missing: capList(missing, bulkHint), warnings };
}

function connectMissing(database: string, role: string): string {
  const quoted = quoteIdentifier(database);
  return `CONNECT on database ${quoted} (GRANT CONNECT ON DATABASE ${quoted} TO ${role})`;
}

/** "permission denied for database" at connect time: the role lacks CONNECT (connect() wraps the server error). */
function isConnectDenied(error: unknown): boolean {
  if (!(error instanceof PgConnectionError)) return false;
  return (error.cause as { code?: string } | undefined)?.code === INSUFFICIENT_PRIVILEGE;
}

function isTerminated(error: unknown): boolean {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  return code === ADMIN_SHUTDOWN || cause?.code === ADMIN_SHUTDOWN;
}
