import type { DatabaseEngine } from '@dbbackup/archive';
import { type DbType, type EngineFamily, engineFamily } from '../config/settings.js';
import { CliError, UsageError } from '../errors/cli-errors.js';
import { createLineChecksumVerifier, type DataMemberVerifierFactory } from './data-member-verifier.js';

/**
 * The one place that maps an engine name to an engine object. Backups choose by --db-type, restores and deep
 * verification by the `engine` recorded in the archive header; commands never branch on the engine otherwise.
 */
export interface SelectedEngine {
  /** The name archives record ('postgresql', 'mysql', 'mariadb'). */
  readonly name: string;
  readonly engine: DatabaseEngine;
  /** Recounts rows (and recomputes row checksums) of a data member's plaintext, for verify-backup --deep. */
  readonly dataMemberVerifier: DataMemberVerifierFactory;
}

interface EngineEntry {
  /** Archive engine name. */
  name: string;
  /** Engines of one family restore each other's archives (mysql and mariadb). */
  family: EngineFamily;
  dbTypes: readonly DbType[];
  /**
   * Loaded on first use, so commands that need no engine (version, completion, verify-backup) neither pay for
   * loading the driver nor depend on it.
   */
  create: () => Promise<Omit<SelectedEngine, 'name'>>;
}

/** The MySQL/MariaDB engine under the flavor name its archives record. */
function mysqlEntry(flavor: 'mysql' | 'mariadb'): EngineEntry {
  return {
    name: flavor,
    family: 'mysql',
    dbTypes: [flavor],
    create: async () => {
      const { createMysqlEngine, RowChecksum } = await import('@dbbackup/mysql-engine');
      return {
        engine: createMysqlEngine(flavor),
        // MySQL data members are LOAD DATA text: one row per line, checksummed line by line.
        dataMemberVerifier: createLineChecksumVerifier(() => new RowChecksum()),
      };
    },
  };
}

const ENGINES: readonly EngineEntry[] = [
  {
    name: 'postgresql',
    family: 'postgres',
    dbTypes: ['postgres'],
    create: async () => {
      const { createPostgresEngine, RowChecksum } = await import('@dbbackup/pg-engine');
      return {
        engine: createPostgresEngine(),
        // PostgreSQL data members are COPY text: one row per line, checksummed line by line.
        dataMemberVerifier: createLineChecksumVerifier(() => new RowChecksum()),
      };
    },
  },
  mysqlEntry('mysql'),
  mysqlEntry('mariadb'),
];

/** The engine for --db-type; a backup needs one, so an unset type is a usage error. */
export async function selectEngineForDbType(dbType: DbType | undefined): Promise<SelectedEngine> {
  if (dbType === undefined) {
    throw new UsageError('no database type: pass --db-type postgres (or set DBBACKUP_DB_TYPE)');
  }
  const entry = ENGINES.find((candidate) => candidate.dbTypes.includes(dbType));
  if (!entry) throw new UsageError(`unknown --db-type '${dbType}'; use postgres, mysql or mariadb`);
  return instantiate(entry);
}

/** The engine that reads an archive, by the name in its header. */
export async function selectEngineForArchive(engineName: string): Promise<SelectedEngine> {
  const entry = ENGINES.find((candidate) => candidate.name === engineName);
  if (!entry) {
    throw new CliError(
      `this backup was made by an unknown engine '${engineName}'; upgrade dbbackup to restore or verify it`,
      2,
    );
  }
  return instantiate(entry);
}

/**
 * The family of an archive engine name ('mysql' and 'mariadb' → 'mysql'), or undefined for an unknown name. It
 * decides which client variables (PG* or MYSQL_*) describe the server and whether a --db-type fits an archive.
 */
export function engineFamilyOfArchive(engineName: string): EngineFamily | undefined {
  return ENGINES.find((candidate) => candidate.name === engineName)?.family;
}

/** Whether an archive of `engineName` may be restored with --db-type `dbType` (mysql and mariadb are one family). */
export function dbTypeFitsArchive(dbType: DbType, engineName: string): boolean {
  return engineFamily(dbType) === engineFamilyOfArchive(engineName);
}

async function instantiate(entry: EngineEntry): Promise<SelectedEngine> {
  return { name: entry.name, ...(await entry.create()) };
}
