/**
 * `dbbackup dedup ...` through the built CLI: file and stdin backups into local stores, restore (file and stdout),
 * list/stats JSON, verify and a flipped byte, delete + gc, prune, a held lock, an encrypted store, and backup-db
 * against the real PostgreSQL (the benchmark database at SCALE=4 with an OLTP-like day of changes) and MariaDB.
 * Every case has its own store and databases, so they run concurrently; each spawns the CLI without blocking.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cliEnv, pg, uniqueName } from './backup-restore-fixtures.js';
import { appDirectory, builtCli, throwawayCatalog } from './support/run-built-cli.js';

const execFileAsync = promisify(execFile);

const sharedDirectory = process.env.DBBACKUP_SHARED_DIR ?? resolve(appDirectory, '../../../shared');
const makePgBench = join(sharedDirectory, 'bench/make-pg-bench.sh');

const maria = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};

interface DedupRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

let workDirectory: string;

/**
 * The built CLI as a child process (so cases run side by side), in the work directory with --no-config and a
 * throwaway catalog; the environment loses this process's DBBACKUP_*, PG* and MYSQL_* and gets cliEnv plus `env`.
 * `stdin` is a file to read standard input from.
 */
function dedupCli(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<DedupRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DBBACKUP_|PG|MYSQL_)/.test(name)),
  );
  const stdin = options.stdin === undefined ? undefined : openSync(options.stdin, 'r');
  const child = spawn(process.execPath, [builtCli, ...args, '--no-config'], {
    cwd: workDirectory,
    env: { ...inherited, ...cliEnv, DBBACKUP_CATALOG: throwawayCatalog(), ...options.env },
    stdio: [stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) closeSync(stdin); // the child has its own copy
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout: Buffer.concat(stdout), stderr }));
  });
}

/** A command with --format json that must succeed; its document. */
async function dedupJson<T = Record<string, unknown>>(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<T> {
  const run = await dedupCli([...args, '--format', 'json'], options);
  if (run.status !== 0) throw new Error(`dbbackup ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.toString('utf8')) as T;
}

/** A fresh directory inside the work directory. */
function directory(name: string): string {
  return mkdtempSync(join(workDirectory, `${name}-`));
}

/** Dump-like text: INSERT lines of pseudo-random rows, `bytes` long, the same for the same seed. */
function dumpText(seed: number, bytes: number): Buffer {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const lines: string[] = [];
  let length = 0;
  for (let id = 1; length < bytes; id++) {
    const line = `INSERT INTO orders VALUES (${id}, ${Math.floor(random() * 1e6)}, '${Math.floor(random() * 0xffffffff).toString(16)}', ${(random() * 1000).toFixed(2)}, 'note ${Math.floor(random() * 1e9).toString(36)}');\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

function writeDump(path: string, contents: Buffer): string {
  writeFileSync(path, contents);
  return path;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every pack file of a local store (data/xx/<packId>). */
function packFiles(store: string): string[] {
  const data = join(store, 'data');
  return readdirSync(data).flatMap((sub) => readdirSync(join(data, sub)).map((name) => join(data, sub, name)));
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`expected one error line, got:\n${stderr}`);
  return lines[0] as string;
}

async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await execFileAsync(
    'psql',
    ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', database, '-X', '-v', 'ON_ERROR_STOP=1', '-Atqc', sql],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.trim();
}

/** Runs `command args` with a file as stdin (psql/mariadb loading a restored script). */
function runWithInput(command: string, args: readonly string[], input: string): Promise<void> {
  const stdin = openSync(input, 'r');
  const child = spawn(command, args, { stdio: [stdin, 'ignore', 'pipe'] });
  closeSync(stdin); // the child has its own copy
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) =>
      status === 0 ? resolve() : reject(new Error(`${command} exited ${status}: ${stderr}`)),
    );
  });
}

async function mariadb(sql: string, database?: string): Promise<string> {
  const args = ['--default-character-set=utf8mb4', '-h', maria.host, '-P', maria.port, '-u', maria.user, '-N', '-B'];
  const { stdout } = await execFileAsync('mariadb', [...args, '-e', sql, ...(database ? [database] : [])]);
  return stdout.trim();
}

const pgDatabases: string[] = [];
const mariaDatabases: string[] = [];

beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'dbbackup-dedup-'));
});

afterAll(async () => {
  await Promise.all([
    ...pgDatabases.map((name) => psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
    ...mariaDatabases.map((name) => mariadb(`DROP DATABASE IF EXISTS \`${name}\``)),
  ]);
  rmSync(workDirectory, { recursive: true, force: true });
});

describe.concurrent('dedup on local stores', () => {
  it('backs up a file and stdin, restores both byte for byte (file and stdout), lists and counts them', async ({
    expect,
  }) => {
    const store = directory('store');
    const contents = dumpText(1, 6_000_000);
    const dump = writeDump(join(store, '..', `${uniqueName('dump')}.sql`), contents);

    const first = await dedupCli(['dedup', 'backup', dump, '--dedup-dir', store, '--format', 'json']);
    expect(first.status).toBe(0);
    expect(oneErrorLine(first.stderr)).toBe(`dbbackup: created a new dedup store at file://${store} (not encrypted)`);
    const fromFile = JSON.parse(first.stdout.toString()) as Record<string, unknown>;
    expect(fromFile).toMatchObject({
      store_created: true,
      source: dump,
      size: contents.length,
      sha256: sha256(contents),
    });
    expect(fromFile.new_chunk_bytes).toBe(contents.length);

    const fromStdin = await dedupJson(['dedup', 'backup', '-', '--database', 'shop', '--dedup-dir', store], {
      stdin: dump,
    });
    expect(fromStdin).toMatchObject({ store_created: false, source: '-', database: 'shop', size: contents.length });
    expect(fromStdin.new_chunk_bytes).toBe(0);

    const out = join(store, '..', 'restored.sql');
    const restored = await dedupJson(['dedup', 'restore', String(fromFile.id).slice(0, 8), out, '--dedup-dir', store]);
    expect(restored).toMatchObject({ id: fromFile.id, output: out, size: contents.length });
    expect(readFileSync(out).equals(contents)).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);

    const toStdout = await dedupCli(['dedup', 'restore', 'latest', '-', '--dedup-dir', store]);
    expect(toStdout.status).toBe(0);
    expect(toStdout.stderr).toBe('');
    expect(toStdout.stdout.equals(contents)).toBe(true);

    const again = await dedupCli(['dedup', 'restore', String(fromStdin.id), out, '--dedup-dir', store]);
    expect(again.status).toBe(2);
    expect(oneErrorLine(again.stderr)).toBe(
      `dbbackup: ${out} already exists: choose another name, or pass --force to replace it`,
    );
    writeFileSync(out, 'old');
    const forced = await dedupCli(['dedup', 'restore', String(fromStdin.id), out, '--force', '--dedup-dir', store]);
    expect(forced.status).toBe(0);
    expect(readFileSync(out).equals(contents)).toBe(true);

    // Through --cloud with a file:// URI: the same store, opened by the cloud-io code.
    const list = await dedupJson<Record<string, unknown>[]>(['dedup', 'list', '--cloud', `file://${store}`]);
    expect(list.map((snapshot) => snapshot.id)).toEqual([fromFile.id, fromStdin.id]);
    expect(Object.keys(list[0] as object)).toEqual(
      expect.arrayContaining(['id', 'created', 'source', 'size', 'database', 'engine', 'sha256', 'chunk_count']),
    );
    expect(list[1]).toMatchObject({ source: '-', database: 'shop', size: contents.length, sha256: sha256(contents) });

    const stats = await dedupJson(['dedup', 'stats', '--dedup-dir', store]);
    expect(stats).toMatchObject({ snapshots: 2, logical_bytes: 2 * contents.length, packs: 1 });
    expect(stats.stored_bytes).toBeGreaterThan(0);
    expect(stats.stored_bytes).toBeLessThan(contents.length);
    expect(stats.ratio).toBeCloseTo((2 * contents.length) / (stats.stored_bytes as number), 5);
    expect(stats.chunks).toBe(fromFile.chunks);
  });

  it('verify passes, then names the pack with a flipped byte (--read-data, exit 2)', async ({ expect }) => {
    const store = directory('verify');
    const dump = writeDump(join(store, '..', `${uniqueName('verify')}.sql`), dumpText(2, 3_000_000));
    expect((await dedupCli(['dedup', 'backup', dump, '--dedup-dir', store])).status).toBe(0);

    const ok = await dedupJson(['dedup', 'verify', '--read-data', '--dedup-dir', store]);
    expect(ok).toMatchObject({ ok: true, read_data: true, snapshots: 1, packs: 1, errors: [] });

    const [pack] = packFiles(store);
    const bytes = readFileSync(pack as string);
    const offset = Math.floor(bytes.length / 3);
    bytes[offset] = (bytes[offset] as number) ^ 0x40;
    writeFileSync(pack as string, bytes);
    const packId = (pack as string).split('/').pop() as string;

    const damaged = await dedupCli(['dedup', 'verify', '--read-data', '--dedup-dir', store, '--format', 'json']);
    expect(damaged.status).toBe(2);
    expect(oneErrorLine(damaged.stderr)).toMatch(
      new RegExp(
        `^dbbackup: the dedup store at file://${store} is damaged: pack ${packId} blob [0-9a-f]{64} \\(damaged-blob\\) \\(all in the report above\\); .*dbbackup dedup delete ID`,
      ),
    );
    const report = JSON.parse(damaged.stdout.toString()) as { ok: boolean; errors: Record<string, unknown>[] };
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        kind: 'damaged-blob',
        pack_id: packId,
        blob_id: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it('delete + gc frees the bytes only the deleted snapshot used; the rest restores; prune --keep-last', async ({
    expect,
  }) => {
    const store = directory('gc');
    const first = writeDump(join(store, '..', `${uniqueName('first')}.sql`), dumpText(3, 3_000_000));
    const secondContents = dumpText(4, 3_000_000);
    const second = writeDump(join(store, '..', `${uniqueName('second')}.sql`), secondContents);
    const dropped = await dedupJson(['dedup', 'backup', first, '--dedup-dir', store]);
    const older = await dedupJson(['dedup', 'backup', second, '--dedup-dir', store]);
    const newer = await dedupJson(['dedup', 'backup', second, '--dedup-dir', store]);

    const deleted = await dedupJson(['dedup', 'delete', String(dropped.id).slice(0, 10), '--dedup-dir', store]);
    expect(deleted).toMatchObject({ dry_run: false, id: dropped.id, snapshot: { source: first } });
    const gc = await dedupJson(['dedup', 'gc', '--dedup-dir', store]);
    expect(gc).toMatchObject({ dry_run: false, snapshots: 2, packs_deleted: 1 });
    expect(gc.freed_bytes).toBeGreaterThan(500_000);
    expect((gc.bytes_before as number) - (gc.bytes_after as number)).toBe(gc.freed_bytes);

    // Both snapshots of `second` are one group (no database: grouped by source); the newest stays.
    const prune = (...flags: string[]) =>
      dedupJson<{ dry_run: boolean; keep: { id: string }[]; delete: { id: string; reasons: string[] }[] }>([
        'dedup',
        'prune',
        '--keep-last',
        '1',
        ...flags,
        '--dedup-dir',
        store,
      ]);
    const plan = await prune('--dry-run');
    expect(plan.dry_run).toBe(true);
    expect(plan.keep.map((decision) => decision.id)).toEqual([newer.id]);
    expect(plan.delete.map((decision) => decision.id)).toEqual([older.id]);
    // The dry run deleted nothing: the real prune still finds the same snapshot to delete.
    const pruned = await prune();
    expect(pruned.dry_run).toBe(false);
    expect(pruned.delete.map((decision) => decision.id)).toEqual([older.id]);

    const restored = await dedupCli(['dedup', 'restore', 'latest', '-', '--dedup-dir', store]);
    expect(restored.status).toBe(0);
    expect(restored.stdout.equals(secondContents)).toBe(true);
  });

  it('refuses gc while another process holds a lock, naming the holder; store missing → names dedup backup', async ({
    expect,
  }) => {
    const store = directory('lock');
    const dump = writeDump(join(store, '..', `${uniqueName('lock')}.sql`), dumpText(5, 200_000));
    expect((await dedupCli(['dedup', 'backup', dump, '--dedup-dir', store])).status).toBe(0);
    const time = new Date().toISOString();
    // This test process is alive on this host, so the lock is not stale.
    const lock = {
      exclusive: false,
      operation: 'backup',
      hostname: hostname(),
      username: 'ada',
      pid: process.pid,
      time,
    };
    mkdirSync(join(store, 'locks'), { recursive: true });
    writeFileSync(join(store, 'locks', randomBytes(16).toString('hex')), JSON.stringify(lock));
    const refused = await dedupCli(['dedup', 'gc', '--dedup-dir', store]);
    expect(refused.status).toBe(2);
    expect(oneErrorLine(refused.stderr)).toContain(
      `held by a shared lock (backup) of host ${hostname()} pid ${process.pid}, refreshed ${time}`,
    );

    const empty = directory('empty');
    const missing = await dedupCli(['dedup', 'list', '--dedup-dir', empty]);
    expect(missing.status).toBe(2);
    expect(oneErrorLine(missing.stderr)).toBe(
      `dbbackup: no dedup store at file://${empty}: check --dedup-dir, or create the store with dbbackup dedup backup FILE --dedup-dir ${empty} (the first backup initialises it)`,
    );
    const nowhere = await dedupCli(['dedup', 'stats']);
    expect(nowhere.status).toBe(2);
    expect(oneErrorLine(nowhere.stderr)).toContain('pass --dedup-dir DIR (a local directory) or --cloud URI');
  });

  it('an encrypted store needs its key for every command; a wrong key is one line', async ({ expect }) => {
    const store = directory('encrypted');
    const key = join(store, '..', `${uniqueName('key')}.key`);
    const wrongKey = join(store, '..', `${uniqueName('wrong')}.key`);
    writeFileSync(key, randomBytes(32), { mode: 0o600 });
    writeFileSync(wrongKey, randomBytes(32), { mode: 0o600 });
    const contents = Buffer.from(`${'SECRET-MARKER '.repeat(20_000)}\n${dumpText(6, 1_000_000).toString()}`);
    const dump = writeDump(join(store, '..', `${uniqueName('secret')}.sql`), contents);

    const backup = await dedupCli(['dedup', 'backup', dump, '--dedup-dir', store, '--encryption-key-file', key]);
    expect(backup.status).toBe(0);
    expect(backup.stderr).toBe(
      `dbbackup: created a new dedup store at file://${store} (encrypted with the key in ${key})\n`,
    );
    for (const pack of packFiles(store)) expect(readFileSync(pack).includes('SECRET-MARKER')).toBe(false);

    const withoutKey = await dedupCli(['dedup', 'list', '--dedup-dir', store]);
    expect(withoutKey.status).toBe(2);
    expect(oneErrorLine(withoutKey.stderr)).toBe(
      `dbbackup: the dedup store at file://${store} is encrypted: pass --encryption-key-file FILE with the key it was created with`,
    );
    const wrong = await dedupCli([
      'dedup',
      'restore',
      'latest',
      '-',
      '--dedup-dir',
      store,
      '--encryption-key-file',
      wrongKey,
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stdout.length).toBe(0);
    expect(oneErrorLine(wrong.stderr)).toMatch(
      /^dbbackup: wrong encryption key: the dedup store at file:\/\/\S+ is encrypted with key id [0-9a-f]+ but the key given has id [0-9a-f]+; pass the key file used when the store was created$/,
    );
    const restored = await dedupCli(['dedup', 'restore', 'latest', '-', '--dedup-dir', store], {
      env: { DBBACKUP_ENCRYPTION_KEY_FILE: key },
    });
    expect(restored.status).toBe(0);
    expect(restored.stdout.equals(contents)).toBe(true);
    const verified = await dedupJson([
      'dedup',
      'verify',
      '--read-data',
      '--dedup-dir',
      store,
      '--encryption-key-file',
      key,
    ]);
    expect(verified.ok).toBe(true);
  });
});

describe.concurrent('dedup backup-db', () => {
  it('pg_dump files (custom and plain) restore byte for byte, and pg_restore reads the restored one', async ({
    expect,
  }) => {
    const database = uniqueName('dedup_pgdump');
    pgDatabases.push(database);
    await psql('postgres', `CREATE DATABASE "${database}"`);
    await psql(
      database,
      `CREATE TABLE items (id int PRIMARY KEY, name text, payload bytea);
       INSERT INTO items SELECT g, 'item ' || g, decode(md5(g::text), 'hex') FROM generate_series(1, 20000) g;`,
    );
    const store = directory('pgdump-store');
    const connection = ['-h', pg.host, '-p', pg.port, '-U', pg.user];
    for (const format of ['c', 'p'] as const) {
      const dump = join(store, '..', `${database}.${format}.dump`);
      await execFileAsync('pg_dump', [...connection, `-F${format}`, '-f', dump, database]);
      const backup = await dedupJson(['dedup', 'backup', dump, '--database', database, '--dedup-dir', store]);
      const out = `${dump}.restored`;
      await dedupJson(['dedup', 'restore', String(backup.id), out, '--dedup-dir', store]);
      expect(readFileSync(out).equals(readFileSync(dump))).toBe(true);
      if (format === 'c') {
        const { stdout } = await execFileAsync('pg_restore', ['--list', out]);
        expect(stdout).toContain('TABLE DATA public items');
      }
    }
  });

  it('PostgreSQL: a second run after an OLTP-like day adds at most 10 % of its size; the script restores exactly', async ({
    expect,
  }) => {
    const source = uniqueName('dbb_dedup_pg');
    const copy = `${source}_copy`;
    pgDatabases.push(source, copy);
    await execFileAsync(makePgBench, [source], {
      env: { ...process.env, SCALE: '4', PGHOST: pg.host, PGPORT: pg.port, PGUSER: pg.user },
    });
    const store = directory('pg');
    const backupDb = () => dedupJson(['dedup', 'backup-db', source, '--db-type', 'postgres', '--dedup-dir', store]);

    const first = await backupDb();
    expect(first).toMatchObject({
      source: `postgresql://${pg.host}:${pg.port}/${source}`,
      database: source,
      engine: 'postgresql',
      tables: 5,
      store_created: true,
    });
    // One day of OLTP: ~5,000 rows appended, a range of ~1,000 deleted, a hot range of ~2,000 updated.
    await psql(
      source,
      `INSERT INTO events (account_id, kind, payload, amount, happened_at, blob, note)
         SELECT g % 400000, 'deposit', jsonb_build_object('n', g), g / 100.0, timestamptz '2026-02-01 00:00:00+00' + g * interval '1 second',
                decode(md5(g::text), 'hex'), 'day two ' || g
           FROM generate_series(1, 5000) g;
       DELETE FROM events WHERE id BETWEEN 40001 AND 41000;
       UPDATE pgbench_accounts SET abalance = abalance + 17 WHERE aid BETWEEN 200001 AND 202000;`,
    );
    const second = await backupDb();
    const size = second.size as number;
    const added = second.added_bytes as number;
    const newChunkBytes = second.new_chunk_bytes as number;
    console.log(
      `dedup backup-db second run: added ${added} bytes to the store = ${((added / size) * 100).toFixed(2)} % of its ${size} logical bytes (new chunks before compression: ${newChunkBytes} bytes = ${((newChunkBytes / size) * 100).toFixed(2)} %)`,
    );
    expect(added / size).toBeLessThanOrEqual(0.1);
    expect(newChunkBytes / size).toBeLessThanOrEqual(0.1);

    const script = join(store, '..', `${source}.sql`);
    await dedupJson(['dedup', 'restore', String(second.id), script, '--dedup-dir', store]);
    await psql('postgres', `CREATE DATABASE "${copy}"`);
    await runWithInput(
      'psql',
      ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', copy, '-X', '-q', '-v', 'ON_ERROR_STOP=1'],
      script,
    );
    const fingerprints = (database: string) =>
      Promise.all(
        ['pgbench_accounts', 'pgbench_branches', 'pgbench_tellers', 'pgbench_history', 'events'].map((table) =>
          psql(
            database,
            `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM ${table} t`,
          ),
        ),
      );
    expect(await fingerprints(copy)).toEqual(await fingerprints(source));
  });

  it('MariaDB: the script restores through the mariadb client with identical tables', async ({ expect }) => {
    const source = uniqueName('dbb_dedup_my');
    const copy = `${source}_copy`;
    mariaDatabases.push(source, copy);
    await mariadb(`CREATE DATABASE \`${source}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await mariadb(
      `SET SESSION max_recursive_iterations = 10000;
       CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100) NULL,
         score DOUBLE, blob_value VARBINARY(16)) ENGINE=InnoDB;
       INSERT INTO users (name, email, score, blob_value)
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000)
         SELECT CONCAT('user ', n, IF(n % 7 = 0, ' Zoë ☃ 😀', '')), IF(n % 5 = 0, NULL, CONCAT('u', n, '@example.com')),
                n / 3, UNHEX(LPAD(HEX(n), 8, '0')) FROM g;
       CREATE TABLE payments (id BIGINT PRIMARY KEY, user_id INT NOT NULL, amount DECIMAL(12,2), memo TEXT,
         FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
       INSERT INTO payments
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)
         SELECT n, 1 + n % 3000, n * 1.25, CONCAT('line\\nbreak\\ttab ', n) FROM g;
       CREATE TABLE no_key (note TEXT);
       INSERT INTO no_key VALUES ('a'), ('b'), (NULL);`,
      source,
    );
    const store = directory('maria');
    const backup = await dedupJson([
      'dedup',
      'backup-db',
      source,
      '--db-type',
      'mariadb',
      '--host',
      maria.host,
      '--port',
      maria.port,
      '--user',
      maria.user,
      '--dedup-dir',
      store,
    ]);
    expect(backup).toMatchObject({
      source: `mariadb://${maria.host}:${maria.port}/${source}`,
      database: source,
      engine: 'mariadb',
      tables: 3,
      rows: 5003,
    });
    const script = join(store, '..', `${source}.sql`);
    await dedupJson(['dedup', 'restore', 'latest', script, '--dedup-dir', store]);
    await mariadb(`CREATE DATABASE \`${copy}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await runWithInput(
      'mariadb',
      ['--default-character-set=utf8mb4', '-h', maria.host, '-P', maria.port, '-u', maria.user, copy],
      script,
    );
    const checksums = async (database: string) =>
      (await mariadb('CHECKSUM TABLE users, payments, no_key EXTENDED', database)).replaceAll(`${database}.`, '');
    expect(await checksums(copy)).toBe(await checksums(source));
  });
});
