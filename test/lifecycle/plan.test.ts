/**
 * The lifecycle plan (src/lifecycle/plan.ts) on hand-made orders and NetSuite states: each WooCommerce change becomes
 * the one NetSuite change it calls for, and what cannot be done by itself is a problem in plain words.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planLifecycle } from '../../src/lifecycle/plan';
import type { PlanLifecycleInput } from '../../src/lifecycle/planning';
import { refundExternalId } from '../../src/lifecycle/refund-plan';
import type { LifecycleRecord, SalesOrderLine, SalesOrderState } from '../../src/lifecycle/types';
import { parseMapping } from '../../src/mapping';
import { wooOrderSchema, type WooOrder } from '../../src/woocommerce/order';
import { wooRefundSchema, type WooRefund } from '../../src/woocommerce/refund';
import { wooOrderJson } from '../helpers/woo-order';

const mapping = parseMapping({}, 'main');

function order(extra: Record<string, unknown> = {}): WooOrder {
  return wooOrderSchema.parse(wooOrderJson(extra));
}

const line = (n: number, itemId: string, quantity: number, amount: number, extra: Partial<SalesOrderLine> = {}): SalesOrderLine => ({
  line: n,
  itemId,
  quantity,
  rate: amount / quantity,
  amount,
  isClosed: false,
  quantityFulfilled: 0,
  quantityBilled: 0,
  ...extra,
});

function salesOrder(extra: Partial<SalesOrderState> = {}): SalesOrderState {
  return {
    id: '1001',
    tranId: 'SO1001',
    status: 'B',
    customerId: '104',
    shippingCost: 5,
    lines: [line(1, '501', 3, 30, { description: 'Mug' }), line(2, '502', 1, 15, { description: 'Tea' })],
    bills: [],
    credits: [],
    ...extra,
  };
}

const refund = (extra: Record<string, unknown>): WooRefund => wooRefundSchema.parse({ id: 300, amount: '10.00', reason: 'broken', ...extra });
const refundLine = (orderItem: number, quantity: number, total: string) => ({
  id: 900 + orderItem,
  quantity: -quantity,
  total: `-${total}`,
  meta_data: [{ key: '_refunded_item_id', value: String(orderItem) }],
});

const NO_RECORD: LifecycleRecord = { applied: {}, acknowledged: [] };
function plan(input: Partial<PlanLifecycleInput>) {
  return planLifecycle({
    store: 'main',
    order: order(),
    refunds: [],
    salesOrder: salesOrder(),
    mapping,
    items: new Map([
      ['MUG', '501'],
      ['TEA', '502'],
    ]),
    refs: new Map([
      ['woo-fee', '601'],
      ['woo-refund', '602'],
    ]),
    record: NO_RECORD,
    ...input,
  });
}

describe('lifecycle plan', () => {
  it('an order that matches its sales order needs nothing', () => {
    assert.deepEqual(plan({}), { actions: [], problems: [], alreadyApplied: {} });
  });

  it('cancelled before fulfilment: every open line is closed', () => {
    const result = plan({ order: order({ status: 'cancelled' }) });
    assert.equal(result.problems.length, 0);
    assert.deepEqual(
      result.actions.map((a) => (a.kind === 'closeLines' ? a.lines : a.kind)),
      [[1, 2]],
    );
  });

  it('cancelled after part was shipped: the open line is closed and the shipped quantities need a human', () => {
    const so = salesOrder({
      status: 'D',
      lines: [line(1, '501', 3, 30, { quantityFulfilled: 3, description: 'Mug' }), line(2, '502', 1, 15, { description: 'Tea' })],
    });
    const result = plan({ order: order({ status: 'cancelled' }), salesOrder: so });
    assert.deepEqual(
      result.actions.map((a) => (a.kind === 'closeLines' ? a.lines : a.kind)),
      [[2]],
    );
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.failureType, 'CancelledAfterFulfilment');
    assert.match(result.problems[0]!.message, /line 1 \(item 501, Mug\): 3 of 3 shipped, 0 billed/);
    assert.match(result.problems[0]!.fix, /return authorisation/);
    // Acknowledged with retry: it is not raised again, and the closed line is not closed twice.
    const closed = salesOrder({ lines: [so.lines[0]!, { ...so.lines[1]!, isClosed: true }] });
    assert.deepEqual(
      plan({ order: order({ status: 'cancelled' }), salesOrder: closed, record: { ...NO_RECORD, acknowledged: ['cancelled-after-fulfilment'] } }),
      { actions: [], problems: [], alreadyApplied: {} },
    );
  });

  it('a refund of one of three mugs before billing reduces that line', () => {
    const r = refund({ amount: '10.00', line_items: [refundLine(11, 1, '10.00')] });
    const result = plan({ order: order({ refunds: [{ id: 300, total: '-10.00' }] }), refunds: [r] });
    assert.equal(result.problems.length, 0);
    const [action] = result.actions;
    assert.equal(action?.kind, 'updateSalesOrder');
    assert.ok(action?.kind === 'updateSalesOrder');
    assert.deepEqual(action.body, { item: { items: [{ line: 1, quantity: 2, rate: 10, amount: 20 }] } });
    assert.equal(action.replaceItems, false);
    assert.deepEqual(action.refundIds, [300]);
    // Once NetSuite says 2, the same refund plans nothing.
    const reduced = salesOrder({ lines: [line(1, '501', 2, 20), line(2, '502', 1, 15)] });
    assert.deepEqual(
      plan({
        order: order({ refunds: [{ id: 300, total: '-10.00' }] }),
        refunds: [r],
        salesOrder: reduced,
        record: { ...NO_RECORD, applied: { '300': 'reduced' } },
      }).actions,
      [],
    );
  });

  it('an amount-only refund before billing is a negative line of the refund item; shipping refunds lower the shipping cost', () => {
    const amountOnly = refund({ id: 301, amount: '4.00' });
    const shipping = refund({ id: 302, amount: '5.00', shipping_lines: [{ id: 950, total: '-5.00', meta_data: [{ key: '_refunded_item_id', value: '21' }] }] });
    const result = plan({ refunds: [amountOnly, shipping] });
    const [action] = result.actions;
    assert.ok(action?.kind === 'updateSalesOrder');
    assert.equal(action.replaceItems, true, 'a line is added: the sublist is replaced');
    const items = (action.body.item as { items: Record<string, unknown>[] }).items;
    assert.deepEqual(items.at(-1), { item: { id: '602' }, quantity: 1, rate: -4, amount: -4, description: 'WooCommerce refund #301' });
    assert.equal(action.body.shippingCost, 0);
  });

  it('after invoice billing a refund becomes one credit memo from the invoice, for exactly the refunded amount', () => {
    const billed = salesOrder({
      status: 'G',
      lines: [line(1, '501', 3, 30, { quantityFulfilled: 3, quantityBilled: 3 }), line(2, '502', 1, 15, { quantityFulfilled: 1, quantityBilled: 1 })],
      bills: [
        {
          type: 'invoice',
          id: '2001',
          total: 50,
          lines: [
            { line: 1, orderLine: 1, itemId: '501', quantity: 3, amount: 30 },
            { line: 2, orderLine: 2, itemId: '502', quantity: 1, amount: 15 },
          ],
        },
      ],
    });
    const r = refund({ amount: '10.80', line_items: [refundLine(11, 1, '10.00')] });
    const result = plan({ refunds: [r], salesOrder: billed });
    assert.equal(result.problems.length, 0);
    const [credit] = result.actions;
    assert.ok(credit?.kind === 'credit');
    assert.equal(credit.target, 'creditMemo');
    assert.deepEqual(credit.source, { type: 'invoice', id: '2001' });
    assert.equal(credit.externalId, refundExternalId(mapping, 'main', 200, 300));
    const items = (credit.body.item as { items: { amount: number }[] }).items;
    assert.deepEqual(items[0], { orderLine: 1, quantity: 1, rate: 10, amount: 10 });
    assert.equal(
      items.reduce((s, l) => s + Math.round(l.amount * 100), 0),
      1080,
      'the credit totals the refund (the amount on no line on the refund item)',
    );
    // Tax refunded on a line is left to NetSuite (tax mode "netsuite"): the credit's lines give back the net amount.
    const taxed = refund({ amount: '10.80', line_items: [{ ...refundLine(11, 1, '10.00'), total_tax: '-0.80' }] });
    const net = (plan({ refunds: [taxed], salesOrder: billed }).actions[0] as unknown as { body: { item: { items: { amount: number }[] } } }).body.item.items;
    assert.deepEqual(
      net.map((l) => l.amount),
      [10],
    );

    // A cash sale gives a cash refund; a credit that exists already is never made again.
    const cash = { ...billed, bills: [{ ...billed.bills[0]!, type: 'cashSale' as const }] };
    assert.equal((plan({ refunds: [r], salesOrder: cash }).actions[0] as { target: string }).target, 'cashRefund');
    const credited = { ...billed, credits: [{ type: 'creditMemo' as const, id: '3001', externalId: credit.externalId, total: 10.8 }] };
    assert.deepEqual(plan({ refunds: [r], salesOrder: credited }), { actions: [], problems: [], alreadyApplied: { '300': 'creditMemo:3001' } });
  });

  it('a refund deleted after it was applied, and a refund line naming no order item, need a human', () => {
    const deleted = plan({ record: { ...NO_RECORD, applied: { '299': 'creditMemo:3000' } } });
    assert.deepEqual(
      deleted.problems.map((p) => p.failureType),
      ['RefundDeletedAfterSync'],
    );
    assert.match(deleted.problems[0]!.message, /refund #299/);
    const unknown = plan({ refunds: [refund({ line_items: [refundLine(77, 1, '10.00')] })] });
    assert.deepEqual(
      unknown.problems.map((p) => p.failureType),
      ['UnknownRefundLine'],
    );
    assert.deepEqual(unknown.actions, [], 'nothing is changed for that refund');
  });

  it('edited quantities update an unfulfilled sales order; after fulfilment the difference needs a human', () => {
    const edited = order({
      line_items: [
        { id: 11, name: 'Mug', product_id: 1, quantity: 5, subtotal: '50.00', total: '50.00', sku: 'MUG', price: 10 },
        { id: 12, name: 'Tea', product_id: 2, quantity: 1, subtotal: '15.00', total: '15.00', sku: 'TEA', price: 15 },
      ],
    });
    const result = plan({ order: edited });
    assert.ok(result.actions[0]?.kind === 'updateSalesOrder');
    assert.deepEqual(result.actions[0].body, { item: { items: [{ line: 1, quantity: 5, rate: 10, amount: 50 }] } });
    const shipped = salesOrder({ status: 'D', lines: [line(1, '501', 3, 30, { quantityFulfilled: 1 }), line(2, '502', 1, 15)] });
    const blocked = plan({ order: edited, salesOrder: shipped });
    assert.deepEqual(blocked.actions, []);
    assert.equal(blocked.problems[0]?.failureType, 'EditAfterFulfilment');
    assert.match(blocked.problems[0]!.message, /line 1 \(Mug\): quantity 3 → 5, amount 30\.00 → 50\.00/);
  });

  it('a coupon added after sync changes the header discount; an address edit is not a NetSuite change', () => {
    const result = plan({ order: order({ discount_total: '5.00' }) });
    assert.ok(result.actions[0]?.kind === 'updateSalesOrder');
    assert.deepEqual(result.actions[0].body, { discountRate: '-5.00', discountItem: { externalId: 'woo-discount' } });
    assert.match(result.actions[0].describe, /coupon discount 0\.00 → 5\.00/);
    assert.deepEqual(plan({ order: order({ discount_total: '5.00' }), salesOrder: salesOrder({ discountRate: '-5.00' }) }).actions, []);
    assert.deepEqual(plan({ order: order({ shipping: { city: 'Lyon' } }) }).actions, []);
  });

  it('a trashed order names its sales order and changes nothing', () => {
    const result = plan({ order: order({ status: 'trash' }) });
    assert.deepEqual(result.actions, []);
    assert.equal(result.problems[0]?.failureType, 'OrderTrashedAfterSync');
    assert.match(result.problems[0]!.message, /NetSuite sales order SO1001 \(internal ID 1001\)/);
  });
});
