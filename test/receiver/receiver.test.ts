import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { wooClient } from '../../simulators/woocommerce/test-support';
import type { StoreSettings } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { StartOrderRequest } from '../../src/order-starter';
import { createReceiver, WEBHOOK_PATH, type Receiver, type ReceiverStats } from '../../src/receiver';
import { webhookSignature } from '../../src/woocommerce/signature';
import { lifecycleDigest } from '../../src/woocommerce/order-digest';
import { wooOrderSchema } from '../../src/woocommerce/order';

type LogLine = Record<string, unknown> & { level: number; msg: string };

const catalog = generateCatalog({ seed: 21, products: 10, customers: 20 });
const simpleSku = catalog.products.find((p) => p.type === 'simple')?.sku as string;
const nonAsciiCustomer = catalog.customers.find((c) => /[\u0080-\uffff]/.test(`${c.firstName}${c.lastName}`)) ?? catalog.customers[0];
const SECRETS = { main: 'whsec-main-4c1d8e0b9a7f', outlet: 'whsec-outlet-2b6e5f1a3c9d' };

let main: WooCommerceSimulator;
let outlet: WooCommerceSimulator;
let stores: StoreSettings[];
let receiver: Receiver;
let small: Receiver;
let baseUrl: string;
let smallUrl: string;
const lines: LogLine[] = [];
const calls: StartOrderRequest[] = [];
let startFails = false;

const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });

async function startOrder(request: StartOrderRequest): Promise<{ workflowId: string; runId: string }> {
  if (startFails) throw new Error('14 UNAVAILABLE: No connection established');
  calls.push(request);
  return { workflowId: `woo-order:${request.store}:${request.orderId}`, runId: 'run-1' };
}

/** The start the receiver asks for an order of `sim`: with what the payload shows of it (number, lines, total, currency). */
function startOf(sim: WooCommerceSimulator, store: string, orderId: number, source: string): StartOrderRequest {
  const order = sim.control.getOrder(orderId);
  return { store, orderId, source, context: { orderNumber: order.number, lineCount: order.line_items.length, total: order.total, currency: order.currency } };
}

const place = (sim: WooCommerceSimulator, status: 'processing' | 'pending' = 'processing'): number =>
  sim.control.placeOrder({ customerEmail: nonAsciiCustomer?.emailAsTyped, lines: [{ sku: simpleSku, quantity: 1 }], paymentMethodId: 'stripe', status })
    .id as number;

async function subscribe(sim: WooCommerceSimulator, topic: string, secret: string, url = `${baseUrl}${WEBHOOK_PATH}`): Promise<number> {
  const webhook = await sim.control.createWebhook({ topic, delivery_url: url, secret });
  return webhook.id as number;
}

/** Sends what is queued and returns the statuses the receiver answered, per delivery. */
async function deliver(sim: WooCommerceSimulator, webhookId: number): Promise<(number | null)[]> {
  await sim.control.flushDeliveries({ runNow: true });
  return sim.control.deliveries({ webhookId, kind: 'delivery' }).map((d) => d.statusCode);
}

function delta(before: ReceiverStats): Partial<ReceiverStats> {
  const now = receiver.stats();
  const changed: Partial<ReceiverStats> = {};
  for (const key of Object.keys(now) as (keyof ReceiverStats)[]) if (now[key] !== before[key]) changed[key] = now[key] - before[key];
  return changed;
}

/** A POST signed as WooCommerce would sign it, with the main store's headers. */
function signedPost(body: string, topic = 'order.updated', secret = SECRETS.main, source = `${main.url}/`): Promise<Response> {
  return fetch(`${baseUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': source,
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-signature': webhookSignature(Buffer.from(body), secret),
      'x-wc-webhook-id': '42',
      'x-wc-webhook-delivery-id': 'd-manual-1',
    },
    body,
  });
}

before(async () => {
  main = await startWooCommerceSimulator({ catalog, webhookDelivery: { delayMs: 5 } });
  outlet = await startWooCommerceSimulator({ catalog, seed: 2, webhookDelivery: { delayMs: 5 } });
  stores = [
    { name: 'main', url: `${main.url}/`, consumerKey: main.consumerKey, consumerSecret: main.consumerSecret, webhookSecret: SECRETS.main },
    { name: 'outlet', url: `${outlet.url}/`, consumerKey: outlet.consumerKey, consumerSecret: outlet.consumerSecret, webhookSecret: SECRETS.outlet },
  ];
  receiver = createReceiver({ stores, startOrder, logger });
  baseUrl = await receiver.listen('127.0.0.1', 0);
  small = createReceiver({ stores, startOrder, logger, bodyLimitBytes: 512 });
  smallUrl = await small.listen('127.0.0.1', 0);
});

afterEach(() => {
  for (const sim of [main, outlet]) for (const webhook of sim.control.listWebhooks()) sim.control.deleteWebhook(webhook.id as number);
  startFails = false;
});

after(async () => {
  await receiver.close();
  await small.close();
  await main.close();
  await outlet.close();
});

describe('webhook receiver', () => {
  test('GET /healthz answers ok', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('the creation ping (form body, no X-WC headers) is answered 200', async () => {
    const before = receiver.stats();
    await subscribe(main, 'order.created', SECRETS.main);
    const [webhook] = main.control.listWebhooks();
    assert.equal(webhook?.ping?.success, true);
    assert.equal(webhook?.ping?.status, 200);
    assert.deepEqual(delta(before), { received: 1, pings: 1 });
  });

  test('a signed order.created starts the order with the store name and the order ID', async () => {
    const before = receiver.stats();
    const webhookId = await subscribe(main, 'order.created', SECRETS.main);
    calls.length = 0;
    const id = place(main);
    assert.deepEqual(await deliver(main, webhookId), [200]);
    assert.deepEqual(calls, [startOf(main, 'main', id, 'order.created')]);
    assert.deepEqual(delta(before), { received: 2, pings: 1, started: 1 });
    const accepted = lines.find((l) => l.msg === 'webhook accepted' && l.orderId === id);
    assert.ok(accepted);
    assert.equal(accepted.level, 30);
    assert.equal(accepted.store, 'main');
    assert.equal(accepted.topic, 'order.created');
    assert.equal(typeof accepted.deliveryId, 'string');
    assert.equal(typeof accepted.ms, 'number');
  });

  test('the simulator’s PHP-escaped bytes with non-ASCII names verify and start the order', async () => {
    const webhookId = await subscribe(main, 'order.created', SECRETS.main);
    calls.length = 0;
    const id = main.control.placeOrder({
      customerEmail: nonAsciiCustomer?.emailAsTyped,
      lines: [{ sku: 'RAW/ÜBER-1', quantity: 2, raw: true, name: 'Crème brûlée ½ — Zoë’s ☕', price: '4.50' }],
      paymentMethodId: 'stripe',
    }).id as number;
    assert.deepEqual(await deliver(main, webhookId), [200]);
    const [delivery] = main.control.deliveries({ webhookId, kind: 'delivery' });
    assert.ok(delivery?.rawBody.includes('\\/') && /\\u[0-9a-f]{4}/.test(delivery.rawBody));
    assert.deepEqual(calls, [startOf(main, 'main', id, 'order.created')]);
  });

  test('a delivery signed with another secret is answered 401 and starts nothing', async () => {
    const before = receiver.stats();
    const webhookId = await subscribe(main, 'order.created', 'a-secret-the-receiver-does-not-know');
    calls.length = 0;
    place(main);
    assert.deepEqual(await deliver(main, webhookId), [401]);
    assert.deepEqual(calls, []);
    assert.deepEqual(delta(before), { received: 2, pings: 1, badSignature: 1 });
    const [delivery] = main.control.deliveries({ webhookId, kind: 'delivery' });
    const warning = lines.find((l) => l.msg.includes('signature') && l.deliveryId === delivery?.deliveryId);
    assert.ok(warning);
    assert.equal(warning.level, 40);
    assert.equal(warning.webhookId, String(webhookId));
    assert.equal(warning.topic, 'order.created');
    assert.equal(warning.source, `${main.url}/`);
  });

  test('a source that is no configured store is answered 401', async () => {
    const before = receiver.stats();
    const response = await signedPost('{"id":5}', 'order.updated', SECRETS.main, 'https://unknown-shop.example/');
    assert.equal(response.status, 401);
    assert.deepEqual(delta(before), { received: 1, unknownStore: 1 });
    const warning = lines.find((l) => l.msg.includes('unknown store') && l.source === 'https://unknown-shop.example/');
    assert.equal(warning?.deliveryId, 'd-manual-1');
  });

  test('deliveries of two stores are told apart by their source and verified with each store’s secret', async () => {
    const mainHook = await subscribe(main, 'order.created', SECRETS.main);
    const outletHook = await subscribe(outlet, 'order.created', SECRETS.outlet);
    calls.length = 0;
    const mainId = place(main);
    const outletId = place(outlet);
    assert.deepEqual(await deliver(main, mainHook), [200]);
    assert.deepEqual(await deliver(outlet, outletHook), [200]);
    assert.deepEqual(
      [...calls].sort((a, b) => a.store.localeCompare(b.store)),
      [startOf(main, 'main', mainId, 'order.created'), startOf(outlet, 'outlet', outletId, 'order.created')],
    );
  });

  test('order.updated, order.deleted and order.restored start the order too', async () => {
    const hooks = [
      await subscribe(main, 'order.updated', SECRETS.main),
      await subscribe(main, 'order.deleted', SECRETS.main),
      await subscribe(main, 'order.restored', SECRETS.main),
    ];
    const id = place(main, 'pending');
    await main.control.flushDeliveries({ runNow: true });
    calls.length = 0;
    main.control.setOrderStatus(id, 'on-hold');
    await main.control.flushDeliveries({ runNow: true });
    main.control.deleteOrder(id);
    await main.control.flushDeliveries({ runNow: true });
    main.control.restoreOrder(id);
    await main.control.flushDeliveries({ runNow: true });
    for (const hook of hooks) assert.ok(main.control.deliveries({ webhookId: hook, kind: 'delivery' }).every((d) => d.statusCode === 200));
    assert.deepEqual(
      calls.map((c) => [c.orderId, c.source]),
      [
        [id, 'order.updated'],
        [id, 'order.deleted'],
        [id, 'order.restored'],
      ],
    );
  });

  test('a product.updated delivery is answered 200 and ignored', async () => {
    const before = receiver.stats();
    const webhookId = await subscribe(main, 'product.updated', SECRETS.main);
    calls.length = 0;
    const product = main.control.getProductBySku(simpleSku);
    const updated = await wooClient(main).request('PUT', `/products/${product.id as number}`, { regular_price: '19.99' });
    assert.equal(updated.status, 200);
    assert.deepEqual(await deliver(main, webhookId), [200]);
    assert.deepEqual(calls, []);
    assert.deepEqual(delta(before), { received: 2, pings: 1, ignoredTopic: 1 });
  });

  test('an order whose payload names its sales order and matches what NetSuite last heard starts nothing; a change to it starts the workflow', async () => {
    const webhookId = await subscribe(main, 'order.updated', SECRETS.main);
    const id = place(main);
    await main.control.flushDeliveries({ runNow: true });
    main.control.clearDeliveries();
    const before = receiver.stats();
    calls.length = 0;
    // What the order workflow writes once NetSuite has heard the order: the sales order and the lifecycle digest.
    const digest = lifecycleDigest(wooOrderSchema.parse(main.control.getOrder(id)));
    main.control.updateOrder(id, {
      meta_data: [
        { key: '_netsuite_sales_order_id', value: '5001' },
        { key: '_netsuite_lifecycle', value: JSON.stringify({ digest, applied: {}, acknowledged: [] }) },
      ],
    });
    assert.deepEqual(await deliver(main, webhookId), [200]);
    assert.deepEqual(calls, []);
    assert.deepEqual(delta(before), { received: 1, alreadySynced: 1 });

    // Cancelled in WooCommerce: NetSuite has not heard that, so the order workflow is reached.
    main.control.clearDeliveries();
    main.control.setOrderStatus(id, 'cancelled');
    assert.deepEqual(await deliver(main, webhookId), [200]);
    assert.deepEqual(
      (calls as StartOrderRequest[]).map((c) => c.orderId),
      [id],
    );
    assert.deepEqual(delta(before), { received: 2, alreadySynced: 1, started: 1 });
  });

  test('when startOrder fails (Temporal unreachable) the delivery is answered 503', async () => {
    const webhookId = await subscribe(main, 'order.created', SECRETS.main);
    const before = receiver.stats();
    startFails = true;
    const id = place(main);
    assert.deepEqual(await deliver(main, webhookId), [503]);
    assert.deepEqual(delta(before), { received: 1, startFailures: 1 });
    const line = lines.find((l) => l.msg.includes('could not start') && l.orderId === id);
    assert.equal(line?.level, 50);
  });

  test('a body over the limit is answered 413 and counted', async () => {
    const webhookId = await subscribe(main, 'order.created', SECRETS.main, `${smallUrl}${WEBHOOK_PATH}`);
    const before = small.stats();
    calls.length = 0;
    place(main);
    assert.deepEqual(await deliver(main, webhookId), [413]);
    assert.deepEqual(calls, []);
    const after = small.stats();
    assert.equal(after.tooLarge - before.tooLarge, 1);
    assert.equal(after.received - before.received, 1);
    // A chunked body (no Content-Length) over the limit is refused the same way.
    const chunked = await fetch(`${smallUrl}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wc-webhook-source': `${main.url}/` },
      body: new Blob([`{"id":1,"pad":"${'x'.repeat(4096)}"}`]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal(small.stats().tooLarge - before.tooLarge, 2);
  });

  test('malformed JSON or a body without an order ID is answered 200, logged at error and counted; the receiver keeps working', async () => {
    const before = receiver.stats();
    calls.length = 0;
    for (const body of ['{"id": 12,', '{"status":"processing"}', '{"id":-3}', '{"id":"12"}', '[1,2]', '']) {
      const response = await signedPost(body);
      assert.equal(response.status, 200, body);
    }
    assert.deepEqual(delta(before), { received: 6, unreadableOrder: 6 });
    assert.deepEqual(calls, []);
    const errors = lines.filter((l) => l.level === 50 && l.deliveryId === 'd-manual-1' && l.store === 'main');
    assert.equal(errors.length, 6);

    // The simulator sends WooCommerce's 404 error body when the order vanished before the delivery ran.
    const webhookId = await subscribe(main, 'order.updated', SECRETS.main);
    const id = place(main);
    await main.control.flushDeliveries({ runNow: true });
    main.control.clearDeliveries();
    main.control.setWebhookFaults({ extraDelayMs: 60_000 });
    try {
      main.control.setOrderStatus(id, 'completed');
      main.control.deleteOrder(id, true);
      assert.deepEqual(await deliver(main, webhookId), [200]);
    } finally {
      main.control.setWebhookFaults({ extraDelayMs: 0 });
    }
    assert.ok(lines.some((l) => l.level === 50 && l.payloadCode === 'woocommerce_rest_shop_order_invalid_id'));

    calls.length = 0;
    const id2 = place(main);
    main.control.setOrderStatus(id2, 'completed');
    assert.deepEqual(await deliver(main, webhookId), [200, 200]);
    assert.deepEqual(calls, [startOf(main, 'main', id2, 'order.updated')]);
  });

  test('close() answers the deliveries in flight before it resolves, and refuses new connections afterwards', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = createReceiver({
      stores,
      logger,
      startOrder: async (request) => {
        entered();
        await gate;
        return { workflowId: `woo-order:${request.store}:${request.orderId}`, runId: 'run-2' };
      },
    });
    const slowUrl = await slow.listen('127.0.0.1', 0);
    const body = '{"id":777}';
    const inFlight = fetch(`${slowUrl}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-source': `${main.url}/`,
        'x-wc-webhook-topic': 'order.created',
        'x-wc-webhook-signature': webhookSignature(Buffer.from(body), SECRETS.main),
      },
      body,
    });
    await inside;
    let closed = false;
    const closing = slow.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false, 'close() waits for the request in flight');
    release();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { workflowId: 'woo-order:main:777' });
    await closing;
    assert.equal(slow.stats().started, 1);
    await assert.rejects(fetch(`${slowUrl}/healthz`));
  });

  test('close() stops waiting at its bound: a delivery still unanswered has its connection closed, and the bound is logged', async () => {
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const stuck = createReceiver({
      stores,
      logger,
      drainTimeoutMs: 300,
      startOrder: async () => {
        entered();
        return new Promise<never>(() => undefined); // Temporal never answers
      },
    });
    const stuckUrl = await stuck.listen('127.0.0.1', 0);
    const body = '{"id":778}';
    const request = fetch(`${stuckUrl}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-source': `${main.url}/`,
        'x-wc-webhook-topic': 'order.created',
        'x-wc-webhook-signature': webhookSignature(Buffer.from(body), SECRETS.main),
      },
      body,
    });
    await inside;
    await stuck.close();
    await assert.rejects(request, 'the unanswered delivery loses its connection (WooCommerce counts a failure; the catch-up poller finds the order)');
    assert.ok(
      lines.some(
        (line) => line.msg === 'drain bound reached: closing the connections of requests still in flight' && line.inFlight === 1 && line.drainMs === 300,
      ),
    );
  });

  test('logs never contain a body, a signature or a secret', () => {
    const text = JSON.stringify(lines);
    assert.ok(lines.length > 10);
    for (const secret of [SECRETS.main, SECRETS.outlet, 'a-secret-the-receiver-does-not-know', main.consumerSecret, outlet.consumerSecret]) {
      assert.ok(!text.includes(secret), `secret leaked: ${secret}`);
    }
    const deliveries = [...main.control.deliveries({ kind: 'delivery' }), ...outlet.control.deliveries({ kind: 'delivery' })];
    for (const d of deliveries) {
      const signature = d.requestHeaders['X-WC-Webhook-Signature'];
      if (signature) assert.ok(!text.includes(signature), 'a signature leaked');
    }
    for (const order of main.control.listOrders()) {
      assert.ok(!text.includes(order.order_key as string), 'an order key (body content) leaked');
      assert.ok(!text.includes((order.billing as { email: string }).email), 'an e-mail (body content) leaked');
    }
    assert.ok(!text.includes('processing'), 'body content leaked');
  });
});
