import { randomBytes } from 'node:crypto';
import mysql, { type Connection, type ConnectionOptions } from 'mysql2/promise';

/**
 * The test server: MYSQL_HOST / MYSQL_TCP_PORT / MYSQL_USER / MYSQL_PWD (the variables the mariadb client reads),
 * default root on 127.0.0.1:3306 with no password.
 */
export function connectionConfig(database?: string): ConnectionOptions {
  return {
    host: process.env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_TCP_PORT ?? 3306),
    user: process.env.MYSQL_USER ?? 'root',
    password: process.env.MYSQL_PWD ?? '',
    ...(database === undefined ? {} : { database }),
  };
}

/** Command-line arguments for the mariadb / mariadb-dump clients matching `connectionConfig()`. */
export function clientArguments(): string[] {
  const config = connectionConfig();
  return ['-h', String(config.host), '-P', String(config.port), '-u', String(config.user)];
}

/** Environment for the mariadb clients (the password travels in MYSQL_PWD, never in argv). */
export function clientEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, MYSQL_PWD: String(connectionConfig().password ?? '') };
}

export async function connect(database?: string): Promise<Connection> {
  return mysql.createConnection(connectionConfig(database));
}

export async function withConnection<T>(
  database: string | undefined,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connect(database);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

export interface TempDatabase {
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty `dbb_test_<random>` database (utf8mb4 unless told otherwise); `drop()` removes it. Tests
 * call drop in afterAll/finally so nothing is left behind.
 */
export async function createTempDatabase(
  options: { characterSet?: string; collation?: string } = {},
): Promise<TempDatabase> {
  const name = `dbb_test_${randomBytes(5).toString('hex')}`;
  const characterSet = options.characterSet ?? 'utf8mb4';
  const collation = options.collation ? ` COLLATE ${options.collation}` : '';
  await withConnection(undefined, (connection) =>
    connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET ${characterSet}${collation}`),
  );
  return { name, drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await withConnection(undefined, (connection) => connection.query(`DROP DATABASE IF EXISTS \`${name}\``));
}
