/**
 * `npm run demo`: the whole integration on one machine, no accounts.
 *
 *   1. a Temporal dev server with its Web UI, both simulators seeded with one catalog;
 *   2. a real worker process (src/worker.ts) and the webhook receiver, the simulated store's webhooks pointed at it;
 *   3. a realistic batch of orders placed at the store's checkout — a guest, a returning customer whose e-mail differs
 *      in case and spaces, a coupon, a fee, a variation, an order left in `pending`, an unknown SKU — with live progress;
 *   4. a table (order → sales order / status / reason) and the Web UI's URL;
 *   5. the on-call path: the mapping is fixed and the NeedsAttention order retried with the CLI, the pending order is
 *      paid (processing) and syncs too; the final table; exit 0 when every order ended as expected.
 *
 *   --summary FILE   also writes the outcome as JSON
 *   --keep           leaves everything running until Ctrl-C
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { OrderSyncState } from '../src/api';
import { runCli } from '../src/client';
import { startDevServer } from '../dev/temporal-dev-server';
import { startSyncStack, type SyncStack } from '../dev/sync-stack';
import { generateCatalog, sellableItems, type OrderDraft } from '../simulators/seed';

interface DemoOrder {
  label: string;
  orderId: number;
  /** What the order should end as. */
  expect: OrderSyncState['status'];
}

const say = (text: string): void => console.log(text);
const step = (text: string): void => say(`\n▸ ${text}`);

function reasonOf(state: OrderSyncState | undefined): string {
  if (!state) return 'no workflow yet';
  if (state.status === 'Skipped') return `${state.skipped?.rule}: ${state.skipped?.detail}`;
  if (state.status === 'NeedsAttention' || state.status === 'Failed') return `${state.attention?.failureType}: ${state.attention?.message}`;
  if (state.status === 'Synced') return [state.retries > 0 ? `synced after ${state.retries} retry` : '', state.warnings[0] ? `warning: ${state.warnings[0]}` : ''].filter(Boolean).join('; ');
  return state.step;
}

async function table(stack: SyncStack, orders: DemoOrder[]): Promise<Map<number, OrderSyncState | undefined>> {
  const states = new Map<number, OrderSyncState | undefined>();
  for (const order of orders) states.set(order.orderId, await stack.orderState(order.orderId));
  const rows = [
    ['ORDER', 'WHAT', 'STATUS', 'SALES ORDER', 'REASON'],
    ...orders.map((o) => {
      const s = states.get(o.orderId);
      return [String(o.orderId), o.label, s?.status ?? '—', s?.salesOrderId ?? '', reasonOf(s).slice(0, 90)];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) say(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
  return states;
}

/** Polls until every order is in its expected status (or a final one), printing each change as it happens. */
async function follow(stack: SyncStack, orders: DemoOrder[], until: (o: DemoOrder, s: OrderSyncState) => boolean, timeoutMs = 120_000): Promise<void> {
  const seen = new Map<number, string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const order of orders) {
      const state = await stack.orderState(order.orderId).catch(() => undefined);
      const shown = state ? `${state.status}${state.status === 'InProgress' ? ` (${state.step})` : ''}` : 'waiting for its webhook';
      if (seen.get(order.orderId) !== shown) {
        seen.set(order.orderId, shown);
        say(`  order ${String(order.orderId).padEnd(4)} ${order.label.padEnd(34)} → ${shown}${state?.salesOrderId ? ` (sales order ${state.salesOrderId})` : ''}`);
      }
      if (!state || !until(order, state)) pending++;
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} order(s) did not settle within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false }, summary: { type: 'string' }, port: { type: 'string' }, 'ui-port': { type: 'string' } } });
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  step('Temporal dev server (with the Web UI)');
  const temporal = await startDevServer({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values['ui-port'] ? { uiPort: Number(values['ui-port']) } : {}),
  });
  say(`  gRPC ${temporal.address}, Web UI ${temporal.uiUrl} (Temporal CLI from ${temporal.cli.source})`);

  step('Simulators, the webhook receiver, and a worker process');
  const catalog = generateCatalog({ seed: 1 });
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    catalog,
    taskQueue: 'woo-netsuite-orders',
    netsuite: { latency: { fixedMs: 40, jitterMs: 60 } },
    woocommerce: { webhookDelivery: { delayMs: 200 } },
  });
  const worker = stack.spawnWorker();
  say(`  NetSuite simulator ${stack.netsuite.url} (sandbox account ${stack.netsuite.accountId}, concurrency limit 5)`);
  say(`  WooCommerce simulator ${stack.store.url} — webhooks → ${stack.webhookUrl}`);
  say(`  mapping ${stack.mappingFile}`);
  const started = await Promise.race([worker.started.then(() => true), worker.exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), 90_000))]);
  if (!started) throw new Error(`the worker process did not start:\n${worker.output()}`);
  say(`  worker process ${worker.child.pid} is polling (orders + NetSuite task queues; NetSuite calls capped at 5 across workers)`);

  step('Shoppers check out (webhooks → receiver → one workflow per order)');
  const customers = catalog.customers;
  const returning = customers.find((c) => c.inNetSuite && c.registered)!;
  const guest = customers.find((c) => !c.registered && !c.inNetSuite)!;
  const items = sellableItems(catalog);
  const simple = items.filter((i) => !i.parentSku);
  const variation = items.find((i) => i.parentSku)!;
  const base = { couponCodes: [], fees: [], paymentMethodId: 'stripe', status: 'processing' as const, customerNote: '' };
  const batch: { label: string; expect: OrderSyncState['status']; draft: OrderDraft & { lines: { sku: string; quantity: number; raw?: boolean; name?: string; price?: string }[] } }[] = [
    { label: 'guest, new to NetSuite', expect: 'Synced', draft: { ...base, customerEmail: guest.emailAsTyped, lines: [{ sku: simple[0]!.sku, quantity: 2 }], shippingMethodId: 'flat_rate' } },
    { label: 'returning, e-mail in caps + spaces', expect: 'Synced', draft: { ...base, customerEmail: `  ${returning.email.toUpperCase()} `, lines: [{ sku: simple[1]!.sku, quantity: 1 }], shippingMethodId: 'free_shipping' } },
    { label: 'coupon', expect: 'Synced', draft: { ...base, customerEmail: customers[3]!.emailAsTyped, couponCodes: [catalog.coupons[0]!.code], lines: [{ sku: simple[2]!.sku, quantity: 3 }], shippingMethodId: 'flat_rate' } },
    { label: 'fee (gift wrap)', expect: 'Synced', draft: { ...base, customerEmail: customers[4]!.emailAsTyped, fees: [{ name: 'Gift wrap', total: '3.50' }], lines: [{ sku: simple[3]!.sku, quantity: 1 }], shippingMethodId: 'local_pickup' } },
    { label: `variation ${variation.sku}`, expect: 'Synced', draft: { ...base, customerEmail: customers[6]!.emailAsTyped, lines: [{ sku: variation.sku, quantity: 1 }], shippingMethodId: 'flat_rate' } },
    { label: 'left in pending (unpaid)', expect: 'Skipped', draft: { ...base, status: 'pending', customerEmail: customers[7]!.emailAsTyped, lines: [{ sku: simple[4]!.sku, quantity: 1 }], shippingMethodId: 'flat_rate' } },
    {
      label: 'unknown SKU WIDGET-LEGACY',
      expect: 'NeedsAttention',
      draft: { ...base, customerEmail: customers[8]!.emailAsTyped, lines: [{ sku: simple[5]!.sku, quantity: 1 }, { sku: 'WIDGET-LEGACY', quantity: 1, raw: true, name: 'Legacy widget', price: '12.00' }], shippingMethodId: 'flat_rate' },
    },
  ];
  const orders: DemoOrder[] = batch.map(({ label, expect, draft }) => ({ label, expect, orderId: stack.woo.control.placeOrder(draft).id }));
  await follow(stack, orders, (o, s) => s.status === o.expect && s.outcomeRecorded);

  step('Where things stand');
  await table(stack, orders);
  const ui = `${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows?query=${encodeURIComponent(`WooStore="${stack.store.name}"`)}`;
  say(`  Temporal Web UI: ${ui}`);

  step('On call: read why, fix the mapping, retry');
  const env = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, WOO_STORES: stack.store.name, TASK_QUEUE: stack.taskQueue };
  const attention = orders.find((o) => o.expect === 'NeedsAttention')!;
  say(`  $ npm run cli -- list --status NeedsAttention`);
  await runCli(['list', '--status', 'NeedsAttention'], (line) => say(`    ${line}`), env);
  say(`  $ npm run cli -- status ${attention.orderId}`);
  await runCli(['status', String(attention.orderId)], (line) => say(`    ${line}`), env);
  const mapping = stack.readMapping() as { items?: { aliases?: Record<string, string> } };
  const replacement = simple[6]!.sku;
  stack.writeMapping({ ...mapping, items: { ...mapping.items, aliases: { ...mapping.items?.aliases, 'WIDGET-LEGACY': replacement } } });
  say(`  mapping: "items": {"aliases": {"WIDGET-LEGACY": "${replacement}"}}  (the legacy SKU is sold as ${replacement} in NetSuite)`);
  say(`  $ npm run cli -- retry ${attention.orderId}`);
  await runCli(['retry', String(attention.orderId)], (line) => say(`    ${line}`), env);
  attention.expect = 'Synced';
  const pending = orders.find((o) => o.expect === 'Skipped')!;
  say(`  the pending order is paid: WooCommerce moves order ${pending.orderId} to processing (order.updated → a new run)`);
  stack.woo.control.setOrderStatus(pending.orderId, 'processing');
  pending.expect = 'Synced';
  await follow(stack, orders, (o, s) => s.status === o.expect && s.outcomeRecorded);

  step('Final');
  const states = await table(stack, orders);
  const salesOrders = stack.netsuite.control.listRecords('salesOrder');
  const externalIds = new Set(salesOrders.map((so) => String(so.externalId)));
  const duplicates = salesOrders.length - externalIds.size;
  const counters = stack.netsuite.control.counters();
  say(`  NetSuite: ${salesOrders.length} sales orders for ${orders.length} orders, ${duplicates} duplicates; peak concurrency ${counters.peakConcurrency} (limit 5), ${counters.http429} × 429, ${counters.tokensMinted} token(s) minted`);
  say(`  Temporal Web UI: ${ui}`);

  const summary = {
    orders: orders.map((o) => {
      const s = states.get(o.orderId);
      return { orderId: o.orderId, status: s?.status ?? 'Unknown', salesOrderId: s?.salesOrderId ?? null, reason: reasonOf(s) || null };
    }),
    duplicates,
    netsuite: { peakConcurrency: counters.peakConcurrency, http429: counters.http429, tokensMinted: counters.tokensMinted },
  };
  if (values.summary) {
    writeFileSync(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
    say(`  summary written to ${values.summary}`);
  }

  if (values.keep) {
    say('\n--keep: everything stays up (Web UI above). Ctrl-C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  }
  worker.kill('SIGTERM');
  await worker.exited;
  await stack.close();
  await temporal.stop();
  const wrong = summary.orders.filter((o) => o.status !== 'Synced');
  if (wrong.length > 0 || duplicates > 0) throw new Error(`the demo did not end as expected: ${JSON.stringify(wrong)}; duplicates ${duplicates}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
