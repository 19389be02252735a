import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clientArguments, clientEnvironment } from './mariadb.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

/** The shared datasets folder: $DBBACKUP_SHARED_DIR/datasets, else ../shared/datasets beside the repository. */
export function datasetsDir(): string {
  return path.join(process.env.DBBACKUP_SHARED_DIR ?? path.resolve(repoRoot, '../shared'), 'datasets');
}

/** MariaDB/MySQL datasets that loadDataset knows (see datasets/README.md). */
export const MARIADB_DATASETS = ['sakila', 'chinook', 'employees', 'tricky-types'] as const;
export type MariadbDatasetName = (typeof MARIADB_DATASETS)[number];

/**
 * Shell commands (bash, cwd = datasets folder) that load each dataset into $DB with the mariadb client, as the
 * datasets README describes; `$MARIADB` is the client with connection arguments. employees (~4 MB of salaries
 * and more) takes the longest, a few seconds.
 */
const loaders: Record<MariadbDatasetName, string> = {
  // The view actor_info names its tables as sakila_spatial.x: point them at $DB.
  sakila:
    "sed -e '/^DROP SCHEMA/d' -e '/^CREATE SCHEMA/d' -e '/^USE /d' -e \"s/sakila_spatial\\./$DB./g\" sakila/sakila-spatial-schema.mariadb.sql | $MARIADB \"$DB\" && sed -e '/^USE /d' sakila/sakila-spatial-data.mariadb.sql | $MARIADB \"$DB\"",
  chinook:
    "sed -e '/^DROP DATABASE/d' -e '/^CREATE DATABASE/d' -e '/^USE /d' chinook/Chinook_MySql.sql | $MARIADB \"$DB\"",
  employees:
    "cd employees/mysql && sed -e '/^DROP DATABASE/d' -e '/^CREATE DATABASE/d' -e '/^USE /d' employee.as-employees.sql | $MARIADB \"$DB\" && sed -e '/^[Uu][Ss][Ee] /d' object.as-employees.sql | $MARIADB \"$DB\"",
  'tricky-types': '$MARIADB "$DB" < tricky_types/mysql_all_datatypes_type_check.sql',
};

export class DatasetMissingError extends Error {
  override readonly name = 'DatasetMissingError';
  constructor(directory: string) {
    super(`sample datasets not found at ${directory}: set DBBACKUP_SHARED_DIR to the folder holding datasets/`);
  }
}

/** Loads a sample dataset into an existing (empty) database with the mariadb client. */
export async function loadDataset(database: string, name: MariadbDatasetName): Promise<void> {
  const directory = datasetsDir();
  if (!existsSync(directory)) throw new DatasetMissingError(directory);
  const client = ['mariadb', ...clientArguments()].join(' ');
  await run('bash', ['-o', 'pipefail', '-c', loaders[name]], {
    cwd: directory,
    env: { ...clientEnvironment(), DB: database, MARIADB: client },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs an SQL file (DELIMITER and all) with the mariadb client against a database. */
export async function runSqlFile(database: string, file: string): Promise<void> {
  await run('bash', ['-o', 'pipefail', '-c', `${['mariadb', ...clientArguments()].join(' ')} "$DB" < "$FILE"`], {
    env: { ...clientEnvironment(), DB: database, FILE: file },
    maxBuffer: 64 * 1024 * 1024,
  });
}
