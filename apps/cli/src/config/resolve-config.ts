import { ConfigError, PASSWORD_SOURCES } from '../errors/cli-errors.js';
import { CONFIG_FILE_NAME, type ConfigFileEntry, parseConfigFile } from './config-file.js';
import { currentHostFacts } from './host-facts.js';
import { Secret } from './secret.js';
import {
  COMPRESSION_LEVEL_RANGES,
  engineFamily,
  GLOBAL_SETTING_KEYS,
  GLOBAL_SETTINGS,
  type GlobalSettingKey,
  type GlobalSettings,
  type HostFacts,
  type ResolvedConfig,
  settingEnvName,
  settingName,
  settingOptionKey,
} from './settings.js';
import { suggestSimilar } from './suggest-similar.js';
import type { ConfigSources, ValueOrigin } from './value-origin.js';
import { describeIntegerRange, InvalidValueError } from './value-parsers.js';

/** The global options as commander returns them from `command.optsWithGlobals()` (strings and booleans). */
export type GlobalFlagValues = Readonly<Record<string, unknown>>;
export type Environment = Readonly<Record<string, string | undefined>>;

export interface ConfigResolution {
  config: ResolvedConfig;
  sources: ConfigSources;
  /** Things worth telling the user (unknown keys in the file, ...); the caller logs them. */
  warnings: string[];
}

const PASSWORD_KEYS = new Set(['password', 'pass', 'passwd', 'pwd']);

/** Whether --no-config or DBBACKUP_NO_CONFIG turns .dbbackup.conf off (so the caller need not read it). */
export function isConfigFileDisabled(flags: GlobalFlagValues, env: Environment): boolean {
  return !new Resolver(flags, env, [], currentHostFacts()).resolveSetting('useConfigFile');
}

/**
 * Resolves every global setting: flags > environment > .dbbackup.conf > defaults. Pure: the caller reads the
 * file (null when absent) and passes the environment. Throws ConfigError for an invalid value, naming where it
 * came from. The DBBACKUP_ variable of a setting wins over the database client's own (PGHOST, MYSQL_HOST).
 */
export function resolveConfig(
  flags: GlobalFlagValues,
  env: Environment,
  fileText: string | null,
  facts: HostFacts = currentHostFacts(),
): ConfigResolution {
  const useConfigFile = new Resolver(flags, env, [], facts).resolveSetting('useConfigFile');
  const fileEntries = useConfigFile && fileText !== null ? parseConfigFile(fileText) : [];
  const resolver = new Resolver(flags, env, fileEntries, facts);
  const settings = {} as Record<GlobalSettingKey, unknown>;
  // dbType first: it decides whether PG* or MYSQL_* variables apply to the others.
  const order: GlobalSettingKey[] = ['dbType', ...GLOBAL_SETTING_KEYS.filter((key) => key !== 'dbType')];
  for (const key of order) settings[key] = resolver.resolveSetting(key);

  const globals = settings as unknown as GlobalSettings;
  resolver.checkCompressionLevel(globals);
  // --no-config also means nothing is written back.
  if (!globals.useConfigFile && globals.saveConfig) {
    globals.saveConfig = false;
    resolver.sources.saveConfig = resolver.sources.useConfigFile ?? { kind: 'default' };
  }

  const family = engineFamily(globals.dbType);
  const database = resolver.clientValue(family === 'postgres' ? 'PGDATABASE' : undefined, 'database');
  const password = resolver.clientValue(family === 'postgres' ? 'PGPASSWORD' : 'MYSQL_PWD', 'password');
  const config: ResolvedConfig = {
    ...globals,
    database,
    password: password === undefined ? undefined : new Secret(password),
  };
  return { config, sources: resolver.sources as ConfigSources, warnings: resolver.fileWarnings() };
}

class Resolver {
  readonly sources: Record<string, ValueOrigin> = {};
  readonly #file = new Map<string, ConfigFileEntry>();
  readonly #warnings: string[] = [];
  /** Decides which client variables apply (PG* or MYSQL_*), so it is resolved before the others. */
  #dbType: GlobalSettings['dbType'];

  constructor(
    private readonly flags: GlobalFlagValues,
    private readonly env: Environment,
    fileEntries: readonly ConfigFileEntry[],
    private readonly facts: HostFacts,
  ) {
    const fileKeys = GLOBAL_SETTING_KEYS.filter((key) => GLOBAL_SETTINGS[key].inFile).map(settingName);
    const flagOnlyKeys = GLOBAL_SETTING_KEYS.filter((key) => !GLOBAL_SETTINGS[key].inFile).map(settingName);
    for (const entry of fileEntries) {
      const where = `${CONFIG_FILE_NAME} line ${entry.line}`;
      if (PASSWORD_KEYS.has(entry.key)) {
        this.#warnings.push(
          `${where}: ${entry.key} ignored: passwords are never read from this file; ${PASSWORD_SOURCES}`,
        );
      } else if (flagOnlyKeys.includes(entry.key)) {
        this.#warnings.push(`${where}: '${entry.key}' only works as a flag or environment variable; ignored`);
      } else if (!fileKeys.includes(entry.key)) {
        const suggestion = suggestSimilar(entry.key, fileKeys);
        this.#warnings.push(
          `${where}: unknown key '${entry.key}' ignored` + (suggestion ? ` (did you mean '${suggestion}'?)` : ''),
        );
      } else {
        const earlier = this.#file.get(entry.key);
        if (earlier) {
          this.#warnings.push(
            `${CONFIG_FILE_NAME} lines ${earlier.line} and ${entry.line} both set ${entry.key}; line ${entry.line} wins`,
          );
        }
        this.#file.set(entry.key, entry);
      }
    }
  }

  fileWarnings(): string[] {
    return [...this.#warnings];
  }

  resolveSetting<K extends GlobalSettingKey>(key: K): GlobalSettings[K] {
    const definition = GLOBAL_SETTINGS[key];
    const name = settingName(key);
    const flag = this.flags[settingOptionKey(key)];
    if (isFlagGiven(definition.kind, flag)) {
      const raw = String(flag); // switches: true; negated switches: false
      return this.#accept(key, { kind: 'flag', flag: `--${name}` }, raw);
    }

    const family = engineFamily(this.#dbType);
    for (const variable of [settingEnvName(key), definition.clientEnv?.[family]]) {
      const raw = variable === undefined ? undefined : this.env[variable];
      if (variable !== undefined && raw !== undefined && raw !== '') {
        // DBBACKUP_NO_CONFIG=1 means "no config": the variable names the negation.
        return this.#accept(key, { kind: 'env', variable }, raw, definition.kind === 'negated');
      }
    }

    const entry = definition.inFile ? this.#file.get(name) : undefined;
    if (entry) return this.#accept(key, { kind: 'file', line: entry.line }, entry.value);

    this.sources[key] = { kind: 'default' };
    return definition.defaultValue?.(this.facts) as GlobalSettings[K];
  }

  #accept<K extends GlobalSettingKey>(key: K, origin: ValueOrigin, raw: string, negate = false): GlobalSettings[K] {
    let value: unknown;
    try {
      value = GLOBAL_SETTINGS[key].parse(raw);
    } catch (error) {
      if (error instanceof InvalidValueError) throw invalidValue(origin, settingName(key), raw, error.message);
      throw error;
    }
    if (negate) value = !value;
    this.sources[key] = origin;
    if (key === 'dbType') this.#dbType = value as GlobalSettings['dbType'];
    return value as GlobalSettings[K];
  }

  /** A value only the database clients' variables provide (PGDATABASE, PGPASSWORD, MYSQL_PWD). */
  clientValue(variable: string | undefined, key: 'database' | 'password'): string | undefined {
    const raw = variable === undefined ? undefined : this.env[variable];
    if (variable === undefined || raw === undefined || raw === '') {
      this.sources[key] = { kind: 'default' };
      return undefined;
    }
    this.sources[key] = { kind: 'env', variable };
    return raw;
  }

  checkCompressionLevel(settings: GlobalSettings): void {
    const level = settings.compressionLevel;
    if (level === undefined) return;
    const origin = this.sources.compressionLevel!;
    if (settings.compressionAlgorithm === 'none') {
      if (origin.kind === 'flag') {
        throw new ConfigError(
          '--compression has no effect with --compression-algorithm none; drop --compression or choose zstd or gzip',
        );
      }
      // A level remembered in the file or environment is a preference for when compression is on.
      settings.compressionLevel = undefined;
      this.sources.compressionLevel = { kind: 'default' };
      return;
    }
    const range = COMPRESSION_LEVEL_RANGES[settings.compressionAlgorithm];
    if (level < range.min || level > range.max) {
      const expectation = `expected ${describeIntegerRange(range)} for ${settings.compressionAlgorithm}`;
      throw invalidValue(origin, 'compression', String(level), expectation);
    }
  }
}

function isFlagGiven(kind: 'value' | 'switch' | 'negated', flag: unknown): boolean {
  if (kind === 'value') return flag !== undefined;
  if (kind === 'switch') return flag === true;
  return flag === false; // commander sets a --no-x option to true unless the flag is given
}

function invalidValue(origin: ValueOrigin, name: string, raw: string, expectation: string): ConfigError {
  switch (origin.kind) {
    case 'flag':
      return new ConfigError(`invalid ${origin.flag} '${raw}': ${expectation}`);
    case 'env':
      return new ConfigError(`invalid ${origin.variable} '${raw}': ${expectation}`);
    case 'file':
      return new ConfigError(
        `invalid ${name} '${raw}' in ${CONFIG_FILE_NAME} line ${origin.line}: ${expectation}; fix the file or pass --no-config`,
      );
    case 'default':
      return new ConfigError(`invalid default ${name} '${raw}': ${expectation}`);
  }
}
