import { eventHeadline } from './email-content.js';
import type { JsonValue, NotifyEvent, Severity } from './events.js';
import type { NotificationMessage } from './notification-message.js';

const SEVERITY_ICON: Readonly<Record<Severity, string>> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};
/** Slack cuts messages at 40,000 characters; stay well below so the end of a long batch is visibly marked. */
const MAX_TEXT_LENGTH = 30_000;

/**
 * Slack incoming-webhook body: `{"text": ...}` in mrkdwn. One headline (severity icon, bold title), then per event a
 * bold headline line, the message as a quote and the details as `key: value` bullets.
 */
export function slackPayload(message: NotificationMessage): { text: string } {
  const icon = SEVERITY_ICON[message.severity];
  const label = message.severity === 'info' ? '' : `${message.severity.toUpperCase()} `;
  const only = message.events.length === 1 ? message.events[0] : undefined;
  const title = only === undefined ? message.summary : eventHeadline(only);
  const lines = [`${icon} *[dbbackup] ${escapeMrkdwn(label + title)}*`];
  for (const event of message.events) lines.push(...eventLines(event, only === undefined));
  let text = lines.join('\n');
  if (text.length > MAX_TEXT_LENGTH) text = `${text.slice(0, MAX_TEXT_LENGTH)}\n… (cut: message too long for Slack)`;
  return { text };
}

function eventLines(event: NotifyEvent, withHeadline: boolean): string[] {
  const lines: string[] = [];
  if (withHeadline)
    lines.push('', `${SEVERITY_ICON[event.severity]} *${escapeMrkdwn(eventHeadline(event))}* (${event.status})`);
  lines.push(`> ${escapeMrkdwn(event.message)}`);
  lines.push(`• time: ${event.timestamp}`);
  if (event.consecutiveFailures !== undefined) lines.push(`• failures in a row: ${event.consecutiveFailures}`);
  for (const [key, value] of Object.entries(event.details)) {
    if (key === 'host') continue;
    lines.push(`• ${escapeMrkdwn(key)}: ${escapeMrkdwn(detailText(value))}`);
  }
  return lines;
}

function detailText(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Slack mrkdwn control characters; everything else is shown as typed. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
