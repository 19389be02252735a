import { listPublishedBackups, type OpenedStorage, readBackupSidecar } from '@dbbackup/cloud';
import { folderUriOf } from './cloud-storage.js';

/** One complete backup in a cloud folder, as `cloud list` prints it (JSON field names). */
export interface PublishedBackupRow {
  /** The key below the folder's prefix: the backup's file name. */
  name: string;
  uri: string;
  size: number;
  sha256: string;
  created_at: string;
  database: string | null;
  engine: string | null;
}

/** Sidecars are small objects; a few reads at a time keep a long listing quick without flooding the store. */
const SIDECAR_READS_AT_ONCE = 8;

/** Every published backup under the folder (archive + sidecar), with its sidecar's facts, newest first. */
export async function readPublishedBackups(opened: OpenedStorage): Promise<PublishedBackupRow[]> {
  const { backend, prefix } = opened;
  const published = await listPublishedBackups(backend, prefix);
  const rows: PublishedBackupRow[] = [];
  for (let start = 0; start < published.length; start += SIDECAR_READS_AT_ONCE) {
    const batch = published.slice(start, start + SIDECAR_READS_AT_ONCE);
    rows.push(
      ...(await Promise.all(
        batch.map(async ({ archive }) => {
          const sidecar = await readBackupSidecar(backend, archive.key);
          const name = archive.key.slice(prefix.length);
          return {
            name,
            uri: `${folderUriOf(opened)}${name}`,
            size: archive.size,
            sha256: sidecar.sha256,
            created_at: typeof sidecar.createdAt === 'string' ? sidecar.createdAt : archive.modifiedAt.toISOString(),
            database: typeof sidecar.database === 'string' ? sidecar.database : null,
            engine: typeof sidecar.engine === 'string' ? sidecar.engine : null,
          };
        }),
      )),
    );
  }
  return rows.sort((left, right) => Date.parse(right.created_at) - Date.parse(left.created_at));
}
