import { createHmac } from 'node:crypto';

export const WEBHOOK_SECRET = 'whsec-0123456789abcdef';

/** What a receiver does: recompute the HMAC over the raw body bytes. */
export function expectedSignature(body: Buffer, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function parseBody(body: Buffer): Record<string, unknown> {
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
}
