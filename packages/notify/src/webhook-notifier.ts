import { NotifyDeliveryError } from './errors.js';
import type { NotificationMessage } from './notification-message.js';
import type { Notifier, NotifierDelivery, NotifierSendOptions } from './notifier.js';
import type { WebhookConfig } from './notify-config.js';
import { oneLine, type Redactor } from './redactor.js';
import { slackPayload } from './slack-payload.js';
import { webhookPayload } from './webhook-payload.js';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature.js';
import { describeWebhookUrl } from './webhook-url.js';

/** Response bodies are read only this far: enough for an error explanation, bounded for a misbehaving receiver. */
const MAX_RESPONSE_BODY = 2000;

/**
 * POSTs each message as JSON (see webhook-payload.ts) or as a Slack `{"text"}` body, through the global fetch with
 * a timeout. With a secret, the exact body bytes are signed (X-Dbbackup-Signature). Any non-2xx answer is a failure
 * naming the status; 3xx and 4xx other than 408/429 are permanent (the same request would be refused again).
 */
export class WebhookNotifier implements Notifier {
  readonly kind: string;
  readonly target: string;
  readonly #config: WebhookConfig;
  readonly #timeoutMs: number;
  readonly #redact: Redactor;

  constructor(config: WebhookConfig, options: { timeoutMs: number; redact: Redactor; kind?: string }) {
    this.#config = config;
    this.#timeoutMs = options.timeoutMs;
    this.#redact = options.redact;
    this.kind = options.kind ?? 'webhook';
    const signed = config.secret === null ? '' : ', signed';
    this.target = `${describeWebhookUrl(config.url)} (${config.format}${signed})`;
  }

  async send(message: NotificationMessage, options: NotifierSendOptions = {}): Promise<NotifierDelivery> {
    const payload = this.#config.format === 'slack' ? slackPayload(message) : webhookPayload(message);
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'dbbackup-notify',
    };
    if (this.#config.secret !== null) headers[SIGNATURE_HEADER] = webhookSignature(body, this.#config.secret.reveal());
    const transcript =
      options.transcript === undefined ? undefined : (line: string) => options.transcript?.(this.#redact(line));
    transcript?.(`POST ${describeWebhookUrl(this.#config.url)}`);
    for (const [name, value] of Object.entries(headers)) transcript?.(`> ${name}: ${value}`);
    transcript?.(`> (${body.length} bytes of ${this.#config.format} body)`);

    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    let response: Response;
    let responseText: string;
    try {
      response = await fetch(this.#config.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      responseText = await readBounded(response);
    } catch (error) {
      throw this.#requestError(error, timeout, options.signal);
    }
    const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
    transcript?.(`< ${status}`);
    if (responseText !== '') for (const line of responseText.split(/\r?\n/)) transcript?.(`< ${line}`);
    const answer = oneLine(this.#redact(responseText), 200);
    if (!response.ok) {
      // Redirects are not followed (a signed POST should not wander to another host) and, like most 4xx, repeat.
      const permanent =
        response.status >= 300 && response.status < 500 && response.status !== 408 && response.status !== 429;
      const hint = response.status < 400 ? ' (redirects are not followed: set the final URL)' : '';
      throw new NotifyDeliveryError(`${status}${hint}${answer === '' ? '' : `: ${answer}`}`, { permanent });
    }
    return { response: answer === '' ? status : `${status}: ${answer}` };
  }

  async close(): Promise<void> {}

  #requestError(error: unknown, timeout: AbortSignal, closing: AbortSignal | undefined): NotifyDeliveryError {
    if (closing?.aborted === true)
      return new NotifyDeliveryError('abandoned: close() stopped waiting', { permanent: true });
    if (timeout.aborted) return new NotifyDeliveryError(`no answer within ${this.#timeoutMs} ms (NOTIFY_TIMEOUT)`);
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    const reason = cause?.message ?? cause?.code ?? (error as Error).message ?? String(error);
    return new NotifyDeliveryError(oneLine(this.#redact(`request failed: ${reason}`)), { cause: error });
  }
}

async function readBounded(response: Response): Promise<string> {
  if (response.body === null) return '';
  const decoder = new TextDecoder();
  let text = '';
  const reader = response.body.getReader();
  try {
    while (text.length < MAX_RESPONSE_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.length > MAX_RESPONSE_BODY ? `${text.slice(0, MAX_RESPONSE_BODY)}…` : text;
}
