import type { JsonObject, NotifyEvent, NotifyEventName, NotifyStatus, Severity } from './events.js';
import type { NotificationMessage } from './notification-message.js';

/**
 * The JSON body of a webhook POST. One event is sent as itself; a batch keeps the same top-level keys with
 * `event: "batch"`, the batch summary as `message`, the most severe status and severity, the shared database (or
 * null) and `details: { count, events: [ <one body per event> ] }`.
 */
export interface WebhookPayload {
  event: NotifyEventName | 'batch';
  database: string | null;
  status: NotifyStatus;
  message: string;
  timestamp: string;
  details: JsonObject;
  severity: Severity;
  consecutiveFailures?: number;
}

export function webhookPayload(message: NotificationMessage): WebhookPayload {
  const only = message.events.length === 1 ? message.events[0] : undefined;
  if (only !== undefined) return eventPayload(only);
  return {
    event: 'batch',
    database: message.database,
    status: message.status,
    message: message.summary,
    timestamp: message.createdAt,
    details: { count: message.events.length, events: message.events.map((event) => ({ ...eventPayload(event) })) },
    severity: message.severity,
  };
}

function eventPayload(event: NotifyEvent): WebhookPayload {
  const payload: WebhookPayload = {
    event: event.event,
    database: event.database,
    status: event.status,
    message: event.message,
    timestamp: event.timestamp,
    details: event.details,
    severity: event.severity,
  };
  if (event.consecutiveFailures !== undefined) payload.consecutiveFailures = event.consecutiveFailures;
  return payload;
}
