/**
 * A flash sale: 200 orders at once, two worker processes sharing the cluster-wide (PostgreSQL) limiter with 5
 * permits, against a NetSuite account whose concurrency limit is 5. Every order syncs, NetSuite never sees more than
 * 5 requests at once, and never has to refuse one with 429.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { salesOrdersWithExternalId, startE2E, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 24 });
const ORDERS = 200;
const LIMIT = 5;

describe('a burst of 200 orders through two worker processes at NetSuite concurrency limit 5', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, permits: LIMIT, limiter: 'postgres', netsuite: { concurrencyLimit: LIMIT, latency: { fixedMs: 50, jitterMs: 50 } } });
  });
  after(async () => e2e?.close());

  it('syncs all 200 with peak NetSuite concurrency at most 5 and no 429', async (t) => {
    const { stack } = e2e;
    const workers = [stack.spawnWorker(), stack.spawnWorker()];
    await Promise.all(workers.map((w) => w.started));
    stack.netsuite.control.resetCounters();

    const orders = generateOrderDrafts(catalog, ORDERS).map((draft) => stack.woo.control.placeOrder({ ...draft, status: 'processing' }));
    await stack.woo.control.flushDeliveries({ runNow: true, timeoutMs: 120_000 });

    const started = Date.now();
    for (const order of orders) {
      const state = await stack.waitForOrder(order.id, undefined, 600_000);
      assert.equal(state.status, 'Synced', `order ${order.id}: ${JSON.stringify(state)}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const order of orders) assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1, `order ${order.id}`);

    const counters = stack.netsuite.control.counters();
    t.diagnostic(
      `${ORDERS} orders synced in ${seconds} s after the burst; NetSuite requests ${counters.requestsTotal}, peak concurrency ${counters.peakConcurrency}, 429s ${counters.http429}`,
    );
    assert.ok(counters.peakConcurrency <= LIMIT, `peak concurrency ${counters.peakConcurrency}`);
    assert.equal(counters.http429, 0, 'the shared limiter kept both workers under the account limit');
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  });
});
