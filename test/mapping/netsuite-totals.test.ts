import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateOrderDrafts } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { buildSalesOrder, customerExternalId, customerMatchKey, expectedTotal, itemKeys, moneyToCents, newCustomerBody, type Mapping } from '../../src/mapping';
import type { WooOrder } from '../../src/woocommerce/order';
import { catalog, defaultMapping, mappingOf, placeOrder } from './fixtures';

type SuiteQlPage = { items: Record<string, string>[]; hasMore: boolean };

describe('sales orders built from simulator orders, created in the NetSuite simulator', () => {
  let woo: WooCommerceSimulator;
  let ns: NetSuiteSimulator;
  let token: string;

  before(async () => {
    woo = await startWooCommerceSimulator({ catalog });
    ns = await startNetSuiteSimulator({ catalog });
    token = await getAccessToken(ns);
  });
  after(async () => {
    await woo.close();
    await ns.close();
  });

  const rest = (path: string, body: unknown) =>
    fetch(`${ns.url}/services/rest${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'transient', 'x-netsuite-propertynamevalidation': 'Error' },
      body: JSON.stringify(body),
    });

  /** item name → internal ID of the keys, via SuiteQL over HTTP (as the integration resolves them). */
  async function resolveItems(keys: string[]): Promise<Map<string, string>> {
    const quoted = [...new Set(keys)].map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
    const response = await rest('/query/v1/suiteql?limit=1000', { q: `SELECT id, itemid FROM item WHERE itemid IN (${quoted})` });
    assert.equal(response.status, 200);
    const page = (await response.json()) as SuiteQlPage;
    assert.equal(page.hasMore, false);
    return new Map(page.items.map((row) => [String(row.itemid), String(row.id)]));
  }

  /** The customer of the order: the existing one by external ID, else a new one from newCustomerBody. */
  function customerFor(order: WooOrder, mapping: Mapping): string {
    assert.equal(customerMatchKey(order, mapping, 'main').kind, 'email');
    const externalId = customerExternalId(order, mapping, 'main');
    try {
      return String(ns.control.getRecord('customer', `eid:${externalId}`).id);
    } catch {
      return ns.control.createRecord('customer', newCustomerBody(order, mapping, 'main')).id;
    }
  }

  /** Builds the body, creates it over REST (204 + Location) and returns NetSuite's view of the sales order. */
  async function createInNetSuite(order: WooOrder, mapping: Mapping): Promise<Record<string, unknown>> {
    const keys = itemKeys(order, mapping).flatMap((k) => (k.key === null ? [] : [k.key]));
    const items = await resolveItems(keys);
    const built = buildSalesOrder({ order, store: 'main', mapping, customerId: customerFor(order, mapping), items });
    assert.ok(built.ok, built.ok ? '' : built.problem.message);
    const response = await rest('/record/v1/salesOrder', built.body);
    assert.equal(response.status, 204, await response.clone().text());
    const id = response.headers.get('location')?.split('/').pop();
    assert.ok(id);
    return ns.control.getRecord('salesOrder', id);
  }

  test('for every simulator order, NetSuite’s total equals the WooCommerce total minus tax (tax mode "netsuite")', async () => {
    const mapping = defaultMapping();
    const drafts = generateOrderDrafts(catalog, 60);
    assert.ok(drafts.some((d) => d.couponCodes.length > 0) && drafts.some((d) => d.fees.length > 0), 'the drafts include coupons and fees');
    let withDiscount = 0;
    for (const draft of drafts) {
      const order = placeOrder(woo, draft);
      const record = await createInNetSuite(order, mapping);
      const nsTotalCents = Math.round(Number(record.total) * 100);
      assert.equal(
        nsTotalCents,
        moneyToCents(order.total) - moneyToCents(order.total_tax),
        `order ${order.number}: NetSuite ${String(record.total)}, WooCommerce ${order.total} − tax ${order.total_tax}`,
      );
      assert.equal(nsTotalCents, expectedTotal(order, mapping));
      const lines = (record.item as { items: { quantity: number; amount: number }[] }).items;
      assert.equal(lines.length, order.line_items.length + order.fee_lines.length);
      assert.equal(record.externalId, `woo-main-${order.order_key}`);
      assert.equal(record.custbody_woo_order_key, order.order_key);
      if (moneyToCents(order.discount_total) > 0) withDiscount++;
    }
    assert.ok(withDiscount > 0, 'some orders had a coupon discount');
  });

  test('in tax mode "line", NetSuite’s total equals the WooCommerce total including tax', async () => {
    ns.control.createRecord('otherChargeItem', { externalId: 'woo-tax', itemId: 'Woo Tax', displayName: 'WooCommerce Tax' });
    const mapping = mappingOf({ tax: { mode: 'line', item: { externalId: 'woo-tax' } } });
    for (const draft of generateOrderDrafts(catalog, 15, 4242)) {
      const order = placeOrder(woo, draft);
      const record = await createInNetSuite(order, mapping);
      assert.equal(Math.round(Number(record.total) * 100), moneyToCents(order.total), `order ${order.number}`);
    }
  });
});
