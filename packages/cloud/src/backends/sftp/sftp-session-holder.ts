import type { SftpSession } from './sftp-connection.js';

/**
 * Keeps one SFTP session and opens a new one on the first call after the old one dropped, so a retry of a call that
 * failed with CONNECTION_LOST runs on a fresh connection. Concurrent callers share one connection attempt.
 */
export class SftpSessionHolder {
  readonly #open: () => Promise<SftpSession>;
  #current: Promise<SftpSession> | undefined;
  #closed = false;

  constructor(open: () => Promise<SftpSession>) {
    this.#open = open;
  }

  async session(): Promise<SftpSession> {
    if (this.#closed) throw new Error('sftp: the backend was closed; create a new one');
    const current = this.#current;
    if (current !== undefined) {
      const session = await current.catch(() => undefined);
      if (session?.alive) return session;
      // Another caller may already have replaced the dead session.
      if (this.#current !== current) return this.session();
      session?.close().catch(() => {});
    }
    const attempt = this.#open();
    this.#current = attempt;
    attempt.catch(() => {
      if (this.#current === attempt) this.#current = undefined;
    });
    return attempt;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    const session = await current?.catch(() => undefined);
    await session?.close();
  }
}
