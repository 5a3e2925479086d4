/**
 * The drift watcher watches what the sync really writes: every body field (and item-line field) buildSalesOrder and
 * newCustomerBody put in a request, with every optional mapping setting turned on, is on the watched list — so a new
 * field in the mapping code cannot go unwatched — and every watched field is in the committed snapshot.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { mappedFields, readFixture } from '../../src/drift';
import { buildSalesOrder, itemKeys, newCustomerBody } from '../../src/mapping';
import { catalog, customerWhere, mappingOf, placeOrder } from '../mapping/fixtures';

/** Every optional setting that makes the mapping write one more field. */
const everything = mappingOf({
  paymentMethods: { stripe: { id: '7' } },
  currencies: { USD: { id: '1' } },
  tax: { mode: 'line', item: { externalId: 'woo-tax' } },
  defaults: { subsidiary: { id: '1' }, location: { id: '1' }, department: { id: '2' }, class: { id: '3' }, orderStatus: 'A' },
  customers: { subsidiary: { id: '1' } },
});

describe('the fields the drift watcher watches', () => {
  let sim: WooCommerceSimulator;
  before(async () => {
    sim = await startWooCommerceSimulator({ catalog });
  });
  after(async () => sim.close());

  const watched = mappedFields([{ store: 'main', mapping: everything }]);

  test('every field of a sales order body and of its item lines is watched', () => {
    const shopper = customerWhere((c) => c.registered);
    const order = placeOrder(sim, {
      customerEmail: shopper.emailAsTyped,
      lines: [{ sku: 'SKU-00001', quantity: 2 }],
      shippingMethodId: 'flat_rate',
      couponCodes: ['WELCOME10'],
      fees: [{ name: 'Gift wrap', total: '3.50' }],
      paymentMethodId: 'stripe',
      customerNote: 'leave at the door',
    });
    const items = new Map(itemKeys(order, everything).flatMap((k) => (k.key === null ? [] : [[k.key, `ns-${k.key}`] as [string, string]])));
    const built = buildSalesOrder({ order, store: 'main', mapping: everything, customerId: '104', items });
    assert.ok(built.ok);
    const written = Object.keys(built.body);
    for (const field of ['discountItem', 'paymentMethod', 'currency', 'department', 'memo', 'custbody_woo_order_key'])
      assert.ok(written.includes(field), `the order exercises ${field}`);
    const lines = (built.body.item as { items: Record<string, unknown>[] }).items;
    const lineFields = [...new Set(lines.flatMap((line) => Object.keys(line)))].map((f) => `item.items[].${f}`);
    const unwatched = [...written, ...lineFields].filter((field) => !Object.hasOwn(watched.salesOrder ?? {}, field));
    assert.deepEqual(unwatched, []);
  });

  test('every field of a new customer, person or company, is watched', () => {
    const written = new Set<string>();
    const person = customerWhere((c) => c.company === '' && c.registered);
    const company = customerWhere((c) => c.company !== '');
    for (const shopper of [person, company]) {
      const order = placeOrder(sim, { customerEmail: shopper.emailAsTyped, lines: [{ sku: 'SKU-00001', quantity: 1 }], paymentMethodId: 'stripe' });
      for (const field of Object.keys(newCustomerBody(order, everything, 'main'))) written.add(field);
    }
    for (const field of ['custentity_woo_customer_id', 'subsidiary', 'companyName', 'firstName', 'isPerson', 'phone'])
      assert.ok(written.has(field), `the customers exercise ${field}`);
    assert.deepEqual(
      [...written].filter((field) => !Object.hasOwn(watched.customer ?? {}, field)),
      [],
    );
  });

  test('every watched field is in the committed snapshot (config/netsuite-schema.json)', () => {
    const fixture = readFixture(join(__dirname, '..', '..', 'config', 'netsuite-schema.json'));
    const missing = Object.entries(watched).flatMap(([type, fields]) =>
      Object.keys(fields)
        .filter((f) => !Object.hasOwn(fixture.recordTypes[type] ?? {}, f))
        .map((f) => `${type}.${f}`),
    );
    assert.deepEqual(missing, []);
  });
});
