import type { ClientBase } from 'pg';
import { DatabaseNotFoundError } from '../errors.js';
import { buildAclCommands } from './acl.js';
import { alterConfigSql, statements } from './config.js';
import { Quoter, quoteLiteral } from './quote.js';
import { withDumpSettings } from './session.js';
import type { SqlStatements } from './types.js';

interface DatabaseRow {
  oid: number;
  datname: string;
  owner: string;
  encoding: string;
  datcollate: string;
  datctype: string;
  locprovider: string | null;
  locale: string | null;
  icurules: string | null;
  datistemplate: boolean;
  datallowconn: boolean;
  datconnlimit: number;
  tablespace: string | null;
  acl: string | null;
  acldefault: string;
  comment: string | null;
}

/**
 * What pg_dump --create writes for a database: CREATE DATABASE from template0 with its encoding, locale provider
 * and locales (and tablespace), then owner, template/connection flags, comment, privileges, ALTER DATABASE ... SET
 * and ALTER ROLE ... IN DATABASE ... SET. The first statement must run outside a transaction block; all of them run
 * from any database of the target cluster (typically the maintenance database).
 */
export async function databaseCreateSql(client: ClientBase, dbname: string): Promise<SqlStatements> {
  return withDumpSettings(client, async () => {
    const quoter = await Quoter.load(client);
    const { rows: versionRows } = await client.query<{ num: string }>(
      "SELECT pg_catalog.current_setting('server_version_num') AS num",
    );
    const version = Number(versionRows[0]!.num);
    const locprovider = version >= 150000 ? 'd.datlocprovider::pg_catalog.text' : 'NULL::pg_catalog.text';
    const locale = version >= 170000 ? 'd.datlocale' : version >= 150000 ? 'd.daticulocale' : 'NULL::pg_catalog.text';
    const icurules = version >= 160000 ? 'd.daticurules' : 'NULL::pg_catalog.text';
    const { rows } = await client.query<DatabaseRow>(
      `SELECT d.oid, d.datname, pg_catalog.pg_get_userbyid(d.datdba) AS owner,
              pg_catalog.pg_encoding_to_char(d.encoding) AS encoding, d.datcollate, d.datctype,
              ${locprovider} AS locprovider, ${locale} AS locale, ${icurules} AS icurules,
              d.datistemplate, d.datallowconn, d.datconnlimit, t.spcname AS tablespace,
              d.datacl::pg_catalog.text AS acl, pg_catalog.acldefault('d', d.datdba)::pg_catalog.text AS acldefault,
              pg_catalog.shobj_description(d.oid, 'pg_database') AS comment
         FROM pg_catalog.pg_database d LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = d.dattablespace
        WHERE d.datname = $1`,
      [dbname],
    );
    const db = rows[0];
    if (!db) throw new DatabaseNotFoundError(dbname);
    const name = quoter.ident(db.datname);
    const list: string[] = [];

    let create = `CREATE DATABASE ${name} WITH TEMPLATE = template0 ENCODING = ${quoteLiteral(db.encoding)}`;
    if (db.locprovider !== null) {
      create += ` LOCALE_PROVIDER = ${{ c: 'libc', i: 'icu', b: 'builtin' }[db.locprovider] ?? 'libc'}`;
    }
    if (db.datcollate === db.datctype) create += ` LOCALE = ${quoteLiteral(db.datcollate)}`;
    else create += ` LC_COLLATE = ${quoteLiteral(db.datcollate)} LC_CTYPE = ${quoteLiteral(db.datctype)}`;
    if (db.locale !== null) {
      create += `${db.locprovider === 'b' ? ' BUILTIN_LOCALE' : ' ICU_LOCALE'} = ${quoteLiteral(db.locale)}`;
    }
    if (db.icurules !== null) create += ` ICU_RULES = ${quoteLiteral(db.icurules)}`;
    if (db.tablespace !== null && db.tablespace !== 'pg_default')
      create += ` TABLESPACE = ${quoter.ident(db.tablespace)}`;
    list.push(`${create};`);

    list.push(`ALTER DATABASE ${name} OWNER TO ${quoter.ident(db.owner)};`);
    if (db.datistemplate) list.push(`ALTER DATABASE ${name} IS_TEMPLATE = true;`);
    if (!db.datallowconn) list.push(`ALTER DATABASE ${name} ALLOW_CONNECTIONS = false;`);
    if (db.datconnlimit !== -1) list.push(`ALTER DATABASE ${name} CONNECTION LIMIT = ${db.datconnlimit};`);
    if (db.comment !== null) list.push(`COMMENT ON DATABASE ${name} IS ${quoteLiteral(db.comment)};`);
    const acl = buildAclCommands(
      {
        type: 'DATABASE',
        name,
        acl: db.acl,
        baseAcl: db.acldefault,
        owner: db.owner,
        description: `DATABASE ${name}`,
      },
      quoter,
      version,
    );
    if (acl !== '') list.push(acl.trimEnd());

    const { rows: settings } = await client.query<{ rolname: string | null; config: string }>(
      `SELECT r.rolname, c.config
         FROM pg_catalog.pg_db_role_setting s
         LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
         CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(config, ord)
        WHERE s.setdatabase = $1
        ORDER BY s.setrole <> 0, r.rolname, c.ord`,
      [db.oid],
    );
    for (const setting of settings) {
      const sql =
        setting.rolname === null
          ? alterConfigSql(quoter, setting.config, { type: 'DATABASE', name: db.datname })
          : alterConfigSql(
              quoter,
              setting.config,
              { type: 'ROLE', name: setting.rolname },
              { type: 'DATABASE', name: db.datname },
            );
      if (sql !== '') list.push(sql);
    }
    return statements(list);
  });
}
