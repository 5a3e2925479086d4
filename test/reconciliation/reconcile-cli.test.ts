/**
 * `cli reconcile --now` against the integration's own workers (the ones `startWorkers` runs, as the worker process
 * does): after an order syncs and an inventory run, the report is in balance (exit 0); a sales order keyed in by hand in
 * NetSuite → exit 7 and the order named.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import { generateCatalog } from '../../simulators/seed';
import { cli, isSynced, paidDraft, placeOrder, startE2E, workflowBundle, type E2E } from '../order-sync/helpers';

const catalog = generateCatalog({ seed: 1 });

describe('reconcile --now', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it('prints the report; exit 0 in balance, 7 when a difference is over threshold', async () => {
    const { stack } = e2e;
    const order = await placeOrder(stack, paidDraft(catalog));
    const state = await stack.waitForOrder(order.id, isSynced);
    // WooCommerce took the units; NetSuite committed what location 1 had: the inventory sync makes the stock agree.
    await stack.client.workflow.execute(SCHEDULED_WORKFLOW_TYPES.inventory, {
      taskQueue: stack.taskQueue,
      workflowId: `inventory-${stack.store.name}`,
      args: [{ store: stack.store.name }],
    });

    const balanced = await cli(e2e, ['reconcile', '--now', '--json']);
    assert.equal(balanced.code, 0, balanced.text);
    const report = JSON.parse(balanced.text) as { inBalance: boolean; woocommerce: { openOrderValueCents: number }; netsuite: { openOrderValueCents: number } };
    assert.equal(report.inBalance, true);
    assert.equal(report.woocommerce.openOrderValueCents, report.netsuite.openOrderValueCents);
    assert.ok(report.netsuite.openOrderValueCents > 0, `the synced order ${state.salesOrderId} is open in NetSuite`);
    assert.match((await cli(e2e, ['reconcile', '--now'])).text, /In balance: every difference is within its threshold/);

    const customer = stack.netsuite.control.listRecords('customer')[0] as { id: string };
    const item = stack.netsuite.control.listRecords('inventoryItem')[0] as { id: string };
    const handMade = stack.netsuite.control.createRecord('salesOrder', {
      entity: { id: customer.id },
      custbody_woo_store: stack.store.name,
      custbody_woo_order_key: 'wc_order_KeyedInByHand',
      custbody_woo_order_number: '555555',
      item: { items: [{ item: { id: item.id }, quantity: 1, rate: 20 }] },
    });
    const unbalanced = await cli(e2e, ['reconcile', '--now']);
    assert.equal(unbalanced.code, 7, unbalanced.text);
    assert.match(unbalanced.text, new RegExp(`${String(handMade.record.tranId)} +${handMade.id} +wc_order_KeyedInByHand`));
  });
});
