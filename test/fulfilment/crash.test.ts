/**
 * A real worker process SIGKILLed in the middle of a fulfilment sync (a SuiteQL page held by NetSuite, order workflows
 * pushing tracking at the same time): a new process resumes the sync after its last heartbeated page, the order
 * workflows replay, and every fulfilment reaches its WooCommerce order exactly once — one tracking item per package,
 * one meta entry per fulfilment — as a second sync confirms. The kill moment is observed, never guessed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import type { FulfilmentSyncProgress } from '../../src/fulfilment/sync';
import type { fulfilmentSyncWorkflow } from '../../src/workflows/fulfilment-sync';
import { until } from '../helpers/until';
import { startE2E, type E2E } from '../order-sync/helpers';
import { syncedOrder } from '../lifecycle/helpers';
import { pushedRecord, runFulfilmentSync, ship, trackingNumbers } from './helpers';
import { SCHEDULED_WORKFLOW_TYPES } from '../../src/api';

const catalog = generateCatalog({ seed: 44 });
const [item] = sellableItems(catalog).filter((s) => s.parentSku === undefined);
const ORDERS = 8;
const PAGE_SIZE = 2;

describe('a fulfilment sync whose worker process is killed mid-page', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { allowNegativeInventory: true } });
    e2e.stack.woo.control.setShipmentTracking(true);
  });
  after(async () => e2e?.close());

  it('resumes in a new process and pushes every fulfilment exactly once', async () => {
    const { stack } = e2e;
    const first = stack.spawnWorker();
    await first.started;
    const orders = [];
    for (let i = 0; i < ORDERS; i++) orders.push(await syncedOrder(stack, catalog, [{ sku: item!.sku, quantity: 1 }]));
    for (const [i, o] of orders.entries())
      ship(stack, o.salesOrderId, [
        { trackingNumber: `KILL-${i}-A`, carrier: 'UPS' },
        { trackingNumber: `KILL-${i}-B`, carrier: 'UPS' },
      ]);
    // Every NetSuite request takes a while, so the kill lands while pages are read and pushes are on their way.
    stack.netsuite.control.setGovernance({ latency: { fixedMs: 150, jitterMs: 0 } });

    const handle = await stack.client.workflow.start<typeof fulfilmentSyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.fulfilment, {
      taskQueue: stack.taskQueue,
      workflowId: `fulfilment-crash-${stack.store.name}`,
      args: [{ store: stack.store.name, pageSize: PAGE_SIZE, heartbeatTimeoutSeconds: 3 }],
    });
    // A heartbeat past the first page: the sync is mid-run. Then hold NetSuite's next SuiteQL answer and kill the worker.
    let progress: FulfilmentSyncProgress | undefined;
    await until(
      async () => {
        const activity = (await handle.describe()).raw.pendingActivities?.[0];
        const payload = activity?.heartbeatDetails?.payloads?.[0];
        progress = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
        return progress?.phase === 'changed' && progress.afterId !== '0' && activity?.lastHeartbeatTime !== undefined && tsToMs(activity.lastHeartbeatTime) > 0;
      },
      'a heartbeat past the first page',
      30_000,
    );
    stack.netsuite.control.addFault({ kind: 'hang', count: 1, ms: 20_000, route: { method: 'POST', pathPrefix: '/services/rest/query/v1/suiteql' } });
    await until(() => stack.netsuite.control.faults().every((f) => f.remaining === 0), 'a SuiteQL request held');
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    stack.netsuite.control.clearFaults();
    assert.ok((progress?.counts.ordersSignalled ?? 0) < ORDERS, `killed before every order was signalled: ${JSON.stringify(progress?.counts)}`);

    const second = stack.spawnWorker();
    await second.started;
    try {
      const result = await handle.result();
      // The sync was resumed by a retry of the same activity (attempt 2), after the page its heartbeat named.
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
      assert.deepEqual(attempts, [2], 'one start recorded: the retry that completed (a retried attempt records only its last start)');
      assert.ok(result.newlyShipped + (progress?.counts.newlyShipped ?? 0) >= ORDERS);
      for (const o of orders) await stack.waitForOrder(o.order.id, () => stack.woo.control.getOrder(o.order.id).status === 'completed');
      // A second sync finds every fulfilment already pushed.
      const again = await runFulfilmentSync(stack);
      assert.equal(again.newlyShipped, 0);
      assert.equal(again.alreadyPushed, ORDERS);
      for (const [i, o] of orders.entries()) {
        assert.deepEqual(trackingNumbers(stack, o.order.id), [`KILL-${i}-A`, `KILL-${i}-B`], `order ${o.order.id}: each number once`);
        assert.equal(pushedRecord(stack, o.order.id).pushed.length, 1, `order ${o.order.id}: one fulfilment pushed`);
        assert.equal(stack.woo.control.emails(o.order.id).filter((e) => e.kind === 'customer_completed_order').length, 1);
      }
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  });
});
