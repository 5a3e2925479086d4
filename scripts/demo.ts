/**
 * `npm run demo`: the whole integration on one machine, no accounts.
 *
 *   1. a Temporal dev server with its Web UI, both simulators seeded with one catalog;
 *   2. a real worker process (src/worker.ts) and the webhook receiver, the simulated store's webhooks pointed at it;
 *   3. a realistic batch of orders placed at the store's checkout — a guest, a returning customer whose e-mail differs
 *      in case and spaces, a coupon, a fee, a variation, an order left in `pending`, an unknown SKU — with live progress;
 *   4. a table (order → sales order / status / reason) and the Web UI's URL;
 *   5. the on-call path: the mapping is fixed and the NeedsAttention order retried with the CLI, the pending order is
 *      paid (processing) and syncs too; the final table;
 *   6. the order's life after its sales order: NetSuite ships and invoices one order and the store refunds a unit of
 *      it (one credit memo from the invoice), a customer cancels another (its lines closed), a third is edited before
 *      it ships (its sales order updated); `status` prints the order's whole life;
 *   7. NetSuite ships one order in full (two packages) and one in part: the fulfilment sync pushes the tracking numbers
 *      to WooCommerce (Shipment Tracking extension) exactly once and completes the order shipped in full;
 *   8. the scheduled jobs: `schedules apply` (they show in the Web UI's Schedules page); a webhook the store never sends,
 *      caught by the catch-up poller; NetSuite receives goods and the inventory sync writes WooCommerce stock; the
 *      schema-drift check (clean, then a SuiteScript deploy renames a field: the alert mail, read from a local SMTP
 *      server); the reconciliation report, mailed and printed. Exit 0 when every order and job ended as expected.
 *
 *   --summary FILE   also writes the outcome as JSON
 *   --keep           leaves everything running until Ctrl-C
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SCHEDULED_WORKFLOW_TYPES, type OrderSyncState } from '../src/api';
import type { LifecycleEvent } from '../src/lifecycle/types';
import { runCli } from '../src/client';
import { startDevServer } from '../dev/temporal-dev-server';
import { startMailSink } from '../dev/mail-sink';
import { localPostgres } from '../dev/postgres';
import { startSyncStack, type SyncStack, type WorkerProcess } from '../dev/sync-stack';
import { Closers } from '../src/boot';
import type { CatchUpResult } from '../src/catch-up/types';
import type { FulfilmentSyncResult } from '../src/fulfilment/sync';
import type { SchemaDriftResult } from '../src/drift/types';
import type { InventorySyncResult } from '../src/inventory/types';
import { renderReconciliationText } from '../src/reconciliation/render';
import type { ReconciliationReport } from '../src/reconciliation/types';
import { generateCatalog, sellableItems, type OrderDraft, type SeedCatalog } from '../simulators/seed';

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
  if (state.status === 'Synced')
    return [state.retries > 0 ? `synced after ${state.retries} retry` : '', state.warnings[0] ? `warning: ${state.warnings[0]}` : '']
      .filter(Boolean)
      .join('; ');
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
        say(
          `  order ${String(order.orderId).padEnd(4)} ${order.label.padEnd(34)} → ${shown}${state?.salesOrderId ? ` (sales order ${state.salesOrderId})` : ''}`,
        );
      }
      if (!state || !until(order, state)) pending++;
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} order(s) did not settle within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Where the demo writes the settings its printed CLI commands read (`npm run cli -- --env-file .demo/cli.env …`). */
const CLI_ENV_FILE = '.demo/cli.env';
const ROOT = resolve(__dirname, '..');

/** Prints `$ npm run cli -- --env-file .demo/cli.env <args>` and runs exactly that, in this process. */
async function cli(args: string[]): Promise<number> {
  say(`  $ npm run cli -- ${['--env-file', CLI_ENV_FILE, ...args].map((a) => (/^[\w:.,/=@-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`);
  // npm runs scripts in the package folder, so the printed relative path is this file in any shell.
  return runCli(['--env-file', resolve(ROOT, CLI_ENV_FILE), ...args], (line) => say(`    ${line}`));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { keep: { type: 'boolean', default: false }, summary: { type: 'string' }, port: { type: 'string' }, 'ui-port': { type: 'string' } },
  });
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // Everything started is stopped in reverse order, also when a step fails: no process, key file or env file stays.
  const closers = new Closers((what, error) => console.error(`  (stopping ${what} failed: ${error instanceof Error ? error.message : String(error)})`));
  let worker: WorkerProcess | undefined;
  try {
    await demo(values, closers, (spawned) => (worker = spawned));
  } catch (error) {
    if (worker) {
      const lines = worker.output().trimEnd().split('\n').slice(-25);
      console.error(`\nThe worker process's last log lines:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
    }
    throw error;
  } finally {
    await closers.closeAll();
  }
}

async function demo(
  values: { keep?: boolean; summary?: string; port?: string; 'ui-port'?: string },
  closers: Closers,
  spawned: (worker: WorkerProcess) => void,
): Promise<void> {
  step('Temporal dev server (with the Web UI)');
  const temporal = await startDevServer({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values['ui-port'] ? { uiPort: Number(values['ui-port']) } : {}),
  });
  closers.add('the Temporal dev server', () => temporal.stop());
  say(`  gRPC ${temporal.address}, Web UI ${temporal.uiUrl} (Temporal CLI from ${temporal.cli.source})`);

  step('PostgreSQL (the NetSuite limiter and the cursors), simulators, the webhook receiver, a local SMTP server, a worker process');
  const database = await localPostgres({ log: (m) => say(`  ${m}`) });
  closers.add('PostgreSQL', () => database.stop());
  say(`  PostgreSQL ${database.displayUrl} (${database.source === 'embedded' ? 'embedded, its data removed at the end' : 'NETSUITE_LIMITER_URL'})`);
  const catalog = generateCatalog({ seed: 1 });
  const mail = await startMailSink();
  closers.add('the mail sink', () => mail.close());
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    catalog,
    database,
    taskQueue: 'woo-netsuite-orders',
    // The warehouse may ship what the seed left at 0 on hand (the demo's shipment does not wait for goods).
    netsuite: { latency: { fixedMs: 40, jitterMs: 60 }, allowNegativeInventory: true },
    woocommerce: { webhookDelivery: { delayMs: 200 } },
    alerts: { email: { smtpUrl: mail.url, from: 'woo-netsuite-sync <sync@demo.test>', to: ['owner@demo.test'] } },
  });
  closers.add('the simulators and the receiver', () => stack.close());
  const worker = stack.spawnWorker();
  spawned(worker);
  closers.add('the worker process', async () => {
    worker.kill('SIGTERM');
    await worker.exited;
  });
  writeCliEnv({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_CONFIG_FILE: stack.temporalConfigFile,
    WOO_STORES: stack.store.name,
    TASK_QUEUE: stack.taskQueue,
  });
  closers.add(CLI_ENV_FILE, () => rmSync(resolve(ROOT, CLI_ENV_FILE), { force: true }));
  say(`  NetSuite simulator ${stack.netsuite.url} (sandbox account ${stack.netsuite.accountId}, concurrency limit 5)`);
  say(`  WooCommerce simulator ${stack.store.url} — webhooks → ${stack.webhookUrl}`);
  say(`  mapping ${stack.mappingFile}; the CLI's settings in ${CLI_ENV_FILE}`);
  const started = await Promise.race([
    worker.started.then(() => true),
    worker.exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(false), 90_000)),
  ]);
  if (!started) {
    const exit = worker.child.exitCode ?? worker.child.signalCode;
    throw new Error(exit === null ? 'the worker process did not start within 90 s' : `the worker process exited (${exit}) before it started polling`);
  }
  say(`  worker process ${worker.child.pid} is polling (orders + NetSuite task queues; NetSuite calls capped at 5 across workers)`);

  step('Shoppers check out (webhooks → receiver → one workflow per order)');
  const customers = catalog.customers;
  const returning = customers.find((c) => c.inNetSuite && c.registered)!;
  const guest = customers.find((c) => !c.registered && !c.inNetSuite)!;
  const items = sellableItems(catalog);
  const simple = items.filter((i) => !i.parentSku);
  const variation = items.find((i) => i.parentSku)!;
  const base = { couponCodes: [], fees: [], paymentMethodId: 'stripe', status: 'processing' as const, customerNote: '' };
  const batch: {
    label: string;
    expect: OrderSyncState['status'];
    draft: OrderDraft & { lines: { sku: string; quantity: number; raw?: boolean; name?: string; price?: string }[] };
  }[] = [
    {
      label: 'guest, new to NetSuite',
      expect: 'Synced',
      draft: { ...base, customerEmail: guest.emailAsTyped, lines: [{ sku: simple[0]!.sku, quantity: 2 }], shippingMethodId: 'flat_rate' },
    },
    {
      label: 'returning, e-mail in caps + spaces',
      expect: 'Synced',
      draft: {
        ...base,
        customerEmail: `  ${returning.email.toUpperCase()} `,
        lines: [{ sku: simple[1]!.sku, quantity: 1 }],
        shippingMethodId: 'free_shipping',
      },
    },
    {
      label: 'coupon',
      expect: 'Synced',
      draft: {
        ...base,
        customerEmail: customers[3]!.emailAsTyped,
        couponCodes: [catalog.coupons[0]!.code],
        lines: [{ sku: simple[2]!.sku, quantity: 3 }],
        shippingMethodId: 'flat_rate',
      },
    },
    {
      label: 'fee (gift wrap)',
      expect: 'Synced',
      draft: {
        ...base,
        customerEmail: customers[4]!.emailAsTyped,
        fees: [{ name: 'Gift wrap', total: '3.50' }],
        lines: [{ sku: simple[3]!.sku, quantity: 1 }],
        shippingMethodId: 'local_pickup',
      },
    },
    {
      label: `variation ${variation.sku}`,
      expect: 'Synced',
      draft: { ...base, customerEmail: customers[6]!.emailAsTyped, lines: [{ sku: variation.sku, quantity: 1 }], shippingMethodId: 'flat_rate' },
    },
    {
      label: 'left in pending (unpaid)',
      expect: 'Skipped',
      draft: {
        ...base,
        status: 'pending',
        customerEmail: customers[7]!.emailAsTyped,
        lines: [{ sku: simple[4]!.sku, quantity: 1 }],
        shippingMethodId: 'flat_rate',
      },
    },
    {
      label: 'unknown SKU WIDGET-LEGACY',
      expect: 'NeedsAttention',
      draft: {
        ...base,
        customerEmail: customers[8]!.emailAsTyped,
        lines: [
          { sku: simple[5]!.sku, quantity: 1 },
          { sku: 'WIDGET-LEGACY', quantity: 1, raw: true, name: 'Legacy widget', price: '12.00' },
        ],
        shippingMethodId: 'flat_rate',
      },
    },
  ];
  const orders: DemoOrder[] = batch.map(({ label, expect, draft }) => ({ label, expect, orderId: stack.woo.control.placeOrder(draft).id }));
  await follow(stack, orders, (o, s) => s.status === o.expect && s.outcomeRecorded);

  step('Where things stand');
  await table(stack, orders);
  const ui = `${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows?query=${encodeURIComponent(`WooStore="${stack.store.name}"`)}`;
  say(`  Temporal Web UI: ${ui}`);

  step(`On call: read why, fix the mapping, retry (each command runs as printed in another shell, from this folder)`);
  const attention = orders.find((o) => o.expect === 'NeedsAttention')!;
  await cli(['list', '--status', 'NeedsAttention']);
  await cli(['status', String(attention.orderId)]);
  const mapping = stack.readMapping() as { items?: { aliases?: Record<string, string> } };
  const replacement = simple[6]!.sku;
  stack.writeMapping({ ...mapping, items: { ...mapping.items, aliases: { ...mapping.items?.aliases, 'WIDGET-LEGACY': replacement } } });
  say(`  mapping: "items": {"aliases": {"WIDGET-LEGACY": "${replacement}"}}  (the legacy SKU is sold as ${replacement} in NetSuite)`);
  await cli(['retry', String(attention.orderId)]);
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
  say(
    `  NetSuite: ${salesOrders.length} sales orders for ${orders.length} orders, ${duplicates} duplicates; peak concurrency ${counters.peakConcurrency} (limit 5), ${counters.http429} × 429, ${counters.tokensMinted} token(s) minted`,
  );
  say(`  Temporal Web UI: ${ui}`);

  const lifecycle = await orderLifecycle(stack, orders, states);
  const fulfilment = await shipments(stack, orders, states);

  const jobs = await scheduledJobs(stack, catalog, mail);

  const summary = {
    orders: orders.map((o) => {
      const s = states.get(o.orderId);
      return { orderId: o.orderId, status: s?.status ?? 'Unknown', salesOrderId: s?.salesOrderId ?? null, reason: reasonOf(s) || null };
    }),
    duplicates,
    lifecycle,
    fulfilment,
    netsuite: { peakConcurrency: counters.peakConcurrency, http429: counters.http429, tokensMinted: counters.tokensMinted },
    catchUp: { started: jobs.catchUp.started, synced: jobs.caughtUpSynced },
    inventory: {
      updated: jobs.inventory.updated,
      unchanged: jobs.inventory.unchanged,
      missing: jobs.inventory.missing.inWooCommerce + jobs.inventory.missing.inNetSuite,
    },
    drift: { changes: jobs.drift.changes, afterRename: { changes: jobs.driftAfterRename.changes, mailed: jobs.driftAfterRename.alerted } },
    reconciliation: { woocommerce: jobs.reconciliation.woocommerce, netsuite: jobs.reconciliation.netsuite, inBalance: jobs.reconciliation.inBalance },
  };
  if (values.summary) {
    writeFileSync(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
    say(`  summary written to ${values.summary}`);
  }

  if (values.keep) {
    say(`\n--keep: everything stays up (Web UI above). In another shell, from this folder:`);
    say(`  npm run cli -- --env-file ${CLI_ENV_FILE} list`);
    say(`  npm run cli -- --env-file ${CLI_ENV_FILE} status ${attention.orderId}`);
    say(`  npm run cli -- --env-file ${CLI_ENV_FILE} schedules list`);
    say('Ctrl-C (or SIGTERM) stops everything.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  const wrong = summary.orders.filter((o) => o.status !== 'Synced');
  if (wrong.length > 0 || duplicates > 0) throw new Error(`the demo did not end as expected: ${JSON.stringify(wrong)}; duplicates ${duplicates}`);
  if (lifecycle.cancelled !== 1 || lifecycle.refunds !== 1 || lifecycle.edits !== 1 || lifecycle.needsAttention !== 0 || lifecycle.duplicates !== 0) {
    throw new Error(`the order changes after sync did not end as expected: ${JSON.stringify(lifecycle)}`);
  }
  if (
    fulfilment.fulfilmentsPushed !== 3 ||
    fulfilment.ordersCompleted !== 1 ||
    fulfilment.partial !== 1 ||
    fulfilment.duplicates !== 0 ||
    fulfilment.pushedAgain !== 0
  ) {
    throw new Error(`the shipments did not reach WooCommerce as expected: ${JSON.stringify(fulfilment)}`);
  }
  if (
    !jobs.caughtUpSynced ||
    jobs.inventory.updated === 0 ||
    jobs.drift.changes !== 0 ||
    jobs.driftAfterRename.changes === 0 ||
    !jobs.reconciliation.inBalance
  ) {
    throw new Error(`the scheduled jobs did not end as expected: ${JSON.stringify(summary)}`);
  }
}

/** Waits until the order's latest run applied a change of `kind` (and recorded it), printing what it did. */
async function appliedChange(stack: SyncStack, orderId: number, kind: string): Promise<LifecycleEvent | undefined> {
  const state = await stack.waitForOrder(
    orderId,
    (s) => s.status !== 'InProgress' && s.outcomeRecorded && (s.status !== 'Synced' || (s.changes ?? []).some((c) => c.kind === kind)),
  );
  const change = state.changes?.find((c) => c.kind === kind);
  say(
    change
      ? `  order ${orderId}: ${change.describe} → ${change.netsuite.type} ${change.netsuite.id}`
      : `  order ${orderId}: ${state.status} — ${reasonOf(state)}`,
  );
  return change;
}

/**
 * The order's life after its sales order: the warehouse ships and invoices one order and the store refunds one unit
 * of it (a credit memo from the invoice), another order is cancelled (its lines closed), a third is edited before it
 * ships (its sales order updated). Each change reaches NetSuite once; the summary's `lifecycle` section counts them.
 */
async function orderLifecycle(stack: SyncStack, orders: DemoOrder[], states: Map<number, OrderSyncState | undefined>) {
  step('After the sales order: a refund after invoicing, a cancellation, an edit — each reaches NetSuite exactly once');
  const salesOrderOf = (order: DemoOrder): string => states.get(order.orderId)?.salesOrderId ?? '';
  const [guest, returning, , , variation] = orders as [DemoOrder, DemoOrder, DemoOrder, DemoOrder, DemoOrder];

  const shipped = stack.netsuite.control.fulfilSalesOrder(salesOrderOf(guest), {});
  const invoice = stack.netsuite.control.billSalesOrder(salesOrderOf(guest), { as: 'invoice' });
  say(
    `  NetSuite: the warehouse ships sales order ${salesOrderOf(guest)} (${shipped.tranId}) and bills it (${invoice.tranId}, ${invoice.total.toFixed(2)}); the store marks order ${guest.orderId} completed`,
  );
  stack.woo.control.setOrderStatus(guest.orderId, 'completed');
  const line = stack.woo.control.getOrder(guest.orderId).line_items[0]!;
  const unit = (Number(line.subtotal) / line.quantity).toFixed(2);
  // api_restock false: the unit is not coming back, so WooCommerce's stock stays as NetSuite's.
  const refund = stack.woo.control.createRefund(guest.orderId, {
    amount: unit,
    reason: 'arrived damaged',
    api_refund: false,
    api_restock: false,
    line_items: [{ id: line.id, quantity: 1, refund_total: unit }],
  });
  say(`  WooCommerce: refund #${refund.id} of ${unit} (one unit of ${line.sku}) on order ${guest.orderId}`);

  stack.woo.control.setOrderStatus(variation.orderId, 'cancelled');
  say(`  WooCommerce: the customer cancels order ${variation.orderId}`);

  const item = stack.woo.control.getOrder(returning.orderId).line_items[0]!;
  const price = Number(item.subtotal) / item.quantity;
  stack.woo.control.updateOrder(returning.orderId, {
    line_items: [
      { id: item.id, quantity: item.quantity + 1, subtotal: (price * (item.quantity + 1)).toFixed(2), total: (price * (item.quantity + 1)).toFixed(2) },
    ],
  });
  say(`  WooCommerce: order ${returning.orderId} edited before it ships: ${item.sku} × ${item.quantity} → × ${item.quantity + 1}`);

  const credit = await appliedChange(stack, guest.orderId, 'credit');
  const cancel = await appliedChange(stack, variation.orderId, 'closeLines');
  const edit = await appliedChange(stack, returning.orderId, 'updateSalesOrder');
  const creditMemos = stack.netsuite.control.salesOrderDocuments(salesOrderOf(guest)).filter((d) => d.type === 'creditMemo');
  say(
    `  NetSuite: ${creditMemos.length} credit memo for the refund (${creditMemos.map((d) => `${d.tranId} ${d.total.toFixed(2)}, external ID ${d.externalId}`).join('; ')})`,
  );
  const externalIds = creditMemos.map((d) => d.externalId);
  const needsAttention = [];
  for (const order of [guest, returning, variation])
    if ((await stack.orderState(order.orderId))?.status === 'NeedsAttention') needsAttention.push(order.orderId);
  await cli(['status', String(guest.orderId)]);
  return {
    cancelled: cancel ? 1 : 0,
    refunds: credit ? 1 : 0,
    edits: edit ? 1 : 0,
    needsAttention: needsAttention.length,
    duplicates: externalIds.length - new Set(externalIds).size,
  };
}

/**
 * NetSuite's shipments reach the customer: the warehouse ships one order in full (two UPS packages) and another in
 * part (one FedEx package); the fulfilment sync sends each sales order to its order workflow, which adds the tracking
 * through the store's Shipment Tracking extension, completes the order shipped in full and notes what shipped of the
 * other. The shipment of the refunded order (no tracking number) is pushed too. A second sync pushes nothing.
 */
async function shipments(stack: SyncStack, orders: DemoOrder[], states: Map<number, OrderSyncState | undefined>) {
  step('NetSuite ships: tracking numbers reach WooCommerce, exactly once; the order shipped in full is completed');
  const store = stack.store.name;
  const salesOrderOf = (order: DemoOrder): string => states.get(order.orderId)?.salesOrderId ?? '';
  const [guest, , coupon, fee] = orders as [DemoOrder, DemoOrder, DemoOrder, DemoOrder];
  stack.woo.control.setShipmentTracking(true);
  const full = stack.netsuite.control.fulfilSalesOrder(salesOrderOf(fee), {
    packages: [
      { trackingNumber: '1ZDEMO0000000001', carrier: 'UPS' },
      { trackingNumber: '1ZDEMO0000000002', carrier: 'UPS' },
    ],
  });
  say(`  NetSuite: sales order ${salesOrderOf(fee)} shipped in full (${full.tranId}, two UPS packages)`);
  const part = stack.netsuite.control.fulfilSalesOrder(salesOrderOf(coupon), {
    lines: [{ line: 1, quantity: 1 }],
    packages: [{ trackingNumber: '7700DEMO0001', carrier: 'FedEx' }],
  });
  say(`  NetSuite: sales order ${salesOrderOf(coupon)} shipped in part (${part.tranId}: 1 of 3, one FedEx package)`);
  const sync = await runJob<FulfilmentSyncResult>(stack, SCHEDULED_WORKFLOW_TYPES.fulfilment, `fulfilment:${store}`, { store });
  say(
    `  fulfilment sync: ${sync.changed} fulfilments changed since ${sync.since}; ${sync.newlyShipped} newly shipped → ${sync.ordersSignalled} order workflows`,
  );
  const shipped = [fee, coupon, guest];
  const pushedIds: string[] = [];
  let completed = 0;
  let partial = 0;
  for (const order of shipped) {
    const state = await stack.waitForOrder(order.orderId, (s) => s.status === 'Synced' && (s.shipments?.length ?? 0) > 0);
    const woo = stack.woo.control.getOrder(order.orderId);
    const numbers = stack.woo.control.shipmentTrackings(order.orderId).map((t) => t.tracking_number);
    for (const event of state.shipments ?? []) pushedIds.push(event.fulfilment.id);
    if (state.shipments?.some((e) => e.completed)) completed++;
    if (woo.status === 'processing') partial++;
    const note = stack.woo.control.orderNotes(order.orderId).find((n) => /\(shipment IF\d+\)/.test(n.note));
    say(`  order ${order.orderId}: ${woo.status}; tracking ${numbers.join(', ') || '(none)'}${note ? `; note: "${note.note.split('\n')[0]}"` : ''}`);
  }
  const again = await runJob<FulfilmentSyncResult>(stack, SCHEDULED_WORKFLOW_TYPES.fulfilment, `fulfilment:${store}`, { store });
  say(`  the sync again: ${again.alreadyPushed} already pushed, ${again.ordersSignalled} order workflows started`);
  await cli(['status', String(fee.orderId)]);
  const trackings = shipped.flatMap((o) => stack.woo.control.shipmentTrackings(o.orderId).map((t) => t.tracking_number));
  return {
    fulfilmentsPushed: pushedIds.length,
    ordersCompleted: completed,
    partial,
    duplicates: pushedIds.length - new Set(pushedIds).size + trackings.length - new Set(trackings).size,
    pushedAgain: again.ordersSignalled,
  };
}

/** Runs a scheduled job's workflow now (what `schedules trigger` does, but waiting for the result). */
function runJob<T>(stack: SyncStack, workflowType: string, id: string, input: Record<string, unknown>): Promise<T> {
  return stack.client.workflow.execute(workflowType, { taskQueue: stack.taskQueue, workflowId: `${id}:demo-${Date.now()}`, args: [input] });
}

async function scheduledJobs(stack: SyncStack, catalog: SeedCatalog, mail: Awaited<ReturnType<typeof startMailSink>>) {
  const store = stack.store.name;
  step('Scheduled jobs: registered as Temporal Schedules (the Web UI lists them under Schedules)');
  await cli(['schedules', 'apply']);

  step('A webhook that never fires: the catch-up poller finds the order');
  stack.woo.control.setWebhookFaults({ dropFraction: 1 });
  const lost = stack.woo.control.placeOrder({
    customerEmail: 'late.shopper@example.com',
    lines: [{ sku: sellableItems(catalog).find((i) => !i.parentSku)!.sku, quantity: 1 }],
    shippingMethodId: 'flat_rate',
    couponCodes: [],
    fees: [],
    paymentMethodId: 'stripe',
    status: 'processing',
    customerNote: '',
  });
  await stack.woo.control.flushDeliveries({ runNow: true });
  stack.woo.control.setWebhookFaults({ dropFraction: 0 });
  say(`  order ${lost.id} was paid, and the store dropped both of its webhooks`);
  const catchUp = await runJob<CatchUpResult>(stack, SCHEDULED_WORKFLOW_TYPES['catch-up'], `catch-up:${store}`, { store });
  say(
    `  catch-up: ${catchUp.listed} orders modified since ${catchUp.since}; started ${catchUp.started} (${catchUp.startedOrderIds.join(', ')}), ${catchUp.settled} already settled`,
  );
  const caught = await stack.waitForOrder(lost.id);
  say(`  order ${lost.id} → ${caught.status}${caught.salesOrderId ? ` (sales order ${caught.salesOrderId})` : ''}`);

  step('Inventory: NetSuite receives goods; WooCommerce stock follows (available − in flight)');
  const received = sellableItems(catalog).slice(10, 13);
  for (const item of received) {
    stack.netsuite.control.setItemQuantities(item.sku, { location: '1', onHand: (item.stock['1']?.onHand ?? 0) + 25 });
    say(`  NetSuite: +25 on hand of ${item.sku} at Main Warehouse`);
  }
  const inventory = await runJob<InventorySyncResult>(stack, SCHEDULED_WORKFLOW_TYPES.inventory, `inventory:${store}`, { store });
  say(
    `  inventory: ${inventory.skusRead} NetSuite items in ${inventory.pagesRead} page(s); ${inventory.updated} WooCommerce stock levels written in ${inventory.writes} batch(es), ${inventory.unchanged} already right; missing in WooCommerce ${inventory.missing.inWooCommerce}, in NetSuite ${inventory.missing.inNetSuite}`,
  );

  step('Schema drift: the NetSuite metadata catalog against config/netsuite-schema.json');
  const drift = await runJob<SchemaDriftResult>(stack, SCHEDULED_WORKFLOW_TYPES['schema-drift'], 'schema-drift', {});
  say(`  clean check: ${drift.changes} changes, ${drift.alerted ? 'alert sent' : 'no mail'}`);
  say('  a SuiteScript deploy renames custbody_woo_order_key → custbody_woo_order_key2 …');
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key', to: 'custbody_woo_order_key2' });
  const driftAfterRename = await runJob<SchemaDriftResult>(stack, SCHEDULED_WORKFLOW_TYPES['schema-drift'], 'schema-drift', {});
  const alertMail = await mail.waitFor((m) => m.alertKind === 'schema-drift');
  say(`  next check: ${driftAfterRename.changes} changes; mail to ${alertMail.to.join(', ')}: "${alertMail.subject}"`);
  for (const line of alertMail.text
    .split('\n')
    .filter((l) => /vanished|appeared|renamed/i.test(l))
    .slice(0, 3))
    say(`    ${line.trim()}`);
  stack.netsuite.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_order_key2', to: 'custbody_woo_order_key' });
  say('  (renamed back)');

  step('Reconciliation: three numbers from each side, mailed to the owner');
  const reconciliation = await runJob<ReconciliationReport>(stack, SCHEDULED_WORKFLOW_TYPES.reconciliation, `reconciliation:${store}`, {
    store,
    graceMinutes: 0,
  });
  for (const line of renderReconciliationText(reconciliation).split('\n').slice(0, 24)) say(`    ${line}`);
  const reportMail = await mail.waitFor((m) => m.alertKind === 'reconciliation');
  say(`  mailed: "${reportMail.subject}" (text and HTML)`);
  return { catchUp, caughtUpSynced: caught.status === 'Synced', inventory, drift, driftAfterRename, reconciliation };
}

/** The settings the printed CLI commands need to reach this demo (random ports), as an env file (mode 0600). */
function writeCliEnv(settings: Record<string, string>): void {
  const file = resolve(ROOT, CLI_ENV_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  writeFileSync(file, `# Written by npm run demo for its own CLI commands; removed when the demo stops.\n${lines.join('\n')}\n`, { mode: 0o600 });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
