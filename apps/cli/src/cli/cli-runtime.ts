import type { Environment } from '../config/resolve-config.js';
import type { HostFacts } from '../config/settings.js';
import type { OutputStream } from '../output/output-stream.js';

/** What the CLI touches of its process, so a run can also happen in-process (tests) with other streams. */
export interface CliRuntime {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Environment;
  /** Where .dbbackup.conf is read and saved. */
  cwd: string;
  /** Home directory and CPU count; omitted means the real machine's. */
  hostFacts?: HostFacts;
}

export function processRuntime(): CliRuntime {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
