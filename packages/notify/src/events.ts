/**
 * The events dbbackup notifies about, and the fixed status each one carries. The status is the outcome word that
 * email subjects count ("1 failed, 2 completed") and that webhook receivers route on; it is derived from the event
 * name so a caller cannot send a `backup_completed` that says "failed".
 */
export const NOTIFY_EVENT_NAMES = [
  'backup_started',
  'backup_completed',
  'backup_failed',
  'restore_started',
  'restore_completed',
  'restore_failed',
  'cleanup_completed',
  'verify_completed',
  'verify_failed',
  'gap_detected',
  'rpo_violation',
  'test',
] as const;

export type NotifyEventName = (typeof NOTIFY_EVENT_NAMES)[number];

/** Outcome of an event. `failed` and `warning` can escalate to critical severity (see severity.ts). */
export type NotifyStatus = 'failed' | 'warning' | 'completed' | 'started' | 'info';

export const STATUS_OF_EVENT: Readonly<Record<NotifyEventName, NotifyStatus>> = {
  backup_started: 'started',
  backup_completed: 'completed',
  backup_failed: 'failed',
  restore_started: 'started',
  restore_completed: 'completed',
  restore_failed: 'failed',
  cleanup_completed: 'completed',
  verify_completed: 'completed',
  verify_failed: 'failed',
  gap_detected: 'warning',
  rpo_violation: 'warning',
  test: 'info',
};

/** Most severe first: the order batch summaries list counts in, and how a batch's overall status is chosen. */
export const STATUS_ORDER: readonly NotifyStatus[] = ['failed', 'warning', 'completed', 'started', 'info'];

export function isNotifyEventName(name: string): name is NotifyEventName {
  return (NOTIFY_EVENT_NAMES as readonly string[]).includes(name);
}

/** JSON values as they appear in `details` (already normalised: no undefined, Error, Date or bigint). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a caller passes to `NotifyDispatcher.emit`. */
export interface NotifyEventInput {
  event: NotifyEventName;
  /** The database the event is about; null for cluster-wide or multi-database events (cleanup, a cluster backup). */
  database: string | null;
  /** One line for humans; newlines are folded into spaces and it is cut at 1000 characters. */
  message: string;
  /** When it happened; default now. */
  timestamp?: Date | string;
  /**
   * Anything useful: host, engine, path, bytes, duration, error, ... `host` is also shown in email subjects. Values
   * are made JSON-safe: an Error becomes its message, a Date its ISO text, a bigint its decimal text.
   */
  details?: Record<string, unknown>;
  /**
   * How many times in a row this database's operation has failed, including this time (the caller counts them
   * from its catalog). Reaching the escalation threshold makes a failed/warning event critical.
   */
  consecutiveFailures?: number;
}

/** An event as it is delivered: normalised, with its status and severity decided. */
export interface NotifyEvent {
  event: NotifyEventName;
  database: string | null;
  status: NotifyStatus;
  severity: Severity;
  message: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  details: JsonObject;
  consecutiveFailures?: number;
}

/** info: routine; warning: needs a look; critical: escalated (repeated failures). */
export type Severity = 'info' | 'warning' | 'critical';
