import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ArchiveReader, ArchiveWriter, type BackupResult, type PrivilegeCheck } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_POST_DATA, LABEL_PRE_DATA, type MysqlManifestExtra } from '../src/archive-layout.js';
import {
  createMysqlEngine,
  DatabaseNotFoundError,
  Grants,
  MysqlConnectionError,
  MysqlDefinitionUnreadableError,
  parseGrantLine,
} from '../src/index.js';
import { backupToFile, connection, plainArchive, runSql, tempDir } from './data-fixtures.js';
import { createTempDatabase, type TempDatabase, withConnection } from './helpers/index.js';

const engine = createMysqlEngine('mariadb');
const check = engine.checkBackupPrivileges!;
const suffix = randomBytes(4).toString('hex');
/** Throwaway password-less accounts on any host, so the tests connect as them over TCP; dropped at the end. */
const users = {
  selectOnly: `dbb_priv_sel_${suffix}`,
  complete: `dbb_priv_all_${suffix}`,
  executeOnly: `dbb_priv_exec_${suffix}`,
  viaRole: `dbb_priv_role_${suffix}`,
  tableOnly: `dbb_priv_tbl_${suffix}`,
  nobody: `dbb_priv_none_${suffix}`,
  cluster: `dbb_priv_clu_${suffix}`,
};
const roles = { outer: `dbb_priv_outer_${suffix}`, inner: `dbb_priv_inner_${suffix}` };
const account = (user: string) => `'${user}'@'%'`;
const as = (user: string) => ({ ...connection, user });

/** A table, a sequence, routines, a trigger, an event and (unless told otherwise) a view, all defined by root. */
function objects(withView: boolean): string[] {
  return [
    'CREATE TABLE t1 (id int PRIMARY KEY, v varchar(20))',
    "INSERT INTO t1 SELECT seq, CONCAT('v', seq) FROM seq_1_to_40",
    'CREATE TABLE t2 (id int PRIMARY KEY)',
    'INSERT INTO t2 SELECT seq FROM seq_1_to_10',
    'CREATE SEQUENCE s1',
    'CREATE FUNCTION f1() RETURNS int DETERMINISTIC RETURN 1',
    'CREATE PROCEDURE p1() SELECT 1',
    'CREATE TRIGGER trg1 BEFORE INSERT ON t1 FOR EACH ROW SET NEW.v = UPPER(NEW.v)',
    'CREATE EVENT ev1 ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t2 WHERE id < 0',
    ...(withView ? ['CREATE VIEW v1 AS SELECT id FROM t1'] : []),
  ];
}

/** What an archive holds besides data: routine CREATEs in pre-data, post-data items by kind. */
async function archivedSchema(file: string): Promise<{ routines: number; postData: Record<string, number> }> {
  const reader = await ArchiveReader.open(file);
  try {
    const member = (label: string) => reader.manifest.members.find((entry) => entry.label === label)!;
    const preData = JSON.parse(await reader.readMemberText(member(LABEL_PRE_DATA))) as string[];
    const postData = JSON.parse(await reader.readMemberText(member(LABEL_POST_DATA))) as { kind: string }[];
    const kinds: Record<string, number> = {};
    for (const item of postData) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
    return {
      routines: preData.filter((statement) => /^CREATE DEFINER=\S+ (FUNCTION|PROCEDURE)/.test(statement)).length,
      postData: kinds,
    };
  } finally {
    await reader.close();
  }
}

describe('parseGrantLine and Grants', () => {
  it('reads the levels a backup needs and skips the rest', () => {
    expect(parseGrantLine('GRANT RELOAD, BINLOG MONITOR ON *.* TO `b`@`%`')).toEqual({
      privileges: ['RELOAD', 'BINLOG MONITOR'],
      database: null,
      table: null,
    });
    expect(parseGrantLine('GRANT BACKUP_ADMIN,SHOW_ROUTINE ON *.* TO `b`@`%`')?.privileges).toEqual([
      'BACKUP_ADMIN',
      'SHOW_ROUTINE',
    ]);
    expect(parseGrantLine('GRANT ALL PRIVILEGES ON `shop`.* TO `b`@`localhost` WITH GRANT OPTION')).toEqual({
      privileges: ['ALL'],
      database: 'shop',
      table: null,
    });
    expect(parseGrantLine('GRANT SELECT (`a`, ` ON `), INSERT ON `we``ird`.`t ON x` TO `b`@`%`')).toEqual({
      privileges: ['INSERT'],
      database: 'we`ird',
      table: 't ON x',
    });
    expect(parseGrantLine('GRANT EXECUTE ON FUNCTION `shop`.`f` TO `b`@`%`')).toBeNull();
    expect(parseGrantLine('GRANT `reader` TO `b`@`%`')).toBeNull();
    expect(parseGrantLine("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION")).toBeNull();
    expect(parseGrantLine('SET DEFAULT ROLE `reader` FOR `b`@`%`')).toBeNull();
  });

  it('matches database grants as LIKE patterns and combines the levels', () => {
    const grants = new Grants([
      'GRANT USAGE ON *.* TO `b`@`%`',
      'GRANT SELECT ON `app\\_%`.* TO `b`@`%`',
      'GRANT TRIGGER ON `db_1`.* TO `b`@`%`',
      'GRANT SHOW VIEW ON `shop`.`v` TO `b`@`%`',
      'GRANT SELECT ON `mysql`.`proc` TO `r`',
    ]);
    expect(grants.hasOnDatabase('SELECT', 'app_one')).toBe(true);
    expect(grants.hasOnDatabase('SELECT', 'appXone')).toBe(false);
    expect(grants.hasOnDatabase('TRIGGER', 'dbx1')).toBe(true);
    expect(grants.hasOnTable('SHOW VIEW', 'shop', 'v')).toBe(true);
    expect(grants.hasOnTable('SHOW VIEW', 'shop', 'w')).toBe(false);
    expect(grants.hasOnTable('SELECT', 'mysql', 'proc')).toBe(true);
    expect(grants.hasGlobal('RELOAD')).toBe(false);
    expect(grants.seesWholeDatabase('shop')).toBe(false);
    expect(grants.seesWholeDatabase('app_x')).toBe(true);
    expect(new Grants(['GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`']).hasOnTable('TRIGGER', 'a', 'b')).toBe(
      true,
    );
  });
});

describe('checkBackupPrivileges (MariaDB)', () => {
  let full: TempDatabase;
  let noView: TempDatabase;
  let work: { dir: string; cleanup: () => Promise<void> };
  let backups = 0;

  /** Runs the engine's real backup as `user`; the archive file, or the error it failed with. */
  async function backupAs(user: string, database: string): Promise<{ file: string; result: BackupResult } | Error> {
    const file = path.join(work.dir, `backup-${backups++}.dbb`);
    try {
      return { file, result: await backupToFile(database, file, { connection: as(user) }) };
    } catch (error) {
      return error as Error;
    }
  }

  /** The check and the real backup must agree: ok means it succeeds, anything missing means it fails. */
  async function expectAgreement(user: string, database: string, result: PrivilegeCheck) {
    expect(result.ok).toBe(result.missing.length === 0);
    const outcome = await backupAs(user, database);
    if (result.ok) expect(outcome).not.toBeInstanceOf(Error);
    else expect(outcome).toBeInstanceOf(Error);
    return outcome;
  }

  beforeAll(async () => {
    [full, noView, work] = await Promise.all([createTempDatabase(), createTempDatabase(), tempDir()]);
    await runSql(full.name, objects(true));
    await runSql(noView.name, objects(false));
    const f = `\`${full.name}\``;
    await withConnection(undefined, async (client) => {
      for (const user of Object.values(users)) await client.query(`CREATE USER ${account(user)} IDENTIFIED BY ''`);
      for (const role of Object.values(roles)) await client.query(`CREATE ROLE ${role}`);
      const statements = [
        `GRANT SELECT ON ${f}.* TO ${account(users.selectOnly)}`,
        `GRANT SELECT ON \`${noView.name}\`.* TO ${account(users.selectOnly)}`,
        `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON ${f}.* TO ${account(users.complete)}`,
        `GRANT SELECT ON mysql.proc TO ${account(users.complete)}`,
        `GRANT RELOAD ON *.* TO ${account(users.complete)}`,
        `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, EXECUTE ON ${f}.* TO ${account(users.executeOnly)}`,
        `GRANT RELOAD ON *.* TO ${account(users.executeOnly)}`,
        `GRANT SELECT, SHOW VIEW, TRIGGER ON ${f}.* TO ${roles.outer}`,
        `GRANT RELOAD ON *.* TO ${roles.outer}`,
        `GRANT EVENT ON ${f}.* TO ${roles.inner}`,
        `GRANT SELECT ON mysql.proc TO ${roles.inner}`,
        `GRANT ${roles.inner} TO ${roles.outer}`,
        `GRANT ${roles.outer} TO ${account(users.viaRole)}`,
        `SET DEFAULT ROLE ${roles.outer} FOR ${account(users.viaRole)}`,
        `GRANT SELECT ON ${f}.\`t1\` TO ${account(users.tableOnly)}`,
        `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON ${f}.* TO ${account(users.cluster)}`,
        `GRANT SELECT ON mysql.* TO ${account(users.cluster)}`,
        `GRANT RELOAD ON *.* TO ${account(users.cluster)}`,
      ];
      for (const statement of statements) await client.query(statement);
    });
  });

  afterAll(async () => {
    await withConnection(undefined, async (client) => {
      for (const user of Object.values(users)) await client.query(`DROP USER IF EXISTS ${account(user)}`);
      for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
    await Promise.all([full?.drop(), noView?.drop(), work?.cleanup()]);
  });

  it('passes root, and its backup holds every object', async () => {
    const result = await check(connection, full.name);
    expect(result).toMatchObject({ ok: true, missing: [], warnings: [] });
    expect(result.account).toMatch(/^root@/);
    expect(result.detail).toBe(
      `\`${full.name}\`: SELECT on 3 of 3 tables, SHOW VIEW and SELECT on 1 of 1 view, 2 of 2 routines readable (SELECT on mysql.proc), TRIGGER on 2 of 2 tables, EVENT; RELOAD`,
    );
    const outcome = await expectAgreement(connection.user!, full.name, result);
    expect(await archivedSchema((outcome as { file: string }).file)).toMatchObject({
      routines: 2,
      postData: { trigger: 1, event: 1 },
    });
  });

  it('with only SELECT on the database: the view is missing, and the backup fails on it', async () => {
    const result = await check(as(users.selectOnly), full.name);
    expect(result.ok).toBe(false);
    expect(result.account).toBe(`${users.selectOnly}@%`);
    expect(result.missing).toEqual([
      `SHOW VIEW on view \`${full.name}\`.\`v1\` (GRANT SHOW VIEW ON \`${full.name}\`.\`v1\` TO '${users.selectOnly}'@'%')`,
    ]);
    const failure = await expectAgreement(users.selectOnly, full.name, result);
    expect((failure as Error).message).toMatch(/SHOW VIEW command denied/);
  });

  it('with only SELECT and no view: ok with warnings, and the backup indeed lacks what they name', async () => {
    const result = await check(as(users.selectOnly), noView.name);
    expect(result.ok).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.warnings).toHaveLength(4);
    expect(result.warnings[0]).toMatch(/^no RELOAD privilege for FLUSH TABLES WITH READ LOCK: one consistent snapshot/);
    expect(result.warnings[1]).toMatch(
      /^routines of `.+` that this account neither defined .* GRANT SELECT ON mysql.proc/,
    );
    expect(result.warnings[2]).toMatch(/^no TRIGGER privilege on 2 tables of `.+` \(`t1`, `t2`\)/);
    expect(result.warnings[3]).toMatch(/^no EVENT privilege on `.+`/);
    expect(result.detail).toContain('0 of 0 routines readable');
    const outcome = (await expectAgreement(users.selectOnly, noView.name, result)) as {
      file: string;
      result: BackupResult;
    };
    expect(outcome.result.warnings.some((warning) => /no RELOAD privilege/.test(warning))).toBe(true);
    expect((outcome.result.manifest.extra as unknown as MysqlManifestExtra).snapshot.method).toBe('single-snapshot');
    const archived = await archivedSchema(outcome.file);
    expect(archived.routines).toBe(0);
    expect(archived.postData.trigger).toBeUndefined();
    expect(archived.postData.event).toBeUndefined();
  });

  it('passes SELECT, SHOW VIEW, TRIGGER, EVENT, mysql.proc and RELOAD without warnings; the backup is complete', async () => {
    const result = await check(as(users.complete), full.name);
    expect(result).toMatchObject({ ok: true, missing: [], warnings: [] });
    const outcome = (await expectAgreement(users.complete, full.name, result)) as {
      file: string;
      result: BackupResult;
    };
    expect((outcome.result.manifest.extra as unknown as MysqlManifestExtra).snapshot.method).toBe(
      'flush-tables-with-read-lock',
    );
    expect(await archivedSchema(outcome.file)).toMatchObject({ routines: 2, postData: { trigger: 1, event: 1 } });
  });

  it('counts the privileges of the default role and of the roles granted to it', async () => {
    const result = await check(as(users.viaRole), full.name);
    expect(result.account).toBe(`${users.viaRole}@% (role ${roles.outer})`);
    expect(result).toMatchObject({ ok: true, missing: [], warnings: [] });
    const outcome = (await expectAgreement(users.viaRole, full.name, result)) as { file: string };
    expect(await archivedSchema(outcome.file)).toMatchObject({ routines: 2, postData: { trigger: 1, event: 1 } });
  });

  it('names routines whose bodies the account cannot read, and the backup fails on them', async () => {
    const result = await check(as(users.executeOnly), full.name);
    expect(result.ok).toBe(false);
    const grant = `(GRANT SELECT ON mysql.proc TO '${users.executeOnly}'@'%')`;
    expect(result.missing).toEqual([
      `SELECT on mysql.proc to read the definition of function \`${full.name}\`.\`f1\` ${grant}`,
      `SELECT on mysql.proc to read the definition of procedure \`${full.name}\`.\`p1\` ${grant}`,
    ]);
    expect(result.warnings).toEqual([]);
    const failure = await expectAgreement(users.executeOnly, full.name, result);
    expect(failure).toBeInstanceOf(MysqlDefinitionUnreadableError);
  });

  it('warns that table-level grants hide the other objects, and the backup indeed has only the granted table', async () => {
    const result = await check(as(users.tableOnly), full.name);
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/SELECT on 1 of 1 table, SHOW VIEW and SELECT on 0 of 0 views/);
    expect(
      result.warnings.some((warning) => /holds no privilege on `.+`\.\* and sees only the tables/.test(warning)),
    ).toBe(true);
    const outcome = (await expectAgreement(users.tableOnly, full.name, result)) as { result: BackupResult };
    expect(outcome.result.tables).toBe(1);
  });

  it('reports an account without any privilege on the database as missing one (the server hides whether it exists)', async () => {
    const result = await check(as(users.nobody), full.name);
    expect(result).toMatchObject({ ok: false, account: `${users.nobody}@%`, warnings: [] });
    expect(result.missing).toEqual([
      `a privilege on database \`${full.name}\` (or it does not exist): GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON \`${full.name}\`.* TO '${users.nobody}'@'%'`,
    ]);
    const failure = await expectAgreement(users.nobody, full.name, result);
    expect(failure).toBeInstanceOf(MysqlConnectionError);
  });

  it('throws the backup error, naming the database, when it does not exist', async () => {
    const missing = `no_such_database_${suffix}`;
    const error = await check(connection, missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseNotFoundError);
    expect((error as Error).message).toContain(`"${missing}"`);
    expect(await backupAs(connection.user!, missing)).toBeInstanceOf(DatabaseNotFoundError);
  });

  it('checks a cluster backup: accounts need SELECT on mysql.*, and the cluster backup agrees', async () => {
    const root = await check(connection, null);
    expect(root).toMatchObject({ ok: true, missing: [], warnings: [] });
    expect(root.detail).toMatch(/^SELECT on mysql\.\*; \d+ databases?, everything readable in \d+ of them; RELOAD$/);

    const clusterBackupAs = async (user: string) => {
      const writer = await ArchiveWriter.createFile(path.join(work.dir, `cluster-${backups++}.dbb`), plainArchive);
      return engine.backupCluster!({ connection: as(user), writer, jobs: 2 }).catch((error: Error) => error);
    };

    const noAccounts = await check(as(users.complete), null);
    expect(noAccounts.ok).toBe(false);
    expect(noAccounts.missing).toEqual([
      `SELECT on mysql.*: a cluster backup reads every account and its grants (GRANT SELECT ON mysql.* TO '${users.complete}'@'%')`,
    ]);
    expect(await clusterBackupAs(users.complete)).toBeInstanceOf(Error);

    const granted = await check(as(users.cluster), null);
    expect(granted.ok).toBe(true);
    expect(granted.detail).toBe('SELECT on mysql.*; 1 database, everything readable in 1 of them; RELOAD');
    expect(granted.warnings).toEqual([expect.stringMatching(/^without SHOW DATABASES this account lists only/)]);
    const backup = await clusterBackupAs(users.cluster);
    expect(backup).not.toBeInstanceOf(Error);
    expect((backup as BackupResult).manifest.cluster).toBe(true);
  });
});
