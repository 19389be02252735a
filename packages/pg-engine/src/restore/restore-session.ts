import os from 'node:os';
import type { ConnectionOptions, Logger, RestoreMode } from '@dbbackup/archive';
import type pg from 'pg';
import type { Cancellation } from '../connection/cancellation.js';
import { connect } from '../connection/connect.js';
import { RESTORE_SESSION_SETUP } from '../schema/index.js';

const MAX_MAINTENANCE_WORK_MEM_MB = 512;
const MIN_MAINTENANCE_WORK_MEM_MB = 64;

/**
 * maintenance_work_mem for index builds: a quarter of this machine's RAM shared by the jobs, capped at 512 MB.
 * (RAM is read locally; restoring to a remote, smaller server may warrant passing maintenanceWorkMemMb.)
 */
export function defaultMaintenanceWorkMemMb(jobs: number): number {
  const quarterPerJob = os.totalmem() / 4 / Math.max(1, jobs) / (1024 * 1024);
  return Math.floor(Math.max(MIN_MAINTENANCE_WORK_MEM_MB, Math.min(MAX_MAINTENANCE_WORK_MEM_MB, quarterPerJob)));
}

/**
 * Opens a connection to the restore target with the schema module's session setup and the mode's settings; it is
 * ended at once when `cancellation` fires.
 */
export async function openRestoreSession(
  connection: ConnectionOptions,
  database: string,
  mode: RestoreMode,
  maintenanceWorkMemMb: number,
  logger?: Logger,
  cancellation?: Cancellation,
): Promise<pg.Client> {
  const client = await connect(connection, database, logger);
  cancellation?.track(client);
  try {
    await client.query(RESTORE_SESSION_SETUP);
    // balanced/turbo: a COMMIT returns before its WAL is flushed; the WAL writer flushes within milliseconds, so a
    // server crash can lose only the last moments of a restore, which would have to be redone anyway.
    if (mode !== 'safe') await client.query('SET synchronous_commit = off');
    await client.query(`SET maintenance_work_mem = '${maintenanceWorkMemMb}MB'`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}
