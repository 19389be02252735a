import type { MetricsServer } from './create-metrics-server.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What a second signal during a graceful stop exits with (128 + SIGINT, as shells report an interrupt). */
export const INTERRUPTED_EXIT_CODE = 130;

export interface ShutdownSignal {
  /** The first SIGTERM or SIGINT. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening (before a server failed to start: a later signal kills the process as usual again). */
  dispose(): void;
}

/**
 * Listens for the first SIGTERM/SIGINT from now on, so a signal during startup is a shutdown too, not a kill.
 * Used by `dbbackup metrics serve` and `dbbackup-exporter` around createMetricsServer.
 */
export function waitForShutdownSignal(): ShutdownSignal {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const dispose = () => {
    for (const name of SHUTDOWN_SIGNALS) process.off(name, onSignal);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      dispose();
      resolve(signal);
    };
  });
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal);
  return { received, dispose };
}

/**
 * Closes the server gracefully (in-flight scrapes finish, idle connections end); a second signal meanwhile exits
 * at once with INTERRUPTED_EXIT_CODE, for an operator who does not want to wait.
 */
export async function closeOnShutdown(server: MetricsServer): Promise<void> {
  const again = () => process.exit(INTERRUPTED_EXIT_CODE);
  for (const name of SHUTDOWN_SIGNALS) process.once(name, again);
  try {
    await server.close();
  } finally {
    for (const name of SHUTDOWN_SIGNALS) process.off(name, again);
  }
}
