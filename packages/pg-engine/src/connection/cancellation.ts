import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions } from '@dbbackup/archive';
import type pg from 'pg';
import { APPLICATION_NAME, closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from './connect.js';

/** How long an aborted operation waits for its server backends to exit before it reports the abort anyway. */
const TERMINATION_WAIT_MS = 10_000;
const TERMINATION_POLL_MS = 50;

/**
 * Ties one operation to its AbortSignal. When the signal fires, every tracked connection is ended at once: an idle
 * one says goodbye (the server rolls its transaction back), one with a query in flight has its socket destroyed so
 * that query (a COPY too) fails immediately; the operation's awaits reject and its error path runs. A backend busy
 * with a long statement (CREATE INDEX, a big sample query) only notices its closed socket when that statement ends,
 * so error paths call terminateBackends() before they report the abort.
 */
export class Cancellation {
  private readonly clients = new Set<pg.Client>();
  private readonly backendPids = new Set<number>();
  private readonly callbacks: (() => void)[] = [];
  private readonly onAbort = (): void => {
    for (const client of this.clients) void closeQuietly(client);
    for (const callback of this.callbacks) {
      try {
        callback();
      } catch {
        // A failing cleanup step must not stop the others; the operation's error path reports the abort.
      }
    }
  };

  constructor(private readonly signal: AbortSignal | undefined) {
    if (signal && !signal.aborted) signal.addEventListener('abort', this.onAbort, { once: true });
  }

  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  /** What the signal was aborted with (AbortSignal.reason). */
  get reason(): unknown {
    return this.signal?.reason;
  }

  /** Ends `client` as soon as the operation is aborted (at once if it already is). Returns it. */
  track(client: pg.Client): pg.Client {
    const pid = (client as unknown as { processID?: number | null }).processID;
    if (typeof pid === 'number') this.backendPids.add(pid);
    this.clients.add(client);
    if (this.aborted) void closeQuietly(client);
    return client;
  }

  /** Runs `callback` when the operation is aborted (at once if it already is), e.g. to abort an archive writer. */
  whenAborted(callback: () => void): void {
    if (this.aborted) callback();
    else this.callbacks.push(callback);
  }

  /** Throws (the abort reason) when the operation has been aborted; called between steps. */
  throwIfAborted(): void {
    if (this.aborted) throw this.reason instanceof Error ? this.reason : new Error('the operation was aborted');
  }

  /** Stops listening to the signal; call when the operation has settled. */
  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /**
   * After an abort: terminates the server backends of the tracked connections that are still running (they roll
   * back) and waits until they are gone, so nothing of the operation outlives its promise. Best effort: a failure
   * to connect or to terminate is ignored (the backends then end on their own once their statement finishes).
   */
  async terminateBackends(connection: ConnectionOptions): Promise<void> {
    if (this.backendPids.size === 0) return;
    const pids = [...this.backendPids];
    // Our application_name and user guard against signalling an unrelated backend that reused one of the pids.
    const ours = 'pid = ANY($1::int[]) AND application_name = $2 AND usename = current_user';
    let admin: pg.Client | undefined;
    try {
      admin = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${ours}`, [
        pids,
        APPLICATION_NAME,
      ]);
      const deadline = Date.now() + TERMINATION_WAIT_MS;
      while (Date.now() < deadline) {
        const { rows } = await admin.query<{ running: number }>(
          `SELECT count(*)::int AS running FROM pg_stat_activity WHERE ${ours}`,
          [pids, APPLICATION_NAME],
        );
        if (rows[0]!.running === 0) return;
        await sleep(TERMINATION_POLL_MS);
      }
    } catch {
      // Best effort, see above.
    } finally {
      await closeQuietly(admin);
    }
  }
}
