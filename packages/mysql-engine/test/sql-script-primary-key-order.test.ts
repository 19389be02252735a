import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSqlScript } from '../src/sql-script/write-sql-script.js';
import { connection, rowCounts, runSql, tableChecksums, tempDir } from './data-fixtures.js';
import {
  clientArguments,
  clientEnvironment,
  compareDatabases,
  createTempDatabase,
  runSqlFile,
  type TempDatabase,
} from './helpers/index.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const TRAPS = path.join(here, 'fixtures/mysql-data-traps.sql');

const ODD_TABLE = '`Tab``le ü select`';
const MEMBERS = ['zeta', 'alpha', 'mid'];

/** A deterministic shuffle of 1..n (a multiplicative step coprime with n), so inserts never come in key order. */
function shuffled(n: number): number[] {
  return Array.from({ length: n }, (_, index) => ((index * 37) % n) + 1);
}

/**
 * MyISAM keeps rows in insertion order (holes are reused), so its natural order is not key order; InnoDB tables
 * with a composite key declared in another order than the columns, odd identifiers, no key, an ENUM key (ordered
 * by member index, selected through an expression) and a system-versioned MyISAM table whose history rows share
 * their key with the current row (only the row end tells them apart, and MyISAM returns them in storage order).
 */
const FIXTURE = [
  'CREATE TABLE heap_ordered (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=MyISAM',
  `INSERT INTO heap_ordered VALUES ${shuffled(50)
    .map((n) => `(${n}, 'v${n}')`)
    .join(', ')}`,
  'DELETE FROM heap_ordered WHERE id IN (7, 8, 9)',
  "INSERT INTO heap_ordered VALUES (9, 'back'), (8, 'back'), (7, 'back')",
  'CREATE TABLE composite (a INT, b VARCHAR(10), c VARCHAR(10), PRIMARY KEY (b, a)) ENGINE=InnoDB',
  `INSERT INTO composite VALUES ${shuffled(60)
    .map((n) => `(${n % 3}, 'k${String(n % 20).padStart(2, '0')}', 'c${n}')`)
    .join(', ')}`,
  `CREATE TABLE ${ODD_TABLE} (\`quo\`\`te\` VARCHAR(20), \`has space\` INT, \`order\` INT, \`Sélect\` VARCHAR(20),
     PRIMARY KEY (\`order\`, \`has space\`)) ENGINE=MyISAM`,
  `INSERT INTO ${ODD_TABLE} VALUES ${shuffled(40)
    .map((n) => `('q''${n}"', ${n % 8}, ${n % 5}, 'é ${n}')`)
    .join(', ')}`,
  'CREATE TABLE loose (v INT) ENGINE=InnoDB',
  'INSERT INTO loose VALUES (3), (1), (2)',
  `CREATE TABLE enum_key (e ENUM(${MEMBERS.map((member) => `'${member}'`).join(', ')}) PRIMARY KEY, n INT) ENGINE=MyISAM`,
  "INSERT INTO enum_key VALUES ('mid', 1), ('alpha', 2), ('zeta', 3)",
  'CREATE TABLE versioned (id INT PRIMARY KEY, v INT) ENGINE=MyISAM WITH SYSTEM VERSIONING',
  'INSERT INTO versioned VALUES (3, 0), (1, 0), (2, 0)',
  'UPDATE versioned SET v = v + 1 WHERE id = 1',
  'UPDATE versioned SET v = v + 1 WHERE id IN (1, 3)',
];

/** One literal as written by the script: a bare number, a quoted text, or `_charset X'hex'` decoded as UTF-8. */
function literalValue(literal: string): string {
  const hex = /^_\w+ X'([0-9a-f]*)'$/.exec(literal);
  if (hex) return Buffer.from(hex[1]!, 'hex').toString('utf8');
  return literal.replace(/^'(.*)'$/, '$1');
}

/**
 * The rows of every `INSERT INTO <table> (...) VALUES (...),(...);` of one table, in script order. The literals the
 * script writes hold no commas or parentheses (numbers, plain quoted text, hex), so splitting is exact here.
 */
function insertRows(script: string, quotedName: string): string[][] {
  const prefix = `INSERT INTO ${quotedName} (`;
  const rows: string[][] = [];
  for (const line of script.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const values = line.slice(line.indexOf(') VALUES (') + ') VALUES ('.length, -');'.length);
    for (const row of values.split('),(')) rows.push(row.split(',').map(literalValue));
  }
  return rows;
}

function compareKeys(left: (string | number)[], right: (string | number)[]): number {
  for (let index = 0; index < left.length; index++) {
    const a = left[index]!;
    const b = right[index]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function keysInOrder(rows: string[][], positions: number[], numeric: boolean[]) {
  const keys = rows.map((row) =>
    positions.map((position, index) => (numeric[index] ? Number(row[position]) : row[position]!)),
  );
  return { actual: keys, sorted: [...keys].sort(compareKeys) };
}

/** The real client restores the script: `mariadb <database> < script.sql`. */
async function restoreWithClient(database: string, file: string): Promise<void> {
  const client = ['mariadb', ...clientArguments()].join(' ');
  await run('bash', ['-o', 'pipefail', '-c', `${client} "$DB" < "$FILE"`], {
    env: { ...clientEnvironment(), DB: database, FILE: file },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function expectSameDatabase(source: string, copy: string): Promise<void> {
  const [want, got] = await Promise.all([tableChecksums(source), tableChecksums(copy)]);
  expect(got).toEqual(want);
  expect(await rowCounts(copy)).toEqual(await rowCounts(source));
  expect((await compareDatabases(source, copy)).diff).toBe('');
}

describe('writeSqlScript with orderByPrimaryKey', () => {
  const databases: TempDatabase[] = [];
  let dir: string;
  let cleanup: () => Promise<void>;
  let source: TempDatabase;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    source = await database();
    await runSql(source.name, FIXTURE);
  });
  afterAll(async () => {
    await Promise.all(databases.map((created) => created.drop()));
    await cleanup();
  });

  async function database(): Promise<TempDatabase> {
    const created = await createTempDatabase();
    databases.push(created);
    return created;
  }

  /** Small statements, so tables span several extended INSERTs. */
  async function script(name: string, orderByPrimaryKey: boolean | undefined, from = source.name) {
    const file = path.join(dir, `${name}.sql`);
    const result = await writeSqlScript({
      connection,
      database: from,
      sink: createWriteStream(file),
      maxInsertBytes: 256,
      ...(orderByPrimaryKey === undefined ? {} : { orderByPrimaryKey }),
    });
    return { file, result, text: await readFile(file, 'utf8') };
  }

  it('leaves the natural order by default, which for MyISAM is insertion order', async () => {
    const { text } = await script('default', undefined);
    const ids = insertRows(text, '`heap_ordered`').map((row) => Number(row[0]));
    expect(ids).toHaveLength(50);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });

  it('writes the rows of every table with a primary key in key order, the others in natural order', async () => {
    const { text, result } = await script('ordered', true);
    expect(result.tables).toBe(6);

    const heap = insertRows(text, '`heap_ordered`').map((row) => Number(row[0]));
    expect(heap).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));

    // Key (b, a), columns (a, b, c).
    const composite = keysInOrder(insertRows(text, '`composite`'), [1, 0], [false, true]);
    expect(composite.actual).toHaveLength(60);
    expect(composite.actual).toEqual(composite.sorted);

    // Key (`order`, `has space`), the 3rd and 2nd columns.
    expect(text).toContain(`INSERT INTO ${ODD_TABLE} (\`quo\`\`te\`, \`has space\`, \`order\`, \`Sélect\`) VALUES (`);
    const odd = keysInOrder(insertRows(text, ODD_TABLE), [2, 1], [true, true]);
    expect(odd.actual).toHaveLength(40);
    expect(odd.actual).toEqual(odd.sorted);

    expect(insertRows(text, '`loose`').map((row) => row[0])).toEqual(['3', '1', '2']);
    // An ENUM sorts by member index, not by name.
    expect(insertRows(text, '`enum_key`').map((row) => row[0])).toEqual(MEMBERS);
    // History rows follow the key, then the row end (the current row, with the largest row end, last).
    const versioned = insertRows(text, '`versioned`');
    expect(versioned.map((row) => row[0])).toEqual(['1', '1', '1', '2', '3', '3']);
    expect(versioned.map((row) => row[1])).toEqual(['0', '1', '2', '0', '0', '1']);
  });

  it('restores with the mariadb client to the same schema and data as the source', async () => {
    const { file } = await script('restore', true);
    const copy = await database();
    await restoreWithClient(copy.name, file);
    await expectSameDatabase(source.name, copy.name);
  });

  it('restores the data-traps fixture exactly (FLOAT, ENUM, BIT, period columns, generated columns)', async () => {
    const traps = await database();
    await runSqlFile(traps.name, TRAPS);
    const { file, result } = await script('traps', true, traps.name);
    expect(result.tables).toBeGreaterThan(15);
    const copy = await database();
    await restoreWithClient(copy.name, file);
    await expectSameDatabase(traps.name, copy.name);
  });
});
