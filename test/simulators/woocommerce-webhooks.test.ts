import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { startWebhookReceiver, wooClient, type WebhookReceiver } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 11 });
const sku = (sellableItems(catalog)[0] as { sku: string }).sku;
const unicodeCustomer = catalog.customers.find((c) => /[\u0080-\uffff]/.test(c.firstName + c.lastName)) ?? catalog.customers[0];

let sim: WooCommerceSimulator;
let receiver: WebhookReceiver;

function place(status: 'pending' | 'processing' | 'on-hold' | 'completed' = 'processing'): Json {
  return sim.control.placeOrder({
    customerEmail: unicodeCustomer?.emailAsTyped,
    lines: [{ sku, quantity: 1 }],
    paymentMethodId: 'stripe',
    status,
    customerNote: 'Please leave at the door — merci! 🚪',
  }) as Json;
}

const verify = (rawBody: Buffer, secret: string, header: string | string[] | undefined): boolean => {
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'));
  const given = Buffer.from(String(header));
  return expected.length === given.length && timingSafeEqual(expected, given);
};

beforeEach(async () => {
  sim = await startWooCommerceSimulator({ catalog, webhookDelivery: { delayMs: 30 } });
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe('ping', () => {
  test('creating a webhook pings the delivery URL with exactly webhook_id=<id> and no signature', async () => {
    const webhook = await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    assert.equal(receiver.requests.length, 1);
    const ping = receiver.requests[0];
    assert.ok(ping);
    assert.equal(ping.method, 'POST');
    assert.equal(ping.rawBody.toString('utf8'), `webhook_id=${webhook.id}`);
    assert.equal(ping.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(
      ping.headers['user-agent'],
      'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
      'the ping carries the Hookshot agent, as WC_Webhook::deliver_ping sends it',
    );
    assert.equal(ping.headers['x-wc-webhook-signature'], undefined);
    assert.ok(!Object.keys(ping.headers).some((h) => h.startsWith('x-wc-')));
    assert.deepEqual(webhook.ping, { success: true, status: 200, error: null });
  });

  test('a failed ping is recorded but the webhook is still created (REST too)', async () => {
    receiver.respondWith = 201; // only 200 counts for a ping
    const api = wooClient(sim);
    const response = await api.request('POST', '/webhooks', { name: 'Orders', topic: 'order.updated', delivery_url: receiver.url });
    assert.equal(response.status, 201);
    const body = response.body as Json;
    assert.equal(body.status, 'active');
    assert.equal(body.resource, 'order');
    assert.equal(body.event, 'updated');
    assert.deepEqual(body.hooks, ['woocommerce_update_order', 'woocommerce_order_refunded']);
    const view = sim.control.listWebhooks()[0] as Json;
    assert.deepEqual(view.ping, { success: false, status: 201, error: null });
    assert.equal((await api.get(`/webhooks/${body.id}`)).status, 200);
  });
});

describe('deliveries', () => {
  test('a delivery is signed over the raw body bytes, which are escaped like wp_json_encode', async () => {
    const webhook = await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url, secret: 'sëcret/with-ünicode' });
    const order = place();
    const [delivery] = await receiver.waitForDeliveries(1);
    assert.ok(delivery);
    assert.ok(verify(delivery.rawBody, 'sëcret/with-ünicode', delivery.headers['x-wc-webhook-signature']));
    assert.ok(!verify(delivery.rawBody, 'other', delivery.headers['x-wc-webhook-signature']));
    const raw = delivery.rawBody.toString('latin1');
    assert.match(raw, /\\\//, 'slashes are escaped');
    assert.match(raw, /\\u00[0-9a-f]{2}/, 'non-ASCII characters are \\u escaped in lower-case hex');
    assert.match(raw, /\\ud83d\\udeaa/, 'astral characters are surrogate pairs');
    assert.match(raw, /^[\x20-\x7e]*$/);
    const payload = JSON.parse(raw) as Json;
    assert.equal(payload.id, order.id);
    await sim.control.flushDeliveries();
    assert.equal(delivery.headers['content-type'], 'application/json');
    assert.equal(delivery.headers['user-agent'], 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)');
    assert.equal(delivery.headers['x-wc-webhook-source'], `${sim.url}/`);
    assert.equal(delivery.headers['x-wc-webhook-topic'], 'order.created');
    assert.equal(delivery.headers['x-wc-webhook-resource'], 'order');
    assert.equal(delivery.headers['x-wc-webhook-event'], 'created');
    assert.equal(delivery.headers['x-wc-webhook-id'], String(webhook.id));
    assert.match(String(delivery.headers['x-wc-webhook-delivery-id']), /^[0-9a-f]{32}$/);
    const [logged] = sim.control.deliveries({ kind: 'delivery' });
    assert.equal(logged?.rawBody, delivery.rawBody.toString('utf8'));
    assert.equal(logged?.statusCode, 200);
    assert.equal(logged?.resourceId, order.id);
  });

  test('the payload is built when the delivery runs, so it shows the status current at delivery time', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    const order = place('pending');
    sim.control.setOrderStatus(order.id as number, 'cancelled');
    const [delivery] = await receiver.waitForDeliveries(1);
    const payload = JSON.parse(String(delivery?.rawBody)) as Json;
    assert.equal(payload.id, order.id);
    assert.equal(payload.status, 'cancelled');
  });

  test('three quick updates to one order coalesce into one delivery', async () => {
    await sim.control.createWebhook({ topic: 'order.updated', delivery_url: receiver.url });
    const order = place('pending');
    for (const key of ['a', 'b', 'c']) sim.control.updateOrder(order.id as number, { meta_data: [{ key, value: key }] });
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 1);
    const payload = JSON.parse(String(receiver.deliveries()[0]?.rawBody)) as Json;
    assert.deepEqual(
      (payload.meta_data as Json[]).map((m) => m.key),
      ['a', 'b', 'c'],
    );
    assert.equal(sim.control.counters().deliveries.coalesced, 2);
    // After the delivery ran, a new update queues a new delivery.
    sim.control.updateOrder(order.id as number, { meta_data: [{ key: 'd', value: 'd' }] });
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 2);
  });

  test('order.deleted carries only the id', async () => {
    await sim.control.createWebhook({ topic: 'order.deleted', delivery_url: receiver.url });
    const order = place();
    sim.control.deleteOrder(order.id as number);
    const [delivery] = await receiver.waitForDeliveries(1);
    assert.equal(delivery?.rawBody.toString(), `{"id":${order.id}}`);
  });

  test('checkout-draft orders never fire', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    const api = wooClient(sim);
    const created = await api.request('POST', '/orders', { status: 'checkout-draft', line_items: [{ sku, quantity: 1 }] });
    assert.equal(created.status, 201);
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 0);
  });

  test('paused webhooks deliver nothing', async () => {
    const webhook = await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url, status: 'paused' });
    place();
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 0);
    sim.control.updateWebhook(webhook.id as number, { status: 'active' });
    place();
    await receiver.waitForDeliveries(1);
  });
});

describe('failures', () => {
  async function failOnce(orderId: number, n: number): Promise<void> {
    sim.control.updateOrder(orderId, { meta_data: [{ key: 'n', value: n }] });
    await sim.control.flushDeliveries();
  }

  test('a receiver answering 500 disables the webhook on the 7th consecutive failure; nothing more is delivered', async () => {
    const webhook = await sim.control.createWebhook({ topic: 'order.updated', delivery_url: receiver.url });
    receiver.respondWith = 500;
    const order = place('pending');
    for (let n = 1; n <= 6; n++) {
      await failOnce(order.id as number, n);
      const view = sim.control.listWebhooks()[0] as Json;
      assert.equal(view.status, 'active', `still active after failure ${n}`);
      assert.equal(view.failure_count, n);
    }
    await failOnce(order.id as number, 7);
    const view = sim.control.listWebhooks()[0] as Json;
    assert.equal(view.status, 'disabled');
    assert.equal(receiver.deliveries().length, 7);
    assert.equal(
      (await wooClient(sim).get(`/webhooks/${webhook.id}`)).body && ((await wooClient(sim).get(`/webhooks/${webhook.id}`)).body as Json).status,
      'disabled',
    );
    await failOnce(order.id as number, 8);
    assert.equal(receiver.deliveries().length, 7, 'a disabled webhook delivers nothing');
    const counters = sim.control.counters().deliveries;
    assert.equal(counters.failed, 7);
    assert.equal(counters.attempted, 7);
  });

  test('a success in between resets the failure count', async () => {
    await sim.control.createWebhook({ topic: 'order.updated', delivery_url: receiver.url });
    const order = place('pending');
    receiver.respondWith = 503;
    for (let n = 1; n <= 5; n++) await failOnce(order.id as number, n);
    assert.equal((sim.control.listWebhooks()[0] as Json).failure_count, 5);
    receiver.respondWith = 302; // 200–302 is success
    await failOnce(order.id as number, 6);
    assert.equal((sim.control.listWebhooks()[0] as Json).failure_count, 0);
    receiver.respondWith = 404;
    for (let n = 1; n <= 6; n++) await failOnce(order.id as number, 10 + n);
    assert.equal((sim.control.listWebhooks()[0] as Json).status, 'active');
    await failOnce(order.id as number, 20);
    assert.equal((sim.control.listWebhooks()[0] as Json).status, 'disabled');
  });

  test('a connection error is a failure and is not retried', async () => {
    const dead = await startWebhookReceiver();
    const url = dead.url;
    await dead.close();
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: url });
    place();
    await sim.control.flushDeliveries();
    const log = sim.control.deliveries({ kind: 'delivery' });
    assert.equal(log.length, 1);
    assert.equal(log[0]?.statusCode, null);
    assert.ok(log[0]?.error);
    assert.equal((sim.control.listWebhooks()[0] as Json).failure_count, 1);
  });

  test('a delivery timing out is a failure', async () => {
    const slow = await startWooCommerceSimulator({ catalog, webhookDelivery: { delayMs: 1, timeoutMs: 100 } });
    const hang = await startWebhookReceiver();
    hang.respondWith = (request) => (request.headers['x-wc-webhook-topic'] ? 'hang' : 200);
    try {
      await slow.control.createWebhook({ topic: 'order.created', delivery_url: hang.url });
      slow.control.placeOrder({ customerEmail: 'a@example.com', lines: [{ sku, quantity: 1 }], paymentMethodId: 'cod' });
      await slow.control.flushDeliveries();
      const [entry] = slow.control.deliveries({ kind: 'delivery' });
      assert.equal(entry?.success, false);
      assert.match(String(entry?.error), /timeout/);
    } finally {
      await slow.close();
      await hang.close();
    }
  });
});

describe('fault injection', () => {
  test('drop fraction 1 delivers nothing', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ dropFraction: 1 });
    place();
    place();
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 0);
    assert.equal(sim.control.counters().deliveries.dropped, 2);
  });

  test('duplicate fraction 1 delivers every delivery twice', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ duplicateFraction: 1 });
    const order = place();
    await sim.control.flushDeliveries();
    const deliveries = receiver.deliveries();
    assert.equal(deliveries.length, 2);
    assert.deepEqual(
      deliveries.map((d) => (JSON.parse(String(d.rawBody)) as Json).id),
      [order.id, order.id],
    );
    assert.equal(sim.control.counters().deliveries.duplicated, 1);
  });

  test('duplicateCopies sends a duplicated delivery that many times in total', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    assert.equal(sim.control.setWebhookFaults({}).duplicateCopies, 2, 'default 2');
    sim.control.setWebhookFaults({ duplicateFraction: 1, duplicateCopies: 3 });
    const order = place();
    await sim.control.flushDeliveries();
    const deliveries = receiver.deliveries();
    assert.deepEqual(
      deliveries.map((d) => (JSON.parse(String(d.rawBody)) as Json).id),
      [order.id, order.id, order.id],
    );
    assert.equal(new Set(deliveries.map((d) => String(d.rawBody))).size, 1, 'the copies are the same body');
    assert.deepEqual(
      sim.control.deliveries({ kind: 'delivery' }).map((d) => d.duplicate),
      [false, true, true],
    );
    const counters = sim.control.counters().deliveries;
    assert.equal(counters.duplicated, 2, 'two extra copies');
    assert.equal(counters.attempted, 3);
  });

  test('delayed deliveries arrive out of order, all of them, and flushDeliveries waits for them', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ delayFraction: 1, delayMaxMs: 600 });
    const placed = Array.from({ length: 8 }, () => place().id as number);
    const started = Date.now();
    await sim.control.flushDeliveries();
    const arrived = receiver.deliveries().map((d) => (JSON.parse(String(d.rawBody)) as Json).id as number);
    assert.equal(arrived.length, 8, 'flushDeliveries resolved only once every delayed delivery was sent');
    assert.deepEqual(
      [...arrived].sort((a, b) => a - b),
      [...placed].sort((a, b) => a - b),
    );
    assert.notDeepEqual(arrived, placed, 'random delays reorder the deliveries');
    assert.ok(Date.now() - started < 600 + 2000);
    assert.equal(sim.control.counters().deliveries.delayed, 8);
  });

  test('a delay fraction picks some deliveries (seeded), counted and logged with their delay; runNow sends them at once', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ delayFraction: 0.5, delayMaxMs: 60_000 });
    for (let i = 0; i < 20; i++) place();
    const { delayed } = sim.control.counters().deliveries;
    assert.ok(delayed > 0 && delayed < 20, `some but not all deliveries delayed (${delayed} of 20)`);
    // The others are due after delayMs (30 ms); the delayed ones (up to a minute) are still pending.
    await receiver.waitForDeliveries(20 - delayed);
    assert.ok(
      sim.control.deliveries({ kind: 'delivery' }).every((d) => d.delayedMs === undefined),
      'the prompt ones carry no delay',
    );
    const started = Date.now();
    await sim.control.flushDeliveries({ runNow: true });
    assert.ok(Date.now() - started < 5000, 'runNow does not wait for the delay');
    const log = sim.control.deliveries({ kind: 'delivery' });
    assert.equal(log.length, 20);
    const logged = log.filter((d) => d.delayedMs !== undefined);
    assert.equal(logged.length, delayed);
    assert.ok(logged.every((d) => (d.delayedMs as number) >= 0 && (d.delayedMs as number) < 60_000));
  });

  test('a delay fraction without delayMaxMs delays nothing', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ delayFraction: 1 });
    place();
    await sim.control.flushDeliveries();
    assert.equal(receiver.deliveries().length, 1);
    assert.equal(sim.control.counters().deliveries.delayed, 0);
  });

  test('close() clears the timers of delayed deliveries', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ delayFraction: 1, delayMaxMs: 600_000, extraDelayMs: 60_000 });
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 5; i++) place();
    assert.ok(timers() >= before + 5, 'each delayed delivery holds a timer');
    await sim.close();
    assert.ok(timers() <= before, `no delivery timer left after close (${timers()} timers, ${before} before)`);
    sim = await startWooCommerceSimulator({ catalog, webhookDelivery: { delayMs: 30 } }); // for afterEach
  });

  test('webhook fault input is validated in process and over HTTP; PUT answers the faults in force', async () => {
    const put = async (body: unknown): Promise<{ status: number; body: Json }> => {
      const response = await fetch(`${sim.controlUrl}/control/webhooks/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const ok = await put({ delayFraction: 0.25, delayMaxMs: 500, duplicateCopies: 4 });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { dropFraction: 0, duplicateFraction: 0, duplicateCopies: 4, extraDelayMs: 0, delayFraction: 0.25, delayMaxMs: 500 });
    assert.deepEqual(
      sim.control.setWebhookFaults({ extraDelayMs: 10 }),
      { dropFraction: 0, duplicateFraction: 0, duplicateCopies: 4, extraDelayMs: 10, delayFraction: 0.25, delayMaxMs: 500 },
      'omitted fields keep their value',
    );
    for (const [body, message] of [
      [{ duplicateCopies: 1 }, /duplicateCopies must be ≥ 2/],
      [{ duplicateCopies: 2.5 }, /duplicateCopies must be a whole number/],
      [{ delayFraction: 1.5 }, /delayFraction must be between 0 and 1/],
      [{ delayMaxMs: -1 }, /delayMaxMs must be ≥ 0/],
      [{ delayMaxMs: 'soon' }, /delayMaxMs must be a whole number of ms/],
      [{ delayFractoin: 0.5 }, /delayFractoin/],
    ] as const) {
      const response = await put(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(String(response.body.error), message);
    }
    assert.throws(() => sim.control.setWebhookFaults({ duplicateCopies: 0 }), /duplicateCopies must be ≥ 2/);
    assert.equal(sim.control.setWebhookFaults({}).duplicateCopies, 4, 'a refused input changes nothing');
  });

  test('extra delay postpones the delivery', async () => {
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: receiver.url });
    sim.control.setWebhookFaults({ extraDelayMs: 300 });
    const started = Date.now();
    place();
    await receiver.waitForDeliveries(1);
    assert.ok(Date.now() - started >= 300);
  });
});

describe('webhook REST API', () => {
  test('webhooks can be listed, paused and deleted over REST; restoring a trashed order fires order.restored', async () => {
    const api = wooClient(sim);
    const created = (await api.request('POST', '/webhooks', { topic: 'order.restored', delivery_url: receiver.url, secret: 'x' })).body as Json;
    assert.equal(created.secret, 'x');
    const list = (await api.get('/webhooks')).body as Json[];
    assert.deepEqual(
      list.map((w) => w.id),
      [created.id],
    );
    const order = place();
    sim.control.deleteOrder(order.id as number);
    sim.control.restoreOrder(order.id as number);
    const [delivery] = await receiver.waitForDeliveries(1);
    assert.equal(delivery?.headers['x-wc-webhook-event'], 'restored');
    const paused = (await api.request('PUT', `/webhooks/${created.id}`, { status: 'paused' })).body as Json;
    assert.equal(paused.status, 'paused');
    const badTopic = await api.request('POST', '/webhooks', { topic: 'order.exploded', delivery_url: receiver.url });
    assert.equal(badTopic.status, 400);
    assert.equal((await api.request('DELETE', `/webhooks/${created.id}?force=true`)).status, 200);
    assert.equal((await api.get(`/webhooks/${created.id}`)).status, 404);
  });
});

describe('product webhooks', () => {
  test('a REST product update fires product.updated with the product JSON', async () => {
    await sim.control.createWebhook({ topic: 'product.updated', delivery_url: receiver.url });
    const product = sim.control.getProductBySku(sku);
    const api = wooClient(sim);
    await api.request('PUT', `/products/${product.id}`, { stock_quantity: 42 });
    const [delivery] = await receiver.waitForDeliveries(1);
    const payload = JSON.parse(String(delivery?.rawBody)) as Json;
    assert.equal(payload.stock_quantity, 42);
    assert.equal(delivery?.headers['x-wc-webhook-resource'], 'product');
  });
});
