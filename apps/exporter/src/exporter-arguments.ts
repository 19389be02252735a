import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_METRICS_HOST, DEFAULT_METRICS_PORT } from '@dbbackup/metrics';
import { defaultCatalogPath } from './default-catalog-path.js';
import { ExporterUsageError } from './exporter-errors.js';

export type ExporterArguments =
  | { action: 'help' }
  | { action: 'version' }
  | {
      action: 'serve';
      host: string;
      port: number;
      catalogPath: string;
      /** Dedup store directories to report on (absolute), and the key file for encrypted ones. */
      dedupDirs: string[];
      dedupKeyFile: string | undefined;
    };

/**
 * Reads `[--port N] [--host ADDRESS] [--catalog PATH] [--dedup-dir DIR]... [--dedup-key-file FILE] [--help] [--version]`;
 * throws ExporterUsageError.
 */
export function parseExporterArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): ExporterArguments {
  let values: {
    port?: string;
    host?: string;
    catalog?: string;
    'dedup-dir'?: string[];
    'dedup-key-file'?: string;
    help?: boolean;
    version?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        catalog: { type: 'string' },
        'dedup-dir': { type: 'string', multiple: true },
        'dedup-key-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new ExporterUsageError(describeParseError(error), { cause: error });
  }
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  const host = values.host ?? DEFAULT_METRICS_HOST;
  if (host === '') throw new ExporterUsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
  const catalog = values.catalog ?? defaultCatalogPath(env);
  if (catalog === '') throw new ExporterUsageError('--catalog needs a path');
  const dedupDirs = (values['dedup-dir'] ?? []).map((directory) => resolve(cwd, directory));
  const keyFile = values['dedup-key-file'];
  if (keyFile !== undefined && dedupDirs.length === 0) {
    throw new ExporterUsageError('--dedup-key-file is the key of the --dedup-dir stores: give --dedup-dir DIR too');
  }
  return {
    action: 'serve',
    host,
    port: parsePort(values.port),
    catalogPath: resolve(cwd, catalog),
    dedupDirs,
    dedupKeyFile: keyFile === undefined ? undefined : resolve(cwd, keyFile),
  };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_METRICS_PORT;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  // 0 asks the system for any free port (the startup line says which); useful in tests.
  if (!Number.isInteger(port) || port > 65_535) {
    throw new ExporterUsageError(`invalid --port '${text}': expected a number from 0 to 65535`);
  }
  return port;
}

/** node:util's messages run to several sentences; one line naming the flag is enough. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^']*)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? message}: dbbackup-exporter takes only options`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return flag === undefined ? message.split('\n')[0]! : `option ${flag} needs a value`;
    default:
      return message.split('\n')[0]!;
  }
}
