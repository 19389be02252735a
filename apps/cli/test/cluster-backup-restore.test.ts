/**
 * backup cluster / restore cluster / restore single --source-database, against the test server and a throwaway
 * PostgreSQL instance (initdb + pg_ctl on a spare port) from pg-engine's test helpers, imported where they live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../../packages/pg-engine/test/helpers/throwaway-cluster.js';
import {
  BACKUP_REPORT_KEYS,
  createForeignKeyDatabase,
  createSampleDatabase,
  dbbackup,
  dbbackupJson,
  dropDatabase,
  FOREIGN_KEY_TABLES,
  pg,
  removeScratchDirectories,
  SAMPLE_TABLES,
  sampleFingerprints,
  scratchDirectory,
  uniqueName,
} from './backup-restore-fixtures.js';

const shop = uniqueName('dbbackup_cli_cl_shop');
const tree = uniqueName('dbbackup_cli_cl_tree');
const tablesOf: Record<string, readonly string[]> = { [shop]: SAMPLE_TABLES, [tree]: FOREIGN_KEY_TABLES };
const created: string[] = [];

let expected: Record<string, Record<string, string>>;
let backup: Record<string, unknown>;
let instance: ThrowawayCluster | undefined;

beforeAll(async () => {
  const starting = startThrowawayCluster();
  createSampleDatabase(shop);
  createForeignKeyDatabase(tree);
  expected = { [shop]: sampleFingerprints(shop), [tree]: sampleFingerprints(tree, FOREIGN_KEY_TABLES) };
  backup = dbbackupJson([
    'backup',
    'cluster',
    '-d',
    'postgres',
    '--databases',
    `${shop},${tree}`,
    '--backup-dir',
    scratchDirectory(),
    '--jobs',
    '2',
  ]);
  instance = await starting;
});

afterAll(async () => {
  for (const name of [shop, tree, ...created]) dropDatabase(name);
  await instance?.stop();
  removeScratchDirectories();
});

/** The same fingerprint as tableFingerprint(), on the throwaway instance. */
async function fingerprintsOnInstance(database: string): Promise<Record<string, string>> {
  return instance!.withClient(database, async (client) => {
    const fingerprints: Record<string, string> = {};
    for (const table of tablesOf[database]!) {
      const { rows } = await client.query<{ fingerprint: string }>(
        `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS fingerprint FROM ${table} t`,
      );
      fingerprints[table] = rows[0]!.fingerprint;
    }
    return fingerprints;
  });
}

async function instanceDatabases(): Promise<string[]> {
  return instance!.withClient('postgres', async (client) => {
    const { rows } = await client.query<{ name: string }>('SELECT datname AS name FROM pg_database ORDER BY 1');
    return rows.map((row) => row.name);
  });
}

function onInstance(): string[] {
  return ['--host', '127.0.0.1', '--port', String(instance!.port), '--user', 'postgres'];
}

describe('dbbackup backup cluster', () => {
  it('--databases: the JSON of backup single with database null and exactly those databases', () => {
    expect(Object.keys(backup).sort()).toEqual([...BACKUP_REPORT_KEYS, 'databases'].sort());
    expect(backup).toMatchObject({ database: null, databases: [shop, tree], tables: 6, rows: 9200, encrypted: false });
    expect(backup.path).toMatch(new RegExp(`/cluster-${pg.host.replaceAll('.', '\\.')}-\\d{8}T\\d{6}Z\\.dbb\\.tar$`));
  });
});

describe('dbbackup restore cluster', () => {
  it('without --confirm exits 2 with one line naming --confirm, and changes nothing', async () => {
    const result = dbbackup(['restore', 'cluster', backup.path as string, ...onInstance()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dbbackup: restore cluster creates roles and databases .*--confirm.*\n$/);
    expect(await instanceDatabases()).not.toContain(shop);
  });

  it('--confirm restores every database of the backup into an empty instance, rows and foreign keys included', async () => {
    const result = dbbackup([
      'restore',
      'cluster',
      backup.path as string,
      '--confirm',
      ...onInstance(),
      '--jobs',
      '2',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      databases: Array<{ database: string; created: boolean; rows: number }>;
    };
    expect(Object.keys(report).sort()).toEqual(['databases', 'duration_ms', 'warnings']);
    expect(report.databases.map(({ database, created, rows }) => ({ database, created, rows }))).toEqual([
      { database: shop, created: true, rows: 5000 },
      { database: tree, created: true, rows: 4200 },
    ]);
    expect(await fingerprintsOnInstance(shop)).toEqual(expected[shop]);
    expect(await fingerprintsOnInstance(tree)).toEqual(expected[tree]);
    const foreignKeys = await instance!.withClient(tree, async (client) => {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated`,
      );
      return Number(rows[0]!.count);
    });
    expect(foreignKeys).toBe(2);
  });
});

describe('dbbackup restore single from a cluster backup', () => {
  it('without --source-database exits 2 listing the databases of the backup', () => {
    const result = dbbackup(['restore', 'single', backup.path as string, '--target', 'unused', '--create']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--source-database');
    expect(result.stderr).toContain(`"${shop}", "${tree}"`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--source-database restores that database under the --target name', () => {
    const target = uniqueName('dbbackup_cli_cl_one');
    created.push(target);
    const result = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--source-database',
      tree,
      '--target',
      target,
      '--create',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { database: string; rows: number; source: { database: string } };
    expect(report).toMatchObject({ database: target, rows: 4200, source: { database: tree } });
    expect(sampleFingerprints(target, FOREIGN_KEY_TABLES)).toEqual(expected[tree]);
  });
});
