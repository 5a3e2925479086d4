/**
 * NeedsAttention end to end: a failure that would fail the same way again keeps the order workflow open, visible by
 * search attributes, current details, the status query and a private order note, until `retry` (after the mapping or
 * NetSuite was fixed) or `skip`; past the configured limit it closes as Failed with the same details.
 *
 * The faults that end in a retry share one skeleton (`NEEDS_ATTENTION_THEN_RETRY`, one row per fault): break the
 * mapping or NetSuite, place an order, check what NeedsAttention says everywhere the on-call engineer looks, apply the
 * row's fix, send `retry`, and check the order ends Synced with exactly one sales order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderWorkflowId, type FailureType, type OrderSyncState, type SyncStep } from '../../src/api';
import { describeState } from '../../src/outcome';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import type { SyncStack } from '../../dev/sync-stack';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import type { WooOrderJson } from '../../simulators/woocommerce';
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

type DraftOverrides = Parameters<typeof paidDraft>[1];
const draft = (overrides: DraftOverrides = {}): OrderDraft =>
  paidDraft(catalog, { customerEmail: returning.email, lines: [{ sku: simpleSkus[0]!, quantity: 1 }], ...overrides });

const externalIdOf = (e2e: E2E, orderKey: string): string => `woo-${e2e.stack.store.name}-${orderKey}`;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wooMeta = (stack: SyncStack, orderId: number): Record<string, unknown> =>
  Object.fromEntries(stack.woo.control.getOrder(orderId).meta_data.map((m) => [m.key, m.value]));

/** What a row's fault, fix and clean-up act on: the stack and the mapping it started with. */
interface Stage {
  stack: SyncStack;
  original: Record<string, unknown>;
}

/** One fault that puts an order in NeedsAttention until a human fixes it and sends `retry`; the order then ends Synced. */
interface RetriedFault {
  /** The test name: the fault, what NeedsAttention names, the fix, the end state. */
  name: string;
  /** Breaks the mapping or NetSuite before the order is placed (none when the order itself carries the fault). */
  fault?: (s: Stage) => void;
  /** The order placed: overrides of the default draft (a returning customer, one simple SKU, flat rate). */
  order?: DraftOverrides;
  /** What the status query's `attention` must say. */
  attention: {
    failureType: FailureType;
    /** The failed step (where `retry` resumes); not checked when absent. */
    step?: SyncStep;
    /** NetSuite's answer: HTTP status, error code (absent: any non-empty code) and o:errorPath (absent: not checked). */
    netsuite?: { status: number; code?: string; path?: string };
    /** The kind of customer match key used. */
    matchKey?: string;
    /** A fragment of `message` (the reason, in plain words). */
    message?: RegExp;
    /** A fragment of `message` or NetSuite's `detail`. */
    messageOrDetail?: RegExp;
    /** A fragment of `fix` (what to change before `retry`). */
    fix: RegExp;
  };
  /** More the UI's current details (Markdown) must contain: a pattern, or an exact substring. */
  details?: (RegExp | string)[];
  /** More the private order note must match. */
  note?: RegExp;
  /** The fix applied before `retry`. */
  fix: (s: Stage) => void;
  /** How `retry` is sent: the operator CLI (`retry <order>`) or a `retry` signal through the SDK. */
  retryWith: 'cli' | 'signal';
  /** What the synced sales order must carry beyond exactly-one-sales-order (e.g. the field the fix pointed at). */
  salesOrder?: (s: Stage, salesOrder: Record<string, unknown>, order: WooOrderJson) => void;
  /** Puts the mapping and NetSuite back for the next row, whether the test passed or not. */
  restore: (s: Stage) => void;
}

const withShipping = (original: Record<string, unknown>, methods: (current: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> => {
  const shipping = original.shipping as { methods: Record<string, unknown> };
  return { ...original, shipping: { ...shipping, methods: methods(shipping.methods) } };
};
const withCustomField = (original: Record<string, unknown>, key: string, scriptId: string): Record<string, unknown> => ({
  ...original,
  customFields: { ...(original.customFields as object), [key]: scriptId },
});

const NEEDS_ATTENTION_THEN_RETRY: RetriedFault[] = [
  {
    name: 'unknown SKU: NeedsAttention naming the SKU (search attributes, current details, status query, private note); alias + CLI retry → Synced',
    order: { lines: [{ sku: 'NOPE-1', quantity: 1, raw: true, name: 'Mystery', price: '9.99' }] },
    attention: { failureType: 'UnknownSku', step: 'resolveItems', message: /NOPE-1/, fix: /"items": \{"aliases": \{"NOPE-1"/ },
    details: [/^### Needs attention — UnknownSku\n\n- \*\*What failed:\*\* .*NOPE-1/, '`"items": {"aliases": {"NOPE-1": "<NetSuite item itemid>"}}`'],
    note: /Needs attention: .*NOPE-1.*\nFailure type: UnknownSku \(step resolveItems\)\n/,
    // the mapping is fixed; retry (through the CLI) re-reads it and resumes
    fix: ({ stack, original }) => stack.writeMapping({ ...original, items: { matchBy: 'itemid', aliases: { 'NOPE-1': simpleSkus[1]! } } }),
    retryWith: 'cli',
    salesOrder: ({ stack }, so) => {
      const item = stack.netsuite.control.listRecords('inventoryItem').find((i) => i.itemId === simpleSkus[1]);
      const lines = (so.item as { items: { item: { id: string } }[] }).items;
      assert.equal(String(lines[0]!.item.id), String(item!.id), 'the alias chose the NetSuite item');
    },
    restore: ({ stack, original }) => stack.writeMapping(original),
  },
  {
    name: 'renamed custom field: NeedsAttention naming the field and NetSuite code; customFields.orderKey fixed + retry → Synced with the new field',
    fault: ({ stack }) => stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key', to: 'custbody_woo_order_key2' }),
    attention: {
      failureType: 'NetSuiteFieldMissing',
      netsuite: { status: 400, path: 'custbody_woo_order_key' },
      matchKey: 'email',
      messageOrDetail: /custbody_woo_order_key/,
      fix: /customFields|mapping/,
    },
    details: [/custbody_woo_order_key/],
    note: /custbody_woo_order_key/,
    fix: ({ stack, original }) => stack.writeMapping(withCustomField(original, 'orderKey', 'custbody_woo_order_key2')),
    retryWith: 'signal',
    salesOrder: (_, so, order) => {
      assert.equal(so.custbody_woo_order_key2, order.order_key, 'the sales order carries the renamed field');
      assert.equal(so.custbody_woo_order_key, undefined);
    },
    restore: ({ stack, original }) => {
      stack.writeMapping(original);
      stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key2', to: 'custbody_woo_order_key' });
    },
  },
  {
    name: 'custom field renamed that only the create sends: NeedsAttention with the NetSuite code and o:errorPath; mapping fixed + retry → Synced',
    fault: ({ stack }) => stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_store', to: 'custbody_woo_shop' }),
    attention: {
      failureType: 'NetSuiteFieldMissing',
      step: 'createSalesOrder',
      netsuite: { status: 400, code: 'NONEXISTENT_FIELD', path: 'custbody_woo_store' },
      message: /custbody_woo_store/,
      fix: /"customFields"/,
    },
    note: /at custbody_woo_store/,
    fix: ({ stack, original }) => stack.writeMapping(withCustomField(original, 'store', 'custbody_woo_shop')),
    retryWith: 'cli',
    salesOrder: ({ stack }, so) => assert.equal(so.custbody_woo_shop, stack.store.name),
    restore: ({ stack, original }) => {
      stack.writeMapping(original);
      stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_shop', to: 'custbody_woo_store' });
    },
  },
  {
    name: 'NetSuite 400 USER_ERROR (a custom field made mandatory): NeedsAttention with code and path; field made optional in NetSuite + retry → Synced',
    fault: ({ stack }) =>
      stack.netsuite.control.addField({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', label: 'Approval Code', mandatory: true }),
    attention: {
      failureType: 'NetSuiteValidation',
      step: 'createSalesOrder',
      netsuite: { status: 400, code: 'USER_ERROR', path: 'custbody_approval_code' },
      message: /Approval Code/,
      fix: /custbody_approval_code/,
    },
    fix: ({ stack }) => stack.netsuite.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', mandatory: false }),
    retryWith: 'cli',
    restore: ({ stack }) => stack.netsuite.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_approval_code', mandatory: false }),
  },
  {
    name: 'NetSuite 400 INVALID_CONTENT (the mapping points at a ship item NetSuite lacks): NeedsAttention with code and path; mapping fixed + retry → Synced',
    fault: ({ stack, original }) => stack.writeMapping(withShipping(original, (methods) => ({ ...methods, flat_rate: { externalId: 'woo-ship-retired' } }))),
    order: { shippingMethodId: 'flat_rate' },
    attention: {
      failureType: 'NetSuiteValidation',
      netsuite: { status: 400, code: 'INVALID_CONTENT', path: 'shipMethod' },
      message: /shipMethod/,
      fix: /shipMethod/,
    },
    fix: ({ stack, original }) => stack.writeMapping(original),
    retryWith: 'cli',
    restore: ({ stack, original }) => stack.writeMapping(original),
  },
  {
    name: 'revoked permission (403): NeedsAttention NetSuitePermission with INSUFFICIENT_PERMISSION; permission restored + retry → Synced',
    fault: ({ stack }) => stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: false }),
    attention: {
      failureType: 'NetSuitePermission',
      step: 'createSalesOrder',
      netsuite: { status: 403, code: 'INSUFFICIENT_PERMISSION' },
      fix: /[Pp]ermission/,
    },
    fix: ({ stack }) => stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: true }),
    retryWith: 'cli',
    restore: ({ stack }) => stack.netsuite.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: true }),
  },
  {
    name: 'unknown ship method: NeedsAttention UnknownShippingMethod naming it; mapping restored + retry → Synced',
    fault: ({ stack, original }) =>
      stack.writeMapping(withShipping(original, (methods) => Object.fromEntries(Object.entries(methods).filter(([method]) => method !== 'flat_rate')))),
    order: { shippingMethodId: 'flat_rate' },
    attention: { failureType: 'UnknownShippingMethod', step: 'mapOrder', message: /flat_rate/, fix: /"shipping.methods": \{"flat_rate"/ },
    note: /flat_rate/,
    fix: ({ stack, original }) => stack.writeMapping(original),
    retryWith: 'cli',
    restore: ({ stack, original }) => stack.writeMapping(original),
  },
];

describe('an order that needs attention waits for a human, then retry or skip ends it', () => {
  let e2e: E2E;
  let original: Record<string, unknown>;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('attn') });
    original = e2e.stack.readMapping();
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  for (const row of NEEDS_ATTENTION_THEN_RETRY) {
    it(row.name, { timeout: TEST_TIMEOUT }, async () => {
      const { stack } = e2e;
      const stage: Stage = { stack, original };
      const store = stack.store.name;
      const expected = row.attention;
      row.fault?.(stage);
      try {
        const order = await placeOrder(stack, draft(row.order));
        const state = await stack.waitForOrder(order.id, isNeedsAttention);
        const attention = state.attention!;

        // the status query: what failed, the step, NetSuite's answer, what to fix
        assert.equal(attention.failureType, expected.failureType);
        if (expected.step) assert.equal(attention.step, expected.step);
        if (expected.netsuite) {
          assert.equal(attention.netsuite?.status, expected.netsuite.status);
          if (expected.netsuite.code) assert.equal(attention.netsuite?.code, expected.netsuite.code);
          else assert.ok(attention.netsuite?.code, `a NetSuite error code is recorded: ${JSON.stringify(attention)}`);
          if (expected.netsuite.path) assert.equal(attention.netsuite?.path, expected.netsuite.path, 'the o:errorPath is recorded');
        }
        if (expected.matchKey) assert.equal(attention.matchKey?.kind, expected.matchKey, 'the customer match key used is named too');
        if (expected.message) assert.match(attention.message, expected.message);
        if (expected.messageOrDetail) assert.match(`${attention.message} ${attention.netsuite?.detail ?? ''}`, expected.messageOrDetail, 'the details name it');
        assert.match(attention.fix, expected.fix);
        assert.ok(!Number.isNaN(Date.parse(attention.since)));

        // the search attributes the on-call engineer filters by
        const listed = await waitForVisibility(
          stack,
          `SyncStatus = 'NeedsAttention' AND FailureType = '${expected.failureType}' AND WooStore = '${store}' AND WooOrderId = '${order.id}'`,
        );
        assert.equal(listed.length, 1);
        assert.equal(listed[0]!.workflowId, orderWorkflowId(store, order.id));
        assert.equal(listed[0]!.status.name, 'RUNNING', 'the workflow stays open while it waits');

        // the UI's current details (Markdown) and the private note (plain text) say the same
        const details = await currentDetails(stack, order.id);
        assert.ok(details.startsWith(`### Needs attention — ${expected.failureType}\n\n- **What failed:** `), details);
        assert.ok(details.includes(`\n- **Failed step:** \`${attention.step}\`\n`), details);
        assert.ok(details.includes('- **To fix:** '), details);
        assert.match(details, /\n- \*\*Then:\*\* send the workflow a `retry` signal/);
        const notes = syncNotes(stack, order.id);
        assert.equal(notes.length, 1);
        const note = notes[0]!.note;
        assert.equal(notes[0]!.customer_note, false, 'a private note, never one the customer sees');
        assert.ok(note.includes(describeState(state)), 'the note carries the plain text of the same facts');
        assert.ok(note.includes(`\nFailure type: ${expected.failureType} (step ${attention.step})\n`), note);
        if (expected.netsuite) {
          const ns = attention.netsuite!;
          assert.match(details, new RegExp(escapeRegExp(`NetSuite said:** HTTP ${ns.status} \`${ns.code}\`${ns.path ? ` at \`${ns.path}\`` : ''}`)));
          assert.ok(note.includes(`NetSuite said: HTTP ${ns.status} ${ns.code}${ns.path ? ` at ${ns.path}` : ''}`), note);
        }
        for (const fragment of row.details ?? []) {
          if (typeof fragment === 'string') assert.ok(details.includes(fragment), details);
          else assert.match(details, fragment);
        }
        if (row.note) assert.match(note, row.note);
        assert.equal(wooMeta(stack, order.id)[ORDER_META.syncStatus], 'NeedsAttention');
        assert.equal(salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key)).length, 0);

        // fixed; retry re-reads the mapping and resumes
        row.fix(stage);
        if (row.retryWith === 'cli') {
          const retry = await cli(e2e, ['retry', String(order.id)]);
          assert.equal(retry.code, 0, retry.text);
        } else {
          await stack.client.workflow.getHandle(orderWorkflowId(store, order.id)).signal('retry', { by: 'test' });
        }
        const done = await stack.waitForOrder(order.id, isSynced);
        assert.equal(done.retries, 1);
        assert.equal(done.attention, undefined);
        const sos = salesOrdersWithExternalId(stack, externalIdOf(e2e, order.order_key));
        assert.equal(sos.length, 1, 'exactly one sales order');
        assert.equal(String(sos[0]!.id), done.salesOrderId);
        row.salesOrder?.(stage, stack.netsuite.control.getRecord('salesOrder', done.salesOrderId!), order);
        await waitForVisibility(
          stack,
          `SyncStatus = 'Synced' AND WooStore = '${store}' AND WooOrderId = '${order.id}' AND NetSuiteSalesOrderId = '${done.salesOrderId}'`,
        );
      } finally {
        row.restore(stage);
      }
    });
  }

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
      const meta = wooMeta(stack, orderId);
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
    const meta = wooMeta(stack, orderId);
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
