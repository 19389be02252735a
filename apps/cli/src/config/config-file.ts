import { ConfigError } from '../errors/cli-errors.js';

/** The settings file read from (and saved to) the current working directory. */
export const CONFIG_FILE_NAME = '.dbbackup.conf';

export interface ConfigFileEntry {
  key: string;
  value: string;
  /** 1-based line number, for messages. */
  line: number;
}

/**
 * Parses the INI-like `key = value` format: one setting per line, blank lines and lines starting with '#' are
 * ignored, spaces around key and value are trimmed, and one pair of matching quotes around a value is removed
 * (so a value may keep leading spaces). There are no inline comments: '#' inside a value is part of it.
 */
export function parseConfigFile(text: string): ConfigFileEntry[] {
  const entries: ConfigFileEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals).trim().toLowerCase() : '';
    if (key === '' || /\s/.test(key)) {
      throw new ConfigError(
        `${CONFIG_FILE_NAME} line ${index + 1}: expected 'key = value' or a '#' comment; fix the line or pass --no-config`,
      );
    }
    entries.push({ key, value: unquote(line.slice(equals + 1).trim()), line: index + 1 });
  });
  return entries;
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

/** Formats a value so parseConfigFile() reads back exactly the same string. */
export function formatConfigValue(key: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new ConfigError(`cannot save ${key} to ${CONFIG_FILE_NAME}: the value contains a line break`);
  }
  const needsQuotes = value !== value.trim() || unquote(value) !== value;
  return needsQuotes ? `"${value}"` : value;
}

const NEW_FILE_HEADER = [
  '# dbbackup settings for this directory: `key = value`, keys are the long flag names.',
  '# Precedence: flags > environment (PG*, MYSQL_*, DBBACKUP_*) > this file > defaults.',
  '# dbbackup updates connection, storage and compression keys after successful runs (--no-save-config stops it).',
  '',
];

/**
 * Returns `existing` with each key set to its new value: the line that currently decides the key (its last
 * occurrence) is replaced in place, keys not present are appended. Comments, order and other keys are kept.
 */
export function updateConfigFileText(
  existing: string | null,
  updates: ReadonlyArray<readonly [string, string]>,
): string {
  const lines =
    existing === null ? [...NEW_FILE_HEADER] : existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/);
  const lastLineOfKey = new Map<string, number>();
  if (existing !== null) {
    for (const entry of parseConfigFile(existing)) lastLineOfKey.set(entry.key, entry.line - 1);
  }
  for (const [key, value] of updates) {
    const text = `${key} = ${formatConfigValue(key, value)}`;
    const index = lastLineOfKey.get(key);
    if (index === undefined) lines.push(text);
    else lines[index] = text;
  }
  return lines.join('\n') + '\n';
}
