import type { Connection, RowDataPacket } from 'mysql2/promise';
import { compareNames } from './catalog.js';
import { quoteIdentifier, quoteString } from './quote.js';
import { readServerInfo } from './server.js';
import type { MysqlServerInfo, MysqlUsersDumpOptions } from './types.js';

interface Account {
  user: string;
  host: string;
  isRole: boolean;
}

/**
 * Accounts the server's installer creates itself (root@localhost and, MariaDB 10.4+, mysql@localhost, both by
 * unix socket), mariadb.sys / mysql.* internal accounts, and MariaDB's PUBLIC.
 */
function isSystemAccount(account: Account): boolean {
  if ((account.user === 'root' || account.user === 'mysql') && account.host === 'localhost') return true;
  if (account.user === 'mariadb.sys' || account.user.startsWith('mysql.')) return true;
  return account.user === 'PUBLIC' && account.host === '';
}

/**
 * Every non-system account and role with its authentication, limits, TLS requirements and lock state
 * (SHOW CREATE USER; roles as CREATE ROLE on MariaDB), then every grant (SHOW GRANTS: privileges, role grants,
 * proxies), then default roles, then MariaDB's PUBLIC grants. Run the statements in order as a user with
 * CREATE USER and GRANT OPTION (root). Password hashes appear in the statements: keep them out of logs.
 *
 * Skipped: root@localhost, mysql@localhost, mariadb.sys, mysql.* and PUBLIC itself. MariaDB makes the account that
 * runs CREATE ROLE an admin of the role, so on the target the restoring account also holds each role WITH ADMIN
 * OPTION.
 */
export async function dumpUsersAndGrants(
  connection: Connection,
  options: MysqlUsersDumpOptions = {},
): Promise<string[]> {
  const server = await readServerInfo(connection);
  const accounts = (await readAccounts(connection, server)).filter((account) => !isSystemAccount(account));
  const ifNotExists = options.ifNotExists ? 'IF NOT EXISTS ' : '';
  const roles = accounts.filter((account) => account.isRole);
  const users = accounts.filter((account) => !account.isRole);

  const creates: string[] = roles.map((role) => `CREATE ROLE ${ifNotExists}${quoteIdentifier(role.user)}`);
  for (const user of users) {
    const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE USER ${accountName(user)}`);
    const statement = String(Object.values(rows[0] ?? {})[0] ?? '');
    creates.push(statement.replace(/^CREATE USER /i, `CREATE USER ${ifNotExists}`));
  }

  const grants: string[] = [];
  const defaultRoles: string[] = [];
  for (const account of [...roles, ...users]) {
    for (const line of await showGrants(
      connection,
      account.isRole ? quoteIdentifier(account.user) : accountName(account),
    )) {
      (/^SET DEFAULT ROLE /i.test(line) ? defaultRoles : grants).push(line);
    }
  }
  if (server.flavor === 'mariadb' && server.versionNum >= 101100) {
    grants.push(...(await showGrants(connection, 'PUBLIC')).filter((line) => !/^GRANT USAGE ON \*\.\* TO/i.test(line)));
  }
  return [...creates, ...grants, ...defaultRoles];
}

async function readAccounts(connection: Connection, server: MysqlServerInfo): Promise<Account[]> {
  const version = server.versionNum;
  if (server.flavor === 'mariadb') {
    const [rows] = await connection.query<RowDataPacket[]>(
      'SELECT User AS user, Host AS host, is_role AS isRole FROM mysql.user',
    );
    return sortAccounts(
      rows.map((row) => ({ user: String(row.user), host: String(row.host), isRole: row.isRole === 'Y' })),
    );
  }
  // MySQL 8 roles are locked accounts created with CREATE USER; those granted to someone go first, since
  // SHOW CREATE USER of the accounts holding them names them in DEFAULT ROLE. MySQL 5.7 has no roles.
  const roleEdges = version >= 80000;
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT u.User AS user, u.Host AS host, ${
      roleEdges ? 'EXISTS (SELECT 1 FROM mysql.role_edges e WHERE e.FROM_USER = u.User AND e.FROM_HOST = u.Host)' : '0'
    } AS granted
       FROM mysql.user u`,
  );
  const granted = new Set(rows.filter((row) => Number(row.granted) === 1).map((row) => `${row.user}@${row.host}`));
  const accounts = sortAccounts(rows.map((row) => ({ user: String(row.user), host: String(row.host), isRole: false })));
  const isGranted = (account: Account) => granted.has(`${account.user}@${account.host}`);
  return [...accounts.filter(isGranted), ...accounts.filter((account) => !isGranted(account))];
}

function sortAccounts(accounts: Account[]): Account[] {
  return accounts.sort((a, b) => compareNames(a.user, b.user) || compareNames(a.host, b.host));
}

async function showGrants(connection: Connection, account: string): Promise<string[]> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW GRANTS FOR ${account}`);
  return rows.map((row) => String(Object.values(row)[0]));
}

function accountName(account: Account): string {
  return `${quoteString(account.user)}@${quoteString(account.host)}`;
}
