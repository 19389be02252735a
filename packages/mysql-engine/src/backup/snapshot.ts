import type { Logger } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlSession } from '../connection/connect.js';
import type { MysqlServerInfo } from '../schema/index.js';

/** Where the backup's data stands in the server's history, for point-in-time recovery and replicas. */
export interface BinlogPosition {
  binlogFile: string | null;
  binlogPosition: number | null;
  /** MariaDB @@gtid_current_pos, MySQL @@gtid_executed; null when empty. */
  gtid: string | null;
}

export interface SnapshotResult extends BinlogPosition {
  /**
   * flush-tables-with-read-lock: every worker started its snapshot under a brief global read lock (one instant).
   * single-snapshot: no RELOAD privilege; one connection reads everything (jobs = 1 for data).
   */
  method: 'flush-tables-with-read-lock' | 'single-snapshot';
  /** How long the global read lock was held; null without the lock. */
  lockHeldMs: number | null;
  /** Workers that joined the snapshot (the others must be closed). */
  workers: number;
  warnings: string[];
}

const ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227;
const ER_DBACCESS_DENIED_ERROR = 1044;
const ER_ACCESS_DENIED_ERROR = 1045;

/**
 * A REPEATABLE READ transaction whose snapshot starts now. Not READ ONLY: the schema dump, which runs in the first
 * worker's transaction, creates a temporary table to read back supplementary characters.
 */
async function startSnapshot(worker: MysqlSession): Promise<void> {
  await worker.client.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
}

/**
 * Makes every worker see the database at one instant: FLUSH TABLES WITH READ LOCK on the coordinator (writes wait),
 * each worker starts a consistent-snapshot transaction, the binlog position is read, UNLOCK TABLES. The lock is held
 * only while the workers start their transactions, typically milliseconds. (FTWRL itself waits for running
 * statements to finish, and while it waits new writes queue behind it, as with mydumper.)
 *
 * Without the RELOAD privilege FTWRL fails; then one worker starts a snapshot alone and reads every table, which is
 * consistent too, only not parallel. The caller closes the other workers.
 */
export async function startConsistentSnapshot(
  coordinator: MysqlSession,
  workers: readonly MysqlSession[],
  server: MysqlServerInfo,
  logger?: Logger,
): Promise<SnapshotResult> {
  for (const worker of workers) {
    await worker.client.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  }
  try {
    await coordinator.client.query('FLUSH TABLES WITH READ LOCK');
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    if (
      errno !== ER_SPECIFIC_ACCESS_DENIED_ERROR &&
      errno !== ER_ACCESS_DENIED_ERROR &&
      errno !== ER_DBACCESS_DENIED_ERROR
    ) {
      throw error;
    }
    const warning =
      'no RELOAD privilege for FLUSH TABLES WITH READ LOCK: one consistent snapshot connection reads all data (jobs = 1 for data); grant RELOAD for parallel backups';
    logger?.warn(warning);
    const worker = workers[0]!;
    await startSnapshot(worker);
    const position = await readSnapshotBinlogPosition(worker, server);
    return { method: 'single-snapshot', lockHeldMs: null, workers: 1, warnings: [warning], ...position };
  }
  const lockedAt = performance.now();
  let position: BinlogPosition;
  const warnings: string[] = [];
  try {
    await Promise.all(workers.map(startSnapshot));
    position = await readBinlogPosition(coordinator, server).catch((error: unknown) => {
      warnings.push(`binlog position not recorded: ${(error as Error).message}`);
      return { binlogFile: null, binlogPosition: null, gtid: null };
    });
  } finally {
    await coordinator.client.query('UNLOCK TABLES');
  }
  const lockHeldMs = Math.round((performance.now() - lockedAt) * 1000) / 1000;
  logger?.info('consistent snapshot started under a global read lock', { lockHeldMs, workers: workers.length });
  return { method: 'flush-tables-with-read-lock', lockHeldMs, workers: workers.length, warnings, ...position };
}

/** SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.2+) and the GTID position; nulls when the binlog is off. */
async function readBinlogPosition(session: MysqlSession, server: MysqlServerInfo): Promise<BinlogPosition> {
  const gtid = await readGtid(session, server);
  const [[settings]] = await session.client.query<RowDataPacket[]>('SELECT @@log_bin AS logBin');
  if (!Number(settings?.logBin)) return { binlogFile: null, binlogPosition: null, gtid };
  const statement =
    server.flavor === 'mysql' && server.versionNum >= 80200 ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
  const [rows] = await session.client.query<RowDataPacket[]>(statement);
  const row = rows[0];
  if (!row) return { binlogFile: null, binlogPosition: null, gtid };
  return { binlogFile: String(row.File), binlogPosition: Number(row.Position), gtid };
}

/**
 * Without the lock (single snapshot): MariaDB reports the binlog position of the transaction's own snapshot
 * (binlog_snapshot_file/position), which is exact. MySQL has no such status; there the position is read as on the
 * locked path and is only approximate, which the manifest does not pretend otherwise: it is null.
 */
async function readSnapshotBinlogPosition(session: MysqlSession, server: MysqlServerInfo): Promise<BinlogPosition> {
  const gtid = await readGtid(session, server).catch(() => null);
  if (server.flavor !== 'mariadb') return { binlogFile: null, binlogPosition: null, gtid: null };
  const [[settings]] = await session.client.query<RowDataPacket[]>('SELECT @@log_bin AS logBin');
  if (!Number(settings?.logBin)) return { binlogFile: null, binlogPosition: null, gtid };
  const [rows] = await session.client.query<RowDataPacket[]>("SHOW STATUS LIKE 'binlog_snapshot_%'");
  const status = new Map(rows.map((row) => [String(row.Variable_name).toLowerCase(), String(row.Value)]));
  const file = status.get('binlog_snapshot_file') || null;
  const position = status.get('binlog_snapshot_position');
  return { binlogFile: file, binlogPosition: file && position ? Number(position) : null, gtid };
}

async function readGtid(session: MysqlSession, server: MysqlServerInfo): Promise<string | null> {
  const variable = server.flavor === 'mariadb' ? '@@GLOBAL.gtid_current_pos' : '@@GLOBAL.gtid_executed';
  const [[row]] = await session.client.query<RowDataPacket[]>(`SELECT ${variable} AS gtid`);
  const gtid = row?.gtid === null || row?.gtid === undefined ? '' : String(row.gtid).trim();
  return gtid === '' ? null : gtid;
}
