import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { MysqlAccountName } from './cluster-layout.js';

/**
 * Accounts the server's installer creates itself, and internal ones: the same set dumpUsersAndGrants skips
 * (root@localhost, mysql@localhost, mariadb.sys, mysql.*, PUBLIC), so the account list in the manifest names
 * exactly the accounts of the globals member.
 */
function isSystemAccount(account: MysqlAccountName): boolean {
  if ((account.user === 'root' || account.user === 'mysql') && account.host === 'localhost') return true;
  if (account.user === 'mariadb.sys' || account.user.startsWith('mysql.')) return true;
  return account.user === 'PUBLIC' && account.host === '';
}

/** Non-system accounts and roles (MariaDB marks roles with is_role; MySQL's roles are plain accounts). */
export async function listAccounts(connection: Connection): Promise<MysqlAccountName[]> {
  const [columns] = await connection.query<RowDataPacket[]>("SHOW COLUMNS FROM mysql.user LIKE 'is_role'");
  const isRole = columns.length > 0 ? "is_role = 'Y'" : '0';
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT User AS user, Host AS host, ${isRole} AS isRole FROM mysql.user ORDER BY User, Host`,
  );
  return rows
    .map((row) => ({ user: String(row.user), host: String(row.host), isRole: Number(row.isRole) === 1 }))
    .filter((account) => !isSystemAccount(account));
}

/** The account that runs the restore (CURRENT_USER(), i.e. the matched mysql.user row). */
export async function currentAccount(connection: Connection): Promise<MysqlAccountName> {
  const [rows] = await connection.query<RowDataPacket[]>('SELECT CURRENT_USER() AS account');
  const text = String(rows[0]?.account ?? '');
  const at = text.lastIndexOf('@');
  return { user: text.slice(0, at), host: text.slice(at + 1), isRole: false };
}

/** `'user'@'host'`, or a role's bare name, for messages. */
export function describeAccount(account: MysqlAccountName): string {
  return account.isRole ? account.user : `'${account.user}'@'${account.host}'`;
}

export function sameAccount(a: MysqlAccountName, b: MysqlAccountName): boolean {
  return a.user === b.user && a.host === b.host && a.isRole === b.isRole;
}

/** The restoring account's user on any host (the installer's root@127.0.0.1 next to root@localhost). */
export function sameUser(a: MysqlAccountName, restoring: MysqlAccountName): boolean {
  return !a.isRole && a.user === restoring.user;
}
