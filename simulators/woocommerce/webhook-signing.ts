/**
 * What a delivery and a ping carry besides the body: the Hookshot User-Agent, the X-WC-Webhook-* headers with the
 * HMAC-SHA256 signature of the exact body (base64, keyed by the webhook's secret) and the delivery id.
 */
import { createHmac } from 'node:crypto';
import type { WebhookEvent, WebhookResource } from './context';
import type { Webhook } from './webhook-subscriptions';

export const WOO_VERSION = '9.4.2';
export const WP_VERSION = '6.7.1';
export const HOOKSHOT_USER_AGENT = `WooCommerce/${WOO_VERSION} Hookshot (WordPress/${WP_VERSION})`;

/** X-WC-Webhook-Signature: base64 HMAC-SHA256 of the body as sent, keyed by the webhook's secret. */
export function webhookSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/** The headers of a delivery of `body` (already encoded) at `nowMs`, and its delivery id. */
export function deliveryHeaders(
  webhook: Webhook,
  resource: WebhookResource,
  event: WebhookEvent,
  body: string,
  storeUrl: string,
  nowMs: number,
): { deliveryId: string; headers: Record<string, string> } {
  const second = Math.floor(nowMs / 1000);
  // wp_hash( $this->get_id() . strtotime( 'now' ) ): same webhook, same second → same id. Not unique.
  const deliveryId = createHmac('md5', 'woo-sim-wp-hash-salt').update(`${webhook.id}${second}`).digest('hex');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': HOOKSHOT_USER_AGENT,
    'X-WC-Webhook-Source': `${storeUrl}/`,
    'X-WC-Webhook-Topic': webhook.topic,
    'X-WC-Webhook-Resource': resource,
    'X-WC-Webhook-Event': event,
    'X-WC-Webhook-Signature': webhookSignature(webhook.secret, body),
    'X-WC-Webhook-ID': String(webhook.id),
    'X-WC-Webhook-Delivery-ID': deliveryId,
  };
  return { deliveryId, headers };
}

/**
 * WC_Webhook::deliver_ping()'s request: form body `webhook_id=<id>`, the same Hookshot User-Agent as deliveries, no
 * X-WC headers, no signature.
 */
export function pingRequest(webhook: Webhook): { body: string; headers: Record<string, string> } {
  return {
    body: `webhook_id=${webhook.id}`,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': HOOKSHOT_USER_AGENT,
    },
  };
}
