export { applySchemaDump } from './apply-schema.js';
export { checksumTables } from './checksum.js';
export {
  DatasetMissingError,
  datasetsDir,
  loadDataset,
  MARIADB_DATASETS,
  type MariadbDatasetName,
  runSqlFile,
} from './datasets.js';
export { lineDiff } from './line-diff.js';
export {
  clientArguments,
  clientEnvironment,
  connect,
  connectionConfig,
  createTempDatabase,
  dropDatabase,
  type TempDatabase,
  withConnection,
} from './mariadb.js';
export {
  compareDatabases,
  compareDumps,
  type DumpNormaliseOptions,
  mariadbDumpSchema,
  normaliseDump,
  type SchemaComparison,
} from './mariadb-dump.js';
