/**
 * `npm run bench:fulfilment`: one fulfilment sync of many shipped sales orders through the real path — a Temporal dev
 * server, the worker's workflows and activities in this process (the fulfilment sync, then one order workflow run per
 * order pushing its tracking), the embedded PostgreSQL of the cursor and the pushed-fulfilment index, and both
 * simulators over HTTP with vendor-like latency.
 *
 * Workload (defaults): 10,000 synced orders, each with its sales order shipped in NetSuite since the cursor (one
 * fulfilment, one UPS package); the store has the Shipment Tracking extension; NetSuite latency 200 ms per request,
 * WooCommerce 100 ms. The orders and sales orders are seeded through the simulators' control APIs (as if synced).
 *
 * Figures: wall time from the sync's start until every order carries its tracking; requests made on each side against
 * the minimum, stated in the output:
 *   NetSuite     one request per 1000 rows of each read: changed fulfilments, sales-order headers, their lines,
 *                fulfilment lines, packages; plus one page of deleted fulfilments (the token endpoint apart)
 *   WooCommerce  per order: one read (what was pushed already), one POST per tracking number, one PUT (meta + status)
 * and duplicates (tracking numbers on an order more than once, or a fulfilment pushed twice): goal 0. The last line
 * is JSON.
 *
 *   npm run bench:fulfilment -- [--fulfilments 10000] [--netsuite-latency-ms 200] [--woo-latency-ms 100] [--seed 9]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startBenchStack } from './bench-stack';
import { generateCatalog, sellableItems } from '../simulators/seed';
import type { FulfilmentSyncResult } from '../src/fulfilment/sync';
import { parseFulfilmentRecord } from '../src/fulfilment/types';
import { formatLifecycleRecord } from '../src/lifecycle/types';
import { lifecycleDigest } from '../src/woocommerce/order-digest';
import { ORDER_META } from '../src/woocommerce/order-meta';
import { wooOrderSchema } from '../src/woocommerce/order';
import type { fulfilmentSyncWorkflow } from '../src/workflows/fulfilment-sync';
import { SCHEDULED_WORKFLOW_TYPES } from '../src/api';

const GOALS = { requestsRatio: 1.1 };
const TOKEN_ROUTE = 'POST /services/rest/auth/oauth2/v1/token';
const ROWS_PER_PAGE = 1000;

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const err = (line: string): void => void process.stderr.write(`${line}\n`);
const metaOf = (order: { meta_data: { key: string; value: unknown }[] }, key: string): string | undefined => {
  const value = order.meta_data.find((m) => m.key === key)?.value;
  return typeof value === 'string' ? value : undefined;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fulfilments: { type: 'string', default: '10000' },
      'netsuite-latency-ms': { type: 'string', default: '200' },
      'woo-latency-ms': { type: 'string', default: '100' },
      seed: { type: 'string', default: '9' },
    },
  });
  const count = Number(values.fulfilments);
  const netsuiteLatencyMs = Number(values['netsuite-latency-ms']);
  const wooLatencyMs = Number(values['woo-latency-ms']);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const catalog = generateCatalog({ seed: Number(values.seed), products: 50 });
  const items = sellableItems(catalog).filter((item) => item.parentSku === undefined);
  const bench = await startBenchStack(catalog, { limiter: 'process', netsuite: { allowNegativeInventory: true } });
  const { stack } = bench;
  try {
    stack.woo.control.setShipmentTracking(true);

    // Seed: `count` orders synced earlier (meta names the sales order; the lifecycle digest says NetSuite heard all of
    // it), each sales order carrying the store, order-number and order-key fields, shipped with one package.
    const seedStarted = performance.now();
    const customer = stack.netsuite.control.listRecords('customer')[0] as { id: string };
    const itemIds = new Map(stack.netsuite.control.listRecords('inventoryItem').map((r) => [String(r.itemId), String(r.id)]));
    const orders: { orderId: number; salesOrderId: string; tracking: string }[] = [];
    for (let i = 0; i < count; i++) {
      const item = items[i % items.length]!;
      const placed = stack.woo.control.placeOrder({
        lines: [{ sku: item.sku, quantity: 1 }],
        paymentMethodId: catalog.paymentMethods[0]!.id,
        status: 'processing',
        customerEmail: `bench${i}@example.com`,
      });
      const { id: salesOrderId } = stack.netsuite.control.createRecord('salesOrder', {
        entity: { id: customer.id },
        externalId: `woo-bench-${placed.order_key}`,
        custbody_woo_store: 'bench',
        custbody_woo_order_number: String(placed.id),
        custbody_woo_order_key: placed.order_key,
        item: { items: [{ item: { id: itemIds.get(item.sku) }, quantity: 1 }] },
      });
      const digest = lifecycleDigest(wooOrderSchema.parse(placed));
      stack.woo.control.updateOrder(placed.id, {
        meta_data: [
          { key: ORDER_META.salesOrderId, value: salesOrderId },
          { key: ORDER_META.syncStatus, value: 'Synced' },
          { key: ORDER_META.lifecycle, value: formatLifecycleRecord({ digest, applied: {}, acknowledged: [] }) },
        ],
      });
      const tracking = `1ZBENCH${String(i).padStart(8, '0')}`;
      stack.netsuite.control.fulfilSalesOrder(salesOrderId, { packages: [{ trackingNumber: tracking, carrier: 'UPS' }] });
      orders.push({ orderId: placed.id, salesOrderId, tracking });
      if ((i + 1) % 2000 === 0) err(`seeded ${i + 1} of ${count} shipped orders`);
    }
    const seedSeconds = seconds(performance.now() - seedStarted);

    const workers = await stack.startWorkers();
    stack.netsuite.control.setGovernance({ latency: { fixedMs: netsuiteLatencyMs, jitterMs: 0 } });
    stack.woo.control.setLatency({ fixedMs: wooLatencyMs, jitterMs: 0 });
    stack.netsuite.control.resetCounters();
    stack.woo.control.resetCounters();

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result: FulfilmentSyncResult = await stack.client.workflow.execute<typeof fulfilmentSyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.fulfilment, {
      taskQueue: stack.taskQueue,
      workflowId: `fulfilment:bench:${Date.now()}`,
      args: [{ store: stack.store.name }],
    });
    const syncSeconds = seconds(performance.now() - started);
    let pushed = 0;
    for (;;) {
      pushed = stack.woo.control.listOrders().filter((o) => metaOf(o, ORDER_META.fulfilments) !== undefined).length;
      if (pushed >= count || performance.now() - started > 1_800_000) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    void workers;

    // Duplicates and misses, from WooCommerce's own records.
    let duplicates = 0;
    let missing = 0;
    let completed = 0;
    for (const o of orders) {
      const numbers = stack.woo.control.shipmentTrackings(o.orderId).map((t) => t.tracking_number);
      const order = stack.woo.control.getOrder(o.orderId);
      const record = parseFulfilmentRecord(metaOf(order, ORDER_META.fulfilments));
      duplicates += Math.max(0, numbers.length - new Set(numbers).size) + Math.max(0, record.pushed.length - 1);
      if (!numbers.includes(o.tracking)) missing++;
      if (order.status === 'completed') completed++;
    }

    const ns = stack.netsuite.control.counters().requestsByRoute;
    const woo = stack.woo.control.counters().requestsByRoute;
    const nsMade = Object.entries(ns)
      .filter(([route]) => route !== TOKEN_ROUTE)
      .reduce((n, [, c]) => n + c, 0);
    const wooMade = Object.values(woo).reduce((n, c) => n + c, 0);
    const pages = Math.ceil(count / ROWS_PER_PAGE);
    // Changed fulfilments, sales-order headers, their lines, fulfilment lines, packages (one row each per order here), deleted.
    const nsMinimum = 5 * pages + 1;
    const wooMinimum = count * 3;
    const requestsMade = nsMade + wooMade;
    const requestsMinimum = nsMinimum + wooMinimum;
    const ratio = Math.round((requestsMade / requestsMinimum) * 1000) / 1000;
    const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISS');
    console.log(
      `fulfilment sync of ${count} shipped sales orders (one package each); NetSuite ${netsuiteLatencyMs} ms, WooCommerce ${wooLatencyMs} ms per request`,
    );
    console.log(
      `  wall time                ${seconds(wallMs)} s until every order carries its tracking (the sync activity itself ${syncSeconds} s); CPU of this process ${seconds((cpu.user + cpu.system) / 1000)} s; seeding ${seedSeconds} s`,
    );
    console.log(
      `  sync                     ${result.changed} changed, ${result.newlyShipped} newly shipped, ${result.ordersSignalled} order workflows signalled in ${result.pages} pages`,
    );
    console.log(
      `  NetSuite requests        ${nsMade} made (${ns[TOKEN_ROUTE] ?? 0} token request(s) apart) vs minimum ${nsMinimum} = 5 reads × ⌈${count} rows ÷ ${ROWS_PER_PAGE}⌉ + 1 deleted page`,
    );
    console.log(
      `  WooCommerce requests     ${wooMade} made: ${Object.entries(woo)
        .map(([route, c]) => `${route} ${c}`)
        .join(', ')}`,
    );
    console.log(`                           vs minimum ${wooMinimum} = ${count} orders × (read + tracking + update)`);
    console.log(
      `  ${mark(ratio <= GOALS.requestsRatio)} requests made ÷ minimum ${requestsMade} ÷ ${requestsMinimum} = ${ratio} (goal ≤ ${GOALS.requestsRatio})`,
    );
    console.log(`  ${mark(duplicates === 0 && missing === 0)} duplicates ${duplicates}, missing ${missing}; ${completed} of ${count} orders completed`);
    console.log(
      JSON.stringify({
        fulfilments: count,
        wallSeconds: seconds(wallMs),
        syncActivitySeconds: syncSeconds,
        requestsMade,
        requestsMinimum,
        ratio,
        duplicates,
        missing,
        completed,
        netsuite: { made: nsMade, minimum: nsMinimum, latencyMs: netsuiteLatencyMs, tokenRequests: ns[TOKEN_ROUTE] ?? 0 },
        woocommerce: { made: wooMade, minimum: wooMinimum, latencyMs: wooLatencyMs, byRoute: woo },
        seedSeconds,
      }),
    );
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  err(`bench:fulfilment failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
