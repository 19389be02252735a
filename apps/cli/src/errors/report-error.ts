import { CommanderError } from 'commander';

/**
 * Text for stderr about an error that ended the run: one line `dbbackup: <message>`, and with --debug the
 * stack and the chain of causes. Commander errors return '' because commander already printed them (with its
 * "Did you mean ...?" suggestion) through the output configuration.
 */
export function formatErrorReport(error: unknown, debug: boolean): string {
  if (error instanceof CommanderError) return '';
  const lines = [`dbbackup: ${oneLine(messageOf(error))}`];
  if (debug) lines.push(...debugDetails(error));
  return lines.join('\n') + '\n';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

// A message from a driver may span lines; the contract is one line per error.
function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join(' ');
}

function debugDetails(error: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (depth > 0) lines.push(`caused by: ${oneLine(messageOf(current))}`);
    if (current instanceof Error && current.stack) lines.push(current.stack);
    if (current instanceof AggregateError) {
      const inners: unknown[] = current.errors;
      inners.forEach((inner, index) => {
        lines.push(`error ${index + 1} of ${inners.length}:`);
        lines.push(inner instanceof Error && inner.stack ? inner.stack : String(inner));
      });
    }
    current = current instanceof Error ? current.cause : undefined;
    depth += 1;
  }
  return lines;
}
