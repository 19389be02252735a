import type { DatabaseEngine } from '@dbbackup/archive';
import { ENGINE_NAME } from './archive-layout.js';
import { backupDatabase } from './backup/backup-database.js';
import { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
import { backupCluster } from './cluster/backup-cluster.js';
import { restoreCluster } from './cluster/restore-cluster.js';
import { verifyAnyRestore } from './cluster/verify-cluster.js';
import { checkBackupPrivileges } from './privileges/check-backup-privileges.js';
import { restoreDatabase } from './restore/restore-database.js';
import { targetState } from './restore/target-state.js';
import { writeSqlScript } from './sql-script/write-sql-script.js';

/**
 * The PostgreSQL DatabaseEngine: database, sampled and cluster backups and restores, verify-restore, SQL scripts,
 * the restore target's state for dry runs, and the backup privileges a preflight checks.
 */
export function createPostgresEngine(): DatabaseEngine {
  return {
    name: ENGINE_NAME,
    serverVersion,
    listDatabases,
    estimateSize,
    targetState: (connection, database) => targetState(connection, database),
    backup: backupDatabase,
    // backupDatabase checks the sample first and aborts the writer if it is impossible.
    backupSample: backupDatabase,
    backupCluster,
    restore: restoreDatabase,
    restoreCluster,
    verifyRestore: verifyAnyRestore,
    writeSqlScript,
    checkBackupPrivileges,
  };
}
