// The check both database suites run before anything else: their client tools are on PATH and the server answers.
import { BenchSetupError } from './errors.mjs';
import { findExecutable } from './processes.mjs';

/**
 * Returns what `probe()` returns (the server's version); throws BenchSetupError naming the missing tools and the
 * Debian package that has them, or the server that did not answer and the variables that say where it is.
 */
export function checkServerSetup({ tools, env, clientPackage, probe, server, where, connectionVariables }) {
  const missing = tools.filter((tool) => !findExecutable(tool, env));
  if (missing.length > 0) {
    throw new BenchSetupError(`${missing.join(', ')} not found on PATH; install Debian's ${clientPackage}`);
  }
  try {
    return probe();
  } catch (error) {
    throw new BenchSetupError(
      `cannot reach ${server} at ${where} (${error.message}); start it or set ${connectionVariables}`,
    );
  }
}
