import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Dbbackup-Signature';

/**
 * "sha256=<hex HMAC-SHA256 of the exact body bytes>" (GitHub's scheme). A receiver recomputes it over the raw request
 * body, before any JSON parsing, and compares with crypto.timingSafeEqual.
 */
export function webhookSignature(body: Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
