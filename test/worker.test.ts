import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWorker } from '../src/worker';
import { searchAttributes } from '../src/api';
import { createObserveOrderActivities } from '../dev/tour/observe-order.activities';
import { observeOrder } from '../dev/tour/observe-order.workflow';
import { generateCatalog, generateOrderDrafts } from '../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../simulators/woocommerce';
import { uniqueTaskQueue, useTestTemporal, type TestTemporal } from './helpers/temporal';

describe('a real worker on the real dev server', () => {
  let temporal: TestTemporal;
  let store: WooCommerceSimulator;

  before(async () => {
    temporal = await useTestTemporal();
    store = await startWooCommerceSimulator({ catalog: generateCatalog({ seed: 7 }) });
  });
  after(async () => {
    await store?.close();
    await temporal?.close();
  });

  it('runs a workflow whose activity reads a simulated order over HTTP, and the execution is found by its search attributes', async () => {
    const [draft] = generateOrderDrafts(generateCatalog({ seed: 7 }), 1);
    assert.ok(draft);
    const order = await store.control.placeOrder({ ...draft, status: 'processing' });
    const taskQueue = uniqueTaskQueue('worker-test');
    const worker = await createWorker({
      connection: temporal.env.nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../dev/tour/observe-order.workflow'),
      activities: createObserveOrderActivities(store),
    });
    const workflowId = `observe-order-${order.id}-${Date.now()}`;
    const result = await worker.runUntil(
      temporal.env.client.workflow.execute(observeOrder, { taskQueue, workflowId, args: [{ store: 'test-store', orderId: order.id }] }),
    );
    assert.equal(result.status, 'processing');
    assert.deepEqual(result.lineSkus, draft.lines.map((line) => line.sku));

    const description = await temporal.env.client.workflow.getHandle(workflowId).describe();
    assert.equal(description.typedSearchAttributes.get(searchAttributes.WooOrderId), String(order.id));
    assert.equal(description.typedSearchAttributes.get(searchAttributes.SyncStatus), 'Observed');

    // Visibility is eventually consistent: poll briefly for the list query an on-call engineer would type.
    const query = `WooOrderId = "${order.id}" AND WooStore = "test-store" AND WorkflowId = "${workflowId}"`;
    let found: string[] = [];
    for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
      found = [];
      for await (const execution of temporal.env.client.workflow.list({ query })) found.push(execution.workflowId);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(found, [workflowId]);
  });
});
