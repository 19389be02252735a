export {
  DatasetMissingError,
  datasetsDir,
  loadDataset,
  PG_DATASETS,
  type PgDatasetName,
  runSqlFile,
} from './datasets.js';
export { lineDiff } from './line-diff.js';
export { compareSchemas, normaliseSchemaDump, pgDumpSchema, type SchemaComparison } from './pg-dump.js';
export {
  connectionConfig,
  createTempDatabase,
  dropDatabase,
  ensureRoles,
  libpqEnvironment,
  type TempDatabase,
  withClient,
} from './postgres.js';
export { applySchemaDump } from './restore-schema.js';
