import type pg from 'pg';

/** The connecting role as the server sees it, and the attributes that short-cut privilege checks. */
export interface AccountFacts {
  /** current_user, unquoted. */
  name: string;
  /** current_user quoted for GRANT statements (only when it needs quotes). */
  quoted: string;
  superuser: boolean;
  /** Own attribute (not inherited): only then does row-level security let every row through. */
  bypassRowSecurity: boolean;
  /** Has the privileges of pg_read_all_data (PostgreSQL 14+): SELECT on every table and sequence, USAGE on schemas. */
  readAllData: boolean;
  /** lo_compat_privileges = on: every large object is readable by everyone. */
  largeObjectCompatibility: boolean;
  versionNum: number;
}

export async function readAccountFacts(client: pg.ClientBase): Promise<AccountFacts> {
  const { rows } = await client.query<{
    name: string;
    quoted: string;
    superuser: boolean;
    bypassrls: boolean;
    read_all_data: boolean;
    lo_compat: boolean;
    version_num: string;
  }>(
    `SELECT r.rolname AS name, pg_catalog.format('%I', r.rolname) AS quoted, r.rolsuper AS superuser,
            r.rolbypassrls AS bypassrls,
            EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                     WHERE g.rolname = 'pg_read_all_data' AND pg_catalog.pg_has_role(g.oid, 'USAGE')) AS read_all_data,
            pg_catalog.current_setting('lo_compat_privileges')::boolean AS lo_compat,
            pg_catalog.current_setting('server_version_num') AS version_num
       FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
  );
  const row = rows[0]!;
  return {
    name: row.name,
    quoted: row.quoted,
    superuser: row.superuser,
    bypassRowSecurity: row.superuser || row.bypassrls,
    readAllData: row.read_all_data,
    largeObjectCompatibility: row.lo_compat,
    versionNum: Number(row.version_num),
  };
}

/** "postgres (superuser)", "backup (pg_read_all_data)" or just "backup". */
export function describeAccount(account: AccountFacts): string {
  if (account.superuser) return `${account.name} (superuser)`;
  return account.readAllData ? `${account.name} (pg_read_all_data)` : account.name;
}
