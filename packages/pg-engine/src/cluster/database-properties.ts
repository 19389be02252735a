/**
 * Database-level properties that CREATE DATABASE does not carry: owner, template and connection flags, comment,
 * privileges, `ALTER DATABASE ... SET` and `ALTER ROLE ... IN DATABASE ... SET`. They are recorded as data (not SQL)
 * so a restore can apply them to a database of another name, and applied at the very end of a restore: a setting
 * such as default_transaction_read_only, ALLOW_CONNECTIONS = false or a connection limit must not hit the restore's
 * own sessions.
 */
import type { Logger } from '@dbbackup/archive';
import type pg from 'pg';
import type { DatabaseProperties } from '../archive-layout.js';
import { PgEngineError } from '../errors.js';
import { alterConfigSql } from '../schema/config.js';
import { buildAclCommands, Quoter, quoteLiteral } from '../schema/index.js';

const UNDEFINED_OBJECT = '42704';

/** Reads the properties of `database` (any connection to the same server will do). */
export async function readDatabaseProperties(client: pg.ClientBase, database: string): Promise<DatabaseProperties> {
  const { rows } = await client.query<{
    oid: number;
    owner: string;
    datistemplate: boolean;
    datallowconn: boolean;
    datconnlimit: number;
    comment: string | null;
    acl: string | null;
    acl_default: string;
  }>(
    `SELECT d.oid, pg_catalog.pg_get_userbyid(d.datdba) AS owner, d.datistemplate, d.datallowconn, d.datconnlimit,
            pg_catalog.shobj_description(d.oid, 'pg_database') AS comment, d.datacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('d', d.datdba)::pg_catalog.text AS acl_default
       FROM pg_catalog.pg_database d WHERE d.datname = $1`,
    [database],
  );
  const row = rows[0];
  if (!row)
    throw new PgEngineError(`database "${database}" was dropped while it was being backed up; back it up again`);
  const settings = await client.query<{ role: string | null; config: string }>(
    `SELECT r.rolname AS role, c.config
       FROM pg_catalog.pg_db_role_setting s
       LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
       CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(config, ord)
      WHERE s.setdatabase = $1 AND (s.setrole = 0 OR r.oid IS NOT NULL)
      ORDER BY s.setrole <> 0, r.rolname, c.ord`,
    [row.oid],
  );
  return {
    owner: row.owner,
    isTemplate: row.datistemplate,
    allowConnections: row.datallowconn,
    connectionLimit: row.datconnlimit,
    comment: row.comment,
    acl: row.acl,
    aclDefault: row.acl_default,
    settings: settings.rows,
  };
}

/**
 * The statements that give database `name` these properties, each to run on its own from another database of the
 * target server (the ACL entry may hold several GRANT/REVOKE lines). Flags that stop connections come last.
 */
export function databasePropertiesSql(
  name: string,
  properties: DatabaseProperties,
  quoter: Quoter,
  serverVersionNum: number,
): string[] {
  const database = quoter.ident(name);
  const list = [`ALTER DATABASE ${database} OWNER TO ${quoter.ident(properties.owner)};`];
  if (properties.comment !== null) list.push(`COMMENT ON DATABASE ${database} IS ${quoteLiteral(properties.comment)};`);
  const acl = buildAclCommands(
    {
      type: 'DATABASE',
      name: database,
      acl: properties.acl,
      baseAcl: properties.aclDefault,
      owner: properties.owner,
      description: `DATABASE ${database}`,
    },
    quoter,
    serverVersionNum,
  );
  if (acl !== '') list.push(acl.trimEnd());
  for (const setting of properties.settings) {
    const sql =
      setting.role === null
        ? alterConfigSql(quoter, setting.config, { type: 'DATABASE', name })
        : alterConfigSql(quoter, setting.config, { type: 'ROLE', name: setting.role }, { type: 'DATABASE', name });
    if (sql !== '') list.push(sql);
  }
  if (properties.connectionLimit !== -1) {
    list.push(`ALTER DATABASE ${database} CONNECTION LIMIT = ${properties.connectionLimit};`);
  }
  if (!properties.allowConnections) list.push(`ALTER DATABASE ${database} ALLOW_CONNECTIONS = false;`);
  if (properties.isTemplate) list.push(`ALTER DATABASE ${database} IS_TEMPLATE = true;`);
  return list;
}

/**
 * Applies the properties to `name`. A statement naming a role the target server lacks (owner, grantee, role setting)
 * is skipped with a warning rather than failing a restore whose data is already loaded; the warnings are returned.
 */
export async function applyDatabaseProperties(
  admin: pg.Client,
  name: string,
  properties: DatabaseProperties,
  serverVersionNum: number,
  logger?: Logger,
): Promise<string[]> {
  const quoter = await Quoter.load(admin);
  const warnings: string[] = [];
  for (const sql of databasePropertiesSql(name, properties, quoter, serverVersionNum)) {
    try {
      await admin.query(sql);
    } catch (error) {
      if ((error as { code?: string }).code !== UNDEFINED_OBJECT) throw error;
      const warning = `database "${name}": skipped a property, ${(error as Error).message} (create the role and run: ${firstLine(sql)})`;
      warnings.push(warning);
      logger?.warn(warning);
    }
  }
  return warnings;
}

function firstLine(sql: string): string {
  const newline = sql.indexOf('\n');
  return newline < 0 ? sql : `${sql.slice(0, newline)} ...`;
}
