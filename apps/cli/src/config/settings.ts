import { Option } from 'commander';
import type { Secret } from './secret.js';
import { booleanValue, choiceValue, integerValue, rateValue, textValue, type ValueParser } from './value-parsers.js';

export const DB_TYPES = ['postgres', 'mysql', 'mariadb'] as const;
export type DbType = (typeof DB_TYPES)[number];

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const COMPRESSION_ALGORITHMS = ['zstd', 'gzip', 'none'] as const;
export type CompressionAlgorithm = (typeof COMPRESSION_ALGORITHMS)[number];

/** Accepted --compression levels per algorithm ('none' takes no level). */
export const COMPRESSION_LEVEL_RANGES: Record<Exclude<CompressionAlgorithm, 'none'>, { min: number; max: number }> = {
  zstd: { min: 1, max: 22 },
  gzip: { min: 1, max: 9 },
};

/** The values of the global flags after resolution (flags > env > .dbbackup.conf > defaults). */
export interface GlobalSettings {
  dbType: DbType | undefined;
  host: string | undefined;
  port: number | undefined;
  user: string | undefined;
  socket: string | undefined;
  backupDir: string | undefined;
  catalog: string;
  /** s3://, azure://, gcs:// or sftp:// URI: where backups are uploaded (and `cloud` commands look). */
  cloud: string | undefined;
  cloudEndpoint: string | undefined;
  sftpKey: string | undefined;
  /** Ask for the SFTP password (DBBACKUP_SFTP_PASSWORD, else a prompt); the password itself is never a setting. */
  sftpPassword: boolean;
  sftpInsecure: boolean;
  keepLocal: boolean;
  /** Bytes per second for uploads and downloads. */
  bandwidthLimit: number | undefined;
  /** Where a cloud archive is downloaded first when its store cannot serve ranged reads. */
  workDir: string | undefined;
  format: OutputFormat;
  /** undefined: the algorithm's own default level (pipeline's DEFAULT_COMPRESSION_LEVEL). */
  compressionLevel: number | undefined;
  compressionAlgorithm: CompressionAlgorithm;
  encrypt: boolean;
  encryptionKeyFile: string | undefined;
  jobs: number;
  dryRun: boolean;
  debug: boolean;
  /** false with --no-config: .dbbackup.conf was not read. */
  useConfigFile: boolean;
  /** false with --no-save-config (or --no-config): commands do not write .dbbackup.conf. */
  saveConfig: boolean;
}

/** Everything a command needs to know about how it was configured. */
export interface ResolvedConfig extends GlobalSettings {
  /** From PGDATABASE (PostgreSQL only); commands usually take the database as an argument. */
  database: string | undefined;
  /** From PGPASSWORD or MYSQL_PWD; kept in memory only, never logged, printed or saved. */
  password: Secret | undefined;
}

/** Facts about the machine that some defaults depend on; passed in so resolution stays a pure function. */
export interface HostFacts {
  homeDirectory: string;
  cpuCount: number;
}

export type EngineFamily = 'postgres' | 'mysql';

/** Which family of client environment variables applies: PG* for postgres or an unknown type, MYSQL_* otherwise. */
export function engineFamily(dbType: DbType | undefined): EngineFamily {
  return dbType === 'mysql' || dbType === 'mariadb' ? 'mysql' : 'postgres';
}

export interface SettingDefinition<T> {
  /**
   * The commander flags. The long name (without dashes) is also the .dbbackup.conf key, and the DBBACKUP_
   * environment variable is DBBACKUP_ + that name in upper case with '_' for '-' (DBBACKUP_BACKUP_DIR).
   */
  flags: string;
  description: string;
  /** 'value' takes an argument, 'switch' is a boolean flag, 'negated' is a --no-x flag (value false when given). */
  kind: 'value' | 'switch' | 'negated';
  /** Parses a flag, environment or file value (switches parse booleans: true/false/yes/no/on/off/1/0). */
  parse: ValueParser<T>;
  /** Shown in help and offered by shell completion; parse() is what validates. */
  choices?: readonly string[];
  /** The database clients' own variables, used when the engine family matches (after the DBBACKUP_ one). */
  clientEnv?: Partial<Record<EngineFamily, string>>;
  /** Whether .dbbackup.conf may set it. */
  inFile: boolean;
  /** Whether saveConfig() remembers it (connection, storage and compression settings; never secrets). */
  persisted: boolean;
  defaultValue?: (facts: HostFacts) => T;
}

type SettingTable = { readonly [K in keyof GlobalSettings]: SettingDefinition<Exclude<GlobalSettings[K], undefined>> };

const port = integerValue({ min: 1, max: 65535 });

/** The global flags, in the order help shows them. Every other list (env, file keys, completion) derives from it. */
export const GLOBAL_SETTINGS: SettingTable = {
  dbType: {
    flags: '-d, --db-type <type>',
    description: 'database engine',
    kind: 'value',
    parse: choiceValue(DB_TYPES),
    choices: DB_TYPES,
    inFile: true,
    persisted: true,
  },
  host: {
    flags: '--host <host>',
    description: 'database server host name or address',
    kind: 'value',
    parse: textValue,
    clientEnv: { postgres: 'PGHOST', mysql: 'MYSQL_HOST' },
    inFile: true,
    persisted: true,
  },
  port: {
    flags: '--port <port>',
    description: 'database server TCP port (1-65535)',
    kind: 'value',
    parse: port,
    clientEnv: { postgres: 'PGPORT', mysql: 'MYSQL_TCP_PORT' },
    inFile: true,
    persisted: true,
  },
  user: {
    flags: '--user <user>',
    description: 'database user name',
    kind: 'value',
    parse: textValue,
    clientEnv: { postgres: 'PGUSER' },
    inFile: true,
    persisted: true,
  },
  socket: {
    flags: '--socket <path>',
    description: 'Unix socket (PostgreSQL: its directory; MySQL/MariaDB: the socket file)',
    kind: 'value',
    parse: textValue,
    clientEnv: { mysql: 'MYSQL_UNIX_PORT' },
    inFile: true,
    persisted: true,
  },
  backupDir: {
    flags: '--backup-dir <dir>',
    description: 'directory where backups are written and looked up',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  catalog: {
    flags: '--catalog <path>',
    description: 'backup catalog database (default: ~/.dbbackup/catalog.db)',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
    defaultValue: (facts) => `${facts.homeDirectory.replace(/\/+$/, '')}/.dbbackup/catalog.db`,
  },
  cloud: {
    flags: '--cloud <uri>',
    description:
      'upload backups to s3://bucket/prefix/, azure://container/prefix/, gcs://bucket/prefix/ or sftp://user@host[:port]/path/',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  cloudEndpoint: {
    flags: '--cloud-endpoint <url>',
    description:
      'S3-compatible endpoint (MinIO, B2; path-style addressing), or an Azure/GCS endpoint; AWS_ENDPOINT_URL_S3 also works',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  sftpKey: {
    flags: '--sftp-key <file>',
    description: 'private key for sftp:// (default: the ssh agent)',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  sftpPassword: {
    flags: '--sftp-password',
    description: 'log in to sftp:// with a password from DBBACKUP_SFTP_PASSWORD, else typed at the prompt',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: false,
    defaultValue: () => false,
  },
  sftpInsecure: {
    flags: '--sftp-insecure',
    description: 'do not check the sftp:// host key against known_hosts',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: false,
    defaultValue: () => false,
  },
  keepLocal: {
    flags: '--keep-local',
    description: 'with --cloud, also keep the archive in --backup-dir',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: true,
    defaultValue: () => false,
  },
  bandwidthLimit: {
    flags: '--bandwidth-limit <rate>',
    description: 'cap cloud uploads and downloads, e.g. 50MB/s or 512KiB/s',
    kind: 'value',
    parse: rateValue,
    inFile: true,
    persisted: true,
  },
  workDir: {
    flags: '--work-dir <dir>',
    description:
      'where a cloud backup is downloaded first when its store cannot read ranges (default: the system temp dir)',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  format: {
    flags: '--format <format>',
    description: 'output: table for people, json for programs (default: table)',
    kind: 'value',
    parse: choiceValue(OUTPUT_FORMATS),
    choices: OUTPUT_FORMATS,
    inFile: true,
    // Not remembered: one `--format json` in a script must not change what a person sees next time.
    persisted: false,
    defaultValue: () => 'table',
  },
  compressionLevel: {
    flags: '--compression <level>',
    description: 'compression level (zstd 1-22, gzip 1-9; default: the algorithm’s own)',
    kind: 'value',
    parse: integerValue({}),
    inFile: true,
    persisted: true,
  },
  compressionAlgorithm: {
    flags: '--compression-algorithm <algo>',
    description: 'compression of backup members (default: zstd)',
    kind: 'value',
    parse: choiceValue(COMPRESSION_ALGORITHMS),
    choices: COMPRESSION_ALGORITHMS,
    inFile: true,
    persisted: true,
    defaultValue: () => 'zstd',
  },
  encrypt: {
    flags: '--encrypt',
    description: 'encrypt backups (AES-256-GCM) with the key from --encryption-key-file',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: false,
    defaultValue: () => false,
  },
  encryptionKeyFile: {
    flags: '--encryption-key-file <file>',
    description: 'file holding the master key (32 raw bytes or base64); its path may be saved, never its contents',
    kind: 'value',
    parse: textValue,
    inFile: true,
    persisted: true,
  },
  jobs: {
    flags: '--jobs <n>',
    description: 'parallel workers (default: number of CPUs)',
    kind: 'value',
    parse: integerValue({ min: 1 }),
    inFile: true,
    persisted: false,
    defaultValue: (facts) => Math.max(1, facts.cpuCount),
  },
  dryRun: {
    flags: '-n, --dry-run',
    description: 'show what would be done without changing anything',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: false,
    defaultValue: () => false,
  },
  debug: {
    flags: '--debug',
    description: 'debug logs on stderr, and stack traces with errors',
    kind: 'switch',
    parse: booleanValue,
    inFile: true,
    persisted: false,
    defaultValue: () => false,
  },
  useConfigFile: {
    flags: '--no-config',
    description: 'ignore .dbbackup.conf (neither read nor write it)',
    kind: 'negated',
    parse: booleanValue,
    inFile: false,
    persisted: false,
    defaultValue: () => true,
  },
  saveConfig: {
    flags: '--no-save-config',
    description: 'do not remember this run’s connection and storage flags in .dbbackup.conf',
    kind: 'negated',
    parse: booleanValue,
    inFile: false,
    persisted: false,
    defaultValue: () => true,
  },
};

export type GlobalSettingKey = keyof GlobalSettings;
export const GLOBAL_SETTING_KEYS = Object.keys(GLOBAL_SETTINGS) as GlobalSettingKey[];

/** The long flag name without dashes ('db-type', 'no-config'). */
export function settingName(key: GlobalSettingKey): string {
  const long = new Option(GLOBAL_SETTINGS[key].flags).long;
  if (long === undefined) throw new Error(`global setting ${key} has no long flag`);
  return long.replace(/^--/, '');
}

/** The key commander uses in opts() for this flag ('dbType', 'config' for --no-config). */
export function settingOptionKey(key: GlobalSettingKey): string {
  return new Option(GLOBAL_SETTINGS[key].flags).attributeName();
}

/** DBBACKUP_DB_TYPE, DBBACKUP_NO_CONFIG, ... */
export function settingEnvName(key: GlobalSettingKey): string {
  return `DBBACKUP_${settingName(key).toUpperCase().replaceAll('-', '_')}`;
}
