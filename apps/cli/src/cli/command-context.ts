import type { Command } from 'commander';
import type { ZodType } from 'zod';
import { readConfigFile } from '../config/read-config-file.js';
import {
  type ConfigResolution,
  type Environment,
  isConfigFileDisabled,
  resolveConfig,
} from '../config/resolve-config.js';
import { saveConfig } from '../config/save-config.js';
import type { ResolvedConfig } from '../config/settings.js';
import { type ConfigSources, describeOrigin } from '../config/value-origin.js';
import { ConfigError, UsageError } from '../errors/cli-errors.js';
import { createLogger, type Logger } from '../output/logger.js';
import { createOutputRenderer, type OutputRenderer } from '../output/output-renderer.js';
import { createProgressReporter, type ProgressReporter } from '../output/progress-reporter.js';
import type { CliRuntime } from './cli-runtime.js';
import type { CliSession } from './cli-session.js';

/** What a command's action receives: resolved configuration, and the ways to talk to the user. */
export interface CommandContext {
  /** Global settings after flags > env > .dbbackup.conf > defaults. */
  readonly config: ResolvedConfig;
  /** Where each config value came from (for messages such as "port 70000 from PGPORT"). */
  readonly sources: ConfigSources;
  readonly logger: Logger;
  /** stdout: the command's one result, as JSON or text. */
  readonly output: OutputRenderer;
  /** stderr: a rewritable progress line on terminals (never with --format json). */
  readonly progress: ProgressReporter;
  readonly command: Command;
  readonly cwd: string;
  readonly env: Environment;
  /** Whether stdout is a terminal: results may use colour only then (see output/colour.ts). */
  readonly stdoutIsTerminal: boolean;
  /**
   * Why .dbbackup.conf could not be used (unreadable, a malformed line, an invalid value), for commands marked with
   * tolerateInvalidConfigFile() (`health`, which reports it as a check); the file was then ignored. Always null for
   * other commands: for them such a problem fails the command before its action runs.
   */
  readonly configFileProblem: ConfigError | null;
  /**
   * This command's own options (command.opts(), without the globals) checked with a zod schema; a mismatch
   * becomes a UsageError naming the flag.
   */
  options<T>(schema: ZodType<T>): T;
  /**
   * Call after a successful run: remembers the connection/storage/compression flags in .dbbackup.conf, unless
   * --no-save-config, --no-config or --dry-run. A failure to save is logged as a warning, not an error.
   */
  saveConfigAfterSuccess(): Promise<void>;
}

export async function createCommandContext(command: Command, session: CliSession): Promise<CommandContext> {
  const { env, cwd } = session.runtime;
  const { resolution, configFileProblem } = await resolveCommandConfig(command, session.runtime);
  const { config, sources } = resolution;
  session.debug = config.debug;

  const logger = createLogger(session.stderr, { debug: config.debug });
  for (const warning of resolution.warnings) logger.warn(warning);
  logger.debug(() => `configuration: ${describeConfig(config, sources)}`);

  return {
    config,
    sources,
    logger,
    output: createOutputRenderer(session.runtime.stdout, config.format),
    progress: createProgressReporter(session.stderr, {
      enabled: session.stderr.isTerminal && config.format !== 'json',
    }),
    command,
    cwd,
    env,
    stdoutIsTerminal: session.runtime.stdout.isTTY === true,
    configFileProblem,
    options: (schema) => parseCommandOptions(command, schema),
    async saveConfigAfterSuccess() {
      if (!config.saveConfig || !config.useConfigFile || config.dryRun) return;
      try {
        const saved = await saveConfig(resolution, { directory: cwd });
        if (saved.keys.length > 0) logger.debug(`saved ${saved.keys.join(', ')} to ${saved.path}`);
      } catch (error) {
        logger.warn((error as Error).message);
      }
    },
  };
}

const commandsToleratingInvalidConfigFile = new WeakSet<Command>();

/** Lets `command` run when .dbbackup.conf cannot be used; it then sees the problem in context.configFileProblem. */
export function tolerateInvalidConfigFile(command: Command): void {
  commandsToleratingInvalidConfigFile.add(command);
}

async function resolveCommandConfig(
  command: Command,
  runtime: CliRuntime,
): Promise<{ resolution: ConfigResolution; configFileProblem: ConfigError | null }> {
  const { env, cwd, hostFacts } = runtime;
  const flags = command.optsWithGlobals();
  if (isConfigFileDisabled(flags, env)) {
    return { resolution: resolveConfig(flags, env, null, hostFacts), configFileProblem: null };
  }
  try {
    return { resolution: resolveConfig(flags, env, await readConfigFile(cwd), hostFacts), configFileProblem: null };
  } catch (error) {
    if (!(error instanceof ConfigError) || !commandsToleratingInvalidConfigFile.has(command)) throw error;
    // Resolving again without the file rethrows a bad flag or variable: only the file's own problems are tolerated.
    return { resolution: resolveConfig(flags, env, null, hostFacts), configFileProblem: error };
  }
}

/** One line for --debug: every value that is set and where it came from (the password shows as [redacted]). */
function describeConfig(config: ResolvedConfig, sources: ConfigSources): string {
  return (Object.keys(config) as Array<keyof ResolvedConfig>)
    .filter((key) => config[key] !== undefined)
    .map((key) => `${key}=${String(config[key])} (${describeOrigin(sources[key])})`)
    .join(', ');
}

function parseCommandOptions<T>(command: Command, schema: ZodType<T>): T {
  const parsed = schema.safeParse(command.opts());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const option = command.options.find((candidate) => candidate.attributeName() === key);
  const name = option?.long ?? option?.short ?? String(key ?? 'options');
  throw new UsageError(`invalid ${name}: ${issue?.message ?? 'not accepted'}; see ${commandPath(command)} --help`);
}

/** `dbbackup catalog export`: the command's full name as typed. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}
