import { processRuntime } from './cli/cli-runtime.js';
import { runCli } from './cli/run-cli.js';

// `dbbackup ... | head` closes stdout early; that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// exitCode rather than exit(): pending stdout writes (a large JSON document into a pipe) still flush.
process.exitCode = await runCli(process.argv.slice(2), processRuntime());
