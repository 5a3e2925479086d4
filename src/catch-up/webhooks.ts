/**
 * Our webhooks, kept delivering. WooCommerce disables a webhook after more than five failed deliveries in a row
 * (`woocommerce_max_webhook_delivery_failures`) and never turns it back on: a receiver restart or a Temporal outage
 * during a sale is enough, and from then on only this poller would see new orders. Each poll turns ours back on.
 *
 * Ours: an `order.*` topic delivered to a URL whose path ends with the receiver's WEBHOOK_PATH. Only `disabled`
 * webhooks are touched — `paused` is what an admin chooses. If the key may not read webhooks, the poll goes on
 * (its orders matter more) and says why in its result.
 */
import { WEBHOOK_PATH } from '../api';
import type { WooClient } from '../woocommerce/client';
import type { WooWebhook } from '../woocommerce/client-webhooks';

export interface WebhookRevival {
  /** Our webhooks found disabled and turned back on. */
  reactivated: { id: number; topic: string }[];
  /** Why the webhooks could not be checked, when they could not. */
  uncheckedReason?: string;
}

/** True for a webhook this integration relies on. */
export function isOurWebhook(webhook: Pick<WooWebhook, 'topic' | 'deliveryUrl'>): boolean {
  if (!webhook.topic.startsWith('order.')) return false;
  try {
    return new URL(webhook.deliveryUrl).pathname.replace(/\/+$/, '').endsWith(WEBHOOK_PATH);
  } catch {
    return false;
  }
}

export async function reviveWebhooks(woo: WooClient, signal?: AbortSignal): Promise<WebhookRevival> {
  const options = signal ? { signal } : {};
  let disabled: WooWebhook[];
  try {
    disabled = (await woo.listWebhooks('disabled', options)).filter(isOurWebhook);
  } catch (error) {
    return { reactivated: [], uncheckedReason: `listing the store's webhooks failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const reactivated: WebhookRevival['reactivated'] = [];
  for (const webhook of disabled) {
    await woo.activateWebhook(webhook.id, options);
    reactivated.push({ id: webhook.id, topic: webhook.topic });
  }
  return { reactivated };
}
