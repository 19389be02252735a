import type { DatabaseEngine } from '@dbbackup/archive';
import { backupDatabase } from './backup/backup-database.js';
import { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
import { backupCluster } from './cluster/backup-cluster.js';
import { restoreCluster } from './cluster/restore-cluster.js';
import { checkBackupPrivileges } from './privileges/check-backup-privileges.js';
import { restoreDatabase } from './restore/restore-database.js';
import type { MysqlFlavor } from './schema/index.js';
import { writeSqlScript } from './sql-script/write-sql-script.js';
import { verifyRestore } from './verify/verify-restore.js';

/**
 * The MySQL/MariaDB DatabaseEngine. `flavor` is the engine name written into archive headers and manifests and the
 * server family named in connection errors; either flavor backs up and restores both server families, and either
 * restores the other's archives. Cluster backups (users and grants, then each
 * database in its own snapshot) are in cluster/.
 */
export function createMysqlEngine(flavor: MysqlFlavor): DatabaseEngine {
  return {
    name: flavor,
    serverVersion: (connection) => serverVersion(connection, flavor),
    listDatabases: (connection) => listDatabases(connection, flavor),
    estimateSize: (connection, database) => estimateSize(connection, database, flavor),
    backup: (options) => backupDatabase({ ...options, flavor }),
    restore: (options) => restoreDatabase({ ...options, flavor }),
    verifyRestore: (options) => verifyRestore({ ...options, flavor }),
    backupSample: (options) => backupDatabase({ ...options, flavor }),
    writeSqlScript: (options) => writeSqlScript({ ...options, flavor }),
    backupCluster: (options) => backupCluster({ ...options, flavor }),
    restoreCluster: (options) => restoreCluster({ ...options, flavor }),
    checkBackupPrivileges: (connection, database) => checkBackupPrivileges(connection, database, { flavor }),
  };
}
