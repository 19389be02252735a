import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSchema, RESTORE_SESSION_SETUP, type SchemaDump, splitPreDataScript } from '../src/schema/index.js';
import {
  applySchemaDump,
  compareSchemas,
  connectionConfig,
  createTempDatabase,
  ensureRoles,
  pgDumpSchema,
  runSqlFile,
  type TempDatabase,
  withClient,
} from './helpers/index.js';

const torturePath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torture.sql');

/** Catalog facts pg_dump -s does not show but a restore must keep. */
async function invisibleState(database: string) {
  return withClient(database, async (client) => {
    const largeObjects = await client.query(
      `SELECT l.oid::int8, pg_get_userbyid(l.lomowner) AS owner, l.lomacl::text AS acl,
              obj_description(l.oid, 'pg_largeobject') AS comment
         FROM pg_largeobject_metadata l ORDER BY l.oid`,
    );
    const matviews = await client.query(
      `SELECT c.oid::regclass::text AS name, c.relispopulated
         FROM pg_class c WHERE c.relkind = 'm' ORDER BY 1`,
    );
    const sequences = await client.query<{ name: string }>(
      `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    );
    const values: Record<string, unknown> = {};
    for (const { name } of sequences.rows) {
      values[name] = (await client.query(`SELECT last_value::text, is_called FROM ${name}`)).rows[0];
    }
    return { largeObjects: largeObjects.rows, matviews: matviews.rows, sequenceValues: values };
  });
}

describe('native schema dump of the torture schema', () => {
  const databases: TempDatabase[] = [];
  let source: TempDatabase;
  let dump: SchemaDump;

  beforeAll(async () => {
    await ensureRoles(['dbb_test_reader', 'dbb_test_writer', 'dbb_test_owner']);
    source = await createTempDatabase();
    databases.push(source);
    await runSqlFile(source.name, torturePath);
    dump = await withClient(source.name, (client) => dumpSchema(client));
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('restores into a database that pg_dump -s cannot tell from the source', async () => {
    const target = await createTempDatabase();
    databases.push(target);
    await withClient(target.name, (client) => applySchemaDump(client, dump));
    const comparison = compareSchemas(await pgDumpSchema(source.name), await pgDumpSchema(target.name));
    expect(comparison.diff).toBe('');
    expect(await invisibleState(target.name)).toEqual(await invisibleState(source.name));
  });

  it('reports nothing as unsupported', () => {
    expect(dump.warnings).toEqual([]);
  });

  it('writes a pre-data script that splits back into exactly its items', () => {
    const { setup, items } = splitPreDataScript(dump.preData);
    expect(setup.trim()).toBe(RESTORE_SESSION_SETUP);
    expect(items).toEqual(dump.preDataItems);
    expect(items.length).toBeGreaterThan(100);
  });

  it('lists post-data items in an order that satisfies their own dependencies', () => {
    const seen = new Set<string>();
    for (const item of dump.postData) {
      for (const id of item.dependsOn) expect(seen.has(id), `${item.id} depends on later ${id}`).toBe(true);
      seen.add(item.id);
    }
    const kinds = dump.postData.map((item) => item.kind);
    expect(kinds.lastIndexOf('index')).toBeLessThan(kinds.indexOf('foreign-key'));
    expect(kinds.lastIndexOf('matview-refresh')).toBeLessThan(kinds.indexOf('event-trigger'));
    const refreshes = dump.postData.filter((item) => item.kind === 'matview-refresh').map((item) => item.table);
    expect(refreshes).toEqual(['app.mood_counts', 'app.mood_total']);
    const total = dump.postData.find((item) => item.table === 'app.mood_total' && item.kind === 'matview-refresh')!;
    expect(total.dependsOnTables).toEqual(['app.customers']);
  });

  it('describes the tables the data path copies', () => {
    const customers = dump.tables.find((table) => table.qualifiedName === 'app.customers')!;
    expect(customers.columns).not.toContain('full_name');
    expect(customers.columns).toContain('"we""ird col"');
    expect(customers.primaryKey).toEqual(['id']);
    const parent = dump.tables.find((table) => table.qualifiedName === 'app.orders')!;
    expect(parent.isPartitionParent).toBe(true);
    const partition = dump.tables.find((table) => table.qualifiedName === 'app.orders_2024_h0')!;
    expect(partition.partitionOf).toBe('app.orders_2024');
    expect(dump.tables.some((table) => table.relkind === 'm')).toBe(false);
    expect(dump.largeObjects).toEqual([
      { oid: 4242001, owner: 'dbb_test_owner' },
      { oid: 4242002, owner: String(connectionConfig().user) },
    ]);
  });

  it('honours noOwner, noPrivileges and the schema and table filters', async () => {
    const bare = await withClient(source.name, (client) =>
      dumpSchema(client, { noOwner: true, noPrivileges: true, excludeSchemas: ['we"ird', 'Ü*'] }),
    );
    const everything = bare.preData + bare.postData.map((item) => item.sql).join('');
    expect(everything).not.toMatch(/OWNER TO|GRANT |REVOKE /);
    expect(everything).not.toContain('"we""ird"');
    expect(everything).not.toContain('"Ünïcødé 表".');

    const one = await withClient(source.name, (client) => dumpSchema(client, { includeTables: ['app.counted'] }));
    expect(one.tables.map((table) => table.qualifiedName)).toEqual(['app.counted']);
    expect(one.preData).toContain('CREATE SEQUENCE app.counted_seq');
    expect(one.preData).not.toContain('CREATE TABLE app.customers');
    expect(one.sequenceValues).toContain("'app.counted_seq'");
    const target = await createTempDatabase();
    databases.push(target);
    await withClient(target.name, (client) => applySchemaDump(client, one));
  });
});
