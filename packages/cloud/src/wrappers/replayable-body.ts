import type { Readable } from 'node:stream';

const REOPEN = Symbol.for('dbbackup.cloud.replayable-body');

type ReplayableReadable = Readable & { [REOPEN]?: () => Readable };

/**
 * Marks an upload body as replayable: `open` is called once now and again for every retry of the whole put, so
 * withRetry may repeat a put whose first attempt failed (a file can be re-read, a pipe from pg_dump cannot).
 */
export function createReplayableBody(open: () => Readable): Readable {
  const body: ReplayableReadable = open();
  body[REOPEN] = open;
  return body;
}

/** The function that opens the body again, when `body` came from createReplayableBody. */
export function reopenerOf(body: Readable): (() => Readable) | undefined {
  return (body as ReplayableReadable)[REOPEN];
}
