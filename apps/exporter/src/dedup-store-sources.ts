import { createLocalBackend } from '@dbbackup/cloud';
import { loadMasterKeyFile, type MasterKey } from '@dbbackup/crypto';
import { openStore } from '@dbbackup/dedup-store';
import type { DedupMetricsSource } from '@dbbackup/metrics';

/**
 * The --dedup-dir stores as metrics sources: each is opened for every scrape (new snapshots show at once), listed,
 * and closed; nothing is locked or written. An encrypted store needs --dedup-key-file (read once, at the first
 * scrape that needs it).
 */
export function dedupStoreSources(directories: readonly string[], keyFile: string | undefined): DedupMetricsSource[] {
  let key: Promise<MasterKey> | undefined;
  const masterKey = () => {
    if (keyFile === undefined) return undefined;
    key ??= loadMasterKeyFile(keyFile).then((loaded) => loaded.masterKey);
    return key;
  };
  return directories.map((directory) => ({
    location: directory,
    async listSnapshots() {
      const backend = createLocalBackend({ root: directory });
      try {
        const loaded = await masterKey();
        const store = await openStore({ backend, ...(loaded !== undefined ? { masterKey: loaded } : {}) });
        return await store.listSnapshots();
      } finally {
        await backend.close();
      }
    },
  }));
}
