// Long-running children and what happens on Ctrl-C / SIGTERM. Each child leads its own process group, so an
// interrupt stops the whole tree (GNU time, sh, pg_dump's workers) rather than only the process we started; then
// the registered clean-ups run (drop a restore target, remove the temp directory) and the harness exits.
import { spawn } from 'node:child_process';

const running = new Set();
const cleanups = new Set();
const STDERR_KEEP = 64 * 1024;

/** Registers an undo step for an interrupted run; returns its remover. Clean-ups must be synchronous. */
export function onInterrupt(cleanup) {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function interrupted(signal) {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: one failed clean-up must not keep the others from running
    }
  }
  process.stderr.write(`\n[bench] interrupted (${signal}); cleaned up\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

/**
 * Runs a command to its end without blocking the event loop (so an interrupt is handled at once).
 * Resolves { status, signal, stderr, error }; stdout is discarded, stderr keeps its last 64 KiB.
 */
export function spawnAndWait(file, args, { env }) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    running.add(child);
    child.once('error', (error) => {
      running.delete(child);
      resolve({ status: null, signal: null, stderr, error });
    });
    child.once('close', (status, signal) => {
      running.delete(child);
      resolve({ status, signal, stderr, error: null });
    });
  });
}
