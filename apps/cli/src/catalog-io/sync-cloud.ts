import { ArchiveReader, type KeyProvider, readArchiveHeader } from '@dbbackup/archive';
import {
  type Catalog,
  parseBackupFileName,
  recordFromHeader,
  recordFromManifest,
  type SyncResult,
  stripBackupExtension,
} from '@dbbackup/catalog';
import { listPublishedBackups, openStorageSource, readBackupSidecar } from '@dbbackup/cloud';
import { MissingKeyError } from '@dbbackup/crypto';
import type { CommandContext } from '../cli/command-context.js';
import { openCliStorage } from '../cloud-io/open-cli-storage.js';

/**
 * `catalog sync URI`: every published backup in a cloud folder (its sidecar exists) into the catalog, from its
 * manifest read in place with ranged reads (header and manifest only, a few kilobytes), the size and sha256 from
 * its sidecar. Encrypted archives without a key are recorded from their plain header and file name, with a note.
 */
export async function syncCloudFolder(
  context: CommandContext,
  catalog: Catalog,
  uri: string,
  keyProvider: KeyProvider | undefined,
): Promise<SyncResult> {
  const result: SyncResult = { scanned: 0, added: 0, updated: 0, skipped: [], notes: [] };
  const { backend, prefix, uri: folder } = await openCliStorage(context, uri);
  try {
    for (const published of await listPublishedBackups(backend, prefix)) {
      const key = published.archive.key;
      const name = key.slice(prefix.length);
      const location = `${folder.replace(/\/?$/, '/')}${name}`;
      context.progress.update(`sync: ${location}`);
      result.scanned += 1;
      try {
        const sidecar = await readBackupSidecar(backend, key);
        const file = { location, bytes: published.archive.size, sha256: sidecar.sha256 };
        const source = await openStorageSource(backend, key);
        let record: ReturnType<typeof recordFromManifest>;
        try {
          const reader = await ArchiveReader.open(source, keyProvider ? { keyProvider } : {});
          record = recordFromManifest(reader.manifest, file);
          await reader.close();
        } catch (error) {
          if (!(error instanceof MissingKeyError)) throw error;
          const header = await readArchiveHeader(source);
          const facts = parseBackupFileName(stripBackupExtension(name.split('/').pop() ?? name));
          record = recordFromHeader(header, facts, { ...file, modifiedAt: published.archive.modifiedAt.toISOString() });
          result.notes.push(`${location}: encrypted: pass --encryption-key-file for its tables and consistency point`);
        } finally {
          await source.close();
        }
        const { created } = await catalog.upsertBackup({ ...record, status: 'success' });
        if (created) result.added += 1;
        else result.updated += 1;
      } catch (error) {
        result.skipped.push({ path: location, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    context.progress.stop();
    await backend.close();
  }
  return result;
}
