import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { startWebhookReceiver, wooClient, type WebhookReceiver } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 5 });
const simpleSku = catalog.products.find((p) => p.type === 'simple')?.sku as string;
let sim: WooCommerceSimulator;
let receiver: WebhookReceiver;

async function control(method: string, path: string, body?: unknown, rawBody?: string): Promise<{ status: number; body: Json & Json[] }> {
  const init: RequestInit = { method };
  if (rawBody !== undefined) {
    init.body = rawBody;
    init.headers = { 'content-type': 'application/json' };
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${sim.controlUrl}/control${path}`, init);
  return { status: response.status, body: (await response.json()) as Json & Json[] };
}

const draft = (overrides: Json = {}): Json => ({
  customerEmail: catalog.customers[0]?.emailAsTyped,
  lines: [{ sku: simpleSku, quantity: 1 }],
  paymentMethodId: 'stripe',
  status: 'processing',
  ...overrides,
});

before(async () => {
  sim = await startWooCommerceSimulator({ webhookDelivery: { delayMs: 10 } });
  receiver = await startWebhookReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});

describe('seeding and checkout', () => {
  test('POST /control/seed loads a SeedCatalog; {generate} builds one', async () => {
    const seeded = await control('POST', '/seed', catalog);
    assert.equal(seeded.status, 200);
    assert.equal(seeded.body.products, catalog.products.length);
    assert.equal(seeded.body.customers, catalog.customers.filter((c) => c.registered).length);
    const products = await control('GET', `/products?sku=${simpleSku}`);
    assert.equal((products.body[0] as Json).sku, simpleSku);
  });

  test('a checkout matches a registered customer by e-mail case-insensitively and keeps billing.email as typed', async () => {
    const customer = catalog.customers.find((c) => c.registered && c.emailAsTyped !== c.email) as (typeof catalog.customers)[number];
    assert.ok(customer);
    const placed = await control('POST', '/orders', draft({ customerEmail: customer.emailAsTyped }));
    assert.equal(placed.status, 201);
    assert.equal(placed.body.created_via, 'checkout');
    assert.ok((placed.body.customer_id as number) > 0);
    assert.equal((placed.body.billing as Json).email, customer.emailAsTyped);
    assert.equal((placed.body.billing as Json).first_name, customer.firstName);
  });

  test('a guest checkout has customer_id 0', async () => {
    const guest = catalog.customers.find((c) => !c.registered) as (typeof catalog.customers)[number];
    const placed = await control('POST', '/orders', draft({ customerEmail: guest.emailAsTyped }));
    assert.equal(placed.body.customer_id, 0);
    assert.equal((placed.body.billing as Json).email, guest.emailAsTyped);
    const stranger = await control('POST', '/orders', draft({ customerEmail: 'nobody@example.org' }));
    assert.equal(stranger.body.customer_id, 0);
  });

  test('generated drafts can all be placed', () => {
    for (const d of generateOrderDrafts(catalog, 25)) {
      const order = sim.control.placeOrder(d);
      assert.equal(order.status, d.status);
      assert.equal((order.line_items as Json[]).length, d.lines.length);
    }
  });

  test('a raw line places an order with a SKU the store does not know (product_id 0)', async () => {
    const placed = await control('POST', '/orders', draft({ lines: [{ sku: 'GHOST-1', quantity: 2, raw: true, name: 'Ghost', price: '12.00' }] }));
    assert.equal(placed.status, 201);
    const line = (placed.body.line_items as Json[])[0] as Json;
    assert.equal(line.product_id, 0);
    assert.equal(line.sku, 'GHOST-1');
    assert.equal(line.subtotal, '24.00');
  });

  test('status, update, notes, delete and restore through the control API', async () => {
    const placed = await control('POST', '/orders', draft({ status: 'pending' }));
    const id = placed.body.id as number;
    const status = await control('POST', `/orders/${id}/status`, { status: 'on-hold' });
    assert.equal(status.body.status, 'on-hold');
    const updated = await control('PATCH', `/orders/${id}`, { meta_data: [{ key: 'x', value: 1 }] });
    assert.deepEqual(
      (updated.body.meta_data as Json[]).map((m) => m.key),
      ['x'],
    );
    const notes = await control('GET', `/orders/${id}/notes`);
    assert.ok(notes.body.some((n) => String(n.note).includes('On hold')));
    const trashed = await control('DELETE', `/orders/${id}`);
    assert.equal(trashed.body.status, 'trash');
    const restored = await control('POST', `/orders/${id}/restore`);
    assert.equal(restored.body.status, 'on-hold');
    const got = await control('GET', `/orders/${id}`);
    assert.equal(got.body.id, id);
  });

  test('POST /control/stock sets the stock of a SKU', async () => {
    const set = await control('POST', '/stock', { sku: simpleSku, quantity: 0 });
    assert.equal(set.body.stock_quantity, 0);
    assert.equal(set.body.stock_status, 'outofstock');
  });
});

describe('bad input → 400 with a message naming the problem', () => {
  test('missing lines', async () => {
    const response = await control('POST', '/orders', { paymentMethodId: 'stripe' });
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /lines/);
    assert.ok(Array.isArray(response.body.issues));
  });

  test('wrong type for quantity', async () => {
    const response = await control('POST', '/orders', draft({ lines: [{ sku: simpleSku, quantity: '2' }] }));
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /lines\.0\.quantity/);
  });

  test('unknown SKU', async () => {
    const response = await control('POST', '/orders', draft({ lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }));
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /NO-SUCH-SKU/);
    const stock = await control('POST', '/stock', { sku: 'NO-SUCH-SKU', quantity: 1 });
    assert.equal(stock.status, 400);
    assert.match(String(stock.body.error), /NO-SUCH-SKU/);
  });

  test('unknown order', async () => {
    const response = await control('POST', '/orders/999999/status', { status: 'completed' });
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /999999/);
    const notANumber = await control('GET', '/orders/abc');
    assert.equal(notANumber.status, 400);
    assert.match(String(notANumber.body.error), /id/);
  });

  test('invalid status', async () => {
    const id = (sim.control.listOrders()[0] as Json).id;
    const response = await control('POST', `/orders/${id}/status`, { status: 'shipped' });
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /status/);
  });

  test('non-JSON body', async () => {
    const response = await control('POST', '/orders', undefined, '{not json');
    assert.equal(response.status, 400);
    assert.match(String(response.body.error), /JSON/i);
  });

  test('invalid webhook topic and URL, fault fraction out of range, unknown coupon, bad catalog', async () => {
    const topic = await control('POST', '/webhooks', { topic: 'order.exploded', delivery_url: receiver.url });
    assert.equal(topic.status, 400);
    assert.match(String(topic.body.error), /topic/);
    const url = await control('POST', '/webhooks', { topic: 'order.created', delivery_url: 'ftp://x' });
    assert.equal(url.status, 400);
    assert.match(String(url.body.error), /delivery_url/);
    const faults = await control('PUT', '/webhooks/faults', { dropFraction: 2 });
    assert.equal(faults.status, 400);
    assert.match(String(faults.body.error), /dropFraction/);
    const coupon = await control('POST', '/orders', draft({ couponCodes: ['NOPE'] }));
    assert.equal(coupon.status, 400);
    assert.match(String(coupon.body.error), /NOPE/);
    const seed = await control('POST', '/seed', { products: 'many' });
    assert.equal(seed.status, 400);
    assert.match(String(seed.body.error), /products/);
  });

  test('in-process control throws the same errors', () => {
    assert.throws(() => sim.control.getOrder(424242), /unknown order 424242/);
    assert.throws(() => sim.control.placeOrder({ lines: [], paymentMethodId: 'cod' }), /lines/);
  });
});

describe('webhooks, counters and timings', () => {
  test('webhooks created through control deliver; flush waits for them', async () => {
    const created = await control('POST', '/webhooks', { topic: 'order.created', delivery_url: receiver.url, secret: 's3cret' });
    assert.equal(created.status, 201);
    assert.equal(created.body.failure_count, 0);
    await control('POST', '/orders', draft());
    const flushed = await fetch(`${sim.controlUrl}/control/webhooks/flush`, { method: 'POST' });
    assert.equal(flushed.status, 200);
    assert.equal(receiver.deliveries().length, 1);
    const log = await control('GET', `/deliveries?webhookId=${created.body.id}&kind=delivery`);
    assert.equal(log.body.length, 1);
    const entry = log.body[0] as Json;
    assert.equal(entry.statusCode, 200);
    assert.equal(typeof entry.durationMs, 'number');
    assert.equal((entry.requestHeaders as Json)['X-WC-Webhook-Topic'], 'order.created');
    const list = await control('GET', '/webhooks');
    assert.equal(list.body.length, 1);
    const removed = await control('DELETE', `/webhooks/${created.body.id}`);
    assert.equal(removed.status, 200);
  });

  test('counters count requests by route template, and reset', async () => {
    await control('POST', '/counters/reset');
    const api = wooClient(sim);
    const id = (sim.control.listOrders()[0] as Json).id;
    await api.get(`/orders/${id}`);
    await api.get(`/orders/${id}`);
    await api.get('/orders');
    await api.get('/does-not-exist');
    const counters = (await control('GET', '/counters')).body;
    const byRoute = counters.requestsByRoute as Record<string, number>;
    assert.equal(byRoute['GET /wp-json/wc/v3/orders/:id'], 2);
    assert.equal(byRoute['GET /wp-json/wc/v3/orders'], 1);
    assert.equal(byRoute['GET (no route)'], 1);
    assert.equal(counters.requestsTotal, 4);
    await control('POST', '/counters/reset');
    assert.equal((await control('GET', '/counters')).body.requestsTotal, 0);
  });

  test('server timings are recorded for every request, with their samples', async () => {
    sim.control.resetCounters();
    const api = wooClient(sim);
    const id = (sim.control.listOrders()[0] as Json).id;
    for (let i = 0; i < 20; i++) await api.get(`/orders/${id}`); // warm-up
    sim.control.resetCounters();
    await Promise.all(Array.from({ length: 200 }, () => api.get(`/orders/${id}`)));
    const timings = (await control('GET', '/timings')).body;
    assert.equal(timings.count, 200);
    assert.equal((timings.samples as Json[]).length, 200);
    assert.ok((timings.medianMs as number) > 0 && (timings.medianMs as number) <= (timings.p99Ms as number));
    assert.equal(sim.control.serverTimings().count, 200);
  });

  test('latency can be injected and is reported separately from overhead', async () => {
    await control('PUT', '/latency', { fixedMs: 30 });
    sim.control.resetCounters();
    const api = wooClient(sim);
    const started = Date.now();
    await api.get('/orders?per_page=1');
    assert.ok(Date.now() - started >= 30);
    const timings = sim.control.serverTimings();
    assert.ok(timings.medianMs >= 30);
    assert.ok(timings.overheadMedianMs < 30);
    await control('PUT', '/latency', { fixedMs: 0 });
  });

  test('unknown control route gives a JSON 404', async () => {
    const response = await control('GET', '/nope');
    assert.equal(response.status, 404);
    assert.match(String(response.body.error), /no control route/);
  });
});
