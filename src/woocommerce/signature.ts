/**
 * WooCommerce webhook signatures: `X-WC-Webhook-Signature` = base64(HMAC-SHA256(raw body, webhook secret)).
 * WooCommerce signs the exact bytes `wp_json_encode` produced (`\/`, `\uXXXX` escapes): verify those raw bytes, before
 * any parsing — re-serialising a parsed body would never match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** base64(HMAC-SHA256(rawBody, secret)), as WooCommerce computes it. */
export function webhookSignature(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * true when `signature` is the signature of `rawBody` under `secret`. Constant-time over equal lengths; a missing,
 * empty or differently sized signature is false (never an exception). An empty secret never verifies.
 */
export function verifyWebhookSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (typeof signature !== 'string' || signature === '' || secret === '') return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
