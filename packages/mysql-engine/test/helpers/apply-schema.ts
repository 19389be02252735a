import type { Connection } from 'mysql2/promise';
import {
  type MysqlSchemaDump,
  quoteIdentifier,
  readServerInfo,
  restoreSessionSetup,
  retargetSchemaDump,
} from '../../src/schema/index.js';

/**
 * Replays a MysqlSchemaDump into an existing, empty database the way a restore does, without data: the restore
 * session setup for the target server, `USE` the target, the pre-data statements in order, then every post-data
 * item's statements in list order (a valid serial order). Errors name the statement that failed.
 */
export async function applySchemaDump(
  connection: Connection,
  dump: MysqlSchemaDump,
  targetDatabase: string,
): Promise<void> {
  const target = await readServerInfo(connection);
  for (const statement of restoreSessionSetup(target)) await connection.query(statement);
  await connection.query(`USE ${quoteIdentifier(targetDatabase)}`);
  for (const statement of dump.preData) await run(connection, statement, 'pre-data');
  for (const item of retargetSchemaDump(dump, targetDatabase).postData) {
    for (const statement of item.statements) await run(connection, statement, `post-data item ${item.id}`);
  }
}

async function run(connection: Connection, statement: string, label: string): Promise<void> {
  try {
    await connection.query(statement);
  } catch (error) {
    throw new Error(`${label} failed: ${(error as Error).message}\n${statement}`, { cause: error });
  }
}
