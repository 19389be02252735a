/**
 * Native schema (DDL) half of the PostgreSQL engine: reads the catalogs and produces SQL in pg_dump's sections
 * (pre-data script, post-data items, sequence values) plus cluster globals and CREATE DATABASE, without pg_dump.
 */

export type { AclCommandRequest, AclObjectType } from './acl.js';
export { buildAclCommands, parseAclItem, parsePgArray } from './acl.js';
export { databaseCreateSql } from './database.js';
export { dumpSchema, MINIMUM_SERVER_VERSION_NUM } from './dump-schema.js';
export { AclParseError, DependencyCycleError, SchemaDumpError } from './errors.js';
export { dumpGlobals, RolePasswordsUnreadableError } from './globals.js';
export { largeObjectCreateSql } from './objects/large-objects.js';
export { PreDataScriptError, splitPreDataScript } from './pre-data-script.js';
export { Quoter, quoteLiteral } from './quote.js';
export { splitSequenceValues } from './sequence-values.js';
export { RESTORE_SESSION_SETUP } from './session.js';
export type {
  GlobalsDumpOptions,
  LargeObjectInfo,
  PostDataItem,
  PostDataKind,
  PreDataItem,
  SchemaDump,
  SchemaDumpOptions,
  SqlStatements,
  TableDataInfo,
} from './types.js';
