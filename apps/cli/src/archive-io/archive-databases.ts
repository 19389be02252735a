import type { Manifest } from '@dbbackup/archive';
import { UsageError } from '../errors/cli-errors.js';

/**
 * The databases a backup holds, in backup order: for a cluster archive the `database` tags of its members (every
 * database has at least its schema members; this stays engine-neutral), for a single-database one its database.
 */
export function archiveDatabases(manifest: Manifest): string[] {
  if (!manifest.cluster) return manifest.database === null ? [] : [manifest.database];
  const names = new Set<string>();
  for (const member of manifest.members) if (member.database !== undefined) names.add(member.database);
  return [...names];
}

/** `"a", "b", "c"` (the first `max`, then "and N more"), for messages that list databases. */
export function quotedList(names: readonly string[], max = 10): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).map((name) => `"${name}"`);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}

/**
 * Checks --source-database of `restore single` (RestoreOptions.sourceDatabase) against the manifest before any
 * server is contacted: a cluster archive needs it, naming one of its databases; a single-database archive takes it
 * only when it names that database.
 */
export function checkSourceDatabase(manifest: Manifest, path: string, wanted: string | undefined): void {
  const databases = archiveDatabases(manifest);
  if (!manifest.cluster) {
    if (wanted !== undefined && wanted !== manifest.database) {
      throw new UsageError(
        `${path} is a backup of the single database "${manifest.database}", not "${wanted}"; drop --source-database (it picks a database of a cluster backup) or choose the right backup`,
      );
    }
    return;
  }
  if (wanted === undefined) {
    throw new UsageError(
      `${path} is a cluster backup of ${databases.length} databases (${quotedList(databases)}); pass --source-database NAME to restore one of them, or restore them all with dbbackup restore cluster ${path} --confirm`,
    );
  }
  requireArchiveDatabases(manifest, path, [wanted], '--source-database');
}

/** Every name must be a database of the cluster archive; the error lists what the archive holds. */
export function requireArchiveDatabases(
  manifest: Manifest,
  path: string,
  names: readonly string[],
  flag: string,
): void {
  const databases = archiveDatabases(manifest);
  const missing = names.filter((name) => !databases.includes(name));
  if (missing.length === 0) return;
  throw new UsageError(
    `${quotedList(missing)} ${missing.length === 1 ? 'is' : 'are'} not in the backup ${path}, which holds ${quotedList(databases)}; pick from those with ${flag}`,
  );
}
