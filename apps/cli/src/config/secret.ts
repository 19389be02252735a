import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value that must never reach output, logs, JSON or files (passwords from PGPASSWORD / MYSQL_PWD). It prints
 * as "[redacted]" everywhere; the engine that needs it calls reveal() at the last moment.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
