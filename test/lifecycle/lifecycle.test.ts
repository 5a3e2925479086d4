/**
 * The order's life after its sales order, end to end (real dev server, both simulators over HTTP, the receiver, the
 * workers): a cancellation closes the sales order's lines, a refund reduces the unbilled order or credits its bill
 * exactly once however often its webhook arrives, an edit updates the unfulfilled order, and what cannot be done by
 * itself needs attention with the facts. Each change shows in the order's own history and in `status`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { orderWorkflowId, retrySignal, SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import { until } from '../helpers/until';
import { cli, isNeedsAttention, paidDraft, placeOrder, salesOrdersWithExternalId, startE2E, waitForVisibility, type E2E } from '../order-sync/helpers';
import { sendDelivery } from '../order-sync/webhook-replay';
import { appliedChanges, bill, documents, fulfil, lastUpdateDelivery, lineIdOf, refund, salesOrderLines, syncedOrder, waitForChange } from './helpers';

const catalog = generateCatalog({ seed: 41 });
const [first, second] = sellableItems(catalog).filter((s) => s.parentSku === undefined);
const SKU_A = first!.sku;
const SKU_B = second!.sku;

describe('the order after its sales order', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { allowNegativeInventory: true } });
    await e2e.stack.startWorkers();
  });
  after(async () => e2e?.close());

  it('cancelled after sync: every line of the sales order is closed, and the order history and `status` show it', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 2 },
      { sku: SKU_B, quantity: 1 },
    ]);
    stack.woo.control.setOrderStatus(order.id, 'cancelled');
    await stack.woo.control.flushDeliveries({ runNow: true });
    const closes = await waitForChange(stack, order.id, 'closeLines');
    assert.deepEqual(
      salesOrderLines(stack, salesOrderId).map((l) => l.isClosed),
      [true, true],
    );
    assert.equal(closes.length, 1, 'closed once');
    assert.match(closes[0]!.describe, /closed lines 1, 2 of NetSuite sales order .*cancelled/);

    // The engineer filtering by WooOrderId sees both runs: the creation and the cancellation.
    const runs = await waitForVisibility(stack, `WooOrderId = '${order.id}' AND WooStore = '${stack.store.name}' AND ExecutionStatus = 'Completed'`);
    assert.ok(runs.length >= 1);
    await until(async () => {
      const found = [];
      for await (const r of stack.client.workflow.list({ query: `WooOrderId = '${order.id}' AND WooStore = '${stack.store.name}'` })) found.push(r);
      return found.length === 2;
    }, 'both runs in the visibility store');
    const status = await cli(e2e, ['status', String(order.id), '--store', stack.store.name]);
    assert.equal(status.code, 0, status.text);
    assert.match(status.text, /life \(2 runs, oldest first\)/);
    assert.match(status.text, /applied: closed lines 1, 2 of NetSuite sales order/);

    // Our own meta write fired order.updated: nothing starts for it (the order matches what NetSuite heard).
    const runId = (await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe()).runId;
    await stack.woo.control.flushDeliveries({ runNow: true });
    assert.equal((await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe()).runId, runId);
  });

  it('cancelled after part was shipped: the open lines are closed, and the order needs attention with the shipped quantities', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 2 },
      { sku: SKU_B, quantity: 1 },
    ]);
    await fulfil(stack, salesOrderId, [{ line: 1, quantity: 2 }]);
    stack.woo.control.setOrderStatus(order.id, 'cancelled');
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'CancelledAfterFulfilment');
    assert.match(state.attention!.message, /line 1 \(item \d+.*\): 2 of 2 shipped, 0 billed/);
    assert.match(state.attention!.message, /The open lines \(2\) are closed/);
    assert.match(state.attention!.fix, /return authorisation/);
    const lines = salesOrderLines(stack, salesOrderId);
    assert.deepEqual(
      lines.map((l) => [l.isClosed, l.quantityFulfilled]),
      [
        [false, 2],
        [true, 0],
      ],
    );

    // A human handled the return in NetSuite and says so with retry: the order is Synced again, nothing else changes.
    await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).signal(retrySignal, { by: 'test' });
    const done = await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
    assert.equal(done.attention, undefined);
    const meta = Object.fromEntries(stack.woo.control.getOrder(order.id).meta_data.map((m) => [m.key, m.value]));
    assert.match(String(meta[ORDER_META.lifecycle]), /cancelled-after-fulfilment/);
  });

  it('a refund of one of three units before billing reduces that line — once, however often its webhook arrives', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 3 },
      { sku: SKU_B, quantity: 1 },
    ]);
    const before = salesOrderLines(stack, salesOrderId);
    const unit = Math.round((before[0]!.amount / 3) * 100) / 100;
    const made = await refund(stack, order.id, {
      amount: unit.toFixed(2),
      reason: 'one arrived broken',
      line_items: [{ id: lineIdOf(order, SKU_A), quantity: 1, refund_total: unit.toFixed(2) }],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await stack.woo.control.flushDeliveries({ runNow: true });
    const delivery = lastUpdateDelivery(stack, order.id);
    // Four more deliveries of the same webhook: two at once, two spaced.
    const answers = await Promise.all([sendDelivery(stack.webhookUrl, delivery), sendDelivery(stack.webhookUrl, delivery)]);
    await new Promise((r) => setTimeout(r, 300));
    answers.push(await sendDelivery(stack.webhookUrl, delivery));
    await new Promise((r) => setTimeout(r, 300));
    answers.push(await sendDelivery(stack.webhookUrl, delivery));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );

    const updates = await waitForChange(stack, order.id, 'updateSalesOrder');
    const after = salesOrderLines(stack, salesOrderId);
    assert.equal(after[0]!.quantity, 2);
    assert.equal(after[0]!.amount, Math.round(before[0]!.amount * (2 / 3) * 100) / 100);
    assert.equal(after[1]!.quantity, 1, 'the other line is untouched');
    // Settle, then check nothing was reduced twice.
    await stack.woo.control.flushDeliveries({ runNow: true });
    await stack.waitForOrder(order.id);
    assert.equal(salesOrderLines(stack, salesOrderId)[0]!.quantity, 2, 'reduced exactly once');
    assert.equal(updates.length, 1, `one update over the order's whole life: ${JSON.stringify(await appliedChanges(stack, order.id))}`);
    assert.match(updates[0]!.describe, /, for WooCommerce refund #\d+: line 1 .*quantity 3 → 2/);
    assert.deepEqual(await documents(stack, salesOrderId), [], 'no credit for an unbilled order');
  });

  it('a refund after invoice billing is one credit memo for exactly the refunded amount, however often its webhook arrives', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU_A, quantity: 3 }]);
    await fulfil(stack, salesOrderId);
    const invoice = await bill(stack, salesOrderId, 'invoice');
    const made = await refund(stack, order.id, {
      amount: '7.25',
      reason: 'late',
      line_items: [{ id: lineIdOf(order, SKU_A), quantity: 1, refund_total: '7.25' }],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await stack.woo.control.flushDeliveries({ runNow: true });
    const delivery = lastUpdateDelivery(stack, order.id);
    const answers = await Promise.all([1, 2, 3, 4].map(() => sendDelivery(stack.webhookUrl, delivery)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );

    const credited = await waitForChange(stack, order.id, 'credit');
    await stack.woo.control.flushDeliveries({ runNow: true });
    await stack.waitForOrder(order.id);
    const credits = (await documents(stack, salesOrderId)).filter((d) => d.type === 'creditMemo');
    assert.equal(credits.length, 1, JSON.stringify(credits));
    assert.equal(credits[0]!.total, 7.25);
    assert.equal(credits[0]!.externalId, `woo-${stack.store.name}-refund-${order.id}-${made.body.id as number}`);
    assert.equal(credited.length, 1);
    assert.match(credited[0]!.describe, new RegExp(`from invoice ${invoice.id}`));
    const meta = Object.fromEntries(stack.woo.control.getOrder(order.id).meta_data.map((m) => [m.key, m.value]));
    assert.match(String(meta[ORDER_META.lifecycle]), new RegExp(`"${made.body.id as number}":"creditMemo:${credits[0]!.id}"`));
  });

  it('quantities edited on an unfulfilled synced order update the sales order; after fulfilment an edit needs attention naming the difference', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 1 },
      { sku: SKU_B, quantity: 2 },
    ]);
    // As WooCommerce's own apps do: a new quantity is sent with its new subtotal and total (a quantity alone keeps the price).
    const unitA = Number(order.line_items.find((l) => l.sku === SKU_A)!.subtotal);
    stack.woo.control.updateOrder(order.id, {
      line_items: [{ id: lineIdOf(order, SKU_A), quantity: 4, subtotal: (unitA * 4).toFixed(2), total: (unitA * 4).toFixed(2) }],
    });
    await stack.woo.control.flushDeliveries({ runNow: true });
    await waitForChange(stack, order.id, 'updateSalesOrder');
    const edited = stack.woo.control.getOrder(order.id);
    assert.deepEqual(
      salesOrderLines(stack, salesOrderId).map((l) => [l.quantity, l.amount]),
      edited.line_items.map((l) => [l.quantity, Number(l.subtotal)]),
      'the sales order lines match the edited order',
    );

    await fulfil(stack, salesOrderId, [{ line: 2, quantity: 1 }]);
    const unitB = Number(order.line_items.find((l) => l.sku === SKU_B)!.subtotal) / 2;
    stack.woo.control.updateOrder(order.id, {
      line_items: [{ id: lineIdOf(order, SKU_B), quantity: 3, subtotal: (unitB * 3).toFixed(2), total: (unitB * 3).toFixed(2) }],
    });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'EditAfterFulfilment');
    assert.match(state.attention!.message, /line 2 \(.*\): quantity 2 → 3/);
    assert.equal(salesOrderLines(stack, salesOrderId)[1]!.quantity, 2, 'nothing changed in NetSuite');
  });

  it('a refund and an edit that reach the receiver in one coalesced delivery are both applied, in one update', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 3 },
      { sku: SKU_B, quantity: 1 },
    ]);
    const before = salesOrderLines(stack, salesOrderId);
    const unitA = (before[0]!.amount / 3).toFixed(2);
    const unitB = before[1]!.amount;
    // The delivery of our own outcome write goes out first: a queue runner that has already claimed it cannot coalesce it.
    await stack.woo.control.flushDeliveries({ runNow: true });
    stack.woo.control.clearDeliveries();
    // Both changes before any delivery runs: WooCommerce queues one order.updated delivery for them, built when it runs.
    stack.woo.control.createRefund(order.id, {
      amount: unitA,
      api_refund: false,
      line_items: [{ id: lineIdOf(order, SKU_A), quantity: 1, refund_total: unitA }],
    });
    stack.woo.control.updateOrder(order.id, {
      line_items: [{ id: lineIdOf(order, SKU_B), quantity: 2, subtotal: (unitB * 2).toFixed(2), total: (unitB * 2).toFixed(2) }],
    });
    await stack.woo.control.flushDeliveries({ runNow: true });
    assert.equal(
      stack.woo.control.deliveries({ resourceId: order.id, kind: 'delivery' }).filter((d) => d.topic === 'order.updated').length,
      1,
      'one coalesced delivery',
    );

    const updates = await waitForChange(stack, order.id, 'updateSalesOrder');
    assert.equal(updates.length, 1, JSON.stringify(updates));
    assert.deepEqual(
      salesOrderLines(stack, salesOrderId).map((l) => l.quantity),
      [2, 2],
      'line A reduced by the refund, line B edited',
    );
  });

  it('bad input: a refund naming an order line that is no longer on the order needs attention, naming the line; nothing is lost', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 2 },
      { sku: SKU_B, quantity: 1 },
    ]);
    const lineA = lineIdOf(order, SKU_A);
    const unitA = (salesOrderLines(stack, salesOrderId)[0]!.amount / 2).toFixed(2);
    // Refunded, then the line removed from the order, before WooCommerce's one coalesced delivery runs.
    stack.woo.control.createRefund(order.id, { amount: unitA, api_refund: false, line_items: [{ id: lineA, quantity: 1, refund_total: unitA }] });
    stack.woo.control.updateOrder(order.id, { line_items: [{ id: lineA, quantity: 0 }] });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'UnknownRefundLine');
    assert.match(state.attention!.message, new RegExp(`refunds order item\\(s\\) ${lineA}, which the order does not have`));
    assert.match(state.attention!.fix, /Apply the refund in NetSuite by hand/);
    assert.deepEqual(await documents(stack, salesOrderId), [], 'no credit was guessed');
  });

  it('a synced order moved to the trash needs attention naming its sales order, and nothing closes; restoring the order clears it', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU_B, quantity: 1 }]);
    stack.woo.control.deleteOrder(order.id); // the trash: order.deleted carries only the ID
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'OrderTrashedAfterSync');
    assert.match(state.attention!.message, new RegExp(`moved to the trash after it became NetSuite sales order \\S+ \\(internal ID ${salesOrderId}\\)`));
    assert.match(state.attention!.fix, /Restore the order in WooCommerce/);
    assert.equal(salesOrderLines(stack, salesOrderId)[0]!.isClosed, false, 'nothing was closed automatically');

    stack.woo.control.restoreOrder(order.id);
    await stack.woo.control.flushDeliveries({ runNow: true });
    const restored = await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
    assert.equal(restored.attention, undefined);
    assert.equal(salesOrderLines(stack, salesOrderId)[0]!.isClosed, false);
  });

  it('a change whose webhook was dropped is applied by the catch-up poller', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU_A, quantity: 1 }]);
    stack.woo.control.setWebhookFaults({ dropFraction: 1 });
    try {
      stack.woo.control.setOrderStatus(order.id, 'cancelled');
      await stack.woo.control.flushDeliveries({ runNow: true });
    } finally {
      stack.woo.control.setWebhookFaults({ dropFraction: 0 });
    }
    assert.equal(salesOrderLines(stack, salesOrderId)[0]!.isClosed, false, 'the webhook was dropped: nothing happened yet');
    await stack.client.workflow.execute(SCHEDULED_WORKFLOW_TYPES['catch-up'], {
      taskQueue: stack.taskQueue,
      workflowId: `catch-up-lifecycle-${order.id}`,
      args: [{ store: stack.store.name }],
    });
    await waitForChange(stack, order.id, 'closeLines');
    assert.equal(salesOrderLines(stack, salesOrderId)[0]!.isClosed, true);
  });

  it('bad input: a refund larger than the order is refused by WooCommerce; a refund of an order that never synced stays with its rule', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU_A, quantity: 1 }]);
    const tooMuch = await refund(stack, order.id, { amount: (Number(order.total) + 1).toFixed(2) });
    assert.notEqual(tooMuch.status, 201);
    assert.match(JSON.stringify(tooMuch.body), /Invalid refund amount/);
    await stack.woo.control.flushDeliveries({ runNow: true });
    await stack.waitForOrder(order.id);
    assert.deepEqual(await documents(stack, salesOrderId), []);

    // A pending order is skipped by the sync rules; a refund of it reaches the workflow, which skips it again by its rule.
    const pending = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku: SKU_B, quantity: 1 }], status: 'pending' }));
    const skipped = await stack.waitForOrder(pending.id);
    assert.equal(skipped.skipped?.rule, 'status-not-synced');
    const started = stack.receiver.stats().started;
    assert.equal((await refund(stack, pending.id, { amount: '1.00' })).status, 201);
    await stack.woo.control.flushDeliveries({ runNow: true });
    await until(() => stack.receiver.stats().started > started, 'the refund to reach the order workflow');
    const again = await stack.waitForOrder(pending.id);
    assert.equal(again.status, 'Skipped');
    assert.equal(again.skipped?.rule, 'status-not-synced');
    assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${pending.order_key}`).length, 0, 'never a sales order');
  });
});
