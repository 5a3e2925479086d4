/**
 * The daily reconciliation end to end: the real dev server, both simulators over HTTP, the order sync's own workers,
 * the reconciliation workflow on the stack's own workers, and the mail read back from a real SMTP server on loopback.
 *
 * In sync (orders placed and synced) both sides' three numbers are equal and every list is empty. Then a webhook is
 * dropped (an order NetSuite never hears of) and a sales order is created by hand in NetSuite with a made-up
 * WooCommerce key: the report shows the open-order-value difference, lists both, and the mail names both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startMailSink, type MailSink } from '../../dev/mail-sink';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import type { ReconciliationInput, ReconciliationReport } from '../../src/reconciliation/types';
import { reconciliationWorkflow } from '../../src/workflows/reconciliation';
import { isSynced, paidDraft, placeOrder, startE2E, workflowBundle, type E2E } from '../order-sync/helpers';

const catalog = generateCatalog({ seed: 1 });
/** SKUs with enough stock at location 1 (where a sales order commits) that a synced order lowers both sides alike. */
const skus = sellableItems(catalog)
  .filter((item) => (item.stock['1']?.onHand ?? 0) - (item.stock['1']?.committed ?? 0) >= 5)
  .map((item) => item.sku);

describe('the daily reconciliation', () => {
  let e2e: E2E;
  let mail: MailSink;
  let runs = 0;

  before(async () => {
    assert.ok(skus.length >= 4, 'the seed has SKUs with stock at location 1');
    mail = await startMailSink();
    // The stack's workers are the product's (createSyncWorkers): the reconciliation activities as the worker wires them.
    e2e = await startE2E({ catalog, alerts: { email: { smtpUrl: mail.url, from: 'sync@shop.test', to: ['owner@shop.test'] } } });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });

  after(async () => {
    await e2e?.close();
    await mail?.close();
  });

  /** Runs the reconciliation workflow to its result. */
  async function reconcile(input: Partial<ReconciliationInput> = {}): Promise<ReconciliationReport> {
    return e2e.stack.client.workflow.execute(reconciliationWorkflow, {
      taskQueue: e2e.stack.taskQueue,
      workflowId: `reconciliation:${e2e.stack.store.name}:${++runs}`,
      args: [{ store: e2e.stack.store.name, graceMinutes: 0, timeZone: 'Europe/Berlin', ...input }],
    });
  }

  it('in sync: both sides show the same three numbers, every list is empty, and the mail says "in balance"', async () => {
    const { stack } = e2e;
    const placed = [];
    for (const [i, sku] of skus.slice(0, 3).entries()) placed.push(await placeOrder(stack, paidDraft(catalog, { lines: [{ sku, quantity: i + 1 }] })));
    for (const order of placed) await stack.waitForOrder(order.id, isSynced);

    const report = await reconcile();
    assert.deepEqual(report.woocommerce, report.netsuite);
    // Every sellable SKU of the seed, variations included, on both sides.
    assert.equal(report.woocommerce.itemCount, sellableItems(catalog).length);
    assert.ok(report.woocommerce.inventoryValueCents > 0);
    const expectedOpen = placed.reduce((sum, order) => sum + Math.round(Number(order.total) * 100) - Math.round(Number(order.total_tax) * 100), 0);
    assert.equal(report.woocommerce.openOrderValueCents, expectedOpen);
    assert.equal(report.inBalance, true);
    for (const [name, list] of Object.entries(report.lists)) assert.equal(list.count, 0, `${name}: ${JSON.stringify(list.rows)}`);
    assert.deepEqual(report.mail, { sent: true, channels: ['email'] });
    // The date is the start time's date in Berlin.
    assert.equal(report.reportDate, new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(report.asOf)));

    const received = await mail.waitFor((m) => m.subject === `Reconciliation ${stack.store.name} ${report.reportDate}: in balance`);
    assert.equal(received.alertKind, 'reconciliation');
    assert.deepEqual(received.to, ['owner@shop.test']);
    assert.match(received.text, /In balance: every difference is within its threshold\./);
    assert.match(received.text, /units available to sell × the item's NetSuite average unit cost/);
    assert.match(received.html, /<table/);
    // No customer data in the report or the mail.
    for (const order of placed) {
      assert.doesNotMatch(JSON.stringify(report), new RegExp(order.billing.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
      assert.doesNotMatch(received.text, new RegExp(order.billing.last_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('a dropped webhook and a sales order made by hand: the open order value differs and both are listed, in the result and in the mail', async () => {
    const { stack } = e2e;
    // An order whose webhooks never arrive: WooCommerce took its stock, NetSuite never hears of it.
    stack.woo.control.setWebhookFaults({ dropFraction: 1 });
    const dropped = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku: skus[3] as string, quantity: 2 }] }));
    stack.woo.control.setWebhookFaults({ dropFraction: 0 });
    assert.equal(dropped.status, 'processing');

    // A sales order keyed in by hand in NetSuite for this store, with a key WooCommerce never issued.
    const customer = stack.netsuite.control.listRecords('customer')[0] as { id: string };
    const handSku = skus[0] as string;
    const item = stack.netsuite.control.listRecords('inventoryItem').find((r) => r.itemId === handSku) as { id: string };
    const madeUpKey = 'wc_order_MadeUpByHand42';
    const handMade = stack.netsuite.control.createRecord('salesOrder', {
      entity: { id: customer.id },
      custbody_woo_store: stack.store.name,
      custbody_woo_order_key: madeUpKey,
      custbody_woo_order_number: '987654',
      item: { items: [{ item: { id: item.id }, quantity: 1, rate: 12.5 }] },
    });
    const tranId = String(handMade.record.tranId);

    const report = await reconcile();
    const open = report.comparisons.find((c) => c.figure === 'openOrderValueCents');
    const droppedValue = Math.round(Number(dropped.total) * 100) - Math.round(Number(dropped.total_tax) * 100);
    assert.equal(open?.difference, droppedValue - 1250);
    assert.equal(open?.overThreshold, true);
    assert.equal(report.inBalance, false);

    assert.deepEqual(
      report.lists.ordersWithoutSalesOrder.rows.map((r) => [r.orderId, r.number, r.valueCents]),
      [[dropped.id, dropped.number, droppedValue]],
    );
    assert.deepEqual(
      report.lists.salesOrdersUnknownToWoo.rows.map((r) => [r.salesOrderId, r.tranId, r.orderKey, r.reason, r.totalCents]),
      [[handMade.id, tranId, madeUpKey, 'no-such-order', 1250]],
    );
    // The dropped order's units are in flight (WooCommerce is right about them); the hand-made order committed one
    // unit in NetSuite that WooCommerce still offers.
    const handRow = report.lists.skuQuantityDifferences.rows.find((r) => r.sku === handSku);
    assert.ok(handRow, JSON.stringify(report.lists.skuQuantityDifferences.rows));
    assert.equal(handRow.expected, (handRow.woocommerce ?? 0) - 1);
    assert.ok(!report.lists.skuQuantityDifferences.rows.some((r) => r.sku === skus[3]), 'the dropped order’s SKU is accounted for as in flight');
    assert.equal(report.woocommerce.itemCount, report.netsuite.itemCount);

    const received = await mail.waitFor(
      (m) =>
        m.subject ===
        `Reconciliation ${stack.store.name} ${report.reportDate}: ${report.differencesOverThreshold} difference${report.differencesOverThreshold === 1 ? '' : 's'} over threshold`,
    );
    assert.match(received.text, /Orders open in WooCommerce with no sales order: 1,/);
    assert.match(received.text, new RegExp(`\\n +${dropped.id} +${dropped.number} +processing`));
    assert.match(received.text, /Sales orders carrying a WooCommerce key WooCommerce does not know: 1, 12\.50/);
    assert.match(received.text, new RegExp(`${tranId} +${handMade.id} +${madeUpKey} +987654 +12\\.50 +no such WooCommerce order`));
    assert.match(received.html, new RegExp(madeUpKey));
  });

  it('with mail: false the report is only kept as the result', async () => {
    const before = mail.messages.length;
    const report = await reconcile({ mail: false });
    assert.deepEqual(report.mail, { sent: false, reason: 'mail: false in the input' });
    assert.equal(mail.messages.length, before);
  });

  it('when no report can be made, the owner is mailed why and the run fails with the reason', async () => {
    const error = await reconcile({ store: 'no-such-store' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkflowFailedError, String(error));
    assert.ok(error.cause instanceof ApplicationFailure);
    assert.equal(error.cause.type, 'ReconciliationFailed');
    assert.match(error.cause.message, /No store named "no-such-store" is configured/);
    const received = await mail.waitFor((m) => m.subject === 'Reconciliation no-such-store: could not be made');
    assert.equal(received.alertKind, 'reconciliation-failed');
    assert.match(received.text, /No store named "no-such-store"/);

    // An input that cannot be right fails at once, naming the problem, and reads nothing.
    const invalid = await reconcile({ timeZone: 'Mars/Olympus' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(invalid instanceof WorkflowFailedError && invalid.cause instanceof ApplicationFailure, String(invalid));
    assert.equal(invalid.cause.type, 'InvalidReconciliationInput');
    assert.match(invalid.cause.message, /timeZone: "Mars\/Olympus" is not an IANA time zone/);
  });
});
