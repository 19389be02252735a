import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './0001-initial.js';

/**
 * Every migration, by name, in order. Imported statically (not read from a folder at run time, as kysely's
 * FileMigrationProvider does) so that a bundled CLI carries its migrations inside the bundle. Add a new migration as
 * src/migrations/NNNN-name.ts and list it here; never change one that has shipped.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

export const catalogMigrations: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
