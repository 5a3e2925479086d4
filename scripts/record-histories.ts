/**
 * `npm run histories:record [-- orders|lifecycle|fulfilment|scheduled|inventory-incremental]`: runs the order workflow
 * through its main paths and the changes it follows after the sales order exists (cancel, refund credited from an
 * invoice, edit, a cancellation after shipping acknowledged with retry; a shipment pushed with tracking, one taken back
 * and acknowledged), each scheduled job once (catch-up, inventory, schema drift with an alert, reconciliation), and the
 * inventory sync's incremental run (patch `inventory-incremental-v1`: the run after a full pass recorded the snapshot),
 * on a real dev server and the simulators, and writes each closed workflow's history to
 * test/replay/histories/<name>.json. Commit them: the replay test replays them against the current workflow code, so a
 * change that would break running workflows fails CI.
 *
 * Re-record only when a change to a workflow is meant to be incompatible (and then version it with patched()); name
 * the group to leave the other groups' histories as they are. inventory.json is from before the incremental patch (no
 * marker) and is never re-recorded: `scheduled` saves its inventory run as inventory-full-pass.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { orderWorkflowId, retrySignal, SCHEDULED_WORKFLOW_TYPES, skipSignal, type OrderSyncState } from '../src/api';
import { startDevServer } from '../dev/temporal-dev-server';
import { startMailSink } from '../dev/mail-sink';
import { startSyncStack, type SyncStack } from '../dev/sync-stack';
import { generateCatalog, generateOrderDrafts, type SeedCatalog } from '../simulators/seed';
import type { InventorySyncInput, InventorySyncResult } from '../src/inventory/types';
import type { inventorySyncWorkflow } from '../src/workflows/inventory-sync';

const OUT = resolve(__dirname, '../test/replay/histories');
/** The groups one can record alone (`npm run histories:record -- <group>`); none named records them all. */
const GROUPS = ['orders', 'lifecycle', 'fulfilment', 'scheduled', 'inventory-incremental'];

async function main(): Promise<void> {
  const group = process.argv[2];
  if (group !== undefined && !GROUPS.includes(group)) throw new Error(`unknown group ${group}: ${GROUPS.join(', ')}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await startDevServer({ ui: false });
  const catalog = generateCatalog({ seed: 3 });
  const mail = await startMailSink();
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    catalog,
    needsAttentionLimitSeconds: 4,
    netsuite: { allowNegativeInventory: true },
    alerts: { email: { smtpUrl: mail.url, from: 'recorder@example.com', to: ['owner@example.com'] } },
  });
  try {
    await stack.startWorkers();
    const saveWorkflow = async (name: string, workflowId: string): Promise<void> => {
      await stack.client.workflow
        .getHandle(workflowId)
        .result()
        .catch(() => undefined);
      mkdirSync(OUT, { recursive: true });
      // The CLI's JSON is the format `temporal workflow show --output json` gives an engineer, and what historyFromJSON reads.
      const json = execFileSync(
        temporal.cli.path ?? 'temporal',
        ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', temporal.address, '--namespace', temporal.namespace],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      writeFileSync(join(OUT, `${name}.json`), json.endsWith('\n') ? json : `${json}\n`);
      console.log(`  ${name}: ${workflowId}`);
    };
    const saveOrder = (name: string, orderId: number): Promise<void> => saveWorkflow(name, orderWorkflowId(stack.store.name, orderId));
    if (group === undefined || group === 'orders') await recordOrders(stack, catalog, saveOrder);
    if (group === undefined || group === 'lifecycle') await recordLifecycle(stack, catalog, saveOrder);
    if (group === undefined || group === 'fulfilment') await recordFulfilment(stack, catalog, saveOrder, saveWorkflow);
    if (group === undefined || group === 'scheduled') await recordScheduled(stack, saveWorkflow);
    if (group === undefined || group === 'inventory-incremental') await recordInventoryIncremental(stack, catalog, saveWorkflow);
  } finally {
    await stack.close();
    await mail.close();
    await temporal.stop();
  }
}

/** The order workflow's main paths. */
async function recordOrders(stack: SyncStack, catalog: SeedCatalog, save: (name: string, orderId: number) => Promise<void>): Promise<void> {
  {
    const drafts = generateOrderDrafts(catalog, 8);
    const place = async (draft: Parameters<SyncStack['woo']['control']['placeOrder']>[0]): Promise<number> => {
      const order = stack.woo.control.placeOrder(draft);
      await stack.woo.control.flushDeliveries({ runNow: true });
      return order.id;
    };

    // 1. synced, with a coupon and a fee
    const synced = await place({ ...drafts[0]!, couponCodes: [catalog.coupons[0]!.code], fees: [{ name: 'Gift wrap', total: '3.50' }] });
    await stack.waitForOrder(synced);
    await save('synced', synced);

    // 2. pending: skipped by the sync rules
    const pending = await place({ ...drafts[1]!, status: 'pending' });
    await stack.waitForOrder(pending);
    await save('skipped-pending', pending);

    // 3. unknown SKU → NeedsAttention → mapping fixed → retry → synced
    const unknown = await place({ ...drafts[2]!, lines: [...drafts[2]!.lines, { sku: 'NOPE-1', quantity: 1, raw: true, name: 'Mystery', price: '9.99' }] });
    await stack.waitForOrder(unknown, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded);
    const mapping = stack.readMapping() as { items?: { aliases?: Record<string, string> } };
    stack.writeMapping({ ...mapping, items: { ...mapping.items, aliases: { 'NOPE-1': drafts[0]!.lines[0]!.sku } } });
    await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, unknown)).signal(retrySignal, { by: 'recorder' });
    await stack.waitForOrder(unknown, (s) => s.status === 'Synced' && s.outcomeRecorded);
    await save('needs-attention-retried', unknown);
    stack.writeMapping(mapping);

    // 4. NeedsAttention → skipped by an operator
    const skipped = await place({ ...drafts[3]!, lines: [{ sku: 'NOPE-2', quantity: 1, raw: true, name: 'Mystery', price: '1.00' }] });
    await stack.waitForOrder(skipped, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded);
    await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, skipped)).signal(skipSignal, { reason: 'test order', by: 'recorder' });
    await stack.waitForOrder(skipped);
    await save('skipped-by-operator', skipped);

    // 5. NeedsAttention never fixed → Failed at the limit
    const failed = await place({ ...drafts[4]!, lines: [{ sku: 'NOPE-3', quantity: 1, raw: true, name: 'Mystery', price: '1.00' }] });
    await stack.waitForOrder(failed, (s) => s.status === 'Failed' && s.outcomeRecorded, 30_000);
    await save('failed-after-limit', failed);
  }
}

/** The changes the order workflow follows after the sales order exists; each history is the run that applied them. */
async function recordLifecycle(stack: SyncStack, catalog: SeedCatalog, save: (name: string, orderId: number) => Promise<void>): Promise<void> {
  const drafts = generateOrderDrafts(catalog, 4, 50);
  const synced = async (index: number): Promise<{ orderId: number; salesOrderId: string }> => {
    const order = stack.woo.control.placeOrder({
      ...drafts[index]!,
      couponCodes: [],
      fees: [],
      status: 'processing',
      lines: drafts[index]!.lines.map((l) => ({ ...l, quantity: 3 })),
    });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id);
    if (!state.salesOrderId) throw new Error(`order ${order.id} did not sync: ${JSON.stringify(state)}`);
    return { orderId: order.id, salesOrderId: state.salesOrderId };
  };
  const applied =
    (kind: string) =>
    (s: OrderSyncState): boolean =>
      s.status === 'Synced' && s.outcomeRecorded && (s.changes ?? []).some((c) => c.kind === kind);

  // 1. cancelled after sync → the sales order's lines closed
  const cancelled = await synced(0);
  stack.woo.control.setOrderStatus(cancelled.orderId, 'cancelled');
  await stack.woo.control.flushDeliveries({ runNow: true });
  await stack.waitForOrder(cancelled.orderId, applied('closeLines'));
  await save('lifecycle-cancelled', cancelled.orderId);

  // 2. shipped and invoiced, then one unit refunded → a credit memo from the invoice
  const invoiced = await synced(1);
  stack.netsuite.control.fulfilSalesOrder(invoiced.salesOrderId, {});
  stack.netsuite.control.billSalesOrder(invoiced.salesOrderId, { as: 'invoice' });
  const line = stack.woo.control.getOrder(invoiced.orderId).line_items[0]!;
  stack.woo.control.createRefund(invoiced.orderId, { amount: '2.00', api_refund: false, line_items: [{ id: line.id, quantity: 1, refund_total: '2.00' }] });
  await stack.woo.control.flushDeliveries({ runNow: true });
  await stack.waitForOrder(invoiced.orderId, applied('credit'));
  await save('lifecycle-refund-credit-memo', invoiced.orderId);

  // 3. a quantity edited before fulfilment → the sales order updated
  const edited = await synced(2);
  const first = stack.woo.control.getOrder(edited.orderId).line_items[0]!;
  const unit = Number(first.subtotal) / first.quantity;
  stack.woo.control.updateOrder(edited.orderId, { line_items: [{ id: first.id, quantity: 5, subtotal: (unit * 5).toFixed(2), total: (unit * 5).toFixed(2) }] });
  await stack.woo.control.flushDeliveries({ runNow: true });
  await stack.waitForOrder(edited.orderId, applied('updateSalesOrder'));
  await save('lifecycle-edited', edited.orderId);

  // 4. part shipped, then cancelled → open lines closed, NeedsAttention → retry acknowledges → Synced
  const shipped = await synced(3);
  stack.netsuite.control.fulfilSalesOrder(shipped.salesOrderId, { lines: [{ line: 1, quantity: 1 }] });
  stack.woo.control.setOrderStatus(shipped.orderId, 'cancelled');
  await stack.woo.control.flushDeliveries({ runNow: true });
  await stack.waitForOrder(shipped.orderId, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded);
  await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, shipped.orderId)).signal(retrySignal, { by: 'recorder' });
  await stack.waitForOrder(shipped.orderId, (s) => s.status === 'Synced' && s.outcomeRecorded);
  await save('lifecycle-cancelled-after-shipping-acknowledged', shipped.orderId);
}

/** NetSuite ships: a full shipment pushed with tracking (the order completed); one un-shipped after the push, acknowledged with retry. */
async function recordFulfilment(
  stack: SyncStack,
  catalog: SeedCatalog,
  saveOrder: (name: string, orderId: number) => Promise<void>,
  saveWorkflow: (name: string, workflowId: string) => Promise<void>,
): Promise<void> {
  const store = stack.store.name;
  stack.woo.control.setShipmentTracking(true);
  const drafts = generateOrderDrafts(catalog, 2, 60);
  const synced = async (index: number): Promise<{ orderId: number; salesOrderId: string }> => {
    const order = stack.woo.control.placeOrder({ ...drafts[index]!, couponCodes: [], fees: [], status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id);
    if (!state.salesOrderId) throw new Error(`order ${order.id} did not sync: ${JSON.stringify(state)}`);
    return { orderId: order.id, salesOrderId: state.salesOrderId };
  };
  const sync = async (id: string): Promise<void> => {
    await stack.client.workflow.execute(SCHEDULED_WORKFLOW_TYPES.fulfilment, { taskQueue: stack.taskQueue, workflowId: id, args: [{ store }] });
  };
  const pushed = (s: OrderSyncState): boolean => s.status === 'Synced' && (s.shipments?.length ?? 0) > 0;

  const full = await synced(0);
  stack.netsuite.control.fulfilSalesOrder(full.salesOrderId, {
    packages: [
      { trackingNumber: '1ZREC0001', carrier: 'UPS' },
      { trackingNumber: '1ZREC0002', carrier: 'UPS' },
    ],
  });
  await sync(`fulfilment:${store}:record-1`);
  await stack.waitForOrder(full.orderId, pushed);
  await saveOrder('fulfilment-pushed', full.orderId);
  await saveWorkflow('fulfilment-sync', `fulfilment:${store}:record-1`);

  const reverted = await synced(1);
  const shipment = stack.netsuite.control.fulfilSalesOrder(reverted.salesOrderId, { packages: [{ trackingNumber: '1ZREC0003', carrier: 'UPS' }] });
  await sync(`fulfilment:${store}:record-2`);
  await stack.waitForOrder(reverted.orderId, pushed);
  stack.netsuite.control.setFulfilmentShipStatus(shipment.id, 'B');
  await sync(`fulfilment:${store}:record-3`);
  await stack.waitForOrder(reverted.orderId, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded);
  await stack.client.workflow.getHandle(orderWorkflowId(store, reverted.orderId)).signal(retrySignal, { by: 'recorder' });
  await stack.waitForOrder(reverted.orderId, (s) => s.status === 'Synced' && s.outcomeRecorded);
  await saveOrder('fulfilment-reverted-acknowledged', reverted.orderId);
}

/** Each scheduled job once: a catch-up that starts an order, an inventory run that writes, a drift check that alerts, a reconciliation. */
async function recordScheduled(stack: SyncStack, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const store = stack.store.name;
  const run = async (name: string, workflowType: string, input: Record<string, unknown>): Promise<void> => {
    const workflowId = `${name}:${store}:recorded`;
    await stack.client.workflow.execute(workflowType, { taskQueue: stack.taskQueue, workflowId, args: [input] });
    await save(name, workflowId);
  };
  stack.woo.control.setWebhookFaults({ dropFraction: 1 });
  const lost = stack.woo.control.placeOrder({ ...generateOrderDrafts(generateCatalog({ seed: 3 }), 1, 99)[0]!, status: 'processing' });
  await stack.woo.control.flushDeliveries({ runNow: true });
  stack.woo.control.setWebhookFaults({ dropFraction: 0 });
  await run('catch-up', SCHEDULED_WORKFLOW_TYPES['catch-up'], { store });
  await stack.waitForOrder(lost.id);
  stack.netsuite.control.setItemQuantities(lost.line_items[0]!.sku!, { location: '1', onHand: 500 });
  // Saved as inventory-full-pass, never over inventory.json: that one is from before the incremental patch (no marker),
  // and replaying it is what proves runs started before the patch still replay.
  await run('inventory-full-pass', SCHEDULED_WORKFLOW_TYPES.inventory, { store, pagesPerActivity: 1 });
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_number', to: 'custbody_woo_order_no' });
  await run('schema-drift', SCHEDULED_WORKFLOW_TYPES['schema-drift'], {});
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_no', to: 'custbody_woo_order_number' });
  await run('reconciliation', SCHEDULED_WORKFLOW_TYPES.reconciliation, { store, graceMinutes: 0 });
}

/**
 * The inventory sync's incremental path (patch `inventory-incremental-v1`, the snapshot in the stack's PostgreSQL): a
 * full pass records the snapshot, NetSuite's stock of one SKU changes, and the next run — its last full pass minutes
 * old, well inside INVENTORY_FULL_PASS_HOURS — is incremental: of its activities (2 NetSuite pages of 10 items each),
 * only the one whose pages hold that SKU reads WooCommerce and writes it. The incremental run's history is saved.
 */
async function recordInventoryIncremental(stack: SyncStack, catalog: SeedCatalog, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const store = stack.store.name;
  const run = (workflowId: string, input: Partial<InventorySyncInput>): Promise<InventorySyncResult> =>
    stack.client.workflow.execute<typeof inventorySyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.inventory, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ store, pagesPerActivity: 2, ...input }],
    });
  const mapping = stack.readMapping();
  stack.writeMapping({ ...mapping, inventory: { ...(mapping.inventory as object), pageSize: 10 } });
  try {
    const full = await run(`inventory-full-pass:${store}:recorded`, { fullPass: true });
    if (full.pass !== 'full') throw new Error(`the first inventory run was not a full pass: ${full.passReason}`);
    const sku = catalog.products.find((p) => p.type === 'simple')!.sku;
    stack.netsuite.control.setItemQuantities(sku, { location: '1', onHand: 321 });
    const workflowId = `inventory-incremental:${store}:recorded`;
    const incremental = await run(workflowId, {});
    if (incremental.pass !== 'incremental' || incremental.updated !== 1 || incremental.skipped === 0)
      throw new Error(`the second inventory run was not an incremental run that wrote one SKU and skipped the rest: ${JSON.stringify(incremental)}`);
    await save('inventory-incremental', workflowId);
  } finally {
    stack.writeMapping(mapping);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
