import { homedir } from 'node:os';

/**
 * The catalog the CLI uses unless told otherwise: $DBBACKUP_CATALOG, else ~/.dbbackup/catalog.db (the CLI's
 * `catalog =` in .dbbackup.conf is not read: a service gets its file from --catalog or the environment).
 */
export function defaultCatalogPath(env: NodeJS.ProcessEnv): string {
  const fromEnvironment = env['DBBACKUP_CATALOG'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  return `${homedir().replace(/\/+$/, '')}/.dbbackup/catalog.db`;
}
