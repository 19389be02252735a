/** Body format of a webhook: our JSON document, or Slack's `{"text": ...}` with mrkdwn. */
export type WebhookFormat = 'json' | 'slack';

/** Slack incoming webhooks live under https://hooks.slack.com/services/...; anything else gets JSON. */
export function detectWebhookFormat(url: URL): WebhookFormat {
  return url.hostname === 'hooks.slack.com' && url.pathname.startsWith('/services/') ? 'slack' : 'json';
}

/**
 * A webhook URL as it may be shown in logs and reports. Webhook URLs often carry their token in the path (Slack,
 * Discord, Teams) or the query, so only the origin and the first path segment are kept:
 * https://hooks.slack.com/services/T0/B0/XYZ → https://hooks.slack.com/services/***.
 */
export function describeWebhookUrl(url: URL): string {
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  let path = segments.length === 0 ? '/' : `/${segments[0]}`;
  if (segments.length > 1) path += '/***';
  return `${url.protocol}//${url.host}${path}${url.search === '' ? '' : '?***'}`;
}
