import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveWriter, type BackupResult, type PrivilegeCheck } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEngine, DatabaseNotFoundError } from '../src/index.js';
import { connection, createDatabase, dropDatabase, plainArchive, psqlStdin, tempDir } from './helpers/data-fixtures.js';
import { ensureRoles, runSqlFile, withClient } from './helpers/index.js';

const engine = createPostgresEngine();
const check = engine.checkBackupPrivileges!;
const torturePath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torture.sql');
const suffix = randomBytes(4).toString('hex');
/** Throwaway login roles (trust auth lets the tests connect as any of them), dropped at the end. */
const roles = {
  limited: `dbb_priv_limited_${suffix}`,
  reader: `dbb_priv_reader_${suffix}`,
  noSequence: `dbb_priv_noseq_${suffix}`,
  noSchema: `dbb_priv_noschema_${suffix}`,
  stranger: `dbb_priv_stranger_${suffix}`,
  readAll: `dbb_priv_readall_${suffix}`,
};

/** Runs the engine's real backup of `database` as `role` into a throwaway file. */
async function backupAs(role: string, database: string): Promise<BackupResult> {
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await ArchiveWriter.createFile(path.join(dir, 'backup.dbb'), plainArchive);
    return await engine.backup({ connection: { ...connection, user: role }, database, writer, jobs: 2 });
  } finally {
    await cleanup();
  }
}

function tableRows(result: BackupResult, name: string): number | undefined {
  const tables = (result.manifest.extra as { tables: { schema: string; name: string; rows: number }[] }).tables;
  return tables.find((table) => `${table.schema}.${table.name}` === name)?.rows;
}

/** The check and the real backup must agree: ok means it succeeds, anything missing means it fails. */
async function expectAgreement(role: string, database: string, result: PrivilegeCheck): Promise<BackupResult | Error> {
  expect(result.ok).toBe(result.missing.length === 0);
  const outcome = await backupAs(role, database).catch((error: Error) => error);
  if (result.ok) expect(outcome).not.toBeInstanceOf(Error);
  else expect(outcome).toBeInstanceOf(Error);
  return outcome;
}

describe('checkBackupPrivileges (PostgreSQL)', () => {
  let database: string;
  let torture: string;

  beforeAll(async () => {
    database = await createDatabase('pgengine_priv');
    await psqlStdin(
      database,
      `REVOKE CONNECT ON DATABASE "${database}" FROM PUBLIC;
       CREATE SCHEMA sales;
       CREATE TABLE public.open_table (id serial PRIMARY KEY, v text);
       INSERT INTO public.open_table (v) SELECT 'v' || g FROM generate_series(1, 50) g;
       CREATE TABLE public.secret (id int PRIMARY KEY, v text);
       INSERT INTO public.secret VALUES (1, 'hidden');
       CREATE TABLE sales.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric)
         PARTITION BY RANGE (id);
       CREATE TABLE sales.orders_1 PARTITION OF sales.orders FOR VALUES FROM (1) TO (1000);
       INSERT INTO sales.orders (total) SELECT g FROM generate_series(1, 20) g;
       CREATE TABLE public.policed (id int PRIMARY KEY, v text);
       INSERT INTO public.policed SELECT g, 'p' || g FROM generate_series(1, 5) g;
       ALTER TABLE public.policed ENABLE ROW LEVEL SECURITY;
       CREATE POLICY few ON public.policed FOR SELECT USING (id <= 2);
       CREATE SEQUENCE public.free_sequence;
       SELECT nextval('public.free_sequence');
       CREATE VIEW public.secret_view AS SELECT * FROM public.secret;
       CREATE MATERIALIZED VIEW public.secret_summary AS SELECT count(*) AS n FROM public.secret;
       SELECT lo_from_bytea(0, 'large object body');`,
    );
    await withClient('postgres', async (client) => {
      for (const role of Object.values(roles)) await client.query(`CREATE ROLE ${role} LOGIN`);
    });
    const everything = (role: string) =>
      `GRANT CONNECT ON DATABASE "${database}" TO ${role};
       GRANT USAGE ON SCHEMA public, sales TO ${role};
       GRANT SELECT ON ALL TABLES IN SCHEMA public, sales TO ${role};
       GRANT SELECT ON ALL SEQUENCES IN SCHEMA public, sales TO ${role};
       DO $$BEGIN EXECUTE (SELECT string_agg(format('GRANT SELECT ON LARGE OBJECT %s TO ${role}', oid), '; ')
                           FROM pg_largeobject_metadata); END$$;`;
    await psqlStdin(
      database,
      `${everything(roles.reader)}
       ${everything(roles.limited)}
       REVOKE SELECT ON public.secret FROM ${roles.limited};
       ${everything(roles.noSequence)}
       REVOKE SELECT ON ALL SEQUENCES IN SCHEMA public, sales FROM ${roles.noSequence};
       GRANT USAGE ON ALL SEQUENCES IN SCHEMA public, sales TO ${roles.noSequence};
       ${everything(roles.noSchema)}
       REVOKE USAGE ON SCHEMA sales FROM ${roles.noSchema};
       GRANT CONNECT ON DATABASE "${database}" TO ${roles.readAll};
       GRANT pg_read_all_data TO ${roles.readAll};`,
    );
    await ensureRoles(['dbb_test_reader', 'dbb_test_writer', 'dbb_test_owner']);
    torture = await createDatabase('pgengine_priv_torture');
    await runSqlFile(torture, torturePath);
  });

  afterAll(async () => {
    await Promise.all([database, torture].filter(Boolean).map(dropDatabase));
    await withClient('postgres', async (client) => {
      for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('passes a superuser at once, and its backup succeeds', async () => {
    const result = await check(connection, database);
    expect(result).toMatchObject({ ok: true, missing: [], warnings: [] });
    expect(result.account).toBe(`${connection.user} (superuser)`);
    expect(result.detail).toContain('superuser');
    await expectAgreement(connection.user!, database, result);
  });

  it('names the one table a role cannot read, and the backup as that role fails', async () => {
    const result = await check({ ...connection, user: roles.limited }, database);
    expect(result.ok).toBe(false);
    expect(result.account).toBe(roles.limited);
    expect(result.missing).toEqual([
      `SELECT on table public.secret (GRANT SELECT ON public.secret TO ${roles.limited})`,
    ]);
    expect(result.detail).toContain('SELECT on 4 of 5 tables and 3 of 3 sequences');
    const failure = await expectAgreement(roles.limited, database, result);
    expect((failure as Error).message).toMatch(/permission denied for table secret/);
  });

  it('passes a role granted SELECT on everything; views and matviews need nothing, row-level security warns', async () => {
    const result = await check({ ...connection, user: roles.reader }, database);
    expect(result.ok).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.detail).toBe(
      `CONNECT on "${database}"; USAGE on 2 of 2 schemas; SELECT on 5 of 5 tables and 3 of 3 sequences; 1 of 1 large object readable`,
    );
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^row-level security hides rows of 1 table \(public\.policed\)/);
    const backup = (await expectAgreement(roles.reader, database, result)) as BackupResult;
    // The warning is true: the policy let 2 of the 5 rows through.
    expect(tableRows(backup, 'public.policed')).toBe(2);
    expect(tableRows(backup, 'public.secret')).toBe(1);
  });

  it('asks for SELECT on sequences (USAGE is not enough to read last_value)', async () => {
    const result = await check({ ...connection, user: roles.noSequence }, database);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual([
      `SELECT on sequence public.free_sequence (GRANT SELECT ON SEQUENCE public.free_sequence TO ${roles.noSequence})`,
      `SELECT on sequence public.open_table_id_seq (GRANT SELECT ON SEQUENCE public.open_table_id_seq TO ${roles.noSequence})`,
      `SELECT on sequence sales.orders_id_seq (GRANT SELECT ON SEQUENCE sales.orders_id_seq TO ${roles.noSequence})`,
    ]);
    await expectAgreement(roles.noSequence, database, result);
  });

  it('asks for USAGE on a schema', async () => {
    const result = await check({ ...connection, user: roles.noSchema }, database);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual([`USAGE on schema sales (GRANT USAGE ON SCHEMA sales TO ${roles.noSchema})`]);
    await expectAgreement(roles.noSchema, database, result);
  });

  it('reports a missing CONNECT instead of failing to connect', async () => {
    const result = await check({ ...connection, user: roles.stranger }, database);
    expect(result).toMatchObject({ ok: false, account: roles.stranger, warnings: [] });
    expect(result.missing).toEqual([
      `CONNECT on database "${database}" (GRANT CONNECT ON DATABASE "${database}" TO "${roles.stranger}")`,
    ]);
    await expectAgreement(roles.stranger, database, result);
  });

  it('counts pg_read_all_data for tables and sequences but not for large objects', async () => {
    const result = await check({ ...connection, user: roles.readAll }, database);
    expect(result.account).toBe(`${roles.readAll} (pg_read_all_data)`);
    expect(result.detail).toContain('SELECT on 5 of 5 tables and 3 of 3 sequences; 0 of 1 large object readable');
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]).toMatch(/^SELECT on large object \d+ \(GRANT SELECT ON LARGE OBJECT \d+ TO /);
    const failure = await expectAgreement(roles.readAll, database, result);
    expect((failure as Error).message).toMatch(/permission denied for large object/);
  });

  it('agrees with the backup on the torture schema (extensions, partitions, forced RLS, large objects)', async () => {
    const user = { ...connection, user: roles.readAll };
    await psqlStdin(torture, `GRANT CONNECT ON DATABASE "${torture}" TO ${roles.readAll}`);
    const without = await check(user, torture);
    expect(without.ok).toBe(false);
    expect(without.missing).toEqual([expect.stringMatching(/^SELECT on 2 large objects \(4242001, 4242002: GRANT/)]);
    await expectAgreement(roles.readAll, torture, without);

    await psqlStdin(
      torture,
      `GRANT SELECT ON LARGE OBJECT 4242001 TO ${roles.readAll}; GRANT SELECT ON LARGE OBJECT 4242002 TO ${roles.readAll};`,
    );
    const granted = await check(user, torture);
    expect(granted.missing).toEqual([]);
    expect(granted.warnings).toEqual([
      expect.stringMatching(/^row-level security hides rows of 1 table \(app\.customers\)/),
    ]);
    await expectAgreement(roles.readAll, torture, granted);
  });

  it('throws the backup error, naming the database, when it does not exist', async () => {
    const missing = `no_such_database_${suffix}`;
    const error = await check(connection, missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseNotFoundError);
    expect((error as Error).message).toContain(`"${missing}"`);
    const backupError = await backupAs(connection.user!, missing).catch((caught: unknown) => caught);
    expect(backupError).toBeInstanceOf(DatabaseNotFoundError);
    expect(await check({ ...connection, user: roles.stranger }, missing).catch((caught) => caught)).toBeInstanceOf(
      DatabaseNotFoundError,
    );
  });

  it('checks a cluster backup: superuser passes, anyone else lacks pg_authid and the cluster backup fails', async () => {
    const superuser = await check(connection, null);
    expect(superuser).toMatchObject({ ok: true, missing: [] });
    expect(superuser.detail).toMatch(/^superuser: reads role passwords \(pg_authid\) and all \d+ databases$/);

    const reader = await check({ ...connection, user: roles.reader }, null);
    expect(reader.ok).toBe(false);
    expect(reader.missing[0]).toMatch(/^superuser: a cluster backup copies role passwords from pg_authid/);
    expect(reader.detail).toMatch(/^not a superuser \(pg_authid unreadable\); CONNECT on \d+ of \d+ databases/);
    const { dir, cleanup } = await tempDir();
    try {
      const writer = await ArchiveWriter.createFile(path.join(dir, 'cluster.dbb'), plainArchive);
      await expect(
        engine.backupCluster!({ connection: { ...connection, user: roles.reader }, writer }),
      ).rejects.toThrow(/pg_authid/);
    } finally {
      await cleanup();
    }
  });
});
