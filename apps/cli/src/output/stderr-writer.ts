import type { OutputStream } from './output-stream.js';

const CLEAR_LINE = '\r\x1b[K';

/**
 * Everything the CLI writes to stderr goes through here, so log lines and the one rewritable progress line
 * (terminals only) never garble each other: a log line clears the status line, prints, and redraws it below.
 */
export class StderrWriter {
  readonly #stream: OutputStream;
  #status: string | null = null;

  constructor(stream: OutputStream) {
    this.#stream = stream;
  }

  get isTerminal(): boolean {
    return this.#stream.isTTY === true;
  }

  line(text: string): void {
    if (this.#status !== null) this.#stream.write(CLEAR_LINE);
    this.#stream.write(text.endsWith('\n') ? text : text + '\n');
    if (this.#status !== null) this.#stream.write(this.#status);
  }

  /** Shows `text` as the status line, replacing the previous one. Only call it when isTerminal. */
  status(text: string): void {
    // Longer than the terminal, the line would wrap and '\r' could no longer rewrite it.
    const width = this.#stream.columns ?? 80;
    const fitted = [...text].length >= width ? [...text].slice(0, Math.max(0, width - 2)).join('') + '…' : text;
    this.#stream.write(CLEAR_LINE + fitted);
    this.#status = fitted;
  }

  clearStatus(): void {
    if (this.#status === null) return;
    this.#stream.write(CLEAR_LINE);
    this.#status = null;
  }
}
