/**
 * Real backups for the catalog tests: throwaway databases on the test servers (PostgreSQL from PGHOST/PGPORT/PGUSER,
 * MariaDB from MYSQL_HOST/MYSQL_TCP_PORT/MYSQL_USER, defaults 127.0.0.1 and the superusers), backed up by the real
 * engines into archives (plain and encrypted) and a SQL script, named as the CLI names them.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ArchiveWriter, type ArchiveWriterOptions, type ConnectionOptions, type KeyProvider } from '@dbbackup/archive';
import { createDataKey, loadMasterKeyFile, type MasterKey, wrapDataKey } from '@dbbackup/crypto';
import { backupDatabase as backupMysql } from '@dbbackup/mysql-engine';
import { backupDatabase as backupPostgres, writeSqlScript } from '@dbbackup/pg-engine';
import { createCompressStream } from '@dbbackup/pipeline';

export const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};
export const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_TCP_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
};
const pgConnection: ConnectionOptions = pg;
const myConnection: ConnectionOptions = my;

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

function psql(database: string, sql: string): string {
  return execFileSync(
    'psql',
    ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', database, '-X', '-v', 'ON_ERROR_STOP=1', '-Atqc', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

function mariadb(sql: string, database?: string): string {
  const args = ['-h', my.host, '-P', String(my.port), '-u', my.user, '-N', '-B', '-e', sql];
  return execFileSync('mariadb', database ? [...args, database] : args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Rows per table of the test databases: 2 tables, 1002 rows. */
export const SAMPLE_ROWS = { items: 1000, notes: 2 } as const;

export function createPostgresDatabase(name: string): void {
  psql('postgres', `CREATE DATABASE "${name}"`);
  psql(
    name,
    `CREATE TABLE items (id int PRIMARY KEY, label text);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, ${SAMPLE_ROWS.items}) g;
     CREATE TABLE notes (id int, body text);
     INSERT INTO notes VALUES (1, 'first'), (2, 'second');`,
  );
}

export function dropPostgresDatabase(name: string): void {
  psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export function createMariadbDatabase(name: string): void {
  mariadb(`CREATE DATABASE \`${name}\``);
  mariadb(
    `CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(50)) ENGINE=InnoDB;
     INSERT INTO items WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${SAMPLE_ROWS.items})
       SELECT n, CONCAT('item ', n) FROM g;
     CREATE TABLE notes (id INT, body TEXT) ENGINE=InnoDB;
     INSERT INTO notes VALUES (1, 'first'), (2, 'second');`,
    name,
  );
}

export function dropMariadbDatabase(name: string): void {
  mariadb(`DROP DATABASE IF EXISTS \`${name}\``);
}

/** `<dir>/<stem>-<UTC stamp><extension>`, as the CLI names backups. */
export function backupPath(directory: string, stem: string, at: Date, extension = '.dbb.tar'): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return join(directory, `${stem}-${stamp}${extension}`);
}

/** A 32-byte key file (mode 0600) and the master key it holds. */
export async function createKeyFile(path: string): Promise<MasterKey> {
  await writeFile(path, randomBytes(32), { mode: 0o600 });
  await chmod(path, 0o600);
  return (await loadMasterKeyFile(path)).masterKey;
}

export function keyProviderFor(masterKey: MasterKey): KeyProvider {
  return async () => masterKey;
}

function archiveOptions(
  engine: string,
  source: { host: string; port: number },
  masterKey?: MasterKey,
): ArchiveWriterOptions {
  const dataKey = masterKey ? createDataKey() : undefined;
  return {
    engine,
    toolVersion: 'catalog-test',
    compression: { algorithm: 'zstd', level: 3 },
    source: { host: source.host, port: source.port },
    ...(masterKey && dataKey ? { encryption: { dataKey, header: wrapDataKey(dataKey, masterKey) } } : {}),
  };
}

export async function backupPostgresTo(path: string, database: string, masterKey?: MasterKey): Promise<void> {
  const writer = await ArchiveWriter.createFile(path, archiveOptions('postgresql', pg, masterKey));
  await backupPostgres({ connection: pgConnection, database, jobs: 2, writer });
}

export async function backupMariadbTo(path: string, database: string): Promise<void> {
  const writer = await ArchiveWriter.createFile(path, archiveOptions('mariadb', my));
  await backupMysql({ connection: myConnection, database, jobs: 2, writer, flavor: 'mariadb' });
}

/** A psql script `<db>-<stamp>.sql.zst`, compressed the way `backup single --dump-format sql` does it. */
export async function sqlScriptTo(path: string, database: string): Promise<void> {
  const compressor = createCompressStream({ algorithm: 'zstd', level: 3 });
  const written = pipeline(compressor, createWriteStream(path, { flags: 'wx' }));
  await writeSqlScript({ connection: pgConnection, database, sink: compressor });
  await written;
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
