import type { JsonValue, NotifyEvent, Severity } from './events.js';
import { hostOf } from './normalize-event.js';
import type { NotificationMessage } from './notification-message.js';

export interface EmailContent {
  subject: string;
  text: string;
}

const SUBJECT_LABEL: Readonly<Record<Severity, string>> = { info: '', warning: 'WARNING ', critical: 'CRITICAL ' };

/**
 * Subject: "[dbbackup] CRITICAL backup_failed: shop on db1" for one event (no label for info, WARNING/CRITICAL
 * otherwise), "[dbbackup] 3 events: 1 failed, 2 completed" for a batch. Body: plain text, one block per event.
 */
export function renderEmail(message: NotificationMessage): EmailContent {
  const label = SUBJECT_LABEL[message.severity];
  const only = message.events.length === 1 ? message.events[0] : undefined;
  const subject = `[dbbackup] ${label}${only === undefined ? message.summary : eventHeadline(only)}`;
  const lines = [`dbbackup notification: ${message.summary}`];
  if (message.severity !== 'info') lines.push(`Severity: ${message.severity.toUpperCase()}`);
  message.events.forEach((event, index) => {
    lines.push('');
    if (only === undefined) lines.push(`--- ${index + 1} of ${message.events.length} ---`);
    lines.push(...eventBlock(event));
  });
  lines.push('', `Sent by dbbackup at ${message.createdAt}.`);
  return { subject: oneLineSubject(subject), text: `${lines.join('\n')}\n` };
}

/** "backup_failed: shop on db1", "cleanup_completed on db1", "test". */
export function eventHeadline(event: NotifyEvent): string {
  const host = hostOf(event);
  return `${event.event}${event.database === null ? '' : `: ${event.database}`}${host === null ? '' : ` on ${host}`}`;
}

function eventBlock(event: NotifyEvent): string[] {
  const lines = [
    `Time:       ${event.timestamp}`,
    `Event:      ${event.event} (${event.status}, severity ${event.severity})`,
    `Database:   ${event.database ?? '-'}`,
    `Host:       ${hostOf(event) ?? '-'}`,
    `Message:    ${event.message}`,
  ];
  if (event.consecutiveFailures !== undefined) {
    const escalated = event.severity === 'critical' ? ' (escalated)' : '';
    lines.push(`Failures:   ${event.consecutiveFailures} in a row${escalated}`);
  }
  const entries = Object.entries(event.details).filter(([key]) => key !== 'host');
  if (entries.length > 0) {
    lines.push('Details:');
    const width = Math.max(...entries.map(([key]) => key.length)) + 1;
    for (const [key, value] of entries) {
      const [first = '', ...rest] = detailText(value).split(/\r?\n/);
      lines.push(`  ${`${key}:`.padEnd(width)} ${first}`);
      for (const line of rest) lines.push(`  ${' '.repeat(width)} ${line}`);
    }
  }
  return lines;
}

function detailText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Header injection and folding surprises are avoided by never letting a line break into the subject. */
function oneLineSubject(subject: string): string {
  const folded = subject.replace(/\s+/g, ' ').trim();
  return folded.length > 200 ? `${folded.slice(0, 199)}…` : folded;
}
