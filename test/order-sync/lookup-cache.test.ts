/**
 * The worker's item and customer caches are hints, never the truth (src/netsuite/lookup-cache.ts): a sales order
 * NetSuite refuses over a cached item or customer has that look-up made again, once, and syncs on what NetSuite says
 * now; when the fresh answer is the record NetSuite refused, the order needs a human and `retry` takes it on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderSyncState } from '../../src/api';
import { generateCatalog } from '../../simulators/seed';
import { quietRuntime } from '../helpers/temporal';
import { isNeedsAttention, isSynced, paidDraft, placeOrder, salesOrdersWithExternalId, startE2E, uniqueStoreName, workflowBundle, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 11 });
const simpleSkus = catalog.products.filter((p) => p.type === 'simple').map((p) => p.sku);
const TEST_TIMEOUT = 120_000;
const SALES_ORDER_CREATE = 'POST /services/rest/record/v1/salesOrder';

// The inactive item's NeedsAttention is provoked and asserted: the SDK's warnings about it stay out of the log.
quietRuntime(({ message, meta }) => {
  if (message === 'order needs attention') return true;
  return message === 'Activity failed' && (meta?.error as { type?: unknown } | undefined)?.type === 'NeedsAttention';
});

describe('look-up caches are hints', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('hint') });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  const salesOrderOf = (orderKey: string): Record<string, unknown> => {
    const matches = salesOrdersWithExternalId(e2e.stack, `woo-${e2e.stack.store.name}-${orderKey}`);
    assert.equal(matches.length, 1, 'exactly one sales order');
    return e2e.stack.netsuite.control.getRecord('salesOrder', String(matches[0]!.id));
  };
  const lineItemIds = (salesOrder: Record<string, unknown>): string[] =>
    ((salesOrder.item as { items: { item: { id: string } }[] }).items ?? []).map((line) => String(line.item.id));
  const entityOf = (salesOrder: Record<string, unknown>): string => String((salesOrder.entity as { id: string }).id);
  /** Answers NetSuite gave to sales-order creates from `since` (request-log index) on. */
  const createAnswers = (since: number): number[] =>
    e2e.stack.netsuite.control
      .requestLog()
      .slice(since)
      .filter((r) => r.route === SALES_ORDER_CREATE)
      .map((r) => r.status);
  const itemSearches = (since: number): number =>
    e2e.stack.netsuite.control
      .requestLog()
      .slice(since)
      .filter((r) => r.route.endsWith('/suiteql')).length;
  const itemIdOf = (sku: string): string => {
    const found = e2e.stack.netsuite.control.listRecords('inventoryItem').filter((i) => i.itemId === sku);
    assert.equal(found.length, 1, `one NetSuite item named ${sku}`);
    return String(found[0]!.id);
  };

  it(
    'a cached item NetSuite refuses (made inactive, its SKU given to a new item) is looked up again and the order syncs on the new item',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const sku = simpleSkus[0]!;
      const oldId = itemIdOf(sku);
      const first = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku, quantity: 1 }] }));
      await stack.waitForOrder(first.id, isSynced);
      assert.deepEqual(
        lineItemIds(salesOrderOf(first.order_key)).filter((id) => id === oldId),
        [oldId],
      );

      // In NetSuite, someone retires the item and gives its name to a new one. The worker still holds SKU → old ID.
      stack.netsuite.control.updateRecord('inventoryItem', oldId, { isInactive: true, itemId: `${sku}-RETIRED` });
      const newId = stack.netsuite.control.createRecord('inventoryItem', { itemId: sku, displayName: `${sku} (new)` }).id;
      const since = stack.netsuite.control.requestLog().length;
      const second = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku, quantity: 1 }] }));
      const state = await stack.waitForOrder(second.id, isSynced);
      assert.deepEqual(lineItemIds(salesOrderOf(second.order_key)), [newId], 'the sales order names the item NetSuite has under the SKU now');
      assert.deepEqual(createAnswers(since), [400, 204], 'the create with the cached ID was refused once, the one after the fresh look-up accepted');
      assert.deepEqual(state.warnings, []);
    },
  );

  it(
    'an item made inactive with nothing in its place: looked up once more, then NeedsAttention naming the line; retry after the fix syncs',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const sku = simpleSkus[1]!;
      const id = itemIdOf(sku);
      const first = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku, quantity: 1 }] }));
      await stack.waitForOrder(first.id, isSynced);

      stack.netsuite.control.updateRecord('inventoryItem', id, { isInactive: true });
      const since = stack.netsuite.control.requestLog().length;
      const second = await placeOrder(stack, paidDraft(catalog, { lines: [{ sku, quantity: 1 }] }));
      const waiting: OrderSyncState = await stack.waitForOrder(second.id, isNeedsAttention);
      assert.equal(waiting.attention?.step, 'createSalesOrder');
      assert.equal(waiting.attention?.netsuite?.path, 'item.items[0].item');
      assert.match(waiting.attention?.message ?? '', new RegExp(`Invalid Field Value ${id}`));
      assert.deepEqual(createAnswers(since), [400], 'refused once; the fresh look-up gave the same item, so no second create');
      assert.ok(itemSearches(since) >= 2, 'the item was looked up again in NetSuite (the sales-order search is one SuiteQL, the fresh item look-up another)');

      stack.netsuite.control.updateRecord('inventoryItem', id, { isInactive: false });
      await stack.client.workflow.getHandle(`woo-order:${stack.store.name}:${second.id}`).signal('retry', { by: 'test' });
      await stack.waitForOrder(second.id, isSynced);
      assert.deepEqual(lineItemIds(salesOrderOf(second.order_key)), [id]);
    },
  );

  it(
    'a cached customer NetSuite refuses (made inactive, the person now in another record) is matched again and the order syncs on that one',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const guest = catalog.customers.find((c) => !c.registered && !c.inNetSuite)!;
      const first = await placeOrder(stack, paidDraft(catalog, { customerEmail: guest.email, lines: [{ sku: simpleSkus[2]!, quantity: 1 }] }));
      const firstState = await stack.waitForOrder(first.id, isSynced);
      const oldCustomer = entityOf(salesOrderOf(first.order_key));
      assert.equal(firstState.customerId, oldCustomer);

      // Merged in NetSuite: the record the worker holds is retired, the person lives on in another one.
      stack.netsuite.control.updateRecord('customer', oldCustomer, { isInactive: true });
      const survivor = stack.netsuite.control.createRecord('customer', {
        isPerson: true,
        firstName: guest.firstName,
        lastName: guest.lastName,
        email: guest.email,
        subsidiary: { id: '1' },
      }).id;
      const since = stack.netsuite.control.requestLog().length;
      const second = await placeOrder(stack, paidDraft(catalog, { customerEmail: guest.email, lines: [{ sku: simpleSkus[2]!, quantity: 1 }] }));
      const state = await stack.waitForOrder(second.id, isSynced);
      assert.equal(entityOf(salesOrderOf(second.order_key)), survivor);
      assert.equal(state.customerId, survivor, 'the order says which customer it was booked on');
      assert.deepEqual(createAnswers(since), [400, 204]);
    },
  );
});

describe('orders asking the same look-up at once share it', () => {
  let e2e: E2E;
  before(async () => {
    // NetSuite takes 300 ms per request, so the orders' look-ups overlap; a fresh worker, so every cache is empty.
    e2e = await startE2E({ catalog, store: uniqueStoreName('share'), netsuite: { latency: { fixedMs: 300, jitterMs: 0 } } });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it(
    'six orders of one new customer and one SKU, placed together on a cold worker: one item look-up, one customer match, six sales orders',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const guest = catalog.customers.filter((c) => !c.registered && !c.inNetSuite)[1]!;
      const sku = simpleSkus[4]!;
      const since = stack.netsuite.control.requestLog().length;
      const orders = Array.from({ length: 6 }, () =>
        stack.woo.control.placeOrder(paidDraft(catalog, { customerEmail: guest.email, lines: [{ sku, quantity: 1 }] })),
      );
      await stack.woo.control.flushDeliveries({ runNow: true });
      for (const order of orders) await stack.waitForOrder(order.id, isSynced);
      const log = stack.netsuite.control.requestLog().slice(since);
      const bodies = log.filter((r) => r.route.endsWith('/suiteql'));
      assert.equal(bodies.length, 6 + 2, 'six sales-order searches, one item look-up and one customer search');
      assert.equal(log.filter((r) => r.route === 'POST /services/rest/record/v1/customer').length, 1, 'one customer created');
      assert.equal(log.filter((r) => r.route === SALES_ORDER_CREATE).length, 6);
      const customers = stack.netsuite.control.listRecords('customer').filter((c) => c.email === guest.email);
      assert.equal(customers.length, 1);
    },
  );
});
