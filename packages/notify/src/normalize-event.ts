import { type NotifyEvent, type NotifyEventInput, STATUS_OF_EVENT } from './events.js';
import { toJsonObject } from './json-details.js';
import { oneLine } from './redactor.js';
import { severityOf } from './severity.js';

/** Turns what a caller emitted into the event that is delivered. Never throws on odd input. */
export function normalizeEvent(input: NotifyEventInput, escalateAfter: number, now: Date): NotifyEvent {
  const status = STATUS_OF_EVENT[input.event];
  const consecutiveFailures =
    typeof input.consecutiveFailures === 'number' &&
    Number.isInteger(input.consecutiveFailures) &&
    input.consecutiveFailures >= 0
      ? input.consecutiveFailures
      : undefined;
  const event: NotifyEvent = {
    event: input.event,
    database: typeof input.database === 'string' ? input.database : null,
    status,
    severity: severityOf(status, consecutiveFailures, escalateAfter),
    message: oneLine(String(input.message ?? '')),
    timestamp: isoTimestamp(input.timestamp, now),
    details: toJsonObject(input.details),
  };
  if (consecutiveFailures !== undefined) event.consecutiveFailures = consecutiveFailures;
  return event;
}

function isoTimestamp(value: Date | string | undefined, now: Date): string {
  const date = value === undefined ? now : new Date(value);
  return Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
}

/** The `host` detail as text, when the caller gave one: shown in subjects and Slack headlines. */
export function hostOf(event: NotifyEvent): string | null {
  const host = event.details['host'];
  return typeof host === 'string' && host !== '' ? host : null;
}
