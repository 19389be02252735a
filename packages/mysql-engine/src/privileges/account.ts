import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlSession } from '../connection/connect.js';
import { type MysqlServerInfo, quoteString } from '../schema/index.js';
import { Grants } from './grants.js';

/** The connected account as the server matched it, with every privilege it holds in this session. */
export interface AccountPrivileges {
  /** "backup@localhost", plus " (role reader)" when a role is active. */
  description: string;
  /** `'backup'@'localhost'`, for the GRANT statements the check suggests. */
  grantee: string;
  grants: Grants;
}

/**
 * CURRENT_USER() is the mysql.user row the server matched (the host may be a pattern). A new connection has its
 * default role active, exactly as the backup's connections will. MariaDB's SHOW GRANTS prints the user's grants,
 * the current role's, the roles granted to that role and PUBLIC's. MySQL 8 prints only the role grants themselves
 * unless asked `USING` the active roles.
 */
export async function readAccountPrivileges(
  session: MysqlSession,
  server: MysqlServerInfo,
): Promise<AccountPrivileges> {
  const [[row]] = await session.client.query<RowDataPacket[]>(
    `SELECT CURRENT_USER() AS account, ${server.flavor === 'mariadb' || server.versionNum >= 80000 ? 'CURRENT_ROLE()' : 'NULL'} AS role,
            @@lower_case_table_names AS lowerCaseNames`,
  );
  const account = String(row?.account ?? '');
  const role = row?.role === null || row?.role === undefined || row.role === 'NONE' ? null : String(row.role);
  const at = account.lastIndexOf('@');
  const grantee = `${quoteString(account.slice(0, at))}@${quoteString(account.slice(at + 1))}`;
  const statement =
    server.flavor === 'mysql' && role !== null ? `SHOW GRANTS FOR CURRENT_USER() USING ${role}` : 'SHOW GRANTS';
  const [rows] = await session.client.query<RowDataPacket[]>(statement);
  const lines = rows.map((grant) => String(Object.values(grant)[0]));
  return {
    description: role === null ? account : `${account} (role ${role.replaceAll('`', '')})`,
    grantee,
    grants: new Grants(lines, Number(row?.lowerCaseNames ?? 0) !== 0),
  };
}
