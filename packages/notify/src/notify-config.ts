import type { NotifyEventName } from './events.js';
import type { SecretValue } from './secret-value.js';
import type { WebhookFormat } from './webhook-url.js';

/** SMTP delivery through nodemailer. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used whenever the server offers it. */
  implicitTls: boolean;
  /** AUTH user and password; both or neither. */
  user: string | null;
  password: SecretValue | null;
  from: string;
  to: readonly string[];
  /** Extra recipients (Cc) of critical messages: NOTIFY_ESCALATE_TO. */
  escalateTo: readonly string[];
  /** NOTIFY_SMTP_CA_FILE: path and PEM text of CA certificates trusted in addition to Node's public roots. */
  caFile: { path: string; pem: string } | null;
}

export interface WebhookConfig {
  url: URL;
  format: WebhookFormat;
  /** NOTIFY_WEBHOOK_SECRET: signs each body with HMAC-SHA256 (X-Dbbackup-Signature). */
  secret: SecretValue | null;
}

/** Everything `notifyConfigFromEnv` reads; build it only through that function (secrets come from the env only). */
export interface NotifyConfig {
  smtp: SmtpConfig | null;
  webhook: WebhookConfig | null;
  /** NOTIFY_ESCALATE_WEBHOOK_URL: receives only critical messages. */
  escalationWebhook: WebhookConfig | null;
  /** Events that are sent (NOTIFY_EVENTS); all names when unset or `all`. */
  events: readonly NotifyEventName[];
  /** NOTIFY_BATCH_WINDOW in ms; 0 sends every event at once. */
  batchWindowMs: number;
  /** NOTIFY_ESCALATE_AFTER: consecutive failures of one database that make an event critical. */
  escalateAfter: number;
  /** NOTIFY_RETRIES: delivery attempts in total per message and notifier, the first included. */
  attempts: number;
  /** NOTIFY_TIMEOUT in ms: one webhook request, or one SMTP connect/greeting/command. */
  timeoutMs: number;
}

export const DEFAULT_SMTP_PORT = 587;
export const IMPLICIT_TLS_PORT = 465;
/**
 * 30 s: long enough that a burst (a server going down fails every database of a `backup --all` within seconds)
 * becomes one message instead of dozens, short enough that an alert is never more than half a minute late. A CLI
 * command calls close() before it exits, which sends at once, so a short run never waits for the window.
 */
export const DEFAULT_BATCH_WINDOW_MS = 30_000;
export const DEFAULT_ESCALATE_AFTER = 3;
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_TIMEOUT_MS = 10_000;
