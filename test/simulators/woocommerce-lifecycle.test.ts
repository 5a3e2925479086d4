/**
 * The WooCommerce simulator after an order was placed: refunds (JSON shape, shipping and fee lines, amount rules,
 * deletion) and REST edits of an order's lines, over real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { startWebhookReceiver, wooClient, type WebhookReceiver, type WooRestClient } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 13 });
const simples = catalog.products.filter((p) => p.type === 'simple');
const skuA = simples[0]?.sku as string;
const skuB = simples[1]?.sku as string;
const CA_RATE = 7.25;
let now = Date.UTC(2025, 2, 1, 9, 0, 0);
let sim: WooCommerceSimulator;
let api: WooRestClient;
let receiver: WebhookReceiver;

/** A processing order of a guest in California (7.25 % tax): 2 × skuA, 1 × skuB, flat-rate shipping, a gift-wrap fee. */
function place(overrides: Json = {}): Json {
  return sim.control.placeOrder({
    customerEmail: 'guest-lifecycle@example.com',
    lines: [
      { sku: skuA, quantity: 2 },
      { sku: skuB, quantity: 1 },
    ],
    shippingMethodId: 'flat_rate',
    fees: [{ name: 'Gift wrap', total: '3.50' }],
    paymentMethodId: 'stripe',
    status: 'processing',
    ...overrides,
  }) as Json;
}

const lines = (order: Json, key = 'line_items'): Json[] => order[key] as Json[];
const first = (order: Json, key: string): Json => lines(order, key)[0] as Json;
const cents = (value: unknown): number => Math.round(Number(value) * 100);
const money = (c: number): string => (c / 100).toFixed(2);
const getOrder = async (id: unknown): Promise<Json> => (await api.get(`/orders/${id}`)).body as Json;
const allItemIds = (order: Json): number[] =>
  ['line_items', 'shipping_lines', 'fee_lines', 'coupon_lines', 'tax_lines'].flatMap((key) => lines(order, key).map((l) => l.id as number));
const orderUpdatedDeliveries = (orderId: unknown): number =>
  sim.control.deliveries({ kind: 'delivery', resourceId: orderId as number }).filter((d) => d.topic === 'order.updated').length;

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, clock: () => now, seed: 13, webhookDelivery: { delayMs: 20 } });
  api = wooClient(sim);
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

describe('refund JSON', () => {
  test('a product-line refund: own item id, _refunded_item_id meta, negative quantity and amounts, tax lines', async () => {
    const order = place();
    const line = first(order, 'line_items');
    const unit = cents(line.subtotal) / 2;
    const tax = Number(((unit * CA_RATE) / 10000).toFixed(4));
    const amount = money(unit + Math.round(tax * 100));
    const created = await api.request('POST', `/orders/${order.id}/refunds`, {
      amount,
      reason: 'Damaged in transit',
      api_refund: false,
      line_items: [{ id: line.id, quantity: 1, refund_total: money(unit), refund_tax: [{ id: 1, refund_total: tax }] }],
    });
    assert.equal(created.status, 201, created.text);
    const refund = created.body as Json;
    assert.deepEqual(Object.keys(refund), [
      'id',
      'date_created',
      'date_created_gmt',
      'amount',
      'reason',
      'refunded_by',
      'refunded_payment',
      'meta_data',
      'line_items',
      'shipping_lines',
      'tax_lines',
      'fee_lines',
      '_links',
    ]);
    assert.equal(refund.amount, amount);
    assert.equal(refund.reason, 'Damaged in transit');
    assert.equal(refund.refunded_by, 1);
    assert.equal(refund.refunded_payment, false);
    assert.match(created.headers.get('location') ?? '', new RegExp(`/wp-json/wc/v3/orders/\\(\\?P<order_id>\\[\\\\d\\]\\+\\)/refunds/${refund.id}$`));

    const refundLine = first(refund, 'line_items');
    assert.ok(!allItemIds(order).includes(refundLine.id as number), 'a refund line has its own item id');
    const metaId = (refundLine.meta_data as Json[])[0]?.id;
    assert.equal(typeof metaId, 'number');
    assert.deepEqual(refundLine, {
      id: refundLine.id,
      name: line.name,
      product_id: line.product_id,
      variation_id: 0,
      quantity: -1,
      tax_class: '',
      subtotal: `-${money(unit)}`,
      subtotal_tax: `-${money(Math.round(tax * 100))}`,
      total: `-${money(unit)}`,
      total_tax: `-${money(Math.round(tax * 100))}`,
      taxes: [{ id: 1, total: `-${tax}`, subtotal: `-${tax}` }],
      meta_data: [{ id: metaId, key: '_refunded_item_id', value: String(line.id), display_key: '_refunded_item_id', display_value: String(line.id) }],
      sku: skuA,
      price: unit / 100,
      image: { id: '', src: '' },
      parent_name: null,
    });
    assert.equal('refund_total' in refundLine, false, 'WooCommerce does not echo refund_total');
    assert.deepEqual(
      lines(refund, 'tax_lines').map((t) => [t.rate_id, t.tax_total, t.shipping_tax_total, t.label]),
      [[1, `-${money(Math.round(tax * 100))}`, '0.00', 'CA State Tax']],
    );

    const single = await api.get(`/orders/${order.id}/refunds/${refund.id}`);
    assert.deepEqual(single.body, refund);
    const list = await api.get(`/orders/${order.id}/refunds`);
    assert.deepEqual(list.body, [refund]);
    assert.equal(list.headers.get('x-wp-total'), '1');
    const after = await getOrder(order.id);
    assert.deepEqual(after.refunds, [{ id: refund.id, reason: 'Damaged in transit', total: `-${amount}` }]);
    assert.equal(after.status, 'processing');
    assert.deepEqual(after.line_items, order.line_items, 'a refund does not change the order lines');
  });

  test('shipping and fee items go through line_items and come back as shipping_lines and fee_lines; amount defaults to the sum', async () => {
    const order = place();
    const shipping = first(order, 'shipping_lines');
    const fee = first(order, 'fee_lines');
    const shippingTax = Number((shipping.taxes as Json[])[0]?.total);
    const created = await api.request('POST', `/orders/${order.id}/refunds`, {
      api_refund: false,
      line_items: [
        { id: shipping.id, refund_total: shipping.total, refund_tax: [{ id: 1, refund_total: shippingTax }] },
        { id: fee.id, refund_total: 3.5 },
      ],
    });
    assert.equal(created.status, 201, created.text);
    const refund = created.body as Json;
    assert.equal(refund.amount, money(cents(shipping.total) + cents(shippingTax) + 350));
    assert.deepEqual(refund.line_items, []);
    const shippingLine = first(refund, 'shipping_lines');
    assert.deepEqual(Object.keys(shippingLine), ['id', 'method_title', 'method_id', 'instance_id', 'total', 'total_tax', 'taxes', 'meta_data']);
    assert.equal(shippingLine.method_id, 'flat_rate');
    assert.equal(shippingLine.method_title, 'Flat rate');
    assert.equal(shippingLine.total, `-${shipping.total}`);
    assert.equal(shippingLine.total_tax, `-${money(Math.round(shippingTax * 100))}`);
    assert.deepEqual(shippingLine.taxes, [{ id: 1, total: `-${shippingTax}`, subtotal: '' }]);
    assert.deepEqual(
      (shippingLine.meta_data as Json[]).map((m) => [m.key, m.value]),
      [['_refunded_item_id', String(shipping.id)]],
    );
    const feeLine = first(refund, 'fee_lines');
    assert.deepEqual(Object.keys(feeLine), ['id', 'name', 'tax_class', 'tax_status', 'amount', 'total', 'total_tax', 'taxes', 'meta_data']);
    assert.equal(feeLine.name, 'Gift wrap');
    assert.equal(feeLine.amount, '3.50', 'the copy keeps the fee amount');
    assert.equal(feeLine.total, '-3.50');
    assert.equal(feeLine.total_tax, '0.00');
    assert.deepEqual(feeLine.taxes, []);
    assert.deepEqual(
      (feeLine.meta_data as Json[]).map((m) => [m.key, m.value]),
      [['_refunded_item_id', String(fee.id)]],
    );
    assert.deepEqual(
      lines(refund, 'tax_lines').map((t) => [t.tax_total, t.shipping_tax_total]),
      [['0.00', `-${money(Math.round(shippingTax * 100))}`]],
    );
  });

  test('an amount-only refund has no lines; unknown item ids are ignored; a quantity over what was ordered is accepted', async () => {
    const order = place();
    const amountOnly = (await api.request('POST', `/orders/${order.id}/refunds`, { amount: '1.00', api_refund: false })).body as Json;
    assert.equal(amountOnly.amount, '1.00');
    for (const key of ['line_items', 'shipping_lines', 'fee_lines', 'tax_lines', 'meta_data']) assert.deepEqual(amountOnly[key], [], key);
    const unknown = await api.request('POST', `/orders/${order.id}/refunds`, {
      amount: '1.00',
      api_refund: false,
      line_items: [{ id: 987654, quantity: 1, refund_total: 1 }],
    });
    assert.equal(unknown.status, 201);
    assert.deepEqual((unknown.body as Json).line_items, []);
    const line = first(order, 'line_items');
    const tooMany = await api.request('POST', `/orders/${order.id}/refunds`, {
      amount: '2.00',
      api_refund: false,
      api_restock: false,
      line_items: [{ id: line.id, quantity: 5, refund_total: 2 }],
    });
    assert.equal(tooMany.status, 201);
    assert.equal(first(tooMany.body as Json, 'line_items').quantity, -5);
  });

  test('a refund larger than what is left, a negative or non-string amount, an unknown order and an offline gateway are refused', async () => {
    const order = place();
    await api.request('POST', `/orders/${order.id}/refunds`, { amount: '10.00', api_refund: false });
    const left = money(cents(order.total) - 1000);
    const tooMuch = await api.request('POST', `/orders/${order.id}/refunds`, { amount: money(cents(left) + 1), api_refund: false });
    assert.equal(tooMuch.status, 500);
    assert.deepEqual(tooMuch.body, { code: 'woocommerce_rest_cannot_create_order_refund', message: 'Invalid refund amount.', data: { status: 500 } });
    const negative = await api.request('POST', `/orders/${order.id}/refunds`, { amount: '-1.00' });
    assert.deepEqual(negative.body, {
      code: 'woocommerce_rest_invalid_order_refund',
      message: 'Refund amount must be greater than zero.',
      data: { status: 400 },
    });
    const number = await api.request('POST', `/orders/${order.id}/refunds`, { amount: 5 });
    assert.equal(number.status, 400);
    assert.equal((number.body as Json).code, 'rest_invalid_param');
    assert.deepEqual(((number.body as Json).data as Json).params, { amount: 'amount is not of type string.' });
    const unknownOrder = await api.request('POST', '/orders/999999/refunds', { amount: '1.00' });
    assert.deepEqual(unknownOrder.body, { code: 'woocommerce_rest_invalid_order_id', message: 'Invalid order ID.', data: { status: 404 } });
    assert.equal(((await getOrder(order.id)).refunds as Json[]).length, 1, 'failed refunds leave nothing behind');

    const cod = place({ paymentMethodId: 'cod' });
    const viaGateway = await api.request('POST', `/orders/${cod.id}/refunds`, { amount: '1.00' });
    assert.deepEqual(viaGateway.body, {
      code: 'woocommerce_rest_cannot_create_order_refund',
      message: 'The payment gateway for this order does not support automatic refunds.',
      data: { status: 500 },
    });
    const manual = await api.request('POST', `/orders/${cod.id}/refunds`, { amount: '1.00', api_refund: false });
    assert.equal(manual.status, 201);
    assert.equal((manual.body as Json).refunded_payment, false);
    const viaStripe = await api.request('POST', `/orders/${order.id}/refunds`, { amount: left });
    assert.equal((viaStripe.body as Json).refunded_payment, true);
    assert.equal((await getOrder(order.id)).status, 'refunded');
  });
});

describe('refund lifecycle', () => {
  test('a full refund sets refunded; the summary lists refunds newest first; restock gives back the refunded quantity', async () => {
    const before = sim.control.getProductBySku(skuA).stock_quantity as number;
    const order = place();
    assert.equal(sim.control.getProductBySku(skuA).stock_quantity, before - 2);
    const line = first(order, 'line_items');
    const partial = (
      await api.request('POST', `/orders/${order.id}/refunds`, {
        amount: '5.00',
        reason: 'first',
        api_refund: false,
        line_items: [{ id: line.id, quantity: 1, refund_total: 5 }],
      })
    ).body as Json;
    assert.equal(sim.control.getProductBySku(skuA).stock_quantity, before - 1, 'api_restock defaults to true');
    assert.ok(sim.control.orderNotes(order.id as number).some((n) => /^Item #\d+ stock increased from \d+ to \d+\.$/.test(n.note)));
    now += 5000;
    const rest = (await api.request('POST', `/orders/${order.id}/refunds`, { amount: money(cents(order.total) - 500), reason: 'second', api_refund: false }))
      .body as Json;
    const after = await getOrder(order.id);
    assert.equal(after.status, 'refunded');
    assert.deepEqual(after.refunds, [
      { id: rest.id, reason: 'second', total: `-${rest.amount}` },
      { id: partial.id, reason: 'first', total: '-5.00' },
    ]);
    assert.deepEqual(
      ((await api.get(`/orders/${order.id}/refunds`)).body as Json[]).map((r) => r.id),
      [rest.id, partial.id],
    );
    const nothingLeft = await api.request('POST', `/orders/${order.id}/refunds`, { amount: '0.01', api_refund: false });
    assert.equal((nothingLeft.body as Json).message, 'Invalid refund amount.');
  });

  test('DELETE needs force (default true): force=false → 501; the deletion fires no webhook and keeps date_modified', async () => {
    const order = place();
    const refund = (await api.request('POST', `/orders/${order.id}/refunds`, { amount: '4.00', api_refund: false })).body as Json;
    await sim.control.flushDeliveries({ runNow: true });
    const deliveriesBefore = orderUpdatedDeliveries(order.id);
    assert.ok(deliveriesBefore >= 1, 'creating a refund fires order.updated');
    const modified = (await getOrder(order.id)).date_modified_gmt;
    now += 120_000;

    const noTrash = await api.request('DELETE', `/orders/${order.id}/refunds/${refund.id}?force=false`);
    assert.equal(noTrash.status, 501);
    assert.deepEqual(noTrash.body, {
      code: 'woocommerce_rest_trash_not_supported',
      message: 'The shop_order_refund does not support trashing.',
      data: { status: 501 },
    });
    const unknown = await api.request('DELETE', `/orders/${order.id}/refunds/987654?force=true`);
    assert.deepEqual(unknown.body, { code: 'woocommerce_rest_shop_order_refund_invalid_id', message: 'Invalid ID.', data: { status: 404 } });

    const deleted = await api.request('DELETE', `/orders/${order.id}/refunds/${refund.id}?force=true`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, refund);
    const gone = await api.get(`/orders/${order.id}/refunds/${refund.id}`);
    assert.deepEqual(gone.body, { code: 'woocommerce_rest_shop_order_refund_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    const after = await getOrder(order.id);
    assert.deepEqual(after.refunds, []);
    assert.equal(after.date_modified_gmt, modified, 'deleting a refund does not touch the order');
    await sim.control.flushDeliveries({ runNow: true });
    assert.equal(orderUpdatedDeliveries(order.id), deliveriesBefore, 'no order.updated for a deleted refund (issue #26532)');
    const whole = await api.request('POST', `/orders/${order.id}/refunds`, { amount: order.total, api_refund: false });
    assert.equal(whole.status, 201, 'the deleted amount is refundable again');

    const plain = (await api.request('POST', `/orders/${place().id}/refunds`, { amount: '1.00', api_refund: false })).body as Json;
    const orderId = Number((((plain._links as Json).up as Json[])[0]?.href as string).split('/').pop());
    assert.equal((await api.request('DELETE', `/orders/${orderId}/refunds/${plain.id}`)).status, 200, 'force defaults to true');
  });

  test('control routes create, list and delete refunds the same way', async () => {
    const order = place();
    const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json & Json[] }> => {
      const response = await fetch(`${sim.controlUrl}/control${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      return { status: response.status, body: (await response.json()) as Json & Json[] };
    };
    const created = await control('POST', `/orders/${order.id}/refunds`, { amount: '2.50', reason: 'control', api_refund: false });
    assert.equal(created.status, 201);
    assert.equal(created.body.amount, '2.50');
    assert.deepEqual((await control('GET', `/orders/${order.id}/refunds`)).body, [created.body]);
    const refused = await control('POST', `/orders/${order.id}/refunds`, { amount: '99999.00', api_refund: false });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.error), /woocommerce_rest_cannot_create_order_refund: Invalid refund amount\./);
    assert.equal((await control('DELETE', `/orders/${order.id}/refunds/${created.body.id}`)).status, 200);
    assert.deepEqual((await getOrder(order.id)).refunds, []);
  });

  test('rapid refunds of one order collapse into one delivery whose body is built when it runs', async () => {
    const order = place();
    await sim.control.flushDeliveries({ runNow: true });
    const before = orderUpdatedDeliveries(order.id);
    await api.request('POST', `/orders/${order.id}/refunds`, { amount: '1.00', api_refund: false });
    await api.request('POST', `/orders/${order.id}/refunds`, { amount: '2.00', api_refund: false });
    await sim.control.flushDeliveries();
    const deliveries = sim.control.deliveries({ kind: 'delivery', resourceId: order.id as number }).filter((d) => d.topic === 'order.updated');
    assert.equal(deliveries.length, before + 1);
    assert.equal((JSON.parse(deliveries.at(-1)?.rawBody ?? '{}').refunds as Json[]).length, 2);
  });
});

describe('order edits', () => {
  test('a quantity change alone keeps the line subtotal and total (WooCommerce does not re-price); with subtotal and total it re-prices', async () => {
    const order = place();
    const [lineA, lineB] = lines(order) as [Json, Json];
    const quantityOnly = (await api.request('PUT', `/orders/${order.id}`, { line_items: [{ id: lineA.id, quantity: 3 }] })).body as Json;
    const a1 = first(quantityOnly, 'line_items');
    assert.equal(a1.id, lineA.id);
    assert.equal(a1.quantity, 3);
    assert.equal(a1.subtotal, lineA.subtotal);
    assert.equal(a1.total, lineA.total);
    assert.equal(quantityOnly.total, order.total);

    const unit = cents(lineA.subtotal) / 2;
    const repriced = (
      await api.request('PATCH', `/orders/${order.id}`, { line_items: [{ id: lineA.id, quantity: 3, subtotal: money(unit * 3), total: money(unit * 3) }] })
    ).body as Json;
    const a2 = first(repriced, 'line_items');
    assert.equal(a2.id, lineA.id);
    assert.equal(a2.subtotal, money(unit * 3));
    assert.equal(a2.total_tax, money(Math.round((unit * 3 * CA_RATE) / 100)));
    assert.equal(cents(repriced.total) - cents(order.total), unit + Math.round((unit * 3 * CA_RATE) / 100) - cents(lineA.total_tax));
    assert.deepEqual(
      lines(repriced).map((l) => l.id),
      [lineA.id, lineB.id],
      'line ids stay stable',
    );
    assert.equal(first(repriced, 'shipping_lines').id, first(order, 'shipping_lines').id);
  });

  test('lines are removed by quantity 0 or a null product_id; an unknown id in a removal is ignored; an unknown id in an update is refused', async () => {
    const order = place();
    const [lineA, lineB] = lines(order) as [Json, Json];
    const removedA = (
      await api.request('PUT', `/orders/${order.id}`, {
        line_items: [
          { id: lineA.id, quantity: 0 },
          { id: 987654, quantity: 0 },
        ],
      })
    ).body as Json;
    assert.deepEqual(
      lines(removedA).map((l) => l.id),
      [lineB.id],
    );
    assert.equal(cents(removedA.total), cents(order.total) - cents(lineA.total) - cents(lineA.total_tax));
    const added = (await api.request('PUT', `/orders/${order.id}`, { line_items: [{ sku: skuA, quantity: 1 }] })).body as Json;
    const newLine = lines(added)[1] as Json;
    assert.equal(newLine.sku, skuA);
    assert.equal(newLine.subtotal, money(cents(lineA.subtotal) / 2));
    const removedB = (await api.request('PUT', `/orders/${order.id}`, { line_items: [{ id: lineB.id, product_id: null }] })).body as Json;
    assert.deepEqual(
      lines(removedB).map((l) => l.id),
      [newLine.id],
    );

    const refused = await api.request('PUT', `/orders/${order.id}`, { line_items: [{ id: 987654, quantity: 2 }], billing: { first_name: 'Changed' } });
    assert.deepEqual(refused.body, {
      code: 'woocommerce_rest_invalid_item_id',
      message: 'Order item ID provided is not associated with order.',
      data: { status: 400 },
    });
    const unchanged = await getOrder(order.id);
    assert.deepEqual(unchanged.line_items, removedB.line_items);
  });

  test('shipping lines are re-priced or removed, and an address change recomputes the taxes', async () => {
    const order = place();
    const shipping = first(order, 'shipping_lines');
    const repriced = (await api.request('PUT', `/orders/${order.id}`, { shipping_lines: [{ id: shipping.id, total: '9.00' }] })).body as Json;
    assert.equal(repriced.shipping_total, '9.00');
    assert.equal(first(repriced, 'shipping_lines').id, shipping.id);
    assert.equal(first(repriced, 'shipping_lines').total_tax, money(Math.round((900 * CA_RATE) / 100)));
    const noShipping = (await api.request('PUT', `/orders/${order.id}`, { shipping_lines: [{ id: shipping.id, method_id: null }] })).body as Json;
    assert.deepEqual(noShipping.shipping_lines, []);
    assert.equal(noShipping.shipping_total, '0.00');

    const moved = (await api.request('PUT', `/orders/${order.id}`, { billing: { state: 'NY' }, shipping: { state: 'NY' } })).body as Json;
    assert.equal((moved.billing as Json).state, 'NY');
    assert.equal(first(moved, 'tax_lines').label, 'NY Sales Tax');
    assert.notEqual(moved.total_tax, noShipping.total_tax);
  });

  test('each edit fires order.updated and moves date_modified', async () => {
    const order = place();
    await sim.control.flushDeliveries({ runNow: true });
    const before = orderUpdatedDeliveries(order.id);
    now += 3000;
    const edited = (
      await api.request('PUT', `/orders/${order.id}`, { line_items: [{ id: first(order, 'line_items').id, quantity: 1, subtotal: '1.00', total: '1.00' }] })
    ).body as Json;
    assert.notEqual(edited.date_modified_gmt, order.date_modified_gmt);
    await sim.control.flushDeliveries({ runNow: true });
    assert.equal(orderUpdatedDeliveries(order.id), before + 1);
  });
});
