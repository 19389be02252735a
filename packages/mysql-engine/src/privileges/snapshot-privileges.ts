import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlSession } from '../connection/connect.js';
import type { MysqlServerInfo } from '../schema/index.js';
import type { AccountPrivileges } from './account.js';

/** What the backup's consistency point needs, server-wide (see backup/snapshot.ts). */
export interface SnapshotPrivileges {
  /** RELOAD, so FLUSH TABLES WITH READ LOCK is allowed. */
  reload: boolean;
  warnings: string[];
}

/**
 * The backup takes FLUSH TABLES WITH READ LOCK (needs RELOAD; BACKUP_ADMIN is not needed) so several workers start
 * one snapshot together. Without RELOAD it does not fail: one snapshot connection reads all data, and on MySQL no
 * binlog position is recorded (MariaDB reports the snapshot's own position), so that is a warning. Under the lock
 * the binlog position comes from SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.2+), which needs BINLOG
 * MONITOR (MariaDB 10.5+; REPLICATION CLIENT before, and on MySQL) or SUPER; when it is refused the backup records
 * no position and says so. That statement only reads, so it is tried here exactly as the backup runs it.
 */
export async function checkSnapshotPrivileges(
  session: MysqlSession,
  server: MysqlServerInfo,
  account: AccountPrivileges,
): Promise<SnapshotPrivileges> {
  const warnings: string[] = [];
  const reload = account.grants.hasGlobal('RELOAD');
  if (!reload) {
    // MariaDB reads the snapshot's own binlog position without the lock; MySQL has no such status.
    const position = server.flavor === 'mysql' ? ' and no binlog position is recorded' : '';
    warnings.push(
      `no RELOAD privilege for FLUSH TABLES WITH READ LOCK: one consistent snapshot connection reads all data (jobs = 1 for data)${position}; GRANT RELOAD ON *.* TO ${account.grantee} for parallel backups`,
    );
    return { reload, warnings };
  }
  const [[settings]] = await session.client.query<RowDataPacket[]>('SELECT @@log_bin AS logBin');
  if (!Number(settings?.logBin)) return { reload, warnings };
  const statement =
    server.flavor === 'mysql' && server.versionNum >= 80200 ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
  try {
    await session.client.query(statement);
  } catch (error) {
    const privilege =
      server.flavor === 'mariadb' && server.versionNum >= 100502 ? 'BINLOG MONITOR' : 'REPLICATION CLIENT';
    warnings.push(
      `binlog position would not be recorded (${statement}: ${(error as Error).message}); GRANT ${privilege} ON *.* TO ${account.grantee} to record it for point-in-time recovery and replicas`,
    );
  }
  return { reload, warnings };
}
