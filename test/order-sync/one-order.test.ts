import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { placeOrder, salesOrdersWithExternalId, startE2E, workflowBundle, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 7 });
const cents = (value: string | number): number => Math.round(Number(value) * 100);

describe('one signed webhook makes one sales order', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it('maps customer, lines, shipping, discount, externalId and custom fields, then records the outcome on the order', async () => {
    const { stack } = e2e;
    const coupon = catalog.coupons[0]!;
    const returning = catalog.customers.find((c) => c.inNetSuite)!;
    const draft = {
      ...generateOrderDrafts(catalog, 1)[0]!,
      customerEmail: returning.emailAsTyped,
      couponCodes: [coupon.code],
      shippingMethodId: 'flat_rate',
      fees: [{ name: 'Gift wrap', total: '3.50' }],
    };
    const order = await placeOrder(stack, draft);
    const state = await stack.waitForOrder(order.id);
    assert.equal(state.status, 'Synced', JSON.stringify(state));

    const externalId = `woo-${stack.store.name}-${order.order_key}`;
    const matches = salesOrdersWithExternalId(stack, externalId);
    assert.equal(matches.length, 1);
    const so = stack.netsuite.control.getRecord('salesOrder', String(matches[0]!.id));
    assert.equal(String(so.id), state.salesOrderId);

    // the returning customer, found by e-mail although the shopper typed it differently
    const customers = stack.netsuite.control.listRecords('customer').filter((c) => String(c.email).toLowerCase() === returning.email);
    assert.equal(customers.length, 1, 'no second customer was created');
    assert.equal(String((so.entity as { id: string }).id), String(customers[0]!.id));

    // lines: SKU → item, quantities and pre-coupon rates; then the fee line
    const items = new Map(stack.netsuite.control.listRecords('inventoryItem').map((i) => [String(i.itemId), String(i.id)]));
    const lines = (so.item as { items: { item: { id: string } | string; quantity: number; rate: number; amount: number }[] }).items;
    const lineItemId = (line: (typeof lines)[number]): string => (typeof line.item === 'string' ? line.item : String(line.item.id));
    for (const [i, wooLine] of order.line_items.entries()) {
      const line = lines[i]!;
      assert.equal(lineItemId(line), items.get(wooLine.sku!), `line ${i} item`);
      assert.equal(line.quantity, wooLine.quantity);
      assert.equal(cents(line.amount), cents(wooLine.subtotal));
    }
    const feeLine = lines[order.line_items.length]!;
    assert.equal(cents(feeLine.amount), 350);

    // shipping, discount, custom fields
    assert.equal(cents(so.shippingCost as number), cents(order.shipping_total));
    assert.ok(so.shipMethod, 'ship method set');
    assert.ok(cents(order.discount_total) > 0, 'the coupon discounted the order');
    assert.equal(cents(so.discountTotal as number), -cents(order.discount_total));
    assert.equal(so.custbody_woo_order_key, order.order_key);
    assert.equal(so.custbody_woo_order_number, order.number);
    assert.equal(so.custbody_woo_store, stack.store.name);
    // tax mode "netsuite": NetSuite's total is WooCommerce's total without tax
    assert.equal(cents(so.total as number), cents(order.total) - cents(order.total_tax));

    // the outcome on the WooCommerce order: meta and one private note, never a customer note
    const after = stack.woo.control.getOrder(order.id);
    const meta = Object.fromEntries(after.meta_data.map((m) => [m.key, m.value]));
    assert.equal(meta[ORDER_META.salesOrderId], state.salesOrderId);
    assert.equal(meta[ORDER_META.syncStatus], 'Synced');
    const notes = stack.woo.control.orderNotes(order.id).filter((n) => n.note.startsWith('[woo-netsuite-sync]'));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.note, new RegExp(`Synced: NetSuite sales order ${state.salesOrderId}`));
    assert.equal(notes[0]!.customer_note, false);
    assert.equal(stack.woo.control.counters().customerNotes, 0);
  });
});
