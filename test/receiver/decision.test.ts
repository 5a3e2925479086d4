/**
 * The receiver's decision (src/receiver/decision.ts), delivery by delivery and without a server: every outcome the
 * receiver has — the creation ping, an unknown or malformed source, a bad signature, a topic that starts nothing, an
 * unreadable payload, an order already settled or already heard by NetSuite, and an order to start — from the
 * headers and bytes WooCommerce sends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoreSettings } from '../../src/config';
import { decideDelivery, ORDER_TOPICS, type Delivery, type DeliveryDecision } from '../../src/receiver/decision';
import { lifecycleDigest } from '../../src/woocommerce/order-digest';
import { ORDER_META, SKIPPED_BY_OPERATOR } from '../../src/woocommerce/order-meta';
import { wooOrderSchema } from '../../src/woocommerce/order';
import { webhookSignature } from '../../src/woocommerce/signature';
import { wooOrderJson } from '../helpers/woo-order';

const stores: StoreSettings[] = [
  { name: 'main', url: 'https://shop.example.com/', consumerKey: 'ck_main', consumerSecret: 'cs_main', webhookSecret: 'whsec-main-4c1d8e0b9a7f' },
  {
    name: 'outlet',
    url: 'https://outlet.example.com/shop/',
    consumerKey: 'ck_outlet',
    consumerSecret: 'cs_outlet',
    webhookSecret: 'whsec-outlet-2b6e5f1a3c9d',
  },
];
const [main, outlet] = stores as [StoreSettings, StoreSettings];

/** An order payload as WooCommerce delivers it (order.created / order.updated), with `extra` over the defaults. */
const orderPayload = wooOrderJson;

/** What the payload above shows of the order (number, line count, total, currency). */
const orderContext = { orderNumber: '200', lineCount: 2, total: '50.00', currency: 'USD' };

/** The meta our own write leaves on a synced order: its sales order, and the lifecycle digest of `heard` as NetSuite heard it. */
function syncedMeta(heard: Record<string, unknown>): { key: string; value: string }[] {
  const digest = lifecycleDigest(wooOrderSchema.parse(heard));
  return [
    { key: ORDER_META.salesOrderId, value: '5001' },
    { key: ORDER_META.lifecycle, value: JSON.stringify({ digest, applied: {}, acknowledged: [] }) },
  ];
}

/** A delivery as WooCommerce sends it: signed with `secret` over exactly `body`. */
function signed(body: string | Record<string, unknown>, options: { topic?: string; source?: string; secret?: string } = {}): Delivery {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    topic: 'topic' in options ? options.topic : 'order.updated',
    source: 'source' in options ? options.source : main.url,
    signature: webhookSignature(bytes, options.secret ?? main.webhookSecret),
    body: bytes,
  };
}

/** A delivery with only a body (no X-WC header at all). */
const bare = (body: string): Delivery => ({ topic: undefined, source: undefined, signature: undefined, body: Buffer.from(body) });

/** The decision with its store named rather than the settings object (secrets included) in full. */
function named(decision: DeliveryDecision): Record<string, unknown> {
  return 'store' in decision ? { ...decision, store: decision.store.name } : { ...decision };
}

interface Case {
  name: string;
  delivery: Delivery;
  expected: Record<string, unknown>;
}

const cases: Case[] = [
  // The creation ping.
  { name: 'the creation ping', delivery: bare('webhook_id=17'), expected: { kind: 'ping', webhookId: '17' } },
  { name: 'the creation ping with a trailing newline', delivery: bare('webhook_id=17\r\n'), expected: { kind: 'ping', webhookId: '17' } },
  {
    name: 'a ping-shaped body with a topic header is not a ping (and has no source)',
    delivery: { ...bare('webhook_id=17'), topic: 'order.updated' },
    expected: { kind: 'unknownStore' },
  },
  {
    name: 'a ping-shaped body with a signature header is not a ping',
    delivery: { ...bare('webhook_id=17'), signature: 'c2lnbmF0dXJl' },
    expected: { kind: 'unknownStore' },
  },
  { name: 'a form body that is not `webhook_id=<digits>` is not a ping', delivery: bare('webhook_id=abc'), expected: { kind: 'unknownStore' } },

  // The store, by X-WC-Webhook-Source.
  { name: 'no source', delivery: { ...signed(orderPayload()), source: undefined }, expected: { kind: 'unknownStore' } },
  { name: 'a source no store has', delivery: signed(orderPayload(), { source: 'https://other.example.com/' }), expected: { kind: 'unknownStore' } },
  { name: 'a malformed source', delivery: signed(orderPayload(), { source: 'not a url' }), expected: { kind: 'unknownStore' } },
  {
    name: "the store's URL without its trailing slash, host in capitals",
    delivery: signed(orderPayload(), { source: 'https://SHOP.example.com' }),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  },
  {
    name: 'the second store, by its own source and secret',
    delivery: signed(orderPayload(), { source: outlet.url, secret: outlet.webhookSecret }),
    expected: { kind: 'start', store: 'outlet', topic: 'order.updated', orderId: 200, context: orderContext },
  },

  // The signature, over the raw bytes.
  { name: 'no signature', delivery: { ...signed(orderPayload()), signature: undefined }, expected: { kind: 'badSignature', store: 'main' } },
  { name: 'an empty signature', delivery: { ...signed(orderPayload()), signature: '' }, expected: { kind: 'badSignature', store: 'main' } },
  {
    name: "signed with the other store's secret",
    delivery: signed(orderPayload(), { secret: outlet.webhookSecret }),
    expected: { kind: 'badSignature', store: 'main' },
  },
  {
    name: 'signed over other bytes (the same JSON, re-serialised with spaces)',
    delivery: { ...signed(orderPayload()), body: Buffer.from(JSON.stringify(orderPayload(), null, 1)) },
    expected: { kind: 'badSignature', store: 'main' },
  },
  {
    name: 'a bad signature is found before the topic is looked at',
    delivery: signed(orderPayload(), { topic: 'product.updated', secret: 'wrong' }),
    expected: { kind: 'badSignature', store: 'main' },
  },

  // The topic.
  {
    name: 'a topic that is not an order topic',
    delivery: signed({ id: 5 }, { topic: 'product.updated' }),
    expected: { kind: 'ignoredTopic', store: 'main', topic: 'product.updated' },
  },
  { name: 'no topic', delivery: signed(orderPayload(), { topic: undefined }), expected: { kind: 'ignoredTopic', store: 'main', topic: '' } },
  {
    name: 'an unknown topic is ignored even when its body is unreadable',
    delivery: signed('not json', { topic: 'action.woocommerce_order_status_changed' }),
    expected: { kind: 'ignoredTopic', store: 'main', topic: 'action.woocommerce_order_status_changed' },
  },
  ...['order.created', 'order.updated', 'order.restored'].map((topic): Case => ({
    name: `${topic} of a new order`,
    delivery: signed(orderPayload(), { topic }),
    expected: { kind: 'start', store: 'main', topic, orderId: 200, context: orderContext },
  })),
  {
    name: "order.deleted's bare ID (nothing else to show)",
    delivery: signed({ id: 200 }, { topic: 'order.deleted' }),
    expected: { kind: 'start', store: 'main', topic: 'order.deleted', orderId: 200 },
  },

  // The payload.
  {
    name: 'a body that is not JSON',
    delivery: signed('{"id": 200'),
    expected: { kind: 'unreadableOrder', store: 'main', topic: 'order.updated', reason: 'the body is not valid JSON' },
  },
  {
    name: 'a JSON array',
    delivery: signed('[{"id":200}]'),
    expected: { kind: 'unreadableOrder', store: 'main', topic: 'order.updated', reason: 'the body is not a JSON object' },
  },
  {
    name: 'JSON null',
    delivery: signed('null'),
    expected: { kind: 'unreadableOrder', store: 'main', topic: 'order.updated', reason: 'the body is not a JSON object' },
  },
  ...[{}, { id: 0 }, { id: -4 }, { id: 1.5 }, { id: '200' }, { id: 2 ** 53 }].map((body): Case => ({
    name: `no positive integer id: ${JSON.stringify(body)}`,
    delivery: signed(body),
    expected: { kind: 'unreadableOrder', store: 'main', topic: 'order.updated', reason: 'the body has no positive integer id' },
  })),
  {
    name: 'the REST error body WooCommerce sends when the order vanished: its code is kept',
    delivery: signed({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } }, { topic: 'order.deleted' }),
    expected: {
      kind: 'unreadableOrder',
      store: 'main',
      topic: 'order.deleted',
      reason: 'the body has no positive integer id',
      code: 'woocommerce_rest_shop_order_invalid_id',
    },
  },
  {
    name: 'an error code is cut to 100 characters',
    delivery: signed({ code: 'x'.repeat(150) }),
    expected: { kind: 'unreadableOrder', store: 'main', topic: 'order.updated', reason: 'the body has no positive integer id', code: 'x'.repeat(100) },
  },
  {
    name: 'what the payload shows is kept only when well-formed (a 41-character number, a total that is not decimal)',
    delivery: signed(orderPayload({ number: '9'.repeat(41), total: 'fifty' })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: { lineCount: 2, currency: 'USD' } },
  },

  // Order statuses: the receiver starts every order whatever its status (the workflow decides), unless settled.
  ...['pending', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed'].map((status): Case => ({
    name: `an order not yet synced, status ${status}`,
    delivery: signed(orderPayload({ status })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  })),
  {
    name: 'sync status Failed',
    delivery: signed(orderPayload({ meta_data: [{ key: ORDER_META.syncStatus, value: 'Failed' }] })),
    expected: { kind: 'alreadySynced', store: 'main', topic: 'order.updated', orderId: 200, why: 'sync status Failed' },
  },
  {
    name: 'skipped by an operator',
    delivery: signed(orderPayload({ meta_data: [{ key: ORDER_META.syncStatus, value: SKIPPED_BY_OPERATOR }] })),
    expected: { kind: 'alreadySynced', store: 'main', topic: 'order.updated', orderId: 200, why: `sync status ${SKIPPED_BY_OPERATOR}` },
  },
  {
    name: 'a sync status that does not settle the order (NeedsAttention)',
    delivery: signed(orderPayload({ meta_data: [{ key: ORDER_META.syncStatus, value: 'NeedsAttention' }] })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  },
  {
    name: 'synced, and NetSuite heard everything the payload says (our own meta write)',
    delivery: signed(orderPayload({ meta_data: syncedMeta(orderPayload()) })),
    expected: { kind: 'alreadySynced', store: 'main', topic: 'order.updated', orderId: 200, why: 'already synced, nothing changed since' },
  },
  {
    name: 'synced, then completed (a status NetSuite does not follow)',
    delivery: signed(orderPayload({ status: 'completed', meta_data: syncedMeta(orderPayload()) })),
    expected: { kind: 'alreadySynced', store: 'main', topic: 'order.updated', orderId: 200, why: 'already synced, nothing changed since' },
  },
  {
    name: 'synced, then cancelled',
    delivery: signed(orderPayload({ status: 'cancelled', meta_data: syncedMeta(orderPayload()) })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  },
  {
    name: 'synced, then a line changed',
    delivery: signed(
      orderPayload({
        line_items: [{ id: 11, name: 'Mug', product_id: 1, quantity: 4, subtotal: '40.00', total: '40.00', sku: 'MUG', price: 10 }],
        meta_data: syncedMeta(orderPayload()),
      }),
    ),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: { ...orderContext, lineCount: 1 } },
  },
  {
    name: 'synced, without a lifecycle digest',
    delivery: signed(orderPayload({ meta_data: [{ key: ORDER_META.salesOrderId, value: '5001' }] })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  },
  {
    name: 'synced, but the payload is not a whole order (it cannot say what NetSuite heard)',
    delivery: signed({ id: 200, meta_data: syncedMeta(orderPayload()) }),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200 },
  },
  {
    name: 'meta entries without a string key are passed over',
    delivery: signed(orderPayload({ meta_data: [null, 'Failed', { key: 7, value: 'Failed' }, { value: 'Failed' }] })),
    expected: { kind: 'start', store: 'main', topic: 'order.updated', orderId: 200, context: orderContext },
  },
];

describe('the receiver decides each delivery (decideDelivery)', () => {
  for (const { name, delivery, expected } of cases) {
    test(name, () => {
      assert.deepEqual(named(decideDelivery(delivery, stores)), expected);
    });
  }

  test('the order topics are exactly the four that start or reach the order workflow', () => {
    assert.deepEqual([...ORDER_TOPICS].sort(), ['order.created', 'order.deleted', 'order.restored', 'order.updated']);
  });

  test('the decision returns the settings of the store it matched, and no store at all without stores', () => {
    const decision = decideDelivery(signed(orderPayload(), { source: outlet.url, secret: outlet.webhookSecret }), stores);
    assert.equal('store' in decision && decision.store, outlet);
    assert.deepEqual(decideDelivery(signed(orderPayload()), []), { kind: 'unknownStore' });
  });

  test('pure: the same delivery gives the same decision, and neither the body nor the stores are changed', () => {
    const delivery = signed(orderPayload({ meta_data: syncedMeta(orderPayload()) }));
    const bytes = Buffer.from(delivery.body);
    const storesBefore = structuredClone(stores);
    const first = decideDelivery(delivery, stores);
    assert.deepEqual(decideDelivery(delivery, stores), first);
    assert.deepEqual(delivery.body, bytes);
    assert.deepEqual(stores, storesBefore);
  });
});
