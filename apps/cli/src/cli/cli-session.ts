import { StderrWriter } from '../output/stderr-writer.js';
import type { CliRuntime } from './cli-runtime.js';

/** State of one CLI run shared by the program, the command context and the top-level error handler. */
export class CliSession {
  readonly runtime: CliRuntime;
  readonly stderr: StderrWriter;
  /** Set once the configuration is resolved; before that the error handler looks at argv and env itself. */
  debug: boolean | undefined;

  constructor(runtime: CliRuntime) {
    this.runtime = runtime;
    this.stderr = new StderrWriter(runtime.stderr);
  }
}
