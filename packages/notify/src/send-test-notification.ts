import { hostname } from 'node:os';
import { createNotifierRoutes, redactorFor } from './create-notify-dispatcher.js';
import { NotifyDeliveryError } from './errors.js';
import { normalizeEvent } from './normalize-event.js';
import { buildNotificationMessage } from './notification-message.js';
import type { NotifyConfig } from './notify-config.js';
import { oneLine } from './redactor.js';

export interface SendTestNotificationOptions {
  /** Collect each notifier's conversation (SMTP dialogue, HTTP request and response) into `transcript`. */
  verbose?: boolean;
  /** Default: "Test notification from dbbackup on <hostname>". */
  message?: string;
  /** Default null. */
  database?: string | null;
}

/** How one notifier did with the test event. */
export interface NotifierTestReport {
  /** "smtp", "webhook", "escalation webhook". */
  kind: string;
  /** Destination without credentials or URL tokens. */
  target: string;
  ok: boolean;
  /** Server answer when ok ("250 2.0.0 Ok: queued", "HTTP 200 OK: ok"); the failure reason otherwise. */
  detail: string;
  /** With `verbose`: the conversation, one redacted line per entry (never the password or secret). Else empty. */
  transcript: string[];
}

/**
 * Sends one `test` event to every configured notifier at once (no batching, no NOTIFY_EVENTS filter, one attempt,
 * escalation recipients and the escalation webhook included so they are checked too) and reports per notifier.
 * Never rejects: failures are in the reports.
 */
export async function sendTestNotification(
  config: NotifyConfig,
  options: SendTestNotificationOptions = {},
): Promise<NotifierTestReport[]> {
  const redact = redactorFor(config);
  const routes = createNotifierRoutes(config, redact);
  const host = hostname();
  const now = new Date();
  const event = normalizeEvent(
    {
      event: 'test',
      database: options.database ?? null,
      message: options.message ?? `Test notification from dbbackup on ${host}`,
      details: { host, pid: process.pid },
    },
    config.escalateAfter,
    now,
  );
  const message = buildNotificationMessage([event], now);
  return Promise.all(
    routes.map(async ({ notifier }): Promise<NotifierTestReport> => {
      const transcript: string[] = [];
      const record = options.verbose === true ? (line: string) => transcript.push(redact(line)) : undefined;
      let report: NotifierTestReport;
      try {
        const delivery = await notifier.send(message, { escalate: true, transcript: record });
        report = { kind: notifier.kind, target: notifier.target, ok: true, detail: delivery.response, transcript };
      } catch (error) {
        const reason = error instanceof NotifyDeliveryError || error instanceof Error ? error.message : String(error);
        report = {
          kind: notifier.kind,
          target: notifier.target,
          ok: false,
          detail: oneLine(redact(reason)),
          transcript,
        };
      }
      await notifier.close().catch(() => {});
      return report;
    }),
  );
}
