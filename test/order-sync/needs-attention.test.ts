/**
 * NeedsAttention end to end: a failure that would fail the same way again keeps the order workflow open, visible by
 * search attributes, current details, the status query and a private order note, until `retry` (after the mapping or
 * NetSuite was fixed) or `skip`; past the configured limit it closes as Failed with the same details.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderWorkflowId, type OrderSyncState } from '../../src/api';
import { describeState } from '../../src/outcome';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import {
  cli,
  currentDetails,
  placeOrder,
  salesOrdersWithExternalId,
  startE2E,
  syncNotes,
  uniqueStoreName,
  waitForVisibility,
  workflowBundle,
  paidDraft,
  isSynced,
  isNeedsAttention,
  type E2E,
} from './helpers';

const catalog = generateCatalog({ seed: 7 });
const returning = catalog.customers.find((c) => c.inNetSuite && c.registered)!;
const simpleSkus = catalog.products.filter((p) => p.type === 'simple').map((p) => p.sku);
const TEST_TIMEOUT = 120_000;

const draft = (overrides: Parameters<typeof paidDraft>[1] = {}): OrderDraft =>
  paidDraft(catalog, { customerEmail: returning.email, lines: [{ sku: simpleSkus[0]!, quantity: 1 }], ...overrides });

const externalIdOf = (e2e: E2E, orderKey: string): string => `woo-${e2e.stack.store.name}-${orderKey}`;

describe('an order that needs attention waits for a human, then retry or skip ends it', () => {
  let e2e: E2E;
  let original: Record<string, unknown>;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('attn') });
    original = e2e.stack.readMapping();
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  it(
    'unknown SKU: NeedsAttention naming the SKU (search attributes, current details, status query, private note); alias + CLI retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const order = await placeOrder(stack, draft({ lines: [{ sku: 'NOPE-1', quantity: 1, raw: true, name: 'Mystery', price: '9.99' }] }));
      const state = await stack.waitForOrder(order.id, isNeedsAttention);

      // the status query: what failed, the step, what to fix
      assert.equal(state.attention?.failureType, 'UnknownSku');
      assert.equal(state.attention?.step, 'resolveItems');
      assert.match(state.attention!.message, /NOPE-1/);
      assert.match(state.attention!.fix, /"items": \{"aliases": \{"NOPE-1"/);
      assert.ok(!Number.isNaN(Date.parse(state.attention!.since)));

      // the search attributes the on-call engineer filters by
      const store = stack.store.name;
      const listed = await waitForVisibility(
        stack,
        `SyncStatus = 'NeedsAttention' AND FailureType = 'UnknownSku' AND WooStore = '${store}' AND WooOrderId = '${order.id}'`,
      );
      assert.equal(listed.length, 1);
      assert.equal(listed[0]!.workflowId, orderWorkflowId(store, order.id));
      assert.equal(listed[0]!.status.name, 'RUNNING', 'the workflow stays open while it waits');

      // the UI's current details (Markdown) and the private note (plain text) say the same
      const details = await currentDetails(stack, order.id);
      assert.match(details, /^### Needs attention — UnknownSku\n\n- \*\*What failed:\*\* .*NOPE-1/);
      assert.match(details, /\n- \*\*Failed step:\*\* `resolveItems`\n/);
      assert.ok(details.includes('- **To fix:** ') && details.includes('`"items": {"aliases": {"NOPE-1": "<NetSuite item itemid>"}}`'), details);
      assert.match(details, /\n- \*\*Then:\*\* send the workflow a `retry` signal/);
      const notes = syncNotes(stack, order.id);
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.customer_note, false, 'a private note, never one the customer sees');
      assert.ok(notes[0]!.note.includes(describeState(state)), 'the note carries the plain text of the same facts');
      assert.match(notes[0]!.note, /Needs attention: .*NOPE-1.*\nFailure type: UnknownSku \(step resolveItems\)\n/);
      const meta = Object.fromEntries(stack.woo.control.getOrder(order.id).meta_data.map((m) => [m.key, m.value]));
      assert.equal(meta[ORDER_META.syncStatus], 'NeedsAttention');
      assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 0);

      // the mapping is fixed; retry (through the CLI) re-reads it and resumes
      stack.writeMapping({ ...original, items: { matchBy: 'itemid', aliases: { 'NOPE-1': simpleSkus[1]! } } });
      try {
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        const done = await stack.waitForOrder(order.id, isSynced);
        assert.equal(done.retries, 1);
        assert.equal(done.attention, undefined);
        const sos = salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key));
        assert.equal(sos.length, 1, 'exactly one sales order');
        assert.equal(String(sos[0]!.id), done.salesOrderId);
        const item = stack.netsuite.control.listRecords('inventoryItem').find((i) => i.itemId === simpleSkus[1]);
        const lines = (stack.netsuite.control.getRecord('salesOrder', String(sos[0]!.id)).item as { items: { item: { id: string } }[] }).items;
        assert.equal(String(lines[0]!.item.id), String(item!.id), 'the alias chose the NetSuite item');
        await waitForVisibility(
          stack,
          `SyncStatus = 'Synced' AND WooStore = '${store}' AND WooOrderId = '${order.id}' AND NetSuiteSalesOrderId = '${done.salesOrderId}'`,
        );
      } finally {
        stack.writeMapping(original);
      }
    },
  );

  it(
    'renamed custom field: NeedsAttention naming the field and NetSuite code; customFields.orderKey fixed + retry → Synced with the new field',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key', to: 'custbody_woo_order_key2' });
      try {
        const order = await placeOrder(stack, draft());
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        const attention = state.attention!;
        assert.ok(attention.netsuite?.code, `a NetSuite error code is recorded: ${JSON.stringify(attention)}`);
        assert.equal(attention.netsuite?.status, 400);
        assert.equal(attention.failureType, 'NetSuiteFieldMissing');
        assert.equal(attention.netsuite?.path, 'custbody_woo_order_key');
        assert.equal(attention.matchKey?.kind, 'email', 'the customer match key used is named too');
        assert.match(`${attention.message} ${attention.netsuite?.detail ?? ''}`, /custbody_woo_order_key/, 'the details name the field');
        const details = await currentDetails(stack, order.id);
        assert.match(details, new RegExp(`NetSuite said:\\*\\* HTTP 400 \`${attention.netsuite!.code}\``));
        assert.match(details, /custbody_woo_order_key/);
        if (attention.netsuite?.path) assert.match(details, new RegExp(`at \`${attention.netsuite.path.replace(/[.[\]]/g, '\\$&')}\``));
        assert.match(syncNotes(stack, order.id).at(-1)!.note, /custbody_woo_order_key/);
        assert.match(attention.fix, /customFields|mapping/);

        stack.writeMapping({ ...original, customFields: { ...(original.customFields as object), orderKey: 'custbody_woo_order_key2' } });
        const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id));
        await handle.signal('retry', { by: 'test' });
        const done = await stack.waitForOrder(order.id, isSynced);
        const sos = salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key));
        assert.equal(sos.length, 1);
        const so = stack.netsuite.control.getRecord('salesOrder', done.salesOrderId!);
        assert.equal(so.custbody_woo_order_key2, order.order_key, 'the sales order carries the renamed field');
        assert.equal(so.custbody_woo_order_key, undefined);
      } finally {
        stack.writeMapping(original);
        stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key2', to: 'custbody_woo_order_key' });
      }
    },
  );

  it(
    'custom field renamed that only the create sends: NeedsAttention with the NetSuite code and o:errorPath; mapping fixed + retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_store', to: 'custbody_woo_shop' });
      try {
        const order = await placeOrder(stack, draft());
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        const attention = state.attention!;
        assert.equal(attention.failureType, 'NetSuiteFieldMissing');
        assert.equal(attention.step, 'createSalesOrder');
        assert.equal(attention.netsuite?.status, 400);
        assert.equal(attention.netsuite?.code, 'NONEXISTENT_FIELD');
        assert.equal(attention.netsuite?.path, 'custbody_woo_store', 'the o:errorPath is recorded');
        assert.match(attention.message, /custbody_woo_store/);
        assert.match(attention.fix, /"customFields"/);
        const details = await currentDetails(stack, order.id);
        assert.match(details, new RegExp(`NetSuite said:\\*\\* HTTP 400 \`${attention.netsuite!.code}\` at \`custbody_woo_store\``));
        assert.match(syncNotes(stack, order.id).at(-1)!.note, /at custbody_woo_store/);

        stack.writeMapping({ ...original, customFields: { ...(original.customFields as object), store: 'custbody_woo_shop' } });
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        const done = await stack.waitForOrder(order.id, isSynced);
        const so = stack.netsuite.control.getRecord('salesOrder', done.salesOrderId!);
        assert.equal(so.custbody_woo_shop, stack.store.name);
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 1);
      } finally {
        stack.writeMapping(original);
        stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_shop', to: 'custbody_woo_store' });
      }
    },
  );

  it(
    'NetSuite 400 USER_ERROR (a custom field made mandatory): NeedsAttention with code and path; field made optional in NetSuite + retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      stack.netsuite.control.addField({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', label: 'Approval Code', mandatory: true });
      try {
        const order = await placeOrder(stack, draft());
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        const attention = state.attention!;
        assert.equal(attention.failureType, 'NetSuiteValidation');
        assert.equal(attention.step, 'createSalesOrder');
        assert.deepEqual([attention.netsuite?.status, attention.netsuite?.code, attention.netsuite?.path], [400, 'USER_ERROR', 'custbody_approval_code']);
        assert.match(attention.message, /Approval Code/);
        assert.match(attention.fix, /custbody_approval_code/);
        assert.match(await currentDetails(stack, order.id), /NetSuite said:\*\* HTTP 400 `USER_ERROR` at `custbody_approval_code`/);

        stack.netsuite.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', mandatory: false });
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        await stack.waitForOrder(order.id, isSynced);
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 1);
      } finally {
        stack.netsuite.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', mandatory: false });
      }
    },
  );

  it(
    'NetSuite 400 INVALID_CONTENT (the mapping points at a ship item NetSuite lacks): NeedsAttention with code and path; mapping fixed + retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const shipping = original.shipping as { methods: Record<string, unknown> };
      stack.writeMapping({ ...original, shipping: { ...shipping, methods: { ...shipping.methods, flat_rate: { externalId: 'woo-ship-retired' } } } });
      try {
        const order = await placeOrder(stack, draft({ shippingMethodId: 'flat_rate' }));
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        const attention = state.attention!;
        assert.equal(attention.failureType, 'NetSuiteValidation');
        assert.deepEqual([attention.netsuite?.status, attention.netsuite?.code, attention.netsuite?.path], [400, 'INVALID_CONTENT', 'shipMethod']);
        assert.match(attention.message, /shipMethod/);
        assert.match(attention.fix, /shipMethod/);
        assert.match(syncNotes(stack, order.id).at(-1)!.note, /NetSuite said: HTTP 400 INVALID_CONTENT at shipMethod/);

        stack.writeMapping(original);
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        await stack.waitForOrder(order.id, isSynced);
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 1);
      } finally {
        stack.writeMapping(original);
      }
    },
  );

  it(
    'revoked permission (403): NeedsAttention NetSuitePermission with INSUFFICIENT_PERMISSION; permission restored + retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: false });
      try {
        const order = await placeOrder(stack, draft());
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        assert.equal(state.attention?.failureType, 'NetSuitePermission');
        assert.equal(state.attention?.step, 'createSalesOrder');
        assert.equal(state.attention?.netsuite?.status, 403);
        assert.equal(state.attention?.netsuite?.code, 'INSUFFICIENT_PERMISSION');
        assert.match(state.attention!.fix, /[Pp]ermission/);
        await waitForVisibility(
          stack,
          `SyncStatus = 'NeedsAttention' AND FailureType = 'NetSuitePermission' AND WooStore = '${stack.store.name}' AND WooOrderId = '${order.id}'`,
        );
        const details = await currentDetails(stack, order.id);
        assert.match(details, /NetSuite said:\*\* HTTP 403 `INSUFFICIENT_PERMISSION`/);
        assert.match(syncNotes(stack, order.id).at(-1)!.note, /INSUFFICIENT_PERMISSION/);

        stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: true });
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        const done = await stack.waitForOrder(order.id, isSynced);
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 1);
        assert.equal(done.retries, 1);
      } finally {
        stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: true });
      }
    },
  );

  it('unknown ship method: NeedsAttention UnknownShippingMethod naming it; mapping restored + retry → Synced', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const shipping = original.shipping as { methods: Record<string, unknown> };
    const { flat_rate: _flatRate, ...otherMethods } = shipping.methods;
    void _flatRate;
    stack.writeMapping({ ...original, shipping: { ...shipping, methods: otherMethods } });
    try {
      const order = await placeOrder(stack, draft({ shippingMethodId: 'flat_rate' }));
      const state = await stack.waitForOrder(order.id, isNeedsAttention);
      assert.equal(state.attention?.failureType, 'UnknownShippingMethod');
      assert.equal(state.attention?.step, 'mapOrder');
      assert.match(state.attention!.message, /flat_rate/);
      assert.match(state.attention!.fix, /"shipping.methods": \{"flat_rate"/);
      await waitForVisibility(
        stack,
        `SyncStatus = 'NeedsAttention' AND FailureType = 'UnknownShippingMethod' AND WooStore = '${stack.store.name}' AND WooOrderId = '${order.id}'`,
      );
      assert.match(syncNotes(stack, order.id).at(-1)!.note, /flat_rate/);

      stack.writeMapping(original);
      const retry = await cli(e2e, ['retry', String(order.id)]);
      assert.equal(retry.code, 0, retry.text);
      await stack.waitForOrder(order.id, isSynced);
      assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 1);
    } finally {
      stack.writeMapping(original);
    }
  });

  /** Places an order that needs attention (unknown SKU), skips it through the CLI; returns the order and the skipped run's result. */
  async function skipWithReason(sku: string): Promise<{ orderId: number; orderKey: string; skipRunId: string; skipped: OrderSyncState }> {
    const { stack } = e2e;
    const order = await placeOrder(stack, draft({ lines: [{ sku, quantity: 1, raw: true, name: `Mystery ${sku}`, price: '4.99' }] }));
    await stack.waitForOrder(order.id, isNeedsAttention);
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id));
    const skipRunId = (await handle.describe()).runId;
    const skipped = await cli(e2e, ['skip', String(order.id), '--reason', 'test order']);
    assert.equal(skipped.code, 0, skipped.text);
    assert.match(skipped.text, /skip sent/);
    const state = (await stack.client.workflow.getHandle(handle.workflowId, skipRunId).result()) as OrderSyncState;
    return { orderId: order.id, orderKey: order.order_key, skipRunId, skipped: state };
  }

  it(
    'skip with a reason closes the order as Skipped (state + private note); a later order.updated webhook does not sync it',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const { orderId, orderKey, skipped } = await skipWithReason('NOPE-2');
      assert.equal(skipped.status, 'Skipped');
      assert.equal(skipped.skipped?.rule, 'skipped-by-operator');
      assert.equal(skipped.skipped?.detail, 'test order');
      assert.match(skipped.skipped?.by ?? '', /^cli/);
      assert.equal(skipped.attention, undefined);
      assert.ok(
        syncNotes(stack, orderId).some((n) => n.note.startsWith('[woo-netsuite-sync] Skipped (skipped-by-operator): test order') && !n.customer_note),
        'the reason is in a private note',
      );
      await waitForVisibility(stack, `SyncStatus = 'Skipped' AND WooStore = '${stack.store.name}' AND WooOrderId = '${orderId}'`);

      // The order moves on in WooCommerce: the receiver sees the operator's skip in the payload and starts nothing.
      await stack.woo.control.flushDeliveries({ runNow: true });
      const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, orderId));
      const skipRun = (await handle.describe()).runId;
      const { started, alreadySynced } = stack.receiver.stats();
      stack.woo.control.setOrderStatus(orderId, 'completed');
      await stack.woo.control.flushDeliveries({ runNow: true });
      assert.equal(stack.receiver.stats().started, started, 'the order.updated webhook started nothing');
      assert.ok(stack.receiver.stats().alreadySynced > alreadySynced, 'it was recognised as settled');
      assert.equal((await handle.describe()).runId, skipRun);
      assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, orderKey)).length, 0, 'no sales order, ever');
      const meta = Object.fromEntries(stack.woo.control.getOrder(orderId).meta_data.map((m) => [m.key, m.value]));
      assert.equal(meta[ORDER_META.salesOrderId], undefined);
      assert.equal(meta[ORDER_META.syncStatus], 'SkippedByOperator');
      assert.equal(meta[ORDER_META.skipReason], 'test order');
    },
  );

  it('a skipped order stays skipped even when an operator runs sync, and its status still gives the reason', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const { orderId, orderKey, skipRunId } = await skipWithReason('NOPE-4');
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, orderId));
    while ((await handle.describe()).status.name === 'RUNNING') await new Promise((r) => setTimeout(r, 100));
    const sync = await cli(e2e, ['sync', String(orderId), '--wait', '--json']);
    assert.equal(sync.code, 0, sync.text);
    const later = await stack.waitForOrder(orderId, (s) => s.status === 'Skipped' && s.outcomeRecorded);
    assert.notEqual((await handle.describe()).runId, skipRunId, 'sync started a new run');
    assert.equal(later.skipped?.rule, 'skipped-by-operator');
    assert.match(later.skipped?.detail ?? '', /test order/);
    const status = await cli(e2e, ['status', String(orderId), '--json']);
    assert.equal(status.code, 0, status.text);
    const report = JSON.parse(status.text) as { state?: OrderSyncState };
    assert.match(report.state?.skipped?.detail ?? '', /test order/, status.text);
    assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, orderKey)).length, 0);
  });
});

describe('an order left in NeedsAttention past the limit closes as Failed with the same details', () => {
  let e2e: E2E;
  before(async () => {
    // Only order.created is subscribed at first, so the Failed run's own meta write (order.updated) starts nothing;
    // the last test subscribes order.updated too.
    e2e = await startE2E({ catalog, store: uniqueStoreName('fail'), needsAttentionLimitSeconds: 3, topics: ['order.created'] });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  /** Places an order with an unknown SKU and waits until its first run closes; returns that run's final state. */
  async function failedOrder(sku: string): Promise<{ orderId: number; runId: string; since: string; failed: OrderSyncState }> {
    const { stack } = e2e;
    const order = await placeOrder(stack, draft({ lines: [{ sku, quantity: 1, raw: true, name: `Mystery ${sku}`, price: '1.00' }] }));
    const attention = await stack.waitForOrder(order.id, isNeedsAttention);
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id));
    const runId = (await handle.describe()).runId;
    const run = stack.client.workflow.getHandle(handle.workflowId, runId);
    let failed: OrderSyncState | undefined;
    await assert.rejects(run.result(), (error: Error & { cause?: { type?: string; details?: unknown[] } }) => {
      assert.equal(error.cause?.type, 'OrderSyncFailed');
      failed = error.cause?.details?.[0] as OrderSyncState;
      return true;
    });
    const closedAt = (await run.describe()).closeTime!;
    assert.ok(closedAt.getTime() - Date.parse(attention.attention!.since) >= 3000, 'not closed before the limit');
    return { orderId: order.id, runId, since: attention.attention!.since, failed: failed! };
  }

  it('closes as Failed after needsAttentionLimitSeconds, keeping the details; CLI status exits 6, readable and --json', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const { orderId, since, failed } = await failedOrder('NOPE-3');
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.attention?.failureType, 'UnknownSku');
    assert.equal(failed.attention?.since, since, 'the same NeedsAttention details, kept');
    assert.match(failed.attention!.message, /NOPE-3/);
    assert.ok(failed.outcomeRecorded);
    const note = syncNotes(stack, orderId).at(-1)!;
    assert.match(note.note, /^\[woo-netsuite-sync\] Failed: .*NOPE-3/);
    assert.match(note.note, /To fix: /);
    const meta = Object.fromEntries(stack.woo.control.getOrder(orderId).meta_data.map((m) => [m.key, m.value]));
    assert.equal(meta[ORDER_META.syncStatus], 'Failed');

    const json = await cli(e2e, ['status', String(orderId), '--json']);
    assert.equal(json.code, 6, json.text);
    const report = JSON.parse(json.text) as { execution: string; state?: OrderSyncState };
    assert.equal(report.execution, 'FAILED');
    assert.equal(report.state?.status, 'Failed');
    assert.equal(report.state?.attention?.failureType, 'UnknownSku');
    assert.equal(report.state?.attention?.step, 'resolveItems');
    const readable = await cli(e2e, ['status', String(orderId)]);
    assert.equal(readable.code, 6);
    assert.match(readable.text, /Failed: .*NOPE-3/);
    assert.match(readable.text, /Failure type: UnknownSku \(step resolveItems\)/);
    assert.match(readable.text, /To fix: /);
    await waitForVisibility(stack, `SyncStatus = 'Failed' AND FailureType = 'UnknownSku' AND WooStore = '${stack.store.name}' AND WooOrderId = '${orderId}'`);
    const retry = await cli(e2e, ['retry', String(orderId)]);
    assert.equal(retry.code, 4, 'a Failed order is not waiting for a retry');
  });

  it('stays Failed when its own outcome write fires order.updated', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    await stack.woo.control.createWebhook({
      topic: 'order.updated',
      delivery_url: stack.webhookUrl,
      secret: stack.store.webhookSecret,
      name: 'sync order.updated',
    });
    const { orderId, runId } = await failedOrder('NOPE-5');
    await stack.woo.control.flushDeliveries({ runNow: true }); // the order.updated of the Failed outcome write
    const latest = await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, orderId)).describe();
    assert.equal(latest.runId, runId, `a new run started after Failed (${latest.status.name})`);
    const status = await cli(e2e, ['status', String(orderId)]);
    assert.equal(status.code, 6, status.text);
  });
});
