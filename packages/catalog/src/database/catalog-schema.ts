import type { Generated } from 'kysely';

/**
 * The SQLite tables as kysely sees them. Times are ISO 8601 UTC text, booleans are 0/1 integers, consistency is JSON
 * text. Column names are snake_case; src/records/ maps rows to the camelCase records of the public API.
 */
export interface BackupsTable {
  id: Generated<number>;
  database: string | null;
  engine: string;
  host: string | null;
  kind: string;
  format: string;
  location: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  status: string;
  error: string | null;
  bytes: number | null;
  sha256: string | null;
  encrypted: number;
  compression: string;
  consistency: string | null;
  server_version: string | null;
  table_count: number | null;
  row_count: number | null;
  parent_id: number | null;
}

export interface VerificationsTable {
  id: Generated<number>;
  backup_id: number;
  at: string;
  result: string;
  kind: string;
  detail: string | null;
}

export interface RestoresTable {
  id: Generated<number>;
  backup_id: number | null;
  location: string;
  database: string;
  engine: string;
  host: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  status: string;
  error: string | null;
  table_count: number | null;
  row_count: number | null;
}

export interface CatalogDatabase {
  backups: BackupsTable;
  verifications: VerificationsTable;
  restores: RestoresTable;
}
