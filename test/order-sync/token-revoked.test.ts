/**
 * Every NetSuite access token revoked while two worker processes sync a steady stream of orders: each process
 * discards its token on the 401, mints one new token and replays the request; no order fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WooOrderJson } from '../../simulators/woocommerce';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { placeOrder, salesOrdersWithExternalId, startE2E, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 23 });
const ORDERS = 24;
const WORKERS = 2;

describe('all NetSuite tokens revoked mid-run', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { latency: { fixedMs: 20, jitterMs: 30 } } });
  });
  after(async () => e2e?.close());

  it('work continues after one token refresh per worker process and every order is Synced', async (t) => {
    const { stack } = e2e;
    const workers = Array.from({ length: WORKERS }, () => stack.spawnWorker());
    await Promise.all(workers.map((w) => w.started));

    const drafts = generateOrderDrafts(catalog, ORDERS).map((d) => ({ ...d, status: 'processing' as const }));
    const placed: WooOrderJson[] = [];
    const syncedCount = async (): Promise<number> => {
      let n = 0;
      for (const order of placed) if ((await stack.orderState(order.id))?.status === 'Synced') n++;
      return n;
    };

    // A steady stream of orders; the tokens are revoked once a few have synced and while more keep coming.
    let revokedAt: { tokensMinted: number; placed: number } | undefined;
    for (const draft of drafts) {
      placed.push(await placeOrder(stack, draft));
      if (revokedAt === undefined && placed.length >= ORDERS / 3 && (await syncedCount()) >= 3) {
        const { tokensMinted } = stack.netsuite.control.counters();
        const { revoked } = stack.netsuite.control.revokeAllTokens();
        assert.ok(revoked >= 1, 'the workers held tokens when they were revoked');
        revokedAt = { tokensMinted, placed: placed.length };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(revokedAt, 'the tokens were revoked mid-run');
    assert.ok(revokedAt.placed < ORDERS, 'orders kept coming after the revocation');

    for (const order of placed) {
      const state = await stack.waitForOrder(order.id, undefined, 120_000);
      assert.equal(state.status, 'Synced', `order ${order.id}: ${JSON.stringify(state)}`);
      assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1);
    }

    const counters = stack.netsuite.control.counters();
    assert.ok((counters.statusCounts['401'] ?? 0) >= 1, 'requests after the revocation were answered 401');
    const refreshes = counters.tokensMinted - revokedAt.tokensMinted;
    t.diagnostic(
      `revoked after ${revokedAt.placed} of ${ORDERS} orders; tokens minted before ${revokedAt.tokensMinted}, after ${refreshes}; 401 answers ${counters.statusCounts['401'] ?? 0}`,
    );
    assert.ok(
      refreshes >= 1 && refreshes <= WORKERS,
      `${refreshes} tokens minted after the revocation; expected 1..${WORKERS} (one per worker process at most)`,
    );
  });
});
