/**
 * `npm run histories:record [-- orders|scheduled]`: runs the order workflow through its main paths, and each scheduled
 * job once (catch-up, inventory, schema drift with an alert, reconciliation), on a real dev server and the simulators,
 * and writes each closed workflow's history to test/replay/histories/<name>.json. Commit them: the replay test replays
 * them against the current workflow code, so a change that would break running workflows fails CI.
 *
 * Re-record only when a change to a workflow is meant to be incompatible (and then version it with patched()); name
 * the group to leave the other group's histories as they are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { orderWorkflowId, retrySignal, skipSignal } from '../src/api';
import { startDevServer } from '../dev/temporal-dev-server';
import { startMailSink } from '../dev/mail-sink';
import { startSyncStack, type SyncStack } from '../dev/sync-stack';
import { generateCatalog, generateOrderDrafts, type SeedCatalog } from '../simulators/seed';

const OUT = resolve(__dirname, '../test/replay/histories');

async function main(): Promise<void> {
  const group = process.argv[2];
  if (group !== undefined && group !== 'orders' && group !== 'scheduled') throw new Error(`unknown group ${group}: orders or scheduled`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await startDevServer({ ui: false });
  const catalog = generateCatalog({ seed: 3 });
  const mail = await startMailSink();
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    catalog,
    needsAttentionLimitSeconds: 4,
    alerts: { email: { smtpUrl: mail.url, from: 'recorder@example.com', to: ['owner@example.com'] } },
  });
  try {
    await stack.startWorkers();
    const saveWorkflow = async (name: string, workflowId: string): Promise<void> => {
      await stack.client.workflow.getHandle(workflowId).result().catch(() => undefined);
      mkdirSync(OUT, { recursive: true });
      // The CLI's JSON is the format `temporal workflow show --output json` gives an engineer, and what historyFromJSON reads.
      const json = execFileSync(temporal.cli.path ?? 'temporal', ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', temporal.address, '--namespace', temporal.namespace], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      writeFileSync(join(OUT, `${name}.json`), json.endsWith('\n') ? json : `${json}\n`);
      console.log(`  ${name}: ${workflowId}`);
    };
    if (group !== 'scheduled') await recordOrders(stack, catalog, (name, orderId) => saveWorkflow(name, orderWorkflowId(stack.store.name, orderId)));
    if (group !== 'orders') await recordScheduled(stack, saveWorkflow);
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
  await run('catch-up', 'catchUpPollerWorkflow', { store });
  await stack.waitForOrder(lost.id);
  stack.netsuite.control.setItemQuantities(lost.line_items[0]!.sku!, { location: '1', onHand: 500 });
  await run('inventory', 'inventorySyncWorkflow', { store, pagesPerActivity: 1 });
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_number', to: 'custbody_woo_order_no' });
  await run('schema-drift', 'schemaDriftWorkflow', {});
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_no', to: 'custbody_woo_order_number' });
  await run('reconciliation', 'reconciliationWorkflow', { store, graceMinutes: 0 });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
