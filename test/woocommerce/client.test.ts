import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import type { StoreSettings } from '../../src/config';
import { createWooClient, type WooClient } from '../../src/woocommerce/client';
import { WooCommerceError } from '../../src/woocommerce/errors';
import { orderMetaValue } from '../../src/woocommerce/order-meta';

const catalog = generateCatalog({ seed: 11, products: 20, customers: 10 });
const simpleSku = catalog.products.find((p) => p.type === 'simple')?.sku as string;
const T0 = Date.parse('2025-03-01T10:00:00Z');
let now = T0;
let sim: WooCommerceSimulator;
let store: StoreSettings;
let woo: WooClient;

const place = (status: 'processing' | 'on-hold' | 'pending' | 'completed' = 'processing'): number =>
  sim.control.placeOrder({ customerEmail: catalog.customers[0]?.emailAsTyped, lines: [{ sku: simpleSku, quantity: 1 }], paymentMethodId: 'stripe', status })
    .id as number;

async function rejection(promise: Promise<unknown>): Promise<WooCommerceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WooCommerceError, `expected a WooCommerceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/** A plain HTTP server answering every request with the given status and body. */
async function fakeStore(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, clock: () => now });
  store = { name: 'main', url: `${sim.url}/`, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, webhookSecret: 'unused' };
  woo = createWooClient(store);
});
after(async () => {
  await sim.close();
});

describe('WooCommerce REST client', () => {
  test('getOrder reads and parses an order; an unknown order is undefined', async () => {
    const id = place();
    const order = await woo.getOrder(id);
    assert.ok(order);
    assert.equal(order.id, id);
    assert.equal(order.status, 'processing');
    assert.equal(order.line_items[0]?.sku, simpleSku);
    assert.equal(typeof order.line_items[0]?.price, 'number');
    assert.equal(await woo.getOrder(987_654), undefined);
    assert.equal(woo.store, 'main');
  });

  test('updateOrderMeta upserts by key and leaves other keys untouched (visible on re-read)', async () => {
    const id = place();
    await woo.updateOrderMeta(id, [
      { key: '_netsuite_sales_order_id', value: '5001' },
      { key: '_netsuite_sync_status', value: 'InProgress' },
    ]);
    await woo.updateOrderMeta(id, [{ key: '_netsuite_sync_status', value: 'Synced' }]);
    const order = await woo.getOrder(id);
    assert.ok(order);
    assert.equal(orderMetaValue(order, '_netsuite_sales_order_id'), '5001');
    assert.equal(orderMetaValue(order, '_netsuite_sync_status'), 'Synced');
    assert.equal(order.meta_data.filter((m) => m.key === '_netsuite_sync_status').length, 1);
  });

  test('addPrivateNote adds a note with customer_note false and e-mails nobody', async () => {
    const id = place();
    sim.control.resetCounters();
    await woo.addPrivateNote(id, 'Synced to NetSuite as SO-5001.');
    const note = sim.control.orderNotes(id).find((n) => n.note === 'Synced to NetSuite as SO-5001.');
    assert.ok(note);
    assert.equal(note.customer_note, false);
    assert.equal(sim.control.counters().customerNotes, 0);
  });

  test('listOrders filters by status and modified_after (UTC) and reports X-WP-Total / X-WP-TotalPages', async () => {
    now = T0 + 3_600_000; // an hour later than the orders above
    const old = place('on-hold');
    now += 60_000;
    const since = new Date(now).toISOString();
    now += 60_000;
    const fresh = [place('processing'), place('on-hold'), place('pending')];
    sim.control.setOrderStatus(old, 'processing'); // modified now: after `since`

    const page = await woo.listOrders({ status: ['processing', 'on-hold'], modifiedAfter: since, orderby: 'id', order: 'asc', perPage: 100 });
    assert.deepEqual(
      page.orders.map((o) => o.id),
      [old, fresh[0], fresh[1]],
    );
    assert.equal(page.total, 3);
    assert.equal(page.totalPages, 1);

    const second = await woo.listOrders({ status: ['processing', 'on-hold'], modifiedAfter: since, orderby: 'id', order: 'asc', perPage: 2, page: 2 });
    assert.deepEqual(
      second.orders.map((o) => o.id),
      [fresh[1]],
    );
    assert.equal(second.total, 3);
    assert.equal(second.totalPages, 2);

    // An offset is honoured: the same instant written in +02:00 selects the same orders.
    const local = new Date(Date.parse(since) + 2 * 3_600_000).toISOString().slice(0, 19) + '+02:00';
    const same = await woo.listOrders({ status: ['processing', 'on-hold'], modifiedAfter: local, orderby: 'id', order: 'asc' });
    assert.equal(same.total, 3);
  });

  test('listOrders refuses perPage over 100 without sending a request', async () => {
    sim.control.resetCounters();
    const error = await rejection(woo.listOrders({ perPage: 101 }));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.retryable, false);
    assert.equal(sim.control.counters().requestsTotal, 0);
  });

  test('a wrong consumer secret is an auth error that carries neither secret nor header', async () => {
    const wrong = createWooClient({ ...store, consumerSecret: 'cs_wrong_secret_value' });
    const error = await rejection(wrong.getOrder(place()));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.code, 'woocommerce_rest_authentication_error');
    assert.equal(error.operation.startsWith('GET /orders/'), true);
    assert.equal(error.retryable, false);
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${JSON.stringify(Object.getOwnPropertyDescriptors(error))}`;
    assert.ok(!everything.includes('cs_wrong_secret_value'));
    assert.ok(!everything.includes(Buffer.from(`${sim.consumerKey}:cs_wrong_secret_value`).toString('base64')));
    assert.ok(!/authorization/i.test(everything));
    assert.equal(error.cause, undefined);
  });

  test('updating an order that does not exist is not-found', async () => {
    const error = await rejection(woo.updateOrderMeta(987_654, [{ key: 'k', value: 'v' }]));
    assert.equal(error.kind, 'not-found');
    assert.equal(error.code, 'woocommerce_rest_shop_order_invalid_id');
    assert.equal(error.operation, 'PUT /orders/987654');
  });

  test('an order body that fails the schema is rejected, naming the first bad path', async () => {
    const fake = await fakeStore(200, '{"id":7,"number":7}');
    try {
      const error = await rejection(createWooClient({ ...store, url: fake.url }).getOrder(7));
      assert.equal(error.kind, 'rejected');
      assert.match(error.detail, /number/);
    } finally {
      await fake.close();
    }
  });

  test('5xx is unavailable and retryable; a store URL without the REST API is rejected', async () => {
    const down = await fakeStore(503, '<html>maintenance</html>');
    try {
      const error = await rejection(createWooClient({ ...store, url: down.url }).getOrder(1));
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.retryable, true);
    } finally {
      await down.close();
    }
    // The control listener has no /wp-json routes: 404 without a WooCommerce code is a configuration error, not "no such order".
    const error = await rejection(createWooClient({ ...store, url: `${sim.controlUrl}/` }).getOrder(1));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.status, 404);
  });

  test('no listener is a retryable network error; an aborted call is cancelled', async () => {
    const fake = await fakeStore(200, '{}');
    await fake.close();
    const refused = await rejection(createWooClient({ ...store, url: fake.url }).getOrder(1));
    assert.equal(refused.kind, 'network');
    assert.equal(refused.retryable, true);

    const controller = new AbortController();
    controller.abort();
    const cancelled = await rejection(woo.getOrder(place(), { signal: controller.signal }));
    assert.equal(cancelled.kind, 'cancelled');
    assert.equal(cancelled.retryable, false);
  });

  test('a store slower than the timeout is a retryable timeout', async () => {
    sim.control.setLatency({ fixedMs: 1500 });
    try {
      const error = await rejection(createWooClient(store, { timeoutMs: 100 }).getOrder(place()));
      assert.equal(error.kind, 'timeout');
      assert.equal(error.retryable, true);
    } finally {
      sim.control.setLatency({ fixedMs: 0 });
    }
  });
});
