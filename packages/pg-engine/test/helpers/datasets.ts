import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { libpqEnvironment } from './postgres.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

/** The shared datasets folder: $DBBACKUP_SHARED_DIR/datasets, else ../shared/datasets beside the repository. */
export function datasetsDir(): string {
  return path.join(process.env.DBBACKUP_SHARED_DIR ?? path.resolve(repoRoot, '../shared'), 'datasets');
}

/** PostgreSQL datasets that loadDataset knows (see datasets/README.md). */
export const PG_DATASETS = [
  'pagila',
  'chinook',
  'chinook-autoinc',
  'employees',
  'tricky-types-serde',
  'tricky-types-pg-dump',
] as const;
export type PgDatasetName = (typeof PG_DATASETS)[number];

/**
 * Shell commands (run with bash, cwd = datasets folder) that load each dataset into $DB with psql, as the
 * datasets README describes. `employees` takes a few seconds for its ~95k salary rows.
 */
const loaders: Record<PgDatasetName, string> = {
  pagila:
    'psql -q -X -v ON_ERROR_STOP=1 -d "$DB" -f pagila/pagila-schema.sql && psql -q -X -v ON_ERROR_STOP=1 -d "$DB" -f pagila/pagila-data.sql',
  chinook:
    "sed -e '/^DROP DATABASE/d' -e '/^CREATE DATABASE/d' -e '/^\\\\c /d' chinook/Chinook_PostgreSql.sql | psql -q -X -v ON_ERROR_STOP=1 -d \"$DB\"",
  'chinook-autoinc':
    "sed -e '/^DROP DATABASE/d' -e '/^CREATE DATABASE/d' -e '/^\\\\c /d' chinook/Chinook_PostgreSql_AutoIncrementPKs.sql | psql -q -X -v ON_ERROR_STOP=1 -d \"$DB\"",
  employees: 'cd employees/postgres && psql -q -X -v ON_ERROR_STOP=1 -d "$DB" -f employee.sql',
  'tricky-types-serde': 'psql -q -X -v ON_ERROR_STOP=1 -d "$DB" -f tricky_types/pg_all_datatypes_serde_dump.sql',
  'tricky-types-pg-dump': 'psql -q -X -v ON_ERROR_STOP=1 -d "$DB" -f tricky_types/pg_dump_type_check.C-utf8.sql',
};

export class DatasetMissingError extends Error {
  override readonly name = 'DatasetMissingError';
  constructor(directory: string) {
    super(`sample datasets not found at ${directory}: set DBBACKUP_SHARED_DIR to the folder holding datasets/`);
  }
}

/** Loads a sample dataset into an existing (empty) database with psql. */
export async function loadDataset(database: string, name: PgDatasetName): Promise<void> {
  const directory = datasetsDir();
  if (!existsSync(directory)) throw new DatasetMissingError(directory);
  await run('bash', ['-o', 'pipefail', '-c', loaders[name]], {
    cwd: directory,
    env: { ...libpqEnvironment(), DB: database, PGOPTIONS: '-c client_min_messages=warning' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs an SQL file with psql (ON_ERROR_STOP) against a database. */
export async function runSqlFile(database: string, file: string): Promise<void> {
  await run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', database, '-f', file], {
    env: { ...libpqEnvironment(), PGOPTIONS: '-c client_min_messages=warning' },
    maxBuffer: 64 * 1024 * 1024,
  });
}
