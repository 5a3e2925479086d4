/**
 * Real webhook deliveries, captured and sent again byte for byte, for the fault tests: the store's order webhooks are
 * pointed at a sink while an order is placed, so the delivery reaches nobody; the WooCommerce simulator's delivery log
 * keeps its exact signed bytes and headers, which a test then sends to the receiver as often as it likes.
 */
import { createHmac } from 'node:crypto';
import type { SyncStack } from '../../dev/sync-stack';
import type { CheckoutInput, WooOrderJson } from '../../simulators/woocommerce';
import { startWebhookReceiver } from '../../simulators/woocommerce/test-support';

/** One delivery as WooCommerce sent it: its headers and the exact body bytes it signed. */
export interface CapturedDelivery {
  topic: string;
  headers: Record<string, string>;
  rawBody: string;
}

/** What the receiver answered. */
export interface ReceiverAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Places `draft` while the stack's order webhooks deliver to a sink, and returns the order with its `order.created`
 * delivery (exact bytes and headers from the simulator's delivery log). The webhooks point at the receiver again
 * afterwards; nothing reached the receiver, so no workflow exists for the order yet.
 */
export async function placeOrderCapturingDelivery(stack: SyncStack, draft: CheckoutInput): Promise<{ order: WooOrderJson; delivery: CapturedDelivery }> {
  const sink = await startWebhookReceiver();
  const hooks = stack.woo.control.listWebhooks().filter((w) => w.delivery_url === stack.webhookUrl);
  try {
    for (const hook of hooks) stack.woo.control.updateWebhook(Number(hook.id), { delivery_url: sink.url });
    const order = stack.woo.control.placeOrder(draft);
    await stack.woo.control.flushDeliveries({ runNow: true });
    const entry = stack.woo.control.deliveries({ resourceId: order.id, kind: 'delivery' }).find((d) => d.topic === 'order.created' && d.success);
    if (!entry) throw new Error(`no order.created delivery was logged for order ${order.id}`);
    return { order, delivery: { topic: entry.topic, headers: { ...entry.requestHeaders }, rawBody: entry.rawBody } };
  } finally {
    for (const hook of hooks) stack.woo.control.updateWebhook(Number(hook.id), { delivery_url: stack.webhookUrl });
    await sink.close();
  }
}

/** Sends a delivery to `url` as WooCommerce would (same headers, same bytes); `headers` override or add headers. */
export async function sendDelivery(url: string, delivery: CapturedDelivery, headers: Record<string, string> = {}): Promise<ReceiverAnswer> {
  const response = await fetch(url, { method: 'POST', headers: { ...delivery.headers, ...headers }, body: delivery.rawBody });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body };
}

/** A delivery of `rawBody` under `topic`, signed with the store's webhook secret exactly as WooCommerce signs. */
export function signedDelivery(stack: SyncStack, topic: string, rawBody: string): CapturedDelivery {
  const [resource = 'order', event = 'updated'] = topic.split('.');
  return {
    topic,
    rawBody,
    headers: {
      'Content-Type': 'application/json',
      'X-WC-Webhook-Source': stack.store.url,
      'X-WC-Webhook-Topic': topic,
      'X-WC-Webhook-Resource': resource,
      'X-WC-Webhook-Event': event,
      'X-WC-Webhook-Signature': createHmac('sha256', stack.store.webhookSecret).update(rawBody, 'utf8').digest('base64'),
      'X-WC-Webhook-ID': '1',
      'X-WC-Webhook-Delivery-ID': 'test-delivery',
    },
  };
}
