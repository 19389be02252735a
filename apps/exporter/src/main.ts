import { runExporter } from './run-exporter.js';

// exitCode rather than exit(): the last log lines still flush.
process.exitCode = await runExporter({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
