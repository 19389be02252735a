import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  ArchiveReader,
  ArchiveWriter,
  type ConnectionOptions,
  type EngineProgress,
  type ProgressCallback,
} from '@dbbackup/archive';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgClusterManifestExtra } from '../src/cluster/cluster-layout.js';
import { ClusterRestoreError, ClusterTargetNotEmptyError } from '../src/cluster/errors.js';
import { UnsuitableArchiveError } from '../src/errors.js';
import { createPostgresEngine } from '../src/postgres-engine.js';
import {
  backupToFile,
  dropDatabase,
  connection as mainConnection,
  plainArchive,
  psqlStdin,
  tempDir,
} from './helpers/data-fixtures.js';
import { compareSchemas, loadDataset, pgDumpSchema } from './helpers/index.js';
import { startThrowawayCluster, type ThrowawayCluster } from './helpers/throwaway-cluster.js';

const engine = createPostgresEngine();
const suffix = randomBytes(4).toString('hex');
const role = {
  owner: `dbb_cl_${suffix}_owner`,
  reader: `dbb_cl_${suffix}_reader`,
  app: `dbb_cl_${suffix}_app`,
};
const db = {
  shop: `dbb_cl_${suffix}_shop`,
  /** A name that needs quoting everywhere. */
  types: `dbb_cl_${suffix} Types`,
  small: `dbb_cl_${suffix}_small`,
};
const myRoles = Object.values(role);
const myDatabases = Object.values(db);
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function withClientOn<T>(
  connection: ConnectionOptions,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ host: connection.host, port: connection.port, user: connection.user, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Role attributes (password hash included), memberships and settings of this test's roles. */
async function roleState(connection: ConnectionOptions) {
  return withClientOn(connection, 'postgres', async (client) => {
    const roles = await client.query(
      `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
              rolconnlimit, rolpassword, rolvaliduntil::text, shobj_description(oid, 'pg_authid') AS comment
         FROM pg_authid WHERE rolname = ANY($1) ORDER BY 1`,
      [myRoles],
    );
    const memberships = await client.query(
      `SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, a.admin_option
         FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
         LEFT JOIN pg_roles g ON g.oid = a.grantor
        WHERE m.rolname = ANY($1) ORDER BY 1, 2`,
      [myRoles],
    );
    const settings = await client.query(
      `SELECT r.rolname, coalesce(d.datname, '') AS database, s.setconfig
         FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase
        WHERE r.rolname = ANY($1) ORDER BY 1, 2`,
      [myRoles],
    );
    return { roles: roles.rows, memberships: memberships.rows, settings: settings.rows };
  });
}

/** Encoding, locale, owner, flags, privileges (as a set), comment and settings of databases. */
async function databaseState(connection: ConnectionOptions, names: string[]) {
  return withClientOn(connection, 'postgres', async (client) => {
    const { rows } = await client.query(
      `SELECT datname, pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, pg_get_userbyid(datdba) AS owner,
              datconnlimit, datallowconn, datistemplate,
              (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(datacl) AS a) AS acl,
              shobj_description(oid, 'pg_database') AS comment,
              (SELECT array_agg(coalesce(r.rolname, '-') || ':' || array_to_string(s.setconfig, ',') ORDER BY 1)
                 FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole
                WHERE s.setdatabase = d.oid) AS settings
         FROM pg_database d WHERE datname = ANY($1) ORDER BY 1`,
      [names],
    );
    return rows;
  });
}

/** pg_dump -s (normalised) and every table's rows (count + md5), sequences and large objects of one database. */
async function contents(connection: ConnectionOptions, database: string) {
  const schema = await pgDumpSchema(database, [
    '-h',
    connection.host!,
    '-p',
    String(connection.port),
    '-U',
    'postgres',
  ]);
  const data = await withClientOn(connection, database, async (client) => {
    // The source's default_transaction_read_only does not matter: this only reads.
    const tables = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND (c.relkind <> 'm' OR c.relispopulated) ORDER BY 1`,
    );
    const rows: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ fingerprint: string }>(
        `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS fingerprint
           FROM ONLY ${name} t`,
      );
      rows[name] = result.rows[0]!.fingerprint;
    }
    const sequences = await client.query(`SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2`);
    const largeObjects = await client.query(
      `SELECT oid::text, pg_get_userbyid(lomowner) AS owner, md5(lo_get(oid)) AS md5 FROM pg_largeobject_metadata ORDER BY 1`,
    );
    return { rows, sequences: sequences.rows, largeObjects: largeObjects.rows };
  });
  return { schema, ...data };
}

async function expectSameDatabase(
  source: ConnectionOptions,
  sourceName: string,
  target: ConnectionOptions,
  targetName = sourceName,
) {
  const [want, got] = await Promise.all([contents(source, sourceName), contents(target, targetName)]);
  expect(got.rows, sourceName).toEqual(want.rows);
  expect(got.sequences, sourceName).toEqual(want.sequences);
  expect(got.largeObjects, sourceName).toEqual(want.largeObjects);
  expect(compareSchemas(want.schema, got.schema).diff, sourceName).toBe('');
  return want;
}

async function clusterBackup(file: string, connection: ConnectionOptions, databases?: string[]) {
  const writer = await ArchiveWriter.createFile(file, plainArchive);
  return engine.backupCluster!({ connection, writer, jobs: 2, ...(databases ? { databases } : {}) });
}

async function clusterRestore(
  file: string,
  connection: ConnectionOptions,
  options: { confirm?: boolean; databases?: string[]; onProgress?: ProgressCallback } = {},
) {
  const reader = await ArchiveReader.open(file);
  try {
    return await engine.restoreCluster!({ connection, reader, jobs: 2, ...options });
  } finally {
    await reader.close();
  }
}

describe('cluster backup and restore (globals + databases) into a throwaway instance', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let first: ThrowawayCluster | undefined;
  let second: ThrowawayCluster | undefined;
  const extraDatabases: string[] = [];
  let clusterFile: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    clusterFile = path.join(dir, 'cluster.dbb');
    const instances = Promise.all([startThrowawayCluster(), startThrowawayCluster()]);
    await withClientOn(mainConnection, 'postgres', async (client) => {
      await client.query(
        `CREATE ROLE ${role.owner} LOGIN CREATEDB PASSWORD 'not-a-real-secret' CONNECTION LIMIT 5 VALID UNTIL '2099-01-01 00:00:00+00'`,
      );
      await client.query(`CREATE ROLE ${role.reader} NOLOGIN`);
      await client.query(`CREATE ROLE ${role.app} LOGIN NOINHERIT BYPASSRLS`);
      await client.query(`GRANT ${role.reader} TO ${role.app} WITH ADMIN OPTION`);
      await client.query(`ALTER ROLE ${role.app} SET work_mem = '8MB'`);
      await client.query(`COMMENT ON ROLE ${role.app} IS 'the application''s role'`);
      for (const name of myDatabases) {
        await client.query(`CREATE DATABASE ${quote(name)} TEMPLATE template0 ENCODING 'UTF8'`);
      }
      await client.query(`ALTER DATABASE ${db.shop} OWNER TO ${role.owner}`);
      await client.query(`COMMENT ON DATABASE ${db.shop} IS 'the shop'`);
      await client.query(`REVOKE TEMPORARY ON DATABASE ${db.shop} FROM PUBLIC`);
      await client.query(`GRANT CONNECT, CREATE ON DATABASE ${db.shop} TO ${role.reader}`);
      await client.query(`ALTER DATABASE ${db.shop} SET statement_timeout = '5min'`);
      await client.query(`ALTER ROLE ${role.app} IN DATABASE ${db.shop} SET search_path = app, public`);
      await client.query(`ALTER DATABASE ${db.small} OWNER TO ${role.app}`);
      await client.query(`ALTER DATABASE ${db.small} CONNECTION LIMIT 20`);
    });
    await Promise.all([
      loadDataset(db.shop, 'chinook'),
      loadDataset(db.types, 'tricky-types-serde'),
      psqlStdin(
        db.small,
        `CREATE SCHEMA app AUTHORIZATION ${role.app};
         CREATE TABLE app.items (id integer PRIMARY KEY, doc text, picture oid);
         INSERT INTO app.items SELECT i, 'item ' || i, NULL FROM generate_series(1, 500) i;
         UPDATE app.items SET picture = lo_from_bytea(0, convert_to(repeat('pixel', 1000), 'UTF8')) WHERE id = 1;
         ALTER TABLE app.items OWNER TO ${role.app};
         GRANT SELECT ON app.items TO ${role.reader};
         SELECT lo_from_bytea(0, '\\x00ff'::bytea);
         DO $$BEGIN EXECUTE format('ALTER LARGE OBJECT %s OWNER TO ${role.app}',
           (SELECT picture FROM app.items WHERE id = 1)); END$$;`,
      ),
    ]);
    // A setting that would break a restore if it were applied before the data: applied last.
    await withClientOn(mainConnection, 'postgres', (client) =>
      client.query(`ALTER DATABASE ${db.small} SET default_transaction_read_only = on`),
    );
    [first, second] = await instances;
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await Promise.all([...myDatabases, ...extraDatabases].map(dropDatabase));
    await withClientOn(mainConnection, 'postgres', async (client) => {
      for (const name of [role.app, role.reader, role.owner]) await client.query(`DROP ROLE IF EXISTS ${name}`);
    });
    await cleanup();
  });

  it('backs up the globals and the chosen databases, each in its own snapshot', async () => {
    const backup = await clusterBackup(clusterFile, mainConnection, myDatabases);
    expect(backup.tables).toBeGreaterThan(10);
    const reader = await ArchiveReader.open(clusterFile);
    try {
      const { manifest } = reader;
      expect(manifest.cluster).toBe(true);
      expect(manifest.database).toBeNull();
      const extra = manifest.extra as unknown as PgClusterManifestExtra;
      expect(extra.databases.map((entry) => entry.name)).toEqual(myDatabases);
      expect(extra.consistencyNote).toMatch(/own consistent snapshot/);
      expect(manifest.consistency).toMatchObject({ clusterWide: false });
      expect(Object.keys(manifest.consistency.perDatabase as object)).toEqual(myDatabases);
      expect(extra.globals.roles).toEqual(expect.arrayContaining(myRoles));
      expect(manifest.members[0]).toMatchObject({ kind: 'globals', label: 'globals' });
      for (const member of manifest.members.slice(1)) expect(myDatabases).toContain(member.database);
      const shop = extra.databases.find((entry) => entry.name === db.shop)!;
      expect(shop.database.properties).toMatchObject({ owner: role.owner, comment: 'the shop' });
    } finally {
      await reader.close();
    }
  });

  it('restores roles, memberships, settings and every database exactly into an empty instance', async () => {
    const progress: EngineProgress[] = [];
    const result = await clusterRestore(clusterFile, first!.connection, { onProgress: (p) => progress.push(p) });
    expect(result.databases.map((entry) => entry.database)).toEqual(myDatabases);
    // Counters keep growing across the databases and end at the cluster's totals.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.rows).toBeGreaterThanOrEqual(progress[i - 1]!.rows);
    expect(progress.at(-1)).toMatchObject({
      phase: 'done',
      rows: result.databases.reduce((sum, entry) => sum + entry.rows, 0),
    });
    expect(result.databases.every((entry) => entry.created)).toBe(true);
    expect(result.warnings).toEqual([]);
    for (const name of myDatabases) await expectSameDatabase(mainConnection, name, first!.connection);
    expect(await roleState(first!.connection)).toEqual(await roleState(mainConnection));
    expect(await databaseState(first!.connection, myDatabases)).toEqual(
      await databaseState(mainConnection, myDatabases),
    );
  });

  it('refuses to restore into an instance that is not empty unless confirmed', async () => {
    const error = await clusterRestore(clusterFile, first!.connection).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClusterTargetNotEmptyError);
    expect((error as ClusterTargetNotEmptyError).databases).toEqual(myDatabases);
    // Every role of the archive that now exists (the source server's other roles too), not the restoring user.
    expect((error as ClusterTargetNotEmptyError).roles).toEqual(expect.arrayContaining(myRoles));
    expect((error as ClusterTargetNotEmptyError).roles).not.toContain('postgres');
    // With confirm it goes ahead; the first database collides with what is there and the error says where it stopped.
    const failed = await clusterRestore(clusterFile, first!.connection, { confirm: true }).catch((caught) => caught);
    expect(failed).toBeInstanceOf(ClusterRestoreError);
    expect(failed).toMatchObject({ database: db.shop, restored: [] });
    expect((failed as Error).message).toMatch(/already exists/);
    const single = path.join(dir, 'single.dbb');
    await backupToFile(db.small, single);
    await expect(clusterRestore(single, first!.connection)).rejects.toBeInstanceOf(UnsuitableArchiveError);
    await expect(
      clusterRestore(clusterFile, first!.connection, { databases: ['not_in_the_archive'] }),
    ).rejects.toBeInstanceOf(UnsuitableArchiveError);
  });

  it('backs up a whole instance, postgres included, and restores it into the existing empty postgres database', async () => {
    await first!.withClient('postgres', async (client) => {
      await client.query('CREATE TABLE public.notes (id integer PRIMARY KEY, body text)');
      await client.query(`INSERT INTO public.notes SELECT i, 'note ' || i FROM generate_series(1, 100) i`);
      await client.query(`COMMENT ON DATABASE postgres IS 'maintenance, with notes'`);
    });
    const wholeFile = path.join(dir, 'whole.dbb');
    await clusterBackup(wholeFile, first!.connection);
    const result = await clusterRestore(wholeFile, second!.connection);
    const names = ['postgres', ...myDatabases].sort();
    expect(result.databases.map((entry) => entry.database).sort()).toEqual(names);
    expect(result.databases.find((entry) => entry.database === 'postgres')!.created).toBe(false);
    for (const name of names) await expectSameDatabase(first!.connection, name, second!.connection);
    expect(await roleState(second!.connection)).toEqual(await roleState(first!.connection));
    expect(await databaseState(second!.connection, names)).toEqual(await databaseState(first!.connection, names));
  });

  it('restores one database of a cluster archive, and database restores with create bring its properties', async () => {
    const fromCluster = `dbb_cl_${suffix}_from_cluster`;
    const fromSingle = `dbb_cl_${suffix}_from_single`;
    extraDatabases.push(fromCluster, fromSingle);
    const reader = await ArchiveReader.open(clusterFile);
    try {
      await expect(
        engine.restore({ connection: mainConnection, reader, database: fromCluster, create: true }),
      ).rejects.toBeInstanceOf(UnsuitableArchiveError);
      await engine.restore({
        connection: mainConnection,
        reader,
        database: fromCluster,
        sourceDatabase: db.shop,
        create: true,
        jobs: 2,
      });
      const verified = await engine.verifyRestore({ connection: mainConnection, reader, jobs: 2 });
      expect(verified.ok).toBe(true);
      expect(new Set(verified.tables.map((table) => table.database))).toEqual(new Set(myDatabases));
    } finally {
      await reader.close();
    }
    const singleFile = path.join(dir, 'shop.dbb');
    await backupToFile(db.shop, singleFile);
    const single = await ArchiveReader.open(singleFile);
    try {
      await engine.restore({ connection: mainConnection, reader: single, database: fromSingle, create: true, jobs: 2 });
    } finally {
      await single.close();
    }
    const [source, ...copies] = await databaseState(mainConnection, [db.shop, fromCluster, fromSingle]).then((rows) =>
      [db.shop, fromCluster, fromSingle].map((name) => rows.find((row) => row.datname === name)),
    );
    const withoutName = (row: Record<string, unknown> | undefined) => ({ ...row, datname: undefined });
    for (const copy of copies) expect(withoutName(copy)).toEqual(withoutName(source));
    expect([...(source!.settings as string[])].sort()).toEqual(
      [`-:statement_timeout=5min`, `${role.app}:search_path=app, public`].sort(),
    );
    await expectSameDatabase(mainConnection, db.shop, mainConnection, fromCluster);
  });
});
