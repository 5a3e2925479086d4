/**
 * A catalog larger than one run's share (small pages, one page per activity, three activities per run): the inventory
 * workflow continues as new, carrying its cursor and counts, and the final result covers the whole catalog once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inventoryWorkflowId, SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import type { inventorySyncWorkflow } from '../../src/workflows/inventory-sync';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { netsuiteAvailable, startInventoryStack, stockPageReads, wooProducts, type InventoryStack } from './helpers';

const catalog = generateCatalog({ seed: 53, products: 12, variableShare: 0.3 });
const items = sellableItems(catalog);
const PAGE_SIZE = 2;

describe('a long inventory run', () => {
  let inv: InventoryStack;
  before(async () => {
    inv = await startInventoryStack(catalog, (mapping) => {
      mapping.inventory = { pageSize: PAGE_SIZE };
    });
  });
  after(async () => inv?.close());

  it('continues as new with its cursor and counts, and covers the catalog exactly once', async () => {
    const { stack, temporal } = inv;
    const changed = items.filter((_, i) => i % 3 === 0);
    for (const item of changed) stack.netsuite.control.setItemQuantities(item.sku, { location: '2', onHand: (item.stock['2']?.onHand ?? 0) + 11 });
    stack.netsuite.control.resetCounters();

    const pages = Math.ceil(items.length / PAGE_SIZE);
    assert.ok(pages > 6, 'more pages than two runs of three one-page activities');
    const { result, workflowId, firstRunId } = await inv.withWorker(async (taskQueue) => {
      const handle = await temporal.env.client.workflow.start<typeof inventorySyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.inventory, {
        taskQueue,
        workflowId: `${inventoryWorkflowId(stack.store.name)}:${taskQueue}`,
        args: [{ store: stack.store.name, pagesPerActivity: 1, activitiesPerRun: 3 }],
      });
      return { result: await handle.result(), workflowId: handle.workflowId, firstRunId: handle.firstExecutionRunId };
    });

    assert.equal(result.runs, Math.ceil(pages / 3), 'one run per three pages');
    const first = await temporal.env.client.workflow.getHandle(workflowId, firstRunId).describe();
    assert.equal(first.status.name, 'CONTINUED_AS_NEW');
    assert.equal(result.pagesRead, pages, 'pages counted across runs');
    assert.equal(result.skusRead, items.length);
    assert.equal(result.updated, changed.length, 'the counts carried over: every changed SKU counted once');
    assert.equal(result.unchanged, items.length - changed.length);
    assert.ok(Date.parse(result.startedAt) <= Date.parse(first.startTime.toISOString()) + 1000, 'startedAt is the first run’s');

    const reads = stockPageReads(stack);
    assert.equal(reads.length, pages);
    assert.equal(new Set(reads.map((r) => r.cursor)).size, pages, 'each page once, across runs');
    const available = netsuiteAvailable(stack);
    const products = wooProducts(stack);
    assert.deepEqual(
      items.filter((item) => products.get(item.sku)?.stock !== available.get(item.sku)).map((item) => item.sku),
      [],
    );
  });
});
