import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { buildSalesOrder, expectedTotal, itemKeys, moneyToCents, salesOrderExternalId, type Mapping } from '../../src/mapping';
import type { WooOrder } from '../../src/woocommerce/order';
import { catalog, customerWhere, defaultMapping, mappingOf, placeOrder } from './fixtures';

type Line = { item: Record<string, string>; quantity: number; rate?: number; amount: number; description: string };

/** Fake NetSuite internal IDs for every key of the order: `ns-<key>`. */
const idsFor = (order: WooOrder, mapping: Mapping): Map<string, string> =>
  new Map(itemKeys(order, mapping).flatMap((k) => (k.key === null ? [] : [[k.key, `ns-${k.key}`] as [string, string]])));

function build(order: WooOrder, mapping: Mapping = defaultMapping(), store = 'main') {
  const result = buildSalesOrder({ order, store, mapping, customerId: '104', items: idsFor(order, mapping) });
  assert.ok(result.ok, result.ok ? '' : result.problem.message);
  return { body: result.body, warnings: result.warnings, lines: (result.body.item as { items: Line[] }).items };
}

describe('sales order body', () => {
  let sim: WooCommerceSimulator;
  const variation = sellableItems(catalog).find((s) => s.parentSku !== undefined);
  const shopper = customerWhere((c) => c.registered);
  before(async () => {
    sim = await startWooCommerceSimulator({ catalog });
  });
  after(async () => sim.close());

  const draft = (extra: Record<string, unknown> = {}) => ({
    customerEmail: shopper.emailAsTyped,
    lines: [
      { sku: 'SKU-00001', quantity: 3 },
      { sku: variation?.sku ?? 'missing', quantity: 2 },
    ],
    shippingMethodId: 'flat_rate',
    couponCodes: ['WELCOME10'],
    fees: [{ name: 'Gift wrap', total: '3.50' }],
    paymentMethodId: 'stripe',
    customerNote: '  Please leave at the door — merci! 🚪  ',
    ...extra,
  });

  test('item lines carry the NetSuite item, quantity, pre-coupon net rate and amount, and the line name; variations by their own SKU', () => {
    assert.ok(variation, 'the catalog has variations');
    const order = placeOrder(sim, draft());
    const { lines } = build(order);
    assert.equal(lines.length, 3);
    order.line_items.forEach((wooLine, i) => {
      const line = lines[i] as Line;
      assert.deepEqual(line.item, { id: `ns-${wooLine.sku}` });
      assert.equal(line.quantity, wooLine.quantity);
      assert.equal(line.amount, Number(wooLine.subtotal));
      assert.equal(line.rate, Number((Number(wooLine.subtotal) / wooLine.quantity).toFixed(4)));
      assert.equal(line.description, wooLine.name);
      assert.notEqual(wooLine.subtotal, wooLine.total, 'the coupon reduced the line total, the body uses the subtotal');
    });
    assert.equal(order.line_items[1]?.sku, variation.sku);
    assert.deepEqual(lines[1]?.item, { id: `ns-${variation.sku}` });
  });

  test('a fee becomes a line of the fee item; the coupon a header discount; shipping a ship item and cost', () => {
    const order = placeOrder(sim, draft());
    const { body, lines } = build(order);
    assert.deepEqual(lines[2], { item: { externalId: 'woo-fee' }, quantity: 1, rate: 3.5, amount: 3.5, description: 'Gift wrap' });
    assert.ok(moneyToCents(order.discount_total) > 0);
    assert.deepEqual(body.discountItem, { externalId: 'woo-discount' });
    assert.equal(body.discountRate, `-${order.discount_total}`);
    assert.deepEqual(body.shipMethod, { externalId: 'woo-ship-flat_rate' });
    assert.equal(body.shippingCost, 5);
    assert.equal(body.memo, 'Coupons: welcome10 | Customer note: Please leave at the door — merci! 🚪', 'WooCommerce stores coupon codes lower-case');
  });

  test('header fields: customer, external ID, date, order number, custom fields, e-mail; no discount without a coupon', () => {
    const order = placeOrder(sim, draft({ couponCodes: [], fees: [], customerNote: '' }));
    const { body } = build(order, defaultMapping(), 'main');
    assert.deepEqual(body.entity, { id: '104' });
    assert.equal(body.externalId, `woo-main-${order.order_key}`);
    assert.equal(body.tranDate, order.date_created_gmt?.slice(0, 10));
    assert.match(String(body.tranDate), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(body.otherRefNum, order.number);
    assert.equal(body.custbody_woo_order_key, order.order_key);
    assert.equal(body.custbody_woo_order_number, order.number);
    assert.equal(body.custbody_woo_store, 'main');
    assert.equal(body.email, shopper.email);
    for (const absent of ['discountItem', 'discountRate', 'memo', 'orderStatus', 'subsidiary', 'location', 'paymentMethod']) {
      assert.equal(absent in body, false, `${absent} is not sent`);
    }
  });

  test('the external ID is stable across calls and sanitised to letters, digits, _ and -', () => {
    const order = placeOrder(sim, draft());
    assert.equal(build(order).body.externalId, build(order).body.externalId);
    assert.deepEqual(build(order).body, build(order).body);
    assert.equal(salesOrderExternalId(defaultMapping(), 'main', 'wc_order_a.b/c d+é'), 'woo-main-wc_order_a_b_c_d__');
    assert.equal(salesOrderExternalId(mappingOf({ externalIdPrefix: 'shop1' }), 'eu', 'wc_order_X'), 'shop1-eu-wc_order_X');
  });

  test('defaults, order status, payment method and renamed custom fields come from the mapping', () => {
    const order = placeOrder(sim, draft());
    const mapping = mappingOf({
      defaults: { subsidiary: { id: '1' }, location: { id: '2' }, department: { id: '5' }, class: { externalId: 'web' }, orderStatus: 'A' },
      paymentMethods: { stripe: { id: '8' } },
      customFields: { orderKey: 'custbody_wc_key' },
    });
    const { body, warnings } = build(order, mapping);
    assert.deepEqual(body.subsidiary, { id: '1' });
    assert.deepEqual(body.location, { id: '2' });
    assert.deepEqual(body.department, { id: '5' });
    assert.deepEqual(body.class, { externalId: 'web' });
    assert.deepEqual(body.orderStatus, { id: 'A' });
    assert.deepEqual(body.paymentMethod, { id: '8' });
    assert.equal(body.custbody_wc_key, order.order_key);
    assert.equal('custbody_woo_order_key' in body, false);
    assert.deepEqual(warnings, []);
  });

  test('an unmapped payment method is a warning, not a problem', () => {
    const order = placeOrder(sim, draft({ paymentMethodId: 'cod' }));
    const { body, warnings } = build(order);
    assert.equal('paymentMethod' in body, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /payment method cod .*"paymentMethods"/);
  });

  test('per-store overrides change the body of that store only', () => {
    const order = placeOrder(sim, draft());
    const json = { defaults: { location: { id: '1' } }, stores: { eu: { defaults: { location: { id: '2' } }, externalIdPrefix: 'wooeu' } } };
    assert.deepEqual(build(order, mappingOf(json, 'main'), 'main').body.location, { id: '1' });
    const eu = build(order, mappingOf(json, 'eu'), 'eu').body;
    assert.deepEqual(eu.location, { id: '2' });
    assert.equal(eu.externalId, `wooeu-eu-${order.order_key}`);
    assert.equal(eu.custbody_woo_store, 'eu');
  });

  test('tax mode "line" adds one tax line with the order total_tax; mode "netsuite" sends nothing for tax', () => {
    const order = placeOrder(sim, draft());
    assert.ok(moneyToCents(order.total_tax) > 0, 'the shopper pays tax');
    const netsuite = build(order);
    assert.equal(netsuite.lines.length, 3);
    assert.equal(JSON.stringify(netsuite.body).includes(order.total_tax), false);
    const mapping = mappingOf({ tax: { mode: 'line', item: { externalId: 'woo-tax' } } });
    const { lines } = build(order, mapping);
    assert.equal(lines.length, 4);
    const taxLine = lines[3] as Line;
    assert.deepEqual(taxLine.item, { externalId: 'woo-tax' });
    assert.equal(taxLine.amount, Number(order.total_tax));
    assert.match(taxLine.description, /^Tax \(.+\)$/);
    assert.equal(expectedTotal(order, mapping), moneyToCents(order.total));
    assert.equal(expectedTotal(order, defaultMapping()), moneyToCents(order.total) - moneyToCents(order.total_tax));
  });

  test('rates keep four decimals while amounts stay exact cents', () => {
    const order = placeOrder(sim, draft({ lines: [{ sku: 'SKU-LOOSE', quantity: 3, raw: true, price: '3.33' }], couponCodes: [], fees: [] }));
    const mapping = mappingOf({ items: { aliases: { 'SKU-LOOSE': 'SKU-00001' } } });
    const line = build({ ...order, line_items: order.line_items.map((l) => ({ ...l, subtotal: '10.00' })) }, mapping).lines[0] as Line;
    assert.equal(line.rate, 3.3333);
    assert.equal(line.amount, 10);
  });

  test('money strings become cents without float drift', () => {
    assert.equal(moneyToCents('0.29'), 29);
    assert.equal(moneyToCents('1005.01'), 100501);
    assert.equal(moneyToCents('-5.00'), -500);
    assert.equal(moneyToCents('12'), 1200);
    assert.equal(moneyToCents('0.125'), 13);
    assert.equal(moneyToCents(''), 0);
    assert.throws(() => moneyToCents('1,000.00', 'total'), /total/);
  });

  test('an unknown SKU is an UnknownSku problem naming the SKU and the line, with the alias to add', () => {
    const order = placeOrder(
      sim,
      draft({
        lines: [
          { sku: 'SKU-00001', quantity: 1 },
          { sku: 'SKU-GONE-1', quantity: 1, raw: true, name: 'Vintage Mug' },
        ],
      }),
    );
    const mapping = defaultMapping();
    const items = new Map([['SKU-00001', '11']]);
    const result = buildSalesOrder({ order, store: 'main', mapping, customerId: '104', items });
    assert.ok(!result.ok);
    assert.equal(result.problem.failureType, 'UnknownSku');
    assert.match(result.problem.message, /SKU-GONE-1/);
    assert.match(result.problem.message, /Vintage Mug/);
    assert.match(result.problem.fix, /"items\.aliases": \{"SKU-GONE-1": "<NetSuite item name>"\}/);
    assert.equal(result.problem.details.skus, 'SKU-GONE-1');
  });

  test('an alias maps a WooCommerce SKU to another NetSuite item key', () => {
    const order = placeOrder(
      sim,
      draft({ lines: [{ sku: 'SKU-GONE-2', quantity: 2, raw: true, name: 'Renamed Mug', price: '4.00' }], couponCodes: [], fees: [] }),
    );
    const mapping = mappingOf({ items: { aliases: { 'SKU-GONE-2': 'SKU-00002' } } });
    assert.deepEqual(itemKeys(order, mapping), [{ sku: 'SKU-GONE-2', key: 'SKU-00002', lineIndex: 0 }]);
    const { lines } = build(order, mapping);
    assert.deepEqual(lines[0]?.item, { id: 'ns-SKU-00002' });
  });

  test('a deleted product (sku null) is an UnknownSku problem naming the line', () => {
    const order = placeOrder(sim, draft());
    const deleted: WooOrder = { ...order, line_items: order.line_items.map((l, i) => (i === 0 ? { ...l, sku: null } : l)) };
    const mapping = defaultMapping();
    assert.deepEqual(itemKeys(deleted, mapping)[0], { sku: null, key: null, lineIndex: 0 });
    const result = buildSalesOrder({ order: deleted, store: 'main', mapping, customerId: '104', items: idsFor(order, mapping) });
    assert.ok(!result.ok);
    assert.equal(result.problem.failureType, 'UnknownSku');
    assert.ok(result.problem.message.includes(`line "${order.line_items[0]?.name}" has no SKU`), result.problem.message);
  });

  test('an unmapped shipping method is an UnknownShippingMethod problem naming method_id and title, unless shipping.default is set', () => {
    const order = placeOrder(sim, draft({ shippingMethodId: 'local_pickup' }));
    const mapping = mappingOf({ shipping: { methods: { flat_rate: { externalId: 'woo-ship-flat_rate' } } } });
    const result = buildSalesOrder({ order, store: 'main', mapping, customerId: '104', items: idsFor(order, mapping) });
    assert.ok(!result.ok);
    assert.equal(result.problem.failureType, 'UnknownShippingMethod');
    assert.match(result.problem.message, /method_id local_pickup/);
    assert.match(result.problem.message, /"Local pickup"/);
    assert.match(result.problem.fix, /"shipping\.methods": \{"local_pickup"/);
    assert.deepEqual(result.problem.details, { methodId: 'local_pickup', methodTitle: 'Local pickup' });

    const withDefault = mappingOf({ shipping: { methods: {}, default: { id: '42' } } });
    assert.deepEqual(build(order, withDefault).body.shipMethod, { id: '42' });
  });

  test('an order without shipping lines sends no ship method', () => {
    const order = placeOrder(sim, draft({ shippingMethodId: undefined }));
    const { body } = build(order);
    assert.equal('shipMethod' in body, false);
    assert.equal('shippingCost' in body, false);
  });
});
