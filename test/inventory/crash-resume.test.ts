/**
 * A real worker process (src/worker.ts) SIGKILLed in the middle of an inventory run: a new one resumes the chunk from its heartbeated
 * cursor. Every NetSuite stock page is read exactly once (from the simulator's request log), and the final stock is
 * right. The kill moment is observed, never guessed: a WooCommerce stock write of a late page is held by the
 * simulator, and the test waits until the server has recorded a heartbeat made while that write was held.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import { inventoryWorkflowId, SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import type { inventorySyncWorkflow } from '../../src/workflows/inventory-sync';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { until } from '../helpers/until';
import { netsuiteAvailable, startInventoryStack, stockPageReads, wooProducts, type InventoryStack } from './helpers';

const catalog = generateCatalog({ seed: 47, products: 40, variableShare: 0.3 });
const items = sellableItems(catalog);
const PAGE_SIZE = 5;

describe('an inventory run whose worker process is killed mid-run', () => {
  let inv: InventoryStack;
  before(async () => {
    inv = await startInventoryStack(catalog, (mapping) => {
      mapping.inventory = { locations: ['1', '2'], pageSize: PAGE_SIZE };
    });
  });
  after(async () => inv?.close());

  it('resumes from its cursor in a new process: each NetSuite page read once, final stock right', async () => {
    const { stack } = inv;
    // Every SKU changes, so every page has writes.
    for (const item of items) stack.netsuite.control.setItemQuantities(item.sku, { location: '1', onHand: (item.stock['1']?.onHand ?? 0) + 7 });
    // Hold the variations write of the catalog's last variable product: it belongs to one of the last pages.
    const lastVariation = [...items].reverse().find((item) => item.parentSku !== undefined)!;
    const parentId = wooProducts(stack).get(lastVariation.sku)!.parentId;
    stack.woo.control.addFault({ kind: 'hang', count: 1, route: { method: 'POST', pathPrefix: `/wp-json/wc/v3/products/${parentId}/variations/batch` } });
    stack.netsuite.control.resetCounters();

    const first = stack.spawnWorker();
    await first.started;
    const handle = await inv.temporal.env.client.workflow.start<typeof inventorySyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.inventory, {
      taskQueue: stack.taskQueue,
      workflowId: inventoryWorkflowId(stack.store.name),
      args: [{ store: stack.store.name, pagesPerActivity: 3, heartbeatTimeoutSeconds: 4 }],
    });

    await until(() => stack.woo.control.faults().some((f) => f.holding > 0), 'the late write to be held');
    const heldSince = Date.now();
    // A heartbeat the server recorded after the write was held carries the progress at the hold (nothing moves while it is held).
    let details: { cursor?: string; pagesDone?: number; page?: unknown } | undefined;
    await until(async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const activity = pending[0];
      if (!activity?.lastHeartbeatTime || tsToMs(activity.lastHeartbeatTime) <= heldSince) return false;
      const payload = activity.heartbeatDetails?.payloads?.[0];
      details = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
      return true;
    }, 'a heartbeat recorded during the hold');
    const readsBeforeKill = stockPageReads(stack).length;
    assert.ok(readsBeforeKill >= 4, `the kill comes in a later page (pages read: ${readsBeforeKill})`);
    assert.ok(details?.cursor !== undefined && details.cursor !== '0', `the heartbeat carries a cursor past the start: ${JSON.stringify(details)}`);

    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const second = stack.spawnWorker();
    await second.started;
    const result = await handle.result();
    second.child.kill('SIGTERM');
    await second.exited;

    // Each stock page exactly once, across both processes.
    const reads = stockPageReads(stack);
    const expectedPages = Math.ceil(items.length / PAGE_SIZE);
    assert.equal(reads.length, expectedPages, `stock pages read: ${JSON.stringify(reads.map((r) => r.cursor))}`);
    assert.equal(new Set(reads.map((r) => r.cursor)).size, reads.length, 'no page was read twice');
    assert.ok(reads.every((r) => r.status === 200));
    assert.equal(result.pagesRead, expectedPages, 'the counts survived the crash');

    // The chunk was retried (attempt 2), not restarted by the workflow.
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).flatMap((event) =>
      event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt ?? 1] : [],
    );
    assert.ok(
      attempts.some((attempt) => attempt >= 2),
      `an activity attempt was retried: ${JSON.stringify(attempts)}`,
    );

    // Final stock: available − in-flight (no orders here) for every SKU.
    const available = netsuiteAvailable(stack);
    const products = wooProducts(stack);
    const wrong = items
      .filter((item) => products.get(item.sku)?.stock !== available.get(item.sku))
      .map((item) => `${item.sku}: ${products.get(item.sku)?.stock} ≠ ${available.get(item.sku)}`);
    assert.deepEqual(wrong, []);
    assert.equal(stack.woo.control.faults()[0]?.matched, 1, 'the held write was the one the killed worker sent');
  });
});
