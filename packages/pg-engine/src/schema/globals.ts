import type { ClientBase } from 'pg';
import { buildAclCommands } from './acl.js';
import { alterConfigSql, statements } from './config.js';
import { SchemaDumpError } from './errors.js';
import { Quoter, quoteLiteral } from './quote.js';
import { withDumpSettings } from './session.js';
import type { GlobalsDumpOptions, SqlStatements } from './types.js';

/** Reading role passwords needs pg_authid, which only superusers can read. */
export class RolePasswordsUnreadableError extends SchemaDumpError {
  override readonly name = 'RolePasswordsUnreadableError';
  constructor() {
    super('cannot read role passwords (pg_authid needs a superuser): connect as a superuser or leave passwords out');
  }
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolconnlimit: number;
  rolpassword: string | null;
  rolvaliduntil: string | null;
  comment: string | null;
}

/**
 * The cluster-wide objects pg_dumpall -g writes: roles with their attributes (and password hashes unless asked
 * not to), comments, memberships and per-role settings, then tablespaces (pg_default/pg_global skipped). Each
 * CREATE ROLE is guarded so roles that already exist on the target (the restoring user among them) are kept; the
 * ALTER ROLE that follows sets the attributes either way. Settings that name a database (ALTER ROLE ... IN DATABASE)
 * are part of databaseCreateSql, since the database must exist first. CREATE TABLESPACE refuses a transaction
 * block, so run the statements one by one.
 */
export async function dumpGlobals(client: ClientBase, options: GlobalsDumpOptions = {}): Promise<SqlStatements> {
  const includePasswords = options.includePasswords ?? true;
  return withDumpSettings(client, async () => {
    const quoter = await Quoter.load(client);
    const { rows: versionRows } = await client.query<{ num: string }>(
      "SELECT pg_catalog.current_setting('server_version_num') AS num",
    );
    const version = Number(versionRows[0]!.num);
    const list: string[] = [];
    list.push(...(await roleStatements(client, quoter, includePasswords)));
    list.push(...(await membershipStatements(client, quoter, version)));
    list.push(...(await roleSettingStatements(client, quoter)));
    list.push(...(await tablespaceStatements(client, quoter, version)));
    return statements(list);
  });
}

async function roleStatements(client: ClientBase, quoter: Quoter, includePasswords: boolean): Promise<string[]> {
  const source = includePasswords ? 'pg_catalog.pg_authid' : 'pg_catalog.pg_roles';
  let rows: RoleRow[];
  try {
    ({ rows } = await client.query<RoleRow>(
      `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
              rolconnlimit, ${includePasswords ? 'rolpassword' : 'NULL::pg_catalog.text AS rolpassword'},
              rolvaliduntil::pg_catalog.text AS rolvaliduntil,
              pg_catalog.shobj_description(oid, 'pg_authid') AS comment
         FROM ${source}
        WHERE rolname !~ '^pg_'
        ORDER BY rolname`,
    ));
  } catch (error) {
    if ((error as { code?: string }).code === '42501') throw new RolePasswordsUnreadableError();
    throw error;
  }
  const list: string[] = [];
  for (const role of rows) {
    const name = quoter.ident(role.rolname);
    list.push(guardedCreateRole(role.rolname, name));
    let alter = `ALTER ROLE ${name} WITH`;
    alter += role.rolsuper ? ' SUPERUSER' : ' NOSUPERUSER';
    alter += role.rolinherit ? ' INHERIT' : ' NOINHERIT';
    alter += role.rolcreaterole ? ' CREATEROLE' : ' NOCREATEROLE';
    alter += role.rolcreatedb ? ' CREATEDB' : ' NOCREATEDB';
    alter += role.rolcanlogin ? ' LOGIN' : ' NOLOGIN';
    alter += role.rolreplication ? ' REPLICATION' : ' NOREPLICATION';
    alter += role.rolbypassrls ? ' BYPASSRLS' : ' NOBYPASSRLS';
    if (role.rolconnlimit !== -1) alter += ` CONNECTION LIMIT ${role.rolconnlimit}`;
    // The stored hash (SCRAM or md5) is copied as is; it never appears anywhere but in this SQL.
    if (role.rolpassword !== null) alter += ` PASSWORD ${quoteLiteral(role.rolpassword)}`;
    if (role.rolvaliduntil !== null) alter += ` VALID UNTIL ${quoteLiteral(role.rolvaliduntil)}`;
    list.push(`${alter};`);
    if (role.comment !== null) list.push(`COMMENT ON ROLE ${name} IS ${quoteLiteral(role.comment)};`);
  }
  return list;
}

/** `CREATE ROLE` only when no role of that name exists yet, in a DO block with a collision-free dollar quote. */
function guardedCreateRole(rawName: string, quotedName: string): string {
  const body = `BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(rawName)}) THEN CREATE ROLE ${quotedName}; END IF; END`;
  let tag = 'dbbackup';
  while (body.includes(`$${tag}$`)) tag += '_';
  return `DO $${tag}$${body}$${tag}$;`;
}

async function membershipStatements(client: ClientBase, quoter: Quoter, version: number): Promise<string[]> {
  const options =
    version >= 160000
      ? 'a.inherit_option, a.set_option'
      : 'NULL::boolean AS inherit_option, NULL::boolean AS set_option';
  const { rows } = await client.query<{
    role: string;
    member: string;
    grantor: string | null;
    admin_option: boolean;
    inherit_option: boolean | null;
    set_option: boolean | null;
  }>(
    `SELECT ur.rolname AS role, um.rolname AS member, ug.rolname AS grantor, a.admin_option, ${options}
       FROM pg_catalog.pg_auth_members a
       JOIN pg_catalog.pg_roles ur ON ur.oid = a.roleid
       JOIN pg_catalog.pg_roles um ON um.oid = a.member
       LEFT JOIN pg_catalog.pg_roles ug ON ug.oid = a.grantor
      WHERE um.rolname !~ '^pg_'
      ORDER BY a.admin_option DESC, 1, 2, 3`,
  );
  return rows.map((row) => {
    const withOptions: string[] = [];
    if (row.admin_option) withOptions.push('ADMIN OPTION');
    if (row.inherit_option !== null) withOptions.push(`INHERIT ${row.inherit_option ? 'TRUE' : 'FALSE'}`);
    if (row.set_option !== null) withOptions.push(`SET ${row.set_option ? 'TRUE' : 'FALSE'}`);
    let sql = `GRANT ${quoter.ident(row.role)} TO ${quoter.ident(row.member)}`;
    if (withOptions.length > 0) sql += ` WITH ${withOptions.join(', ')}`;
    if (row.grantor !== null) sql += ` GRANTED BY ${quoter.ident(row.grantor)}`;
    return `${sql};`;
  });
}

async function roleSettingStatements(client: ClientBase, quoter: Quoter): Promise<string[]> {
  const { rows } = await client.query<{ rolname: string; config: string }>(
    `SELECT r.rolname, c.config
       FROM pg_catalog.pg_db_role_setting s
       JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
       CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(config, ord)
      WHERE s.setdatabase = 0
      ORDER BY r.rolname, c.ord`,
  );
  return rows
    .map((row) => alterConfigSql(quoter, row.config, { type: 'ROLE', name: row.rolname }))
    .filter((sql) => sql !== '');
}

async function tablespaceStatements(client: ClientBase, quoter: Quoter, version: number): Promise<string[]> {
  const { rows } = await client.query<{
    spcname: string;
    owner: string;
    location: string;
    acl: string | null;
    acldefault: string;
    options: string | null;
    comment: string | null;
  }>(
    `SELECT spcname, pg_catalog.pg_get_userbyid(spcowner) AS owner, pg_catalog.pg_tablespace_location(oid) AS location,
            spcacl::pg_catalog.text AS acl, pg_catalog.acldefault('t', spcowner)::pg_catalog.text AS acldefault,
            pg_catalog.array_to_string(spcoptions, ', ') AS options,
            pg_catalog.shobj_description(oid, 'pg_tablespace') AS comment
       FROM pg_catalog.pg_tablespace
      WHERE spcname !~ '^pg_'
      ORDER BY spcname`,
  );
  const list: string[] = [];
  for (const row of rows) {
    const name = quoter.ident(row.spcname);
    list.push(`CREATE TABLESPACE ${name} OWNER ${quoter.ident(row.owner)} LOCATION ${quoteLiteral(row.location)};`);
    if (row.options) list.push(`ALTER TABLESPACE ${name} SET (${row.options});`);
    const acl = buildAclCommands(
      {
        type: 'TABLESPACE',
        name,
        acl: row.acl,
        baseAcl: row.acldefault,
        owner: row.owner,
        description: `TABLESPACE ${name}`,
      },
      quoter,
      version,
    );
    if (acl !== '') list.push(acl.trimEnd());
    if (row.comment !== null) list.push(`COMMENT ON TABLESPACE ${name} IS ${quoteLiteral(row.comment)};`);
  }
  return list;
}
