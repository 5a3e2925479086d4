/**
 * A worker process killed with SIGKILL after NetSuite accepted the sales-order create but before the activity
 * completed: a fresh worker process retries the create, NetSuite answers "duplicate external ID", and the order ends
 * Synced on the one sales order that exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderWorkflowId } from '../../src/api';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { until } from '../helpers/until';
import { placeOrder, salesOrdersWithExternalId, startE2E, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 22 });
const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';

describe('a worker killed between NetSuite accepting the create and the activity completing', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
  });
  after(async () => e2e?.close());

  it('after a new worker process starts, the order is Synced with exactly one sales order', async () => {
    const { stack } = e2e;
    const first = stack.spawnWorker();
    await first.started;
    // NetSuite stores the sales order at once but its answer never reaches this worker.
    stack.netsuite.control.addFault({ kind: 'slow-response', ms: 120_000, count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    stack.netsuite.control.resetCounters();

    const order = await placeOrder(stack, { ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    const externalId = `woo-${stack.store.name}-${order.order_key}`;
    await until(() => salesOrdersWithExternalId(stack, externalId).length === 1, 'NetSuite to store the sales order');
    const created = salesOrdersWithExternalId(stack, externalId)[0]!;

    // The activity is still running: the workflow has no sales-order ID, and the create is pending.
    const during = await stack.orderState(order.id);
    assert.equal(during?.status, 'InProgress');
    assert.equal(during?.step, 'createSalesOrder');
    assert.equal(during?.salesOrderId, undefined);
    const description = await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe();
    const pending = description.raw.pendingActivities ?? [];
    assert.equal(pending.length, 1);
    assert.equal(pending[0]!.activityType?.name, 'createSalesOrder');

    first.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const second = stack.spawnWorker();
    await second.started;

    const state = await stack.waitForOrder(order.id, undefined, 120_000);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
    assert.equal(state.salesOrderId, String(created.id), 'the workflow adopted the sales order the killed worker created');
    assert.equal(salesOrdersWithExternalId(stack, externalId).length, 1, 'exactly one sales order');

    // The retried create was answered "duplicate external ID", which resolved to the existing record.
    const creates = stack.netsuite.control.requestLog().filter((r) => r.route === `POST ${SALES_ORDER_PATH}`);
    assert.ok(
      creates.some((r) => r.status === 400),
      `a retried create was refused as a duplicate: ${JSON.stringify(creates.map((r) => r.status))}`,
    );
    assert.ok(creates.filter((r) => r.status === 204).length <= 1, 'NetSuite accepted one create at most');
    second.kill('SIGTERM');
    await second.exited;
  });
});
