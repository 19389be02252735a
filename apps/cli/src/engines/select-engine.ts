import type { DatabaseEngine } from '@dbbackup/archive';
import type { DbType } from '../config/settings.js';
import { CliError, UsageError } from '../errors/cli-errors.js';
import { createLineChecksumVerifier, type DataMemberVerifierFactory } from './data-member-verifier.js';

/**
 * The one place that maps an engine name to an engine object. Backups choose by --db-type, restores and deep
 * verification by the `engine` recorded in the archive header; commands never branch on the engine otherwise.
 */
export interface SelectedEngine {
  /** The name archives record ('postgresql'). */
  readonly name: string;
  readonly engine: DatabaseEngine;
  /** Recounts rows (and recomputes row checksums) of a data member's plaintext, for verify-backup --deep. */
  readonly dataMemberVerifier: DataMemberVerifierFactory;
}

interface EngineEntry {
  /** Archive engine name. */
  name: string;
  dbTypes: readonly DbType[];
  /**
   * Absent while the engine does not exist yet. Loaded on first use, so commands that need no engine (version,
   * completion, verify-backup) neither pay for loading the driver nor depend on it.
   */
  create?: () => Promise<Omit<SelectedEngine, 'name'>>;
}

const ENGINES: readonly EngineEntry[] = [
  {
    name: 'postgresql',
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
  { name: 'mysql', dbTypes: ['mysql', 'mariadb'] },
];

/** The engine is known but not part of this dbbackup yet (MySQL/MariaDB). Exit 2. */
export class EngineNotAvailableError extends CliError {
  constructor(what: string) {
    super(
      `${what} backups are not available yet in this dbbackup; only PostgreSQL (--db-type postgres) is supported`,
      2,
    );
  }
}

/** The engine for --db-type; a backup needs one, so an unset type is a usage error. */
export async function selectEngineForDbType(dbType: DbType | undefined): Promise<SelectedEngine> {
  if (dbType === undefined) {
    throw new UsageError('no database type: pass --db-type postgres (or set DBBACKUP_DB_TYPE)');
  }
  const entry = ENGINES.find((candidate) => candidate.dbTypes.includes(dbType));
  if (!entry) throw new UsageError(`unknown --db-type '${dbType}'; use postgres, mysql or mariadb`);
  return instantiate(entry, dbType === 'mariadb' ? 'MariaDB' : dbType === 'mysql' ? 'MySQL' : dbType);
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
  return instantiate(entry, engineName === 'mysql' ? 'MySQL/MariaDB' : engineName);
}

/** The archive engine name a --db-type writes ('postgres' → 'postgresql'), without creating the engine. */
export function archiveEngineNameForDbType(dbType: DbType): string | undefined {
  return ENGINES.find((candidate) => candidate.dbTypes.includes(dbType))?.name;
}

async function instantiate(entry: EngineEntry, label: string): Promise<SelectedEngine> {
  if (!entry.create) throw new EngineNotAvailableError(label);
  return { name: entry.name, ...(await entry.create()) };
}
