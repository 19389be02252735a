/**
 * Schema (DDL) half of the MySQL/MariaDB engine: the database's complete DDL from SHOW CREATE ... in pre-data
 * statements, per-table data info and post-data items, plus accounts and grants, without mysqldump.
 */

export { createDatabaseSql, readDatabaseOptions } from './database.js';
export { dumpSchema } from './dump-schema.js';
export {
  MysqlDatabaseNotFoundError,
  MysqlDefinitionUnreadableError,
  MysqlSchemaError,
} from './errors.js';
export { quoteIdentifier, quoteString } from './quote.js';
export { retargetSchemaDump } from './retarget.js';
export { parseServerVersion, readServerInfo } from './server.js';
export { RESTORE_SESSION_SETUP, RESTORE_SQL_MODE, RESTORE_TIME_ZONE, restoreSessionSetup } from './session.js';
export type {
  MysqlColumnInfo,
  MysqlDatabaseOptions,
  MysqlDatabaseReference,
  MysqlFlavor,
  MysqlPostDataItem,
  MysqlPostDataKind,
  MysqlSchemaDump,
  MysqlSchemaDumpOptions,
  MysqlServerInfo,
  MysqlSystemVersioning,
  MysqlTableInfo,
  MysqlUsersDumpOptions,
} from './types.js';
export { dumpUsersAndGrants } from './users.js';
