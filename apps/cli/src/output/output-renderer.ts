import type { OutputFormat } from '../config/settings.js';
import type { OutputStream } from './output-stream.js';

/**
 * Writes a command's result to stdout: with --format json exactly one JSON document and nothing else; with
 * table the text that `human` renders (use renderTable / renderKeyValues). Logs never come here.
 */
export interface OutputRenderer {
  readonly format: OutputFormat;
  /** Call once per run, when the result is known. A second call throws (it would break the JSON contract). */
  result<T>(document: T, human: (document: T) => string): void;
}

export function createOutputRenderer(stdout: OutputStream, format: OutputFormat): OutputRenderer {
  let written = false;
  return {
    format,
    result(document, human) {
      if (written) throw new Error('OutputRenderer.result() called twice: a command prints one result');
      written = true;
      if (format === 'json') {
        stdout.write(JSON.stringify(document, jsonReplacer, 2) + '\n');
        return;
      }
      const text = human(document);
      if (text !== '') stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
  };
}

// Row counts and byte sizes may be bigint; JSON has no bigint, and a string keeps every digit.
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
