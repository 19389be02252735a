import type { ConnectionOptions, Logger, TargetState } from '@dbbackup/archive';
import type { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { DatabaseNotFoundError } from '../errors.js';
import { describeTargetContents } from './target-contents.js';

/**
 * What a restore would find in `database`: whether it exists and which user objects it holds. A restore without
 * `create` refuses a database that is missing, or not empty without `confirm`, on exactly this answer, so a dry
 * run that calls it can predict the refusal.
 */
export async function targetState(
  connection: ConnectionOptions,
  database: string,
  options: { logger?: Logger; cancellation?: Cancellation } = {},
): Promise<TargetState> {
  let client: Awaited<ReturnType<typeof connect>>;
  try {
    client = await connect(connection, database, options.logger);
  } catch (error) {
    if (error instanceof DatabaseNotFoundError) {
      return { database, exists: false, empty: false, objects: {}, totalObjects: 0, summary: 'does not exist' };
    }
    throw error;
  }
  options.cancellation?.track(client);
  try {
    await requireSupportedServer(client);
    const contents = await describeTargetContents(client);
    return { database, exists: true, empty: contents.totalObjects === 0, ...contents };
  } finally {
    await closeQuietly(client);
  }
}
