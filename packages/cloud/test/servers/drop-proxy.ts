/**
 * A TCP proxy on 127.0.0.1 in front of a local test server that breaks connections on demand, so retries are tested
 * against a real network failure (the client sees ECONNRESET), not a mocked one. Not tied to S3: any TCP protocol.
 */
import net from 'node:net';

export interface DropProxy {
  port: number;
  /**
   * Resets every open connection (idle keep-alive sockets included) and the next new one, so the request that
   * follows fails at least once whether or not the client noticed its pooled sockets closing.
   */
  dropConnections(): void;
  /** Arms a one-time fault: the first connection that carries more than `bytes` to the server is reset mid-request. */
  resetOnceAfter(bytes: number): void;
  /** Connections reset so far. */
  readonly resets: number;
  close(): Promise<void>;
}

interface Connection {
  client: net.Socket;
  server: net.Socket;
  sent: number;
}

export async function startDropProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<DropProxy> {
  const connections = new Set<Connection>();
  let resetNextConnections = 0;
  let resetAfterBytes: number | undefined;
  let resets = 0;

  const reset = (connection: Connection) => {
    resets++;
    connections.delete(connection);
    connection.client.resetAndDestroy();
    connection.server.destroy();
  };

  const proxy = net.createServer((client) => {
    if (resetNextConnections > 0) {
      resetNextConnections--;
      resets++;
      client.resetAndDestroy();
      return;
    }
    const server = net.connect({ host: targetHost, port: targetPort });
    const connection: Connection = { client, server, sent: 0 };
    connections.add(connection);
    const forget = () => {
      connections.delete(connection);
      client.destroy();
      server.destroy();
    };
    for (const socket of [client, server]) {
      socket.on('error', forget);
      socket.on('close', forget);
    }
    client.on('data', (chunk: Buffer) => {
      connection.sent += chunk.length;
      if (resetAfterBytes !== undefined && connection.sent > resetAfterBytes) {
        resetAfterBytes = undefined;
        reset(connection);
        return;
      }
      if (!server.write(chunk)) client.pause();
    });
    server.on('drain', () => client.resume());
    server.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('drop proxy: no TCP address');

  return {
    port: address.port,
    dropConnections() {
      for (const connection of [...connections]) reset(connection);
      resetNextConnections = 1;
    },
    resetOnceAfter(bytes: number) {
      resetAfterBytes = bytes;
      for (const connection of connections) connection.sent = 0;
    },
    get resets() {
      return resets;
    },
    async close() {
      for (const connection of [...connections]) {
        connection.client.destroy();
        connection.server.destroy();
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
