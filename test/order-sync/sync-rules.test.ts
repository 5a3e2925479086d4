/**
 * Sync rules end to end: an order the rules do not sync ends Skipped with the rule that skipped it, recorded in the
 * workflow state, the order meta and a private note — never dropped silently — and syncs once the order changes into
 * a synced status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import {
  placeOrder,
  salesOrdersWithExternalId,
  startE2E,
  syncNotes,
  uniqueStoreName,
  waitForVisibility,
  workflowBundle,
  paidDraft,
  isSynced,
  isSkipped,
  withMapping,
  type E2E,
} from './helpers';

const catalog = generateCatalog({ seed: 7 });
const returning = catalog.customers.find((c) => c.inNetSuite)!;
const simpleSku = catalog.products.find((p) => p.type === 'simple')!.sku;
const TEST_TIMEOUT = 120_000;

const draft = (overrides: Parameters<typeof paidDraft>[1] = {}): OrderDraft =>
  paidDraft(catalog, { customerEmail: returning.email, lines: [{ sku: simpleSku, quantity: 1 }], ...overrides });

describe('sync rules', () => {
  let e2e: E2E;
  let original: Record<string, unknown>;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('rules') });
    original = e2e.stack.readMapping();
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  const externalIdOf = (orderKey: string): string => `woo-${e2e.stack.store.name}-${orderKey}`;
  const meta = (orderId: number): Record<string, unknown> => Object.fromEntries(e2e.stack.woo.control.getOrder(orderId).meta_data.map((m) => [m.key, m.value]));
  const changed = (change: (mapping: Record<string, unknown>) => Record<string, unknown>, run: () => Promise<void>): Promise<void> =>
    withMapping(e2e.stack, original, change, run);

  it(
    'a pending order ends Skipped with the rule status-not-synced (state, meta, note); set to processing, the webhook starts a new run → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const order = await placeOrder(stack, draft({ status: 'pending' }));
      assert.equal(order.status, 'pending');
      const state = await stack.waitForOrder(order.id, isSkipped);
      assert.deepEqual(state.skipped, { rule: 'status-not-synced', detail: 'status pending is not one of processing, completed, on-hold' });
      assert.equal(state.salesOrderId, undefined);
      assert.equal(meta(order.id)[ORDER_META.syncStatus], 'Skipped');
      const notes = syncNotes(stack, order.id);
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.note, '[woo-netsuite-sync] Skipped (status-not-synced): status pending is not one of processing, completed, on-hold');
      assert.equal(notes[0]!.customer_note, false);
      await waitForVisibility(stack, `SyncStatus = 'Skipped' AND WooStore = '${stack.store.name}' AND WooOrderId = '${order.id}'`);
      assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order.order_key)).length, 0);

      // The customer pays: the order moves to processing and order.updated starts a new run of the same workflow ID.
      await stack.woo.control.flushDeliveries({ runNow: true });
      stack.woo.control.setOrderStatus(order.id, 'processing');
      await stack.woo.control.flushDeliveries({ runNow: true });
      const done = await stack.waitForOrder(order.id, isSynced);
      assert.equal(done.skipped, undefined);
      const sos = salesOrdersWithExternalId(stack, externalIdOf(order.order_key));
      assert.equal(sos.length, 1);
      assert.equal(String(sos[0]!.id), done.salesOrderId);
      assert.equal(meta(order.id)[ORDER_META.syncStatus], 'Synced');
      assert.equal(meta(order.id)[ORDER_META.salesOrderId], done.salesOrderId);
      const after = syncNotes(stack, order.id).map((n) => n.note);
      assert.equal(after.length, 2, JSON.stringify(after));
      assert.match(after[1]!, /^\[woo-netsuite-sync\] Synced: NetSuite sales order /);
    },
  );

  it(
    'a test order (billing e-mail in skip.emailDomains, a subdomain too) ends Skipped with the rule test-email-domain; nothing is written to NetSuite',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      await changed(
        (m) => ({ ...m, skip: { ...(m.skip as object), emailDomains: ['example.org'] } }),
        async () => {
          const customersBefore = stack.netsuite.control.listRecords('customer').length;
          const order = await placeOrder(stack, draft({ customerEmail: 'QA@Staging.Example.org' }));
          const state = await stack.waitForOrder(order.id, isSkipped);
          assert.equal(state.skipped?.rule, 'test-email-domain');
          assert.match(state.skipped!.detail, /staging\.example\.org .*example\.org is in skip\.emailDomains/);
          assert.match(syncNotes(stack, order.id).at(-1)!.note, /Skipped \(test-email-domain\)/);
          assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order.order_key)).length, 0);
          assert.equal(stack.netsuite.control.listRecords('customer').length, customersBefore, 'no customer was created');
        },
      );
    },
  );

  it('an order paid with a skipped payment method ends Skipped with the rule payment-method-skipped', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    await changed(
      (m) => ({ ...m, skip: { ...(m.skip as object), paymentMethods: ['cod'] } }),
      async () => {
        const order = await placeOrder(stack, draft({ paymentMethodId: 'cod' }));
        const state = await stack.waitForOrder(order.id, isSkipped);
        assert.deepEqual(state.skipped, { rule: 'payment-method-skipped', detail: 'payment method cod is in skip.paymentMethods' });
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order.order_key)).length, 0);
      },
    );
  });
});
