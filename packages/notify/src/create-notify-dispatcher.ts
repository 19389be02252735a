import type { NotifyConfig } from './notify-config.js';
import { type NotifierRoute, NotifyDispatcher } from './notify-dispatcher.js';
import { createRedactor, type Redactor } from './redactor.js';
import { SmtpNotifier } from './smtp-notifier.js';
import { WebhookNotifier } from './webhook-notifier.js';
import { describeWebhookUrl } from './webhook-url.js';

/** Knobs that are not configuration but behaviour of the calling program (and of tests). */
export interface CreateNotifyDispatcherOptions {
  /** One line per final delivery failure or dropped event; default: written to stderr. */
  log?: (line: string) => void;
  /** Backoff before the 2nd attempt, doubled each time after; default 1000 ms. */
  retryBaseDelayMs?: number;
  /** The longest flush()/close() wait for deliveries, retries included; default 30 s. */
  maxWaitMs?: number;
}

/**
 * Builds the dispatcher for a config from `notifyConfigFromEnv`. With `null` (nothing configured) it returns a
 * dispatcher without notifiers, whose emit/flush/close do nothing, so callers never branch on "is notify on?".
 */
export function createNotifyDispatcher(
  config: NotifyConfig | null,
  options: CreateNotifyDispatcherOptions = {},
): NotifyDispatcher {
  if (config === null) return new NotifyDispatcher({ notifiers: [], log: options.log });
  const redact = redactorFor(config);
  return new NotifyDispatcher({
    notifiers: createNotifierRoutes(config, redact),
    events: config.events,
    batchWindowMs: config.batchWindowMs,
    escalateAfter: config.escalateAfter,
    attempts: config.attempts,
    retryBaseDelayMs: options.retryBaseDelayMs,
    maxWaitMs: options.maxWaitMs,
    log: options.log,
    redact,
  });
}

/** Every configured notifier: SMTP, webhook, and the escalation webhook (critical messages only). */
export function createNotifierRoutes(config: NotifyConfig, redact: Redactor = redactorFor(config)): NotifierRoute[] {
  const routes: NotifierRoute[] = [];
  const { timeoutMs } = config;
  if (config.smtp !== null) routes.push({ notifier: new SmtpNotifier(config.smtp, { timeoutMs, redact }) });
  if (config.webhook !== null) routes.push({ notifier: new WebhookNotifier(config.webhook, { timeoutMs, redact }) });
  if (config.escalationWebhook !== null) {
    const notifier = new WebhookNotifier(config.escalationWebhook, { timeoutMs, redact, kind: 'escalation webhook' });
    routes.push({ notifier, escalationOnly: true });
  }
  return routes;
}

/** Masks the SMTP password, the webhook secret and the webhook URLs (which often embed a token). */
export function redactorFor(config: NotifyConfig): Redactor {
  const secrets: string[] = [];
  if (config.smtp?.password) secrets.push(config.smtp.password.reveal());
  const secret = config.webhook?.secret ?? config.escalationWebhook?.secret;
  if (secret) secrets.push(secret.reveal());
  const urls = [config.webhook, config.escalationWebhook].flatMap((webhook) =>
    webhook === null ? [] : [{ url: webhook.url.href, description: describeWebhookUrl(webhook.url) }],
  );
  return createRedactor({ secrets, smtpUser: config.smtp?.user ?? null, urls });
}
