import type { Server } from 'node:http';
import { MetricsListenError, MetricsPortInUseError } from '../errors.js';

/** Starts `server` listening; resolves with the port it got (port 0 = any free one). Listen failures become typed errors. */
export function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new MetricsPortInUseError(host, port, { cause: error }));
      else reject(new MetricsListenError(host, port, describe(error), { cause: error }));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
      return 'permission denied: ports below 1024 need privileges';
    case 'EADDRNOTAVAIL':
      return 'this machine has no such address';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return error.message;
  }
}
