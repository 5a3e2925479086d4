/**
 * NetSuite answers 429 with `Retry-After: 3` to the sales-order create: the activity's next attempt reaches NetSuite
 * no earlier than 3 s after the 429 was answered (read from the simulator's request log), and the order still syncs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { placeOrder, salesOrdersWithExternalId, startE2E, workflowBundle, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 25 });
const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';
const RETRY_AFTER_SECONDS = 3;

describe('a 429 with Retry-After: 3 from NetSuite', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { retryAfterSeconds: RETRY_AFTER_SECONDS } });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it('makes the next attempt of the create come no earlier than 3 s after the 429', async (t) => {
    const { stack } = e2e;
    stack.netsuite.control.resetCounters();
    stack.netsuite.control.addFault({ kind: '429', count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });

    const order = await placeOrder(stack, { ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    const state = await stack.waitForOrder(order.id);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
    assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1);

    const creates = stack.netsuite.control.requestLog().filter((r) => r.route === `POST ${SALES_ORDER_PATH}`);
    assert.deepEqual(
      creates.map((r) => r.status),
      [429, 204],
      'one refused create, then the accepted one',
    );
    const [refused, retried] = creates as [(typeof creates)[number], (typeof creates)[number]];
    const waitedMs = retried.receivedAt - refused.answeredAt;
    t.diagnostic(`the create was retried ${(waitedMs / 1000).toFixed(2)} s after the 429`);
    assert.ok(waitedMs >= RETRY_AFTER_SECONDS * 1000, `the retry came ${waitedMs} ms after the 429`);
    assert.equal(stack.netsuite.control.counters().http429, 1);
  });
});
