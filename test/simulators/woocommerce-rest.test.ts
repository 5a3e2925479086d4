import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog, generateOrderDrafts, type OrderDraft } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { wooClient, type WooRestClient } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 7 });
let now = Date.UTC(2025, 0, 15, 12, 0, 0);
let sim: WooCommerceSimulator;
let api: WooRestClient;

const basic = (key: string, secret: string): string => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const rest = (path: string): string => `${sim.url}/wp-json/wc/v3${path}`;

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, clock: () => now, seed: 7 });
  api = wooClient(sim);
});
after(async () => {
  await sim.close();
});

describe('authentication', () => {
  test('HTTP Basic with the consumer key and secret is accepted', async () => {
    const response = await fetch(rest('/orders'), { headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(await response.json()));
  });

  test('query-string consumer_key/consumer_secret is accepted and wins over a Basic header', async () => {
    const qs = `consumer_key=${sim.consumerKey}&consumer_secret=${sim.consumerSecret}`;
    const plain = await fetch(rest(`/orders?${qs}`));
    assert.equal(plain.status, 200);
    const withBadBasic = await fetch(rest(`/orders?${qs}`), { headers: { authorization: basic(sim.consumerKey, 'cs_wrong') } });
    assert.equal(withBadBasic.status, 200);
  });

  test('a wrong secret gives 401 woocommerce_rest_authentication_error "Consumer secret is invalid."', async () => {
    const response = await fetch(rest('/orders'), { headers: { authorization: basic(sim.consumerKey, 'cs_wrong') } });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } });
  });

  test('an unknown key gives 401 woocommerce_rest_cannot_view for a list and for a single resource', async () => {
    const headers = { authorization: basic('ck_unknown', 'cs_unknown') };
    const list = await fetch(rest('/orders'), { headers });
    assert.equal(list.status, 401);
    assert.deepEqual(await list.json(), { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    const single = await fetch(rest('/orders/123'), { headers });
    assert.equal(single.status, 401);
    assert.deepEqual(await single.json(), { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot view this resource.', data: { status: 401 } });
  });

  test('no credentials at all gives the same cannot_view errors', async () => {
    const list = await fetch(rest('/products'));
    assert.equal(list.status, 401);
    assert.deepEqual(await list.json(), { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
  });

  test('a read-only key can read but writing gives 401 "does not have write permissions"', async () => {
    const headers = { authorization: basic(sim.readOnlyConsumerKey, sim.readOnlyConsumerSecret) };
    assert.equal((await fetch(rest('/orders'), { headers })).status, 200);
    const write = await fetch(rest('/orders'), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(write.status, 401);
    assert.deepEqual(await write.json(), {
      code: 'woocommerce_rest_authentication_error',
      message: 'The API key provided does not have write permissions.',
      data: { status: 401 },
    });
  });

  test('an unknown route gives 404 rest_no_route', async () => {
    const response = await api.get('/nothing-here');
    assert.equal(response.status, 404);
    assert.deepEqual(response.body, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    const wrongMethod = await api.request('DELETE', '/orders');
    assert.equal(wrongMethod.status, 404);
  });
});

describe('orders', () => {
  const created: Json[] = [];
  before(() => {
    const drafts = generateOrderDrafts(catalog, 12, 99);
    drafts.forEach((draft, i) => {
      now += 60_000; // one minute apart
      created.push(sim.control.placeOrder({ ...draft, status: i % 3 === 0 ? 'on-hold' : 'processing' }) as Json);
    });
  });

  test('per_page=101 gives 400 rest_invalid_param with the exact WordPress body', async () => {
    const response = await api.get('/orders?per_page=101');
    assert.equal(response.status, 400);
    assert.equal(
      response.text,
      '{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,"params":{"per_page":"per_page must be between 1 (inclusive) and 100 (inclusive)"},"details":{"per_page":{"code":"rest_out_of_bounds","message":"per_page must be between 1 (inclusive) and 100 (inclusive)","data":null}}}}',
    );
  });

  test('an order has the full REST field set with money as strings and line price as a number', async () => {
    const first = created[0] as Json;
    const response = await api.get(`/orders/${first.id}`);
    assert.equal(response.status, 200);
    const order = response.body as Json;
    for (const field of [
      'id',
      'parent_id',
      'number',
      'order_key',
      'created_via',
      'status',
      'currency',
      'date_created',
      'date_created_gmt',
      'date_modified',
      'date_modified_gmt',
      'discount_total',
      'discount_tax',
      'shipping_total',
      'shipping_tax',
      'cart_tax',
      'total',
      'total_tax',
      'prices_include_tax',
      'customer_id',
      'customer_note',
      'billing',
      'shipping',
      'payment_method',
      'payment_method_title',
      'transaction_id',
      'date_paid',
      'date_paid_gmt',
      'meta_data',
      'line_items',
      'tax_lines',
      'shipping_lines',
      'fee_lines',
      'coupon_lines',
      'refunds',
    ]) {
      assert.ok(field in order, `missing ${field}`);
    }
    assert.equal(order.number, String(order.id));
    assert.match(order.order_key as string, /^wc_order_/);
    assert.equal(order.created_via, 'checkout');
    assert.match(order.total as string, /^\d+\.\d{2}$/);
    assert.match(order.date_created as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const line = (order.line_items as Json[])[0] as Json;
    assert.equal(typeof line.price, 'number');
    assert.equal(typeof line.subtotal, 'string');
    assert.ok(!('email' in (order.shipping as Json)));
    assert.ok('email' in (order.billing as Json));
  });

  test('totals add up: line totals + fees + shipping + taxes = total', () => {
    for (const order of created) {
      const lines = (order.line_items as Json[]).reduce((s, l) => s + Number(l.total), 0);
      const fees = (order.fee_lines as Json[]).reduce((s, l) => s + Number(l.total), 0);
      const expected = lines + fees + Number(order.shipping_total) + Number(order.total_tax);
      assert.equal(Number(order.total).toFixed(2), expected.toFixed(2));
      assert.equal(Number(order.total_tax).toFixed(2), (Number(order.cart_tax) + Number(order.shipping_tax)).toFixed(2));
    }
  });

  test('a percent coupon discounts each line and is reported in coupon_lines', async () => {
    const sku = catalog.products.find((p) => p.type === 'simple' && p.taxClass === '')?.sku as string;
    const order = sim.control.placeOrder({
      customerEmail: catalog.customers[0]?.emailAsTyped,
      lines: [{ sku, quantity: 2 }],
      couponCodes: ['WELCOME10'],
      fees: [],
      paymentMethodId: 'stripe',
      status: 'processing',
      customerNote: '',
    }) as Json;
    const line = (order.line_items as Json[])[0] as Json;
    assert.equal(Number(line.total).toFixed(2), (Number(line.subtotal) * 0.9).toFixed(2));
    const coupon = (order.coupon_lines as Json[])[0] as Json;
    assert.equal(coupon.code, 'welcome10');
    assert.equal(coupon.discount_type, 'percent');
    assert.equal(coupon.discount, order.discount_total);
  });

  test('unknown order id gives 404 woocommerce_rest_shop_order_invalid_id (400 on PUT)', async () => {
    const get = await api.get('/orders/999999');
    assert.equal(get.status, 404);
    assert.deepEqual(get.body, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    const put = await api.request('PUT', '/orders/999999', { status: 'completed' });
    assert.equal(put.status, 400);
    assert.equal((put.body as Json).code, 'woocommerce_rest_shop_order_invalid_id');
  });

  test('status filter takes a comma list', async () => {
    const response = await api.get('/orders?status=on-hold&per_page=100');
    const orders = response.body as Json[];
    assert.ok(orders.length >= 4);
    assert.ok(orders.every((o) => o.status === 'on-hold'));
    const both = await api.get('/orders?status=on-hold,processing&per_page=100');
    assert.equal(Number(both.headers.get('x-wp-total')), created.length + 1);
  });

  test('default order is date desc; orderby=id&order=asc reverses it', async () => {
    const desc = (await api.get('/orders?per_page=100')).body as Json[];
    const ids = desc.map((o) => o.id as number);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    const asc = (await api.get('/orders?per_page=100&orderby=id&order=asc')).body as Json[];
    assert.deepEqual(
      asc.map((o) => o.id),
      [...ids].reverse(),
    );
  });

  test('paging sets X-WP-Total, X-WP-TotalPages and a Link header with prev/next only', async () => {
    const page1 = await api.get('/orders?per_page=5&orderby=id&order=asc');
    assert.equal(page1.headers.get('x-wp-total'), String(created.length + 1));
    assert.equal(page1.headers.get('x-wp-totalpages'), String(Math.ceil((created.length + 1) / 5)));
    const link1 = page1.headers.get('link') as string;
    assert.match(link1, /page=2[^>]*>; rel="next"/);
    assert.doesNotMatch(link1, /rel="prev"/);
    const page2 = await api.get('/orders?per_page=5&page=2&orderby=id&order=asc');
    const link2 = page2.headers.get('link') as string;
    assert.match(link2, /page=1[^>]*>; rel="prev"/);
    assert.match(link2, /page=3[^>]*>; rel="next"/);
    assert.doesNotMatch(link2, /rel="(first|last)"/);
    const ids1 = (page1.body as Json[]).map((o) => o.id);
    const ids2 = (page2.body as Json[]).map((o) => o.id);
    assert.equal(new Set([...ids1, ...ids2]).size, 10);
  });

  test('modified_after with dates_are_gmt=true returns only orders modified after that UTC time', async () => {
    const target = created[5] as Json;
    now += 3_600_000;
    const cut = new Date(now - 1000).toISOString().slice(0, 19);
    const update = await api.request('PUT', `/orders/${target.id}`, { meta_data: [{ key: 'touched', value: 'yes' }] });
    assert.equal(update.status, 200);
    assert.equal((update.body as Json).date_modified_gmt, new Date(now).toISOString().slice(0, 19));
    const response = await api.get(`/orders?modified_after=${cut}&dates_are_gmt=true`);
    assert.deepEqual(
      (response.body as Json[]).map((o) => o.id),
      [target.id],
    );
    const none = await api.get(`/orders?modified_after=${new Date(now + 1000).toISOString().slice(0, 19)}&dates_are_gmt=true`);
    assert.deepEqual(none.body, []);
  });

  test('site-local dates are read in the site time zone when dates_are_gmt is not set', async () => {
    const tz = await startWooCommerceSimulator({ catalog, timezone: 'America/New_York', clock: () => Date.UTC(2025, 6, 1, 12, 0, 0) });
    try {
      const order = tz.control.placeOrder({ ...(generateOrderDrafts(catalog, 1)[0] as OrderDraft), status: 'processing' }) as Json;
      assert.equal(order.date_created_gmt, '2025-07-01T12:00:00');
      assert.equal(order.date_created, '2025-07-01T08:00:00');
      const client = wooClient(tz);
      // 09:00 local = 13:00 UTC: the order (12:00 UTC) is before it.
      assert.deepEqual((await client.get('/orders?after=2025-07-01T09:00:00')).body, []);
      // 09:00 read as GMT: the order (12:00 UTC) is after it.
      assert.equal(((await client.get('/orders?after=2025-07-01T09:00:00&dates_are_gmt=true')).body as Json[]).length, 1);
    } finally {
      await tz.close();
    }
  });

  test('meta_data update upserts by key and leaves other keys untouched', async () => {
    const target = created[1] as Json;
    const first = await api.request('PUT', `/orders/${target.id}`, {
      meta_data: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    const metaA = ((first.body as Json).meta_data as Json[]).find((m) => m.key === 'a') as Json;
    const second = await api.request('PATCH', `/orders/${target.id}`, { meta_data: [{ key: 'a', value: 'one' }] });
    const meta = (second.body as Json).meta_data as Json[];
    assert.deepEqual(
      meta.map((m) => [m.key, m.value]),
      [
        ['a', 'one'],
        ['b', '2'],
      ],
    );
    assert.equal((meta[0] as Json).id, metaA.id);
    const byId = await api.request('PUT', `/orders/${target.id}`, { meta_data: [{ id: metaA.id, key: 'a', value: 'uno' }] });
    assert.deepEqual(
      ((byId.body as Json).meta_data as Json[]).map((m) => [m.key, m.value]),
      [
        ['a', 'uno'],
        ['b', '2'],
      ],
    );
  });

  test('notes: a private note and a customer note are recorded distinctly', async () => {
    const target = created[2] as Json;
    const privateNote = await api.request('POST', `/orders/${target.id}/notes`, { note: 'Synced to NetSuite SO123', customer_note: false });
    assert.equal(privateNote.status, 201);
    const body = privateNote.body as Json;
    assert.deepEqual(Object.keys(body).sort(), ['added_by_user', 'author', 'customer_note', 'date_created', 'date_created_gmt', 'id', 'note'].sort());
    assert.equal(body.customer_note, false);
    const before = sim.control.counters().customerNotes;
    const customer = await api.request('POST', `/orders/${target.id}/notes`, { note: 'Your order shipped', customer_note: true });
    assert.equal((customer.body as Json).customer_note, true);
    assert.equal(sim.control.counters().customerNotes, before + 1);
    const customerOnly = (await api.get(`/orders/${target.id}/notes?type=customer`)).body as Json[];
    assert.deepEqual(
      customerOnly.map((n) => n.note),
      ['Your order shipped'],
    );
    const notes = sim.control.orderNotes(target.id as number);
    assert.ok(notes.some((n) => n.note === 'Synced to NetSuite SO123' && n.customer_note === false));
    const missing = await api.request('POST', `/orders/${target.id}/notes`, {});
    assert.equal(missing.status, 400);
  });

  test('POST /orders creates an order: 201, Location, totals computed, rest-api created_via', async () => {
    const sku = catalog.products.find((p) => p.type === 'simple')?.sku as string;
    const response = await api.request('POST', '/orders', {
      billing: { first_name: 'Ana', last_name: 'Núñez', email: 'ana@example.com', state: 'NY', country: 'US' },
      line_items: [{ sku, quantity: 2 }],
      shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '5.00' }],
    });
    assert.equal(response.status, 201);
    const order = response.body as Json;
    assert.equal(response.headers.get('location'), `${sim.url}/wp-json/wc/v3/orders/${order.id}`);
    assert.equal(order.status, 'pending');
    assert.equal(order.created_via, 'rest-api');
    assert.equal(order.customer_id, 0);
    assert.equal(order.shipping_total, '5.00');
    assert.ok(Number(order.shipping_tax) > 0, 'NY shipping is taxed at the standard rate');
    assert.equal(((order.tax_lines as Json[])[0] as Json).rate_id, 2);
  });

  test('an invalid status gives 400 rest_invalid_param', async () => {
    const target = created[3] as Json;
    const response = await api.request('PUT', `/orders/${target.id}`, { status: 'shipped' });
    assert.equal(response.status, 400);
    assert.equal((response.body as Json).code, 'rest_invalid_param');
  });

  test('each update bumps date_modified', async () => {
    const target = created[4] as Json;
    now += 5000;
    const updated = (await api.request('PUT', `/orders/${target.id}`, { status: 'completed' })).body as Json;
    assert.equal(updated.date_modified_gmt, new Date(now).toISOString().slice(0, 19));
    assert.notEqual(updated.date_modified_gmt, target.date_modified_gmt);
  });

  test('_fields limits the response', async () => {
    const target = created[0] as Json;
    const response = await api.get(`/orders/${target.id}?_fields=id,status,billing.email`);
    assert.deepEqual(Object.keys(response.body as Json), ['id', 'status', 'billing']);
    assert.deepEqual(Object.keys((response.body as Json).billing as Json), ['email']);
  });

  test('DELETE trashes an order (hidden from status=any), force=true deletes it', async () => {
    const target = created[6] as Json;
    const trashed = await api.request('DELETE', `/orders/${target.id}`);
    assert.equal((trashed.body as Json).status, 'trash');
    const list = (await api.get('/orders?per_page=100')).body as Json[];
    assert.ok(!list.some((o) => o.id === target.id));
    const forced = await api.request('DELETE', `/orders/${target.id}?force=true`);
    assert.equal(forced.status, 200);
    assert.equal((await api.get(`/orders/${target.id}`)).status, 404);
  });

  test('GET /orders?search= and customer= filter', async () => {
    const target = created.find((o) => (o.customer_id as number) > 0) as Json;
    const byCustomer = (await api.get(`/orders?customer=${target.customer_id}&per_page=100`)).body as Json[];
    assert.ok(byCustomer.length >= 1 && byCustomer.every((o) => o.customer_id === target.customer_id));
    const email = ((target.billing as Json).email as string).trim();
    const bySearch = (await api.get(`/orders?search=${encodeURIComponent(email)}&per_page=100`)).body as Json[];
    assert.ok(bySearch.some((o) => o.id === target.id));
  });
});

describe('customers', () => {
  test('GET /customers?email= finds a registered customer case-insensitively; guests have no record', async () => {
    const registered = catalog.customers.find((c) => c.registered);
    const guest = catalog.customers.find((c) => !c.registered);
    assert.ok(registered && guest);
    const found = (await api.get(`/customers?email=${encodeURIComponent(registered.email.toUpperCase())}&role=all`)).body as Json[];
    assert.equal(found.length, 1);
    assert.equal((found[0] as Json).email, registered.email);
    const none = (await api.get(`/customers?email=${encodeURIComponent(guest.email)}&role=all`)).body as Json[];
    assert.deepEqual(none, []);
  });
});

describe('malformed requests', () => {
  test('a malformed JSON body gives 400 rest_invalid_json', async () => {
    const response = await fetch(rest('/orders'), {
      method: 'POST',
      headers: { authorization: basic(sim.consumerKey, sim.consumerSecret), 'content-type': 'application/json' },
      body: '{"status":',
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as Json;
    assert.equal(body.code, 'rest_invalid_json');
    assert.equal(body.message, 'Invalid JSON body passed.');
  });

  test('a non-numeric id is not a route', async () => {
    const response = await api.get('/orders/abc');
    assert.equal(response.status, 404);
    assert.equal((response.body as Json).code, 'rest_no_route');
  });
});

describe('responses', () => {
  test('REST bodies are encoded like wp_json_encode (escaped slashes and unicode)', async () => {
    const response = await api.get('/products?per_page=100');
    assert.match(response.text, /\\\//);
    assert.match(response.text, /\\u00/);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  });
});

describe('refunds', () => {
  test('a refund is listed on the order with a negative total, and a full refund sets status refunded', async () => {
    const order = sim.control.placeOrder({
      customerEmail: 'refund@example.com',
      lines: [{ sku: catalog.products.find((p) => p.type === 'simple')?.sku as string, quantity: 1 }],
      paymentMethodId: 'stripe',
      status: 'processing',
    }) as Json;
    const partial = await api.request('POST', `/orders/${order.id}/refunds`, { amount: '1.00', reason: 'Scratched', api_refund: false });
    assert.equal(partial.status, 201);
    assert.equal((partial.body as Json).amount, '1.00');
    const after = (await api.get(`/orders/${order.id}`)).body as Json;
    assert.deepEqual(after.refunds, [{ id: (partial.body as Json).id, reason: 'Scratched', total: '-1.00' }]);
    assert.equal(after.status, 'processing');
    const tooMuch = await api.request('POST', `/orders/${order.id}/refunds`, { amount: order.total });
    assert.equal((tooMuch.body as Json).code, 'woocommerce_rest_cannot_create_order_refund');
    const rest = (Number(order.total) - 1).toFixed(2);
    await api.request('POST', `/orders/${order.id}/refunds`, { amount: rest });
    assert.equal(((await api.get(`/orders/${order.id}`)).body as Json).status, 'refunded');
    assert.equal(((await api.get(`/orders/${order.id}/refunds`)).body as Json[]).length, 2);
  });
});
