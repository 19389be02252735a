import type { Connection, RowDataPacket } from 'mysql2/promise';
import { MysqlDatabaseNotFoundError } from './errors.js';
import { quoteIdentifier, quoteString } from './quote.js';
import type { MysqlDatabaseOptions, MysqlServerInfo } from './types.js';

/** Reads a database's default character set, collation and (MariaDB 10.5+) comment. */
export async function readDatabaseOptions(
  connection: Connection,
  server: MysqlServerInfo,
  database: string,
): Promise<MysqlDatabaseOptions> {
  const hasComment = server.flavor === 'mariadb' && server.versionNum >= 100500;
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT DEFAULT_CHARACTER_SET_NAME AS characterSet, DEFAULT_COLLATION_NAME AS collation,
            ${hasComment ? 'SCHEMA_COMMENT' : 'NULL'} AS comment
       FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
    [database],
  );
  const row = rows[0];
  if (!row) throw new MysqlDatabaseNotFoundError(database);
  const comment = row.comment === null || row.comment === '' ? null : String(row.comment);
  return { name: database, characterSet: String(row.characterSet), collation: String(row.collation), comment };
}

/** `CREATE DATABASE` under any name with the dumped database's character set, collation and comment. */
export function createDatabaseSql(name: string, options: Omit<MysqlDatabaseOptions, 'name'>): string {
  const comment = options.comment === null ? '' : ` COMMENT ${quoteString(options.comment)}`;
  return `CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET ${options.characterSet} COLLATE ${options.collation}${comment}`;
}
