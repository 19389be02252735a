import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NotifyConfigError } from './errors.js';
import { isNotifyEventName, NOTIFY_EVENT_NAMES, type NotifyEventName } from './events.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BATCH_WINDOW_MS,
  DEFAULT_ESCALATE_AFTER,
  DEFAULT_SMTP_PORT,
  DEFAULT_TIMEOUT_MS,
  IMPLICIT_TLS_PORT,
  type NotifyConfig,
  type SmtpConfig,
  type WebhookConfig,
} from './notify-config.js';
import { parseDuration } from './parse-duration.js';
import { SecretValue } from './secret-value.js';
import { detectWebhookFormat, type WebhookFormat } from './webhook-url.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Every variable this package reads; any of them set without a notifier is a mistake worth reporting. */
export const NOTIFY_ENV_VARIABLES = [
  'NOTIFY_SMTP_HOST',
  'NOTIFY_SMTP_PORT',
  'NOTIFY_SMTP_USER',
  'NOTIFY_SMTP_PASSWORD',
  'NOTIFY_SMTP_FROM',
  'NOTIFY_SMTP_TO',
  'NOTIFY_SMTP_CA_FILE',
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_WEBHOOK_FORMAT',
  'NOTIFY_WEBHOOK_SECRET',
  'NOTIFY_ESCALATE_AFTER',
  'NOTIFY_ESCALATE_TO',
  'NOTIFY_ESCALATE_WEBHOOK_URL',
  'NOTIFY_ESCALATE_WEBHOOK_FORMAT',
  'NOTIFY_EVENTS',
  'NOTIFY_BATCH_WINDOW',
  'NOTIFY_RETRIES',
  'NOTIFY_TIMEOUT',
] as const;

/**
 * Reads the NOTIFY_* variables. Returns null when no notifier is configured (none of NOTIFY_SMTP_HOST,
 * NOTIFY_WEBHOOK_URL, NOTIFY_ESCALATE_WEBHOOK_URL), so callers can skip notifications entirely. Throws
 * NotifyConfigError naming the variable and the fix for anything malformed or contradictory, including a NOTIFY_*
 * variable set while no notifier is. Reads NOTIFY_SMTP_CA_FILE from disk (synchronously) so a bad path fails here,
 * not at the first alert. Empty values count as unset.
 */
export function notifyConfigFromEnv(env: Environment = process.env): NotifyConfig | null {
  const read = (name: (typeof NOTIFY_ENV_VARIABLES)[number]): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const smtpHost = read('NOTIFY_SMTP_HOST');
  const webhookUrl = read('NOTIFY_WEBHOOK_URL');
  const escalationWebhookUrl = read('NOTIFY_ESCALATE_WEBHOOK_URL');
  if (smtpHost === undefined && webhookUrl === undefined && escalationWebhookUrl === undefined) {
    const stray = NOTIFY_ENV_VARIABLES.find((name) => read(name) !== undefined);
    if (stray !== undefined) {
      throw new NotifyConfigError(
        stray,
        `${stray} is set but no notifier is configured: set NOTIFY_SMTP_HOST and/or NOTIFY_WEBHOOK_URL, or unset ${stray}`,
      );
    }
    return null;
  }

  const smtp = smtpHost === undefined ? rejectOrphans(read, 'NOTIFY_SMTP_HOST') : smtpConfig(smtpHost, read);
  const secretText = read('NOTIFY_WEBHOOK_SECRET');
  const secret = secretText === undefined ? null : new SecretValue(secretText);
  if (webhookUrl === undefined && escalationWebhookUrl === undefined && secret !== null) {
    throw new NotifyConfigError(
      'NOTIFY_WEBHOOK_SECRET',
      'NOTIFY_WEBHOOK_SECRET is set but no webhook is: set NOTIFY_WEBHOOK_URL, or unset NOTIFY_WEBHOOK_SECRET',
    );
  }
  const webhook =
    webhookUrl === undefined
      ? rejectWebhookOrphan(read('NOTIFY_WEBHOOK_FORMAT'), 'NOTIFY_WEBHOOK_FORMAT', 'NOTIFY_WEBHOOK_URL')
      : webhookConfig(webhookUrl, 'NOTIFY_WEBHOOK_URL', read('NOTIFY_WEBHOOK_FORMAT'), 'NOTIFY_WEBHOOK_FORMAT', secret);
  const escalationWebhook =
    escalationWebhookUrl === undefined
      ? rejectWebhookOrphan(
          read('NOTIFY_ESCALATE_WEBHOOK_FORMAT'),
          'NOTIFY_ESCALATE_WEBHOOK_FORMAT',
          'NOTIFY_ESCALATE_WEBHOOK_URL',
        )
      : webhookConfig(
          escalationWebhookUrl,
          'NOTIFY_ESCALATE_WEBHOOK_URL',
          read('NOTIFY_ESCALATE_WEBHOOK_FORMAT'),
          'NOTIFY_ESCALATE_WEBHOOK_FORMAT',
          secret,
        );

  return {
    smtp,
    webhook,
    escalationWebhook,
    events: eventList(read('NOTIFY_EVENTS')),
    batchWindowMs: durationValue(read('NOTIFY_BATCH_WINDOW'), 'NOTIFY_BATCH_WINDOW', DEFAULT_BATCH_WINDOW_MS, true),
    escalateAfter: countValue(read('NOTIFY_ESCALATE_AFTER'), 'NOTIFY_ESCALATE_AFTER', DEFAULT_ESCALATE_AFTER, 1000),
    attempts: countValue(read('NOTIFY_RETRIES'), 'NOTIFY_RETRIES', DEFAULT_ATTEMPTS, 10),
    timeoutMs: durationValue(read('NOTIFY_TIMEOUT'), 'NOTIFY_TIMEOUT', DEFAULT_TIMEOUT_MS, false),
  };
}

type Reader = (name: (typeof NOTIFY_ENV_VARIABLES)[number]) => string | undefined;

function smtpConfig(host: string, read: Reader): SmtpConfig {
  const portText = read('NOTIFY_SMTP_PORT');
  const port = portText === undefined ? DEFAULT_SMTP_PORT : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port < 1 || port > 65535)) {
    throw new NotifyConfigError(
      'NOTIFY_SMTP_PORT',
      `NOTIFY_SMTP_PORT=${JSON.stringify(portText)} is not a port number: set an integer from 1 to 65535 (587 for STARTTLS, 465 for implicit TLS)`,
    );
  }
  const user = read('NOTIFY_SMTP_USER') ?? null;
  const passwordText = read('NOTIFY_SMTP_PASSWORD');
  if ((user === null) !== (passwordText === undefined)) {
    const [set, missing] =
      user === null ? ['NOTIFY_SMTP_PASSWORD', 'NOTIFY_SMTP_USER'] : ['NOTIFY_SMTP_USER', 'NOTIFY_SMTP_PASSWORD'];
    throw new NotifyConfigError(missing, `${set} is set but ${missing} is not: set both for SMTP AUTH, or neither`);
  }
  const from = read('NOTIFY_SMTP_FROM');
  if (from === undefined) {
    throw new NotifyConfigError(
      'NOTIFY_SMTP_FROM',
      'NOTIFY_SMTP_FROM is not set but NOTIFY_SMTP_HOST is: set the sender, e.g. NOTIFY_SMTP_FROM="dbbackup <backup@example.com>"',
    );
  }
  if (!isMailbox(from)) {
    throw new NotifyConfigError(
      'NOTIFY_SMTP_FROM',
      `NOTIFY_SMTP_FROM=${JSON.stringify(from)} is not an email address: use backup@example.com or "dbbackup <backup@example.com>"`,
    );
  }
  const toText = read('NOTIFY_SMTP_TO');
  if (toText === undefined) {
    throw new NotifyConfigError(
      'NOTIFY_SMTP_TO',
      'NOTIFY_SMTP_TO is not set but NOTIFY_SMTP_HOST is: set the recipients as a comma list, e.g. NOTIFY_SMTP_TO=ops@example.com,dba@example.com',
    );
  }
  const escalateToText = read('NOTIFY_ESCALATE_TO');
  const caFilePath = read('NOTIFY_SMTP_CA_FILE');
  return {
    host,
    port,
    implicitTls: port === IMPLICIT_TLS_PORT,
    user,
    password: passwordText === undefined ? null : new SecretValue(passwordText),
    from,
    to: mailboxList(toText, 'NOTIFY_SMTP_TO'),
    escalateTo: escalateToText === undefined ? [] : mailboxList(escalateToText, 'NOTIFY_ESCALATE_TO'),
    caFile: caFilePath === undefined ? null : { path: caFilePath, pem: readCaFile(caFilePath) },
  };
}

/** SMTP settings without NOTIFY_SMTP_HOST are a mistake (a typo in HOST, or a leftover), not something to ignore. */
function rejectOrphans(read: Reader, hostVariable: string): null {
  const orphans = [
    'NOTIFY_SMTP_PORT',
    'NOTIFY_SMTP_USER',
    'NOTIFY_SMTP_PASSWORD',
    'NOTIFY_SMTP_FROM',
    'NOTIFY_SMTP_TO',
    'NOTIFY_SMTP_CA_FILE',
    'NOTIFY_ESCALATE_TO',
  ] as const;
  const orphan = orphans.find((name) => read(name) !== undefined);
  if (orphan !== undefined) {
    throw new NotifyConfigError(
      orphan,
      `${orphan} is set but ${hostVariable} is not: set ${hostVariable} to the mail server (with FROM and TO), or unset ${orphan}`,
    );
  }
  return null;
}

function rejectWebhookOrphan(format: string | undefined, formatVariable: string, urlVariable: string): null {
  if (format !== undefined) {
    throw new NotifyConfigError(
      formatVariable,
      `${formatVariable} is set but ${urlVariable} is not: set ${urlVariable}, or unset ${formatVariable}`,
    );
  }
  return null;
}

function webhookConfig(
  text: string,
  urlVariable: string,
  formatText: string | undefined,
  formatVariable: string,
  secret: SecretValue | null,
): WebhookConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  // The value is not echoed: webhook URLs usually carry their token.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NotifyConfigError(
      urlVariable,
      `${urlVariable} is not a valid http(s) URL: set it to the receiver's address, e.g. https://hooks.example.com/dbbackup`,
    );
  }
  let format: WebhookFormat;
  const formatName = formatText?.toLowerCase() ?? 'auto';
  if (formatName === 'auto') format = detectWebhookFormat(url);
  else if (formatName === 'json' || formatName === 'slack') format = formatName;
  else {
    throw new NotifyConfigError(
      formatVariable,
      `${formatVariable}=${JSON.stringify(formatText)} is not a webhook format: use json, slack or auto (slack for hooks.slack.com URLs, json otherwise)`,
    );
  }
  return { url, format, secret };
}

function eventList(text: string | undefined): readonly NotifyEventName[] {
  if (text === undefined || text.toLowerCase() === 'all') return NOTIFY_EVENT_NAMES;
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.find((name) => !isNotifyEventName(name));
  if (unknown !== undefined || names.length === 0) {
    const what = unknown === undefined ? 'names no event' : `contains unknown event ${JSON.stringify(unknown)}`;
    throw new NotifyConfigError(
      'NOTIFY_EVENTS',
      `NOTIFY_EVENTS ${what}: use all or a comma list of ${NOTIFY_EVENT_NAMES.join(', ')}`,
    );
  }
  return NOTIFY_EVENT_NAMES.filter((name) => names.includes(name));
}

function durationValue(text: string | undefined, variable: string, fallback: number, zeroAllowed: boolean): number {
  if (text === undefined) return fallback;
  const milliseconds = parseDuration(text);
  if (milliseconds === null || (!zeroAllowed && milliseconds === 0)) {
    const zero = zeroAllowed ? '; 0 sends each event at once' : '';
    throw new NotifyConfigError(
      variable,
      `${variable}=${JSON.stringify(text)} is not a duration: write a number with a unit, e.g. 30s, 500ms or 2m${zero}`,
    );
  }
  return milliseconds;
}

function countValue(text: string | undefined, variable: string, fallback: number, maximum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > maximum) {
    throw new NotifyConfigError(
      variable,
      `${variable}=${JSON.stringify(text)} is not a whole number from 1 to ${maximum}: set e.g. ${variable}=${fallback} (the default)`,
    );
  }
  return value;
}

/** backup@example.com or "Name <backup@example.com>"; deliberately loose, the server has the last word. */
function isMailbox(text: string): boolean {
  const angle = /<([^<>]*)>\s*$/.exec(text);
  const address = angle === null ? text : angle[1]!;
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/.test(address.trim());
}

function mailboxList(text: string, variable: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = entries.find((entry) => !isMailbox(entry));
  if (bad !== undefined || entries.length === 0) {
    const what = bad === undefined ? 'names no address' : `entry ${JSON.stringify(bad)} is not an email address`;
    throw new NotifyConfigError(
      variable,
      `${variable} ${what}: use a comma list of addresses, e.g. ${variable}=ops@example.com,dba@example.com`,
    );
  }
  return entries;
}

function readCaFile(path: string): string {
  const fix = "point it to a PEM file holding the CA certificate(s) that signed the SMTP server's certificate";
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new NotifyConfigError(
      'NOTIFY_SMTP_CA_FILE',
      `NOTIFY_SMTP_CA_FILE=${path} cannot be read (${reason}): ${fix}`,
      {
        cause: error,
      },
    );
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (certificates.length === 0) throw new Error('no certificate');
    for (const certificate of certificates) new X509Certificate(certificate);
  } catch (error) {
    throw new NotifyConfigError(
      'NOTIFY_SMTP_CA_FILE',
      `NOTIFY_SMTP_CA_FILE=${path} holds no valid PEM certificate ("-----BEGIN CERTIFICATE-----"): ${fix}`,
      { cause: error },
    );
  }
  return certificates.join('\n');
}
