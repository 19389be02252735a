import type { StderrWriter } from './stderr-writer.js';

/** Logs for people, always on stderr (stdout carries only the command's result). */
export interface Logger {
  readonly debugEnabled: boolean;
  info(message: string): void;
  /** Something the user should look at; does not change the exit code by itself. */
  warn(message: string): void;
  /** Only with --debug. Pass a function when building the message costs something. */
  debug(message: string | (() => string)): void;
}

export function createLogger(writer: StderrWriter, options: { debug: boolean }): Logger {
  return {
    debugEnabled: options.debug,
    info: (message) => writer.line(message),
    warn: (message) => writer.line(`dbbackup: warning: ${message}`),
    debug: (message) => {
      if (options.debug) writer.line(`debug: ${typeof message === 'function' ? message() : message}`);
    },
  };
}
