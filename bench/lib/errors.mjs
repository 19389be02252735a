// Errors the harness reports as one actionable line (what went wrong + how to fix) instead of a stack trace.

/** The command line was wrong: printed with a pointer to --help, exit code 2. */
export class BenchUsageError extends Error {
  name = 'BenchUsageError';
}

/** Something the benchmark needs is missing or broken (a server, a tool, a build): that suite is skipped. */
export class BenchSetupError extends Error {
  name = 'BenchSetupError';
}

/** An untimed helper command (building a database, preparing a restore source) failed. */
export class BenchCommandError extends Error {
  name = 'BenchCommandError';

  constructor(description, detail) {
    super(`${description} failed${detail ? `: ${detail}` : ''}`);
  }
}
