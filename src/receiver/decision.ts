/**
 * What the webhook receiver does with one delivery, decided without any I/O: given the delivery's headers, its raw
 * body and the configured stores, `decideDelivery` says whether it is the creation ping, from an unknown store, badly
 * signed, of a topic that starts nothing, unreadable, about an order already settled, or an order to start. The HTTP
 * server (./server) answers, counts, logs and starts accordingly.
 */
import { findStoreBySource, type StoreSettings } from '../config';
import type { OrderContext } from '../order-starter';
import { orderContextOf } from '../outcome';
import { settledReason } from '../woocommerce/order-meta';
import { nothingToFollow } from '../woocommerce/order-digest';
import { wooOrderSchema } from '../woocommerce/order';
import { verifyWebhookSignature } from '../woocommerce/signature';

/** Topics that start (or reach) the order workflow. */
export const ORDER_TOPICS: ReadonlySet<string> = new Set(['order.created', 'order.updated', 'order.restored', 'order.deleted']);

/** One delivery as it arrived: the X-WC headers it carries (each its first value, undefined when absent) and the raw body. */
export interface Delivery {
  /** `X-WC-Webhook-Topic`. */
  topic: string | undefined;
  /** `X-WC-Webhook-Source`: the store's URL. */
  source: string | undefined;
  /** `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body with the store's webhook secret. */
  signature: string | undefined;
  /** The body's bytes, exactly as received (the signature is over them). */
  body: Buffer;
}

/** What to do with a delivery. Every kind but `start` starts nothing. */
export type DeliveryDecision =
  /** The creation ping (`webhook_id=N`, none of the X-WC headers): 200. */
  | { kind: 'ping'; webhookId: string }
  /** `X-WC-Webhook-Source` missing or not a configured store: 401. */
  | { kind: 'unknownStore' }
  /** Signature missing or wrong for the store the source names: 401. */
  | { kind: 'badSignature'; store: StoreSettings }
  /** Correctly signed, not an order topic: 200. */
  | { kind: 'ignoredTopic'; store: StoreSettings; topic: string }
  /** Correctly signed order delivery without a readable order ID: 200 (WooCommerce never retries), logged at error. */
  | { kind: 'unreadableOrder'; store: StoreSettings; topic: string; reason: string; code?: string }
  /** The order is settled (skipped, Failed) or NetSuite has heard everything it says: 200, `why` says which. */
  | { kind: 'alreadySynced'; store: StoreSettings; topic: string; orderId: number; why: string }
  /** Start (or reach) the order workflow of `orderId`, with what the payload shows of the order. */
  | { kind: 'start'; store: StoreSettings; topic: string; orderId: number; context?: OrderContext };

/** A creation ping: form body `webhook_id=N` and none of the X-WC headers. */
function isPing(delivery: Delivery): boolean {
  if (delivery.topic !== undefined || delivery.source !== undefined || delivery.signature !== undefined) return false;
  return /^webhook_id=\d+$/.test(delivery.body.toString('latin1').trim());
}

type OrderPayload =
  { ok: true; orderId: number; settled: string | undefined; context: OrderContext | undefined } | { ok: false; reason: string; code?: string };

/** The order ID (a positive integer `id`) and whether the payload already names a NetSuite sales order. */
function readOrderPayload(raw: Buffer): OrderPayload {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'the body is not a JSON object' };
  const record = body as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    // WooCommerce sends the REST error body when the resource vanished before the delivery ran: keep its code.
    const code = typeof record.code === 'string' ? record.code.slice(0, 100) : undefined;
    return { ok: false, reason: 'the body has no positive integer id', ...(code !== undefined ? { code } : {}) };
  }
  // The payload is the order as WooCommerce built it when the delivery ran. Its meta says whether it is settled (an
  // operator's skip, Failed); one that names its sales order is read as a whole — when it reads, its lifecycle digest
  // says whether NetSuite already heard everything it says. Anything else (a new order, order.deleted's bare ID) is
  // looked at, without the cost of reading the whole order: the answer to a burst of new orders waits for nothing.
  const meta = Array.isArray(record.meta_data)
    ? record.meta_data.filter(
        (m): m is { key: string; value: unknown } => typeof m === 'object' && m !== null && typeof (m as { key?: unknown }).key === 'string',
      )
    : [];
  const settled = settledReason({ meta_data: meta });
  const context = orderContextOf(record);
  if (settled !== 'already synced') return { ok: true, orderId: id, settled, context };
  const order = wooOrderSchema.safeParse(record);
  return { ok: true, orderId: id, settled: order.success ? nothingToFollow(order.data) : undefined, context };
}

/**
 * Decides what to do with a delivery, in the order the receiver has always checked: the ping, the store, the
 * signature (over the raw bytes, before any parsing), the topic, then the payload. Pure: no I/O, no clock.
 */
export function decideDelivery(delivery: Delivery, stores: readonly StoreSettings[]): DeliveryDecision {
  if (isPing(delivery)) return { kind: 'ping', webhookId: delivery.body.toString('latin1').trim().slice('webhook_id='.length) };

  const store = findStoreBySource(stores, delivery.source);
  if (store === undefined) return { kind: 'unknownStore' };
  if (!verifyWebhookSignature(delivery.body, delivery.signature, store.webhookSecret)) return { kind: 'badSignature', store };

  const topic = delivery.topic ?? '';
  if (!ORDER_TOPICS.has(topic)) return { kind: 'ignoredTopic', store, topic };

  const payload = readOrderPayload(delivery.body);
  if (!payload.ok) return { kind: 'unreadableOrder', store, topic, reason: payload.reason, ...(payload.code !== undefined ? { code: payload.code } : {}) };
  // Our own meta write (sales-order ID and lifecycle digest, Failed, SkippedByOperator) fires order.updated: do not start the workflow again for it.
  if (payload.settled) return { kind: 'alreadySynced', store, topic, orderId: payload.orderId, why: payload.settled };
  return { kind: 'start', store, topic, orderId: payload.orderId, ...(payload.context ? { context: payload.context } : {}) };
}
