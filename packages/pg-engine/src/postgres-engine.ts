import type { DatabaseEngine } from '@dbbackup/archive';
import { ENGINE_NAME } from './archive-layout.js';
import { backupDatabase } from './backup/backup-database.js';
import { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
import { restoreDatabase } from './restore/restore-database.js';
import { verifyRestore } from './verify/verify-restore.js';

/**
 * The PostgreSQL DatabaseEngine. Cluster backups (globals + every database) and --dump-format sql are not
 * implemented yet, so backupCluster/restoreCluster/writeSqlScript are absent.
 */
export function createPostgresEngine(): DatabaseEngine {
  return {
    name: ENGINE_NAME,
    serverVersion,
    listDatabases,
    estimateSize,
    backup: backupDatabase,
    restore: restoreDatabase,
    verifyRestore,
  };
}
