/**
 * Duplicate webhooks: one real, signed `order.created` delivery sent to the receiver 5 times at once, then 5 more
 * times one after the other once the order is Synced, makes exactly one NetSuite sales order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderWorkflowId } from '../../src/api';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { until } from '../helpers/until';
import { salesOrdersWithExternalId, startE2E, workflowBundle, type E2E } from './helpers';
import { placeOrderCapturingDelivery, sendDelivery } from './webhook-replay';

const catalog = generateCatalog({ seed: 21 });
const SALES_ORDER_CREATE = 'POST /services/rest/record/v1/salesOrder';

describe('the same webhook delivered 5 times, concurrently and spaced, makes one sales order', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it('5 concurrent copies reach one workflow run; 5 later copies each close Synced on the same sales order', async () => {
    const { stack } = e2e;
    const draft = { ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' as const };
    const { order, delivery } = await placeOrderCapturingDelivery(stack, draft);
    const externalId = `woo-${stack.store.name}-${order.order_key}`;
    const workflowId = orderWorkflowId(stack.store.name, order.id);
    const handle = () => stack.client.workflow.getHandle(workflowId);
    await assert.rejects(handle().describe(), { name: 'WorkflowNotFoundError' }, 'the captured delivery reached nobody');
    stack.netsuite.control.resetCounters();

    // 5 copies of the same bytes at once: signal-with-start lands all of them on one run. (NetSuite is made slow
    // meanwhile, so the run cannot finish before the last copy arrives, even on a loaded machine.)
    stack.netsuite.control.setGovernance({ latency: { fixedMs: 300 } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => sendDelivery(stack.webhookUrl, delivery)));
    stack.netsuite.control.setGovernance({ latency: { fixedMs: 0 } });
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 200],
    );
    for (const answer of answers) assert.equal(answer.body.workflowId, workflowId);
    const state = await stack.waitForOrder(order.id);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
    const synced = await handle().describe();
    const history = await handle().fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'orderChanged');
    assert.equal(signals.length, 5, 'all five deliveries were signals to the one run');
    assert.equal(salesOrdersWithExternalId(stack, externalId).length, 1);

    // 5 more copies, each after the previous one's run has closed: each starts a run that finds the order synced.
    const runs = new Set([synced.runId]);
    for (let i = 0; i < 5; i++) {
      const answer = await sendDelivery(stack.webhookUrl, delivery);
      assert.equal(answer.status, 200);
      // The 200 says the delivery is durable (the receiver's outbox), not that its run has started: wait for the run.
      let run = await handle().describe();
      await until(async () => !runs.has((run = await handle().describe()).runId), `copy ${i + 1} to start a new run after the order had closed`);
      runs.add(run.runId);
      const result = (await stack.client.workflow.getHandle(workflowId, run.runId).result()) as typeof state;
      assert.equal(result.status, 'Synced');
      assert.equal(result.salesOrderId, state.salesOrderId);
      assert.equal(salesOrdersWithExternalId(stack, externalId).length, 1, `still one sales order after copy ${i + 1}`);
    }

    const matches = salesOrdersWithExternalId(stack, externalId);
    assert.equal(matches.length, 1);
    assert.equal(String(matches[0]!.id), state.salesOrderId);
    assert.equal(stack.netsuite.control.counters().requestsByRoute[SALES_ORDER_CREATE], 1, 'NetSuite was asked to create it once');
  });
});
