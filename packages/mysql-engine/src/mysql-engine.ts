import type { DatabaseEngine } from '@dbbackup/archive';
import { backupDatabase } from './backup/backup-database.js';
import { estimateSize, listDatabases, serverVersion } from './catalog-queries.js';
import { restoreDatabase } from './restore/restore-database.js';
import type { MysqlFlavor } from './schema/index.js';
import { verifyRestore } from './verify/verify-restore.js';

/**
 * The MySQL/MariaDB DatabaseEngine. `flavor` is the engine name written into archive headers and manifests and the
 * server family named in connection errors; either flavor backs up and restores both server families, and either
 * restores the other's archives. Cluster backups and --dump-format sql are not implemented yet, so
 * backupCluster/restoreCluster/writeSqlScript are absent.
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
  };
}
