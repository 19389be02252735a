import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseCreateSql, dumpGlobals } from '../src/schema/index.js';
import { connectionConfig, createTempDatabase, dropDatabase, ensureRoles, withClient } from './helpers/index.js';

const suffix = randomBytes(4).toString('hex');
/** A role name that needs quoting, unique to this run (roles are cluster-wide). */
const roleName = `dbb_test_g_${suffix} "Odd"`;
const quotedRole = `"${roleName.replaceAll('"', '""')}"`;

async function roleState(name: string) {
  return withClient('postgres', async (client) => {
    const role = await client.query(
      `SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
              rolconnlimit, rolpassword, rolvaliduntil::text, shobj_description(oid, 'pg_authid') AS comment
         FROM pg_authid WHERE rolname = $1`,
      [name],
    );
    const memberships = await client.query(
      `SELECT r.rolname, m.admin_option FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
        WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1) ORDER BY 1`,
      [name],
    );
    const settings = await client.query(
      `SELECT s.setconfig FROM pg_db_role_setting s
        WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = $1) AND s.setdatabase = 0`,
      [name],
    );
    return { role: role.rows, memberships: memberships.rows, settings: settings.rows };
  });
}

describe('dumpGlobals', () => {
  beforeAll(async () => {
    await ensureRoles(['dbb_test_reader']);
    await withClient('postgres', async (client) => {
      await client.query(
        `CREATE ROLE ${quotedRole} LOGIN CREATEDB PASSWORD 'not-a-real-secret' CONNECTION LIMIT 3 VALID UNTIL '2099-01-01 00:00:00+00'`,
      );
      await client.query(`COMMENT ON ROLE ${quotedRole} IS 'role ''comment'''`);
      await client.query(`GRANT dbb_test_reader TO ${quotedRole} WITH ADMIN OPTION`);
      await client.query(`ALTER ROLE ${quotedRole} SET search_path = a, "b c"`);
      await client.query(`ALTER ROLE ${quotedRole} SET work_mem = '64MB'`);
    });
  });

  afterAll(async () => {
    await withClient('postgres', (client) => client.query(`DROP ROLE IF EXISTS ${quotedRole}`));
  });

  it('emits roles with attributes, password hashes, comments, memberships and settings', async () => {
    const globals = await withClient('postgres', (client) => dumpGlobals(client));
    const mine = globals.statements.filter((statement) => statement.includes(quotedRole));
    expect(mine[0]).toMatch(/^DO \$dbbackup\$BEGIN IF NOT EXISTS .* CREATE ROLE .* END IF; END\$dbbackup\$;$/);
    expect(mine.join('\n')).toContain(
      `ALTER ROLE ${quotedRole} WITH NOSUPERUSER INHERIT NOCREATEROLE CREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 PASSWORD 'SCRAM-SHA-256$`,
    );
    const me = String(connectionConfig().user);
    expect(mine).toContain(`GRANT dbb_test_reader TO ${quotedRole} WITH ADMIN OPTION GRANTED BY ${me};`);
    expect(mine).toContain(`ALTER ROLE ${quotedRole} SET search_path TO 'a', 'b c';`);
    expect(globals.script).toContain(`ALTER ROLE ${me} WITH SUPERUSER`);
    expect(globals.statements.some((statement) => /CREATE ROLE pg_/.test(statement))).toBe(false);

    const withoutPasswords = await withClient('postgres', (client) => dumpGlobals(client, { includePasswords: false }));
    expect(withoutPasswords.script).not.toContain('PASSWORD');
  });

  it('recreates a dropped role identically from its statements', async () => {
    const before = await roleState(roleName);
    const globals = await withClient('postgres', (client) => dumpGlobals(client));
    const mine = globals.statements.filter((statement) => statement.includes(quotedRole));
    await withClient('postgres', async (client) => {
      await client.query(`DROP ROLE ${quotedRole}`);
      for (const statement of mine) await client.query(statement);
      // Running them again must be harmless: the CREATE is guarded.
      for (const statement of mine) await client.query(statement);
    });
    expect(await roleState(roleName)).toEqual(before);
  });
});

describe('databaseCreateSql', () => {
  // Privileges compare as a set: like pg_dump, a reduced default entry is revoked and granted again, which moves
  // it within the aclitem array without changing what anyone may do.
  it('recreates a database with its locale, owner, limits, comment, privileges and settings', async () => {
    const database = await createTempDatabase();
    const state = () =>
      withClient('postgres', async (client) => {
        const { rows } = await client.query(
          `SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, datlocprovider, daticulocale,
                  pg_get_userbyid(datdba) AS owner, datconnlimit, datallowconn,
                  (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(datacl) AS a) AS acl,
                  shobj_description(oid, 'pg_database') AS comment,
                  (SELECT array_agg(coalesce(r.rolname, '-') || ':' || array_to_string(s.setconfig, ',') ORDER BY 1)
                     FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole
                    WHERE s.setdatabase = d.oid) AS settings
             FROM pg_database d WHERE datname = $1`,
          [database.name],
        );
        return rows[0];
      });
    try {
      await ensureRoles(['dbb_test_owner', 'dbb_test_reader']);
      await withClient('postgres', async (client) => {
        await client.query(`ALTER DATABASE ${database.name} OWNER TO dbb_test_owner`);
        await client.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT 7`);
        await client.query(`COMMENT ON DATABASE ${database.name} IS 'database comment'`);
        await client.query(`REVOKE TEMPORARY ON DATABASE ${database.name} FROM PUBLIC`);
        await client.query(`GRANT CREATE ON DATABASE ${database.name} TO dbb_test_reader`);
        await client.query(`ALTER DATABASE ${database.name} SET statement_timeout = '5min'`);
        await client.query(`ALTER ROLE dbb_test_reader IN DATABASE ${database.name} SET search_path = app, public`);
      });
      const before = await state();
      const sql = await withClient('postgres', (client) => databaseCreateSql(client, database.name));
      expect(sql.statements[0]).toMatch(/^CREATE DATABASE dbb_test_\w+ WITH TEMPLATE = template0 ENCODING = 'UTF8'/);
      await dropDatabase(database.name);
      await withClient('postgres', async (client) => {
        for (const statement of sql.statements) await client.query(statement);
      });
      expect(await state()).toEqual(before);
    } finally {
      await database.drop();
    }
  });
});
