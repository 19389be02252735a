import { type NotifyEvent, type NotifyStatus, type Severity, STATUS_ORDER } from './events.js';
import { highestSeverity } from './severity.js';

/**
 * What one notifier sends in one go: a single event, or every event queued during a batch window. Built once per
 * flush and given to every notifier, so email and webhook always say the same thing.
 */
export interface NotificationMessage {
  /** One or more events, in the order they were emitted. */
  readonly events: readonly NotifyEvent[];
  /** The highest severity among the events; `critical` means escalated. */
  readonly severity: Severity;
  /** The most severe status among the events (failed > warning > completed > started > info). */
  readonly status: NotifyStatus;
  /** The database all events share, or null when they differ (or none has one). */
  readonly database: string | null;
  /** One event: its message. Several: "3 events: 1 failed, 2 completed". */
  readonly summary: string;
  /** When the message was put together (ISO 8601, UTC): the timestamp of a batch. */
  readonly createdAt: string;
}

export function buildNotificationMessage(events: readonly NotifyEvent[], now: Date): NotificationMessage {
  const first = events[0];
  if (first === undefined) throw new RangeError('a notification needs at least one event');
  const counts = new Map<NotifyStatus, number>();
  for (const event of events) counts.set(event.status, (counts.get(event.status) ?? 0) + 1);
  const statuses = STATUS_ORDER.filter((status) => counts.has(status));
  const database = events.every((event) => event.database === first.database) ? first.database : null;
  const summary =
    events.length === 1
      ? first.message
      : `${events.length} events: ${statuses.map((status) => `${counts.get(status)} ${status}`).join(', ')}`;
  return {
    events,
    severity: highestSeverity(events.map((event) => event.severity)),
    status: statuses[0]!,
    database,
    summary,
    createdAt: now.toISOString(),
  };
}
