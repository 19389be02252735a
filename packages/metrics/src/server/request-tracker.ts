import type { Server, ServerResponse } from 'node:http';

/**
 * Lets a server stop gracefully: close() stops accepting connections, lets requests already received finish (their
 * responses say `Connection: close`), ends keep-alive connections as soon as they are idle, and after `timeoutMs`
 * ends whatever is still open (a client that never finishes its request) so shutdown is bounded.
 */
export class RequestTracker {
  readonly #server: Server;
  #closing = false;

  constructor(server: Server) {
    this.#server = server;
  }

  /** Call first thing for every request. */
  track(response: ServerResponse): void {
    if (this.#closing) response.setHeader('Connection', 'close');
    response.once('close', () => {
      // The connection may be idle now; once closing, nothing should keep it open.
      if (this.#closing) setImmediate(() => this.#server.closeIdleConnections());
    });
  }

  close(timeoutMs: number): Promise<void> {
    this.#closing = true;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#server.closeAllConnections(), timeoutMs);
      timer.unref();
      this.#server.close((error) => {
        clearTimeout(timer);
        // Closing a server that is not listening (closed twice) is not a failure of this close.
        if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
        else resolve();
      });
      this.#server.closeIdleConnections();
    });
  }
}
