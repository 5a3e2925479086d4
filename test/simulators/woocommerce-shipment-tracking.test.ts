/**
 * The WooCommerce simulator's Shipment Tracking extension (routes under /wp-json/wc-shipment-tracking/v3, switched on
 * and off at run time) and the customer e-mails it records, over real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { startWebhookReceiver, wooClient, type WebhookReceiver, type WooRestClient } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const NS = '/wp-json/wc-shipment-tracking/v3';
const catalog = generateCatalog({ seed: 21 });
const sku = catalog.products.find((p) => p.type === 'simple')?.sku as string;
let now = Date.UTC(2025, 3, 1, 9, 0, 0);
let sim: WooCommerceSimulator;
let api: WooRestClient;
let tracking: WooRestClient;
let readOnlyTracking: WooRestClient;
let receiver: WebhookReceiver;

const NO_ROUTE = { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } };
const INVALID_ORDER = { code: 'woocommerce_rest_order_invalid_id', message: 'Invalid order ID.', data: { status: 404 } };
const INVALID_TRACKING = { code: 'woocommerce_rest_shipment_tracking_invalid_id', message: 'Invalid tracking ID.', data: { status: 404 } };
const ITEM_KEYS = ['tracking_id', 'tracking_provider', 'custom_tracking_provider', 'custom_tracking_link', 'tracking_number', 'date_shipped', 'tracking_link'];

/** A processing order of a guest: 2 × sku. */
const place = (): Json =>
  sim.control.placeOrder({
    customerEmail: 'guest-tracking@example.com',
    lines: [{ sku, quantity: 2 }],
    paymentMethodId: 'stripe',
    status: 'processing',
  }) as Json;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json & Json[] }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${sim.controlUrl}/control${path}`, init);
  return { status: response.status, body: (await response.json()) as Json & Json[] };
}

const orderUpdatedDeliveries = (orderId: unknown): number =>
  sim.control.deliveries({ kind: 'delivery', resourceId: orderId as number }).filter((d) => d.topic === 'order.updated').length;

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, clock: () => now, seed: 21, webhookDelivery: { delayMs: 20 } });
  api = wooClient(sim);
  tracking = wooClient(sim, NS);
  readOnlyTracking = wooClient({ url: sim.url, consumerKey: sim.readOnlyConsumerKey, consumerSecret: sim.readOnlyConsumerSecret }, NS);
  receiver = await startWebhookReceiver();
  await sim.control.createWebhook({ topic: 'order.updated', delivery_url: receiver.url });
});
after(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  now += 60_000;
});

describe('extension not active (the default)', () => {
  test('the namespace index and every tracking route answer rest_no_route, counted as no route', async () => {
    assert.deepEqual((await control('GET', '/extensions')).body, { shipmentTracking: false });
    const order = place();
    sim.control.resetCounters();
    const anonymous = await fetch(`${sim.url}${NS}`);
    assert.equal(anonymous.status, 404);
    assert.deepEqual(await anonymous.json(), NO_ROUTE);
    const index = await tracking.get('');
    assert.equal(index.status, 404);
    assert.deepEqual(index.body, NO_ROUTE);
    const list = await tracking.get(`/orders/${order.id}/shipment-trackings`);
    assert.equal(list.status, 404);
    assert.deepEqual(list.body, NO_ROUTE);
    const created = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_number: '1Z1' });
    assert.equal(created.status, 404);
    assert.deepEqual(created.body, NO_ROUTE);
    // Exactly what an unknown route gives.
    assert.deepEqual((await api.get('/no-such-route')).body, NO_ROUTE);
    const counters = sim.control.counters();
    assert.equal(counters.requestsByRoute['GET (no route)'], 4);
    assert.equal(counters.requestsByRoute['POST (no route)'], 1);
    assert.deepEqual(sim.control.shipmentTrackings(order.id as number), []);
  });
});

describe('extension active', () => {
  before(async () => {
    const bad = await control('PUT', '/extensions', { shipmentTracking: 'yes' });
    assert.equal(bad.status, 400);
    const extra = await control('PUT', '/extensions', { shipmentTracking: true, other: 1 });
    assert.equal(extra.status, 400);
    const enabled = await control('PUT', '/extensions', { shipmentTracking: true });
    assert.equal(enabled.status, 200);
    assert.deepEqual(enabled.body, { shipmentTracking: true });
    assert.deepEqual((await control('GET', '/extensions')).body, { shipmentTracking: true });
  });

  test('the namespace index answers without a key and names the routes', async () => {
    const response = await fetch(`${sim.url}${NS}`);
    assert.equal(response.status, 200);
    const index = (await response.json()) as Json;
    assert.equal(index.namespace, 'wc-shipment-tracking/v3');
    const routes = Object.keys(index.routes as Json);
    assert.ok(routes.includes('/wc-shipment-tracking/v3/orders/(?P<order_id>[\\d]+)/shipment-trackings'), routes.join('\n'));
    assert.ok(routes.includes('/wc-shipment-tracking/v3/orders/(?P<order_id>[\\d]+)/shipment-trackings/providers'));
    assert.ok(routes.includes('/wc-shipment-tracking/v3/orders/(?P<order_id>[\\d]+)/shipment-trackings/(?P<id>[a-fA-F0-9]{0,32})'));
    // A given key is still checked, as WooCommerce authenticates every wc-* namespace.
    const wrong = await wooClient({ url: sim.url, consumerKey: sim.consumerKey, consumerSecret: 'cs_wrong' }, NS).get('');
    assert.equal(wrong.status, 401);
    assert.equal((wrong.body as Json).code, 'woocommerce_rest_authentication_error');
  });

  test('POST with a known provider: slug, tracking_link with the number, date_shipped as a timestamp string', async () => {
    const order = place();
    const created = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, {
      tracking_provider: 'UPS',
      tracking_number: '1Z999AA10123456784',
      date_shipped: '2025-03-30',
    });
    assert.equal(created.status, 201, created.text);
    const item = created.body as Json;
    assert.deepEqual(Object.keys(item), ITEM_KEYS);
    assert.match(item.tracking_id as string, /^[0-9a-f]{32}$/);
    assert.equal(item.tracking_provider, 'ups');
    assert.equal(item.custom_tracking_provider, '');
    assert.equal(item.tracking_number, '1Z999AA10123456784');
    assert.equal(item.date_shipped, String(Date.UTC(2025, 2, 30) / 1000));
    assert.equal(item.tracking_link, 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
    assert.equal(created.headers.get('location'), `${sim.url}${NS}/orders/${order.id}/shipment-trackings/${item.tracking_id}`);
    // wp_json_encode: slashes escaped.
    assert.ok(created.text.includes('https:\\/\\/www.ups.com'));

    const byName = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, {
      tracking_provider: 'royal mail',
      tracking_number: 'RM1',
      date_shipped: 1743465600,
    });
    assert.equal(byName.status, 201);
    assert.equal((byName.body as Json).tracking_provider, 'royal-mail');
    assert.equal((byName.body as Json).date_shipped, '1743465600');
    assert.equal((byName.body as Json).tracking_link, 'https://www.royalmail.com/track-your-item#/tracking-results/RM1');
    assert.notEqual((byName.body as Json).tracking_id, item.tracking_id);
  });

  test('POST with a custom provider keeps its link; an unknown provider is kept with no link; date_shipped defaults to now', async () => {
    const order = place();
    const custom = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, {
      custom_tracking_provider: 'Acme Freight',
      custom_tracking_link: 'https://track.acme.example/?n=AC-1',
      tracking_number: 'AC-1',
    });
    assert.equal(custom.status, 201);
    assert.deepEqual(
      { ...(custom.body as Json), tracking_id: '' },
      {
        tracking_id: '',
        tracking_provider: '',
        custom_tracking_provider: 'Acme Freight',
        custom_tracking_link: 'https://track.acme.example/?n=AC-1',
        tracking_number: 'AC-1',
        date_shipped: String(Math.floor(now / 1000)),
        tracking_link: 'https://track.acme.example/?n=AC-1',
      },
    );
    const unknown = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_provider: 'Pigeon Post', tracking_number: 'PP-1' });
    assert.equal(unknown.status, 201);
    assert.equal((unknown.body as Json).tracking_provider, 'Pigeon Post');
    assert.equal((unknown.body as Json).tracking_link, '');
  });

  test('GET list (oldest first), GET one, DELETE, and 404 for an unknown tracking id', async () => {
    const order = place();
    const base = `/orders/${order.id}/shipment-trackings`;
    const first = (await tracking.request('POST', base, { tracking_provider: 'usps', tracking_number: 'A1' })).body as Json;
    now += 1000;
    const second = (await tracking.request('POST', base, { tracking_provider: 'fedex', tracking_number: 'B2' })).body as Json;
    const list = await tracking.get(base);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [first, second]);
    assert.deepEqual(sim.control.shipmentTrackings(order.id as number), [first, second]);
    assert.deepEqual((await control('GET', `/orders/${order.id}/shipment-trackings`)).body, [first, second]);

    const one = await tracking.get(`${base}/${second.tracking_id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, second);
    const missing = await tracking.get(`${base}/${'0'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, INVALID_TRACKING);
    // Not a tracking id at all: no route.
    assert.deepEqual((await tracking.get(`${base}/not-hex`)).body, NO_ROUTE);

    const deleted = await tracking.request('DELETE', `${base}/${first.tracking_id}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { message: 'Successfully deleted shipment tracking.' });
    assert.deepEqual((await tracking.get(base)).body, [second]);
    const again = await tracking.request('DELETE', `${base}/${first.tracking_id}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.body, INVALID_TRACKING);
  });

  test('an unknown or trashed order is 404 woocommerce_rest_order_invalid_id', async () => {
    const unknown = 999_999;
    for (const response of [
      await tracking.get(`/orders/${unknown}/shipment-trackings`),
      await tracking.request('POST', `/orders/${unknown}/shipment-trackings`, { tracking_number: 'X' }),
      await tracking.get(`/orders/${unknown}/shipment-trackings/providers`),
      await tracking.get(`/orders/${unknown}/shipment-trackings/${'a'.repeat(32)}`),
    ]) {
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, INVALID_ORDER);
    }
    const order = place();
    sim.control.deleteOrder(order.id as number);
    const trashed = await tracking.get(`/orders/${order.id}/shipment-trackings`);
    assert.equal(trashed.status, 404);
    assert.deepEqual(trashed.body, INVALID_ORDER);
  });

  test('without tracking_number: 400 rest_missing_callback_param; an empty one: 400 rest_invalid_param', async () => {
    const order = place();
    const missing = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_provider: 'ups' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      code: 'rest_missing_callback_param',
      message: 'Missing parameter(s): tracking_number',
      data: { status: 400, params: ['tracking_number'] },
    });
    const empty = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_number: '  ' });
    assert.equal(empty.status, 400);
    assert.equal((empty.body as Json).code, 'rest_invalid_param');
    assert.deepEqual(sim.control.shipmentTrackings(order.id as number), []);
  });

  test('keys: the read-only key reads but cannot POST or DELETE; no key cannot list', async () => {
    const order = place();
    const base = `/orders/${order.id}/shipment-trackings`;
    const item = (await tracking.request('POST', base, { tracking_provider: 'ups', tracking_number: 'RO-1' })).body as Json;
    const read = await readOnlyTracking.get(base);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, [item]);
    for (const refused of [
      await readOnlyTracking.request('POST', base, { tracking_number: 'RO-2' }),
      await readOnlyTracking.request('DELETE', `${base}/${item.tracking_id}`),
    ]) {
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, {
        code: 'woocommerce_rest_authentication_error',
        message: 'The API key provided does not have write permissions.',
        data: { status: 401 },
      });
    }
    assert.deepEqual(sim.control.shipmentTrackings(order.id as number), [item]);
    const anonymous = await fetch(`${sim.url}${NS}${base}`);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
  });

  test('adding and deleting save the order: date_modified moves, order.updated fires; no note, meta_data unchanged', async () => {
    const order = place();
    await sim.control.flushDeliveries({ runNow: true });
    const deliveriesBefore = orderUpdatedDeliveries(order.id);
    const notesBefore = sim.control.orderNotes(order.id as number);
    now += 60_000;
    const created = await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_provider: 'dhl-us', tracking_number: 'D-1' });
    assert.equal(created.status, 201);
    assert.equal((created.body as Json).tracking_link, 'https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=D-1');
    await sim.control.flushDeliveries({ runNow: true });
    assert.equal(orderUpdatedDeliveries(order.id), deliveriesBefore + 1);
    const after = (await api.get(`/orders/${order.id}`)).body as Json;
    assert.notEqual(after.date_modified, order.date_modified);
    assert.equal(after.date_modified_gmt, new Date(now).toISOString().slice(0, 19));
    assert.deepEqual(after.meta_data, order.meta_data);
    assert.deepEqual(sim.control.orderNotes(order.id as number), notesBefore);

    now += 60_000;
    const deleted = await tracking.request('DELETE', `/orders/${order.id}/shipment-trackings/${(created.body as Json).tracking_id}`);
    assert.equal(deleted.status, 200);
    await sim.control.flushDeliveries({ runNow: true });
    assert.equal(orderUpdatedDeliveries(order.id), deliveriesBefore + 2);
    assert.equal(((await api.get(`/orders/${order.id}`)).body as Json).date_modified_gmt, new Date(now).toISOString().slice(0, 19));
  });

  test('providers: the fixed table; requests are counted by route template', async () => {
    const order = place();
    sim.control.resetCounters();
    const providers = await tracking.get(`/orders/${order.id}/shipment-trackings/providers`);
    assert.equal(providers.status, 200);
    const table = providers.body as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(table), ['United States', 'United Kingdom', 'Germany']);
    assert.equal(table['United States']?.UPS, 'https://www.ups.com/track?tracknum=%1$s');
    assert.equal(table['United Kingdom']?.['DPD.co.uk'], 'https://www.dpd.co.uk/apps/tracking/?reference=%1$s');
    assert.equal(table.Germany?.['DHL Intraship (DE)'], 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?lang=de&idc=%1$s');
    await tracking.get(`/orders/${order.id}/shipment-trackings`);
    const counters = sim.control.counters();
    assert.equal(counters.requestsByRoute[`GET ${NS}/orders/:id/shipment-trackings/providers`], 1);
    assert.equal(counters.requestsByRoute[`GET ${NS}/orders/:id/shipment-trackings`], 1);
    assert.equal(sim.control.serverTimings().samples.length, 2);
  });
});

describe('customer e-mails', () => {
  before(() => sim.control.setShipmentTracking(true));

  test('completing an order records a customer_completed_order e-mail with its tracking numbers; stock stays; the usual system note', async () => {
    const order = place();
    const stockBefore = sim.control.getProductBySku(sku).stock_quantity;
    assert.equal(typeof stockBefore, 'number');
    const base = `/orders/${order.id}/shipment-trackings`;
    await tracking.request('POST', base, { tracking_provider: 'ups', tracking_number: '1ZAAA' });
    await tracking.request('POST', base, { custom_tracking_provider: 'Acme', custom_tracking_link: 'https://acme.example/t', tracking_number: 'ACME-2' });
    assert.deepEqual(sim.control.emails(order.id as number), []);
    now += 60_000;
    const completed = await api.request('PUT', `/orders/${order.id}`, { status: 'completed' });
    assert.equal(completed.status, 200);
    assert.deepEqual(sim.control.emails(order.id as number), [
      { orderId: order.id, kind: 'customer_completed_order', at: new Date(now).toISOString(), trackingNumbers: ['1ZAAA', 'ACME-2'] },
    ]);
    assert.deepEqual((await control('GET', `/emails?orderId=${order.id}`)).body, sim.control.emails(order.id as number));
    assert.equal(sim.control.getProductBySku(sku).stock_quantity, stockBefore);
    const notes = sim.control.orderNotes(order.id as number);
    const statusNote = notes.find((n) => n.note === 'Order status changed from Processing to Completed.');
    assert.ok(statusNote, JSON.stringify(notes));
    assert.equal(statusNote.customer_note, false);
    // Stock was reduced once, at payment; completing takes nothing more.
    assert.deepEqual(
      notes.filter((n) => n.note.startsWith('Stock levels')).map((n) => n.note.split(':')[0]),
      ['Stock levels reduced'],
    );
  });

  test('the control status route records the e-mail too; with the extension off it lists no tracking numbers', async () => {
    const order = place();
    await tracking.request('POST', `/orders/${order.id}/shipment-trackings`, { tracking_provider: 'usps', tracking_number: '9400' });
    sim.control.setShipmentTracking(false);
    try {
      const completed = await control('POST', `/orders/${order.id}/status`, { status: 'completed' });
      assert.equal(completed.status, 200);
      assert.deepEqual(
        sim.control.emails(order.id as number).map((e) => ({ kind: e.kind, trackingNumbers: 'trackingNumbers' in e ? e.trackingNumbers : undefined })),
        [{ kind: 'customer_completed_order', trackingNumbers: [] }],
      );
      // The items stay on the order while the extension is off.
      assert.equal(sim.control.shipmentTrackings(order.id as number).length, 1);
    } finally {
      sim.control.setShipmentTracking(true);
    }
  });

  test('a customer note records a customer_note e-mail; a private note records nothing', async () => {
    const order = place();
    now += 60_000;
    const privateNote = await api.request('POST', `/orders/${order.id}/notes`, { note: 'Synced to NetSuite', customer_note: false });
    assert.equal(privateNote.status, 201);
    assert.deepEqual(sim.control.emails(order.id as number), []);
    const customerNote = await api.request('POST', `/orders/${order.id}/notes`, { note: 'Your parcel is on its way: 1Z123', customer_note: true });
    assert.equal(customerNote.status, 201);
    const expected = [{ orderId: order.id, kind: 'customer_note', at: new Date(now).toISOString(), note: 'Your parcel is on its way: 1Z123' }];
    assert.deepEqual(sim.control.emails(order.id as number), expected);
    assert.deepEqual((await control('GET', `/emails?orderId=${order.id}`)).body, expected);
    const all = await control('GET', '/emails');
    assert.equal(all.status, 200);
    assert.ok(all.body.length >= 3);
    assert.deepEqual(all.body.at(-1), expected[0]);
    assert.equal((await control('GET', '/emails?orderId=abc')).status, 400);
  });
});
