/**
 * `npm run histories:record`: runs the order workflow through its main paths on a real dev server and the simulators,
 * and writes each closed workflow's history to test/replay/histories/<name>.json. Commit them: the replay test replays
 * them against the current workflow code, so a change that would break running workflows fails CI.
 *
 * Re-record only when a change to the workflow is meant to be incompatible (and then version it with patched()).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { orderWorkflowId, retrySignal, skipSignal } from '../src/api';
import { startDevServer } from '../dev/temporal-dev-server';
import { startSyncStack, type SyncStack } from '../dev/sync-stack';
import { generateCatalog, generateOrderDrafts } from '../simulators/seed';

const OUT = resolve(__dirname, '../test/replay/histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await startDevServer({ ui: false });
  const catalog = generateCatalog({ seed: 3 });
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    catalog,
    needsAttentionLimitSeconds: 4,
  });
  try {
    await stack.startWorkers();
    const drafts = generateOrderDrafts(catalog, 8);
    const save = async (name: string, orderId: number): Promise<void> => {
      const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, orderId));
      await handle.result().catch(() => undefined);
      mkdirSync(OUT, { recursive: true });
      // The CLI's JSON is the format `temporal workflow show --output json` gives an engineer, and what historyFromJSON reads.
      const json = execFileSync(temporal.cli.path ?? 'temporal', ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', temporal.address, '--namespace', temporal.namespace], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      writeFileSync(join(OUT, `${name}.json`), json.endsWith('\n') ? json : `${json}\n`);
      console.log(`  ${name}: order ${orderId}`);
    };
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
  } finally {
    await stack.close();
    await temporal.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
