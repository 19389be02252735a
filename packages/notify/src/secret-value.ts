import { inspect } from 'node:util';

/**
 * A password or signing secret read from the environment. It prints, stringifies and JSON-serialises as "***", so
 * logging or dumping a config object cannot leak it; only `reveal()` gives the value, and only the notifier that
 * needs it calls that. The class is not exported from the package: a secret can only enter through
 * `notifyConfigFromEnv`, never through a function argument.
 */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspect.custom](): string {
    return '***';
  }
}
