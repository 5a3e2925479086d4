/**
 * `npm run bench:inventory`: one inventory sync of a large catalog through the real path — a Temporal dev server, the
 * inventory workflow and its activity on an in-process worker, the real NetSuite and WooCommerce clients, and both
 * simulators over HTTP with vendor-like latency.
 *
 * Workload (defaults): 50,000 SKUs, a fifth of them variations; 1 % of them changed in NetSuite (on-hand raised at
 * location 1, spread over the catalog); 20 orders accepted in WooCommerce and not yet in NetSuite (in flight); NetSuite
 * latency 200 ms per request, WooCommerce 100 ms.
 *
 * Figures: wall time of the run; requests made on each side against the minimum needed (goal ≤ 1.1×), and SKU writes
 * issued against SKUs changed (goal: equal). The minimum, stated in the output:
 *   NetSuite     ⌈items ÷ page size⌉ SuiteQL pages (the token endpoint is counted apart)
 *   WooCommerce  ⌈owned SKUs ÷ 100⌉ product reads + ⌈in-flight orders listed ÷ 100⌉ order pages
 *                + ⌈changed simple products ÷ 100⌉ + one batch per variable product with changed variations
 * The last line is JSON: wallSeconds, requestsMade, requestsMinimum, ratio, writes, changed, and per-side breakdowns.
 *
 *   npm run bench:inventory -- [--skus 50000] [--variation-share 0.2] [--changed-share 0.01] [--in-flight-orders 20]
 *                              [--netsuite-latency-ms 200] [--woo-latency-ms 100] [--pages-per-activity 10] [--seed 7]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { startSyncStack, defaultMapping, type SyncStack } from '../dev/sync-stack';
import { startDevServer, type DevServer } from '../dev/temporal-dev-server';
import { createRng } from '../simulators/shared/rng';
import { generateCatalog, sellableItems, type SeedCatalog, type SellableItem } from '../simulators/seed';
import { createInventoryActivities, WOOCOMMERCE_CONCURRENCY } from '../src/activities/inventory-activities';
import { createMappingSource } from '../src/activities/mapping-source';
import { inventoryWorkflowId, type InventorySyncResult } from '../src/inventory/types';
import { createNetSuiteClient } from '../src/netsuite/client';
import { createProcessLimiter } from '../src/netsuite/limiter';
import { createWooClient } from '../src/woocommerce/client';
import type { inventorySyncWorkflow } from '../src/workflows/inventory-sync';

const GOALS = { requestsRatio: 1.1 };
const SUITEQL_ROUTE = 'POST /services/rest/query/v1/suiteql';
const TOKEN_ROUTE = 'POST /services/rest/auth/oauth2/v1/token';
const WOO = {
  productReads: 'GET /wp-json/wc/v3/products',
  orderReads: 'GET /wp-json/wc/v3/orders',
  productBatches: 'POST /wp-json/wc/v3/products/batch',
  variationBatches: 'POST /wp-json/wc/v3/products/:pid/variations/batch',
};
const PAGE_SIZE = 1000;

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const err = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * A catalog of exactly `skus` sellable SKUs with about `variationShare` of them variations. The seed generator makes
 * 2–4 variations per variable product (3 on average), so the variable share of products is solved for that, and the
 * product list is cut where the SKU count reaches the target.
 */
function benchCatalog(skus: number, variationShare: number, seed: number): SeedCatalog {
  const variables = (skus * variationShare) / 3;
  const products = Math.ceil((skus - skus * variationShare + variables) * 1.02);
  const catalog = generateCatalog({ seed, products, variableShare: variables / (products / 1.02) });
  let count = 0;
  const kept = [];
  for (const product of catalog.products) {
    const size = product.type === 'variable' ? product.variations.length : 1;
    if (count + size > skus) {
      if (count === skus) break;
      continue;
    }
    kept.push(product);
    count += size;
  }
  if (count !== skus) throw new Error(`the generated catalog has ${count} SKUs, not ${skus}: raise the product count`);
  return { ...catalog, products: kept };
}

/**
 * The SKUs whose WooCommerce stock is not NetSuite available (locations 1 and 2) − in-flight units, read from both
 * simulators' control APIs (not through the code under test). In flight: every order WooCommerce holds stock for
 * (the bench places only processing orders and syncs none).
 */
function offTarget(stack: SyncStack, items: readonly SellableItem[]): SellableItem[] {
  const products = new Map(stack.woo.control.listProducts().map((p) => [p.sku, p]));
  const inFlight = new Map<string, number>();
  for (const order of stack.woo.control.listOrders()) {
    if (order.status !== 'processing') continue;
    for (const line of order.line_items) if (line.sku) inFlight.set(line.sku, (inFlight.get(line.sku) ?? 0) + line.quantity);
  }
  const available = new Map<string, number>();
  for (const record of stack.netsuite.control.listRecords('inventoryItem')) {
    const rows = (record.locations as { items: { location: { id: string }; quantityAvailable: number }[] }).items;
    available.set(String(record.itemId), rows.filter((r) => r.location.id === '1' || r.location.id === '2').reduce((n, r) => n + r.quantityAvailable, 0));
  }
  return items.filter((item) => products.get(item.sku)?.stock_quantity !== Math.max(0, (available.get(item.sku) ?? 0) - (inFlight.get(item.sku) ?? 0)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      skus: { type: 'string', default: '50000' },
      'variation-share': { type: 'string', default: '0.2' },
      'changed-share': { type: 'string', default: '0.01' },
      'in-flight-orders': { type: 'string', default: '20' },
      'netsuite-latency-ms': { type: 'string', default: '200' },
      'woo-latency-ms': { type: 'string', default: '100' },
      'pages-per-activity': { type: 'string', default: '10' },
      seed: { type: 'string', default: '7' },
    },
  });
  const skuCount = Number(values.skus);
  const changedShare = Number(values['changed-share']);
  const inFlightOrders = Number(values['in-flight-orders']);
  const netsuiteLatencyMs = Number(values['netsuite-latency-ms']);
  const wooLatencyMs = Number(values['woo-latency-ms']);
  const pagesPerActivity = Number(values['pages-per-activity']);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const timings: Record<string, number> = {};
  let started = performance.now();
  const lap = (name: string): void => {
    timings[name] = seconds(performance.now() - started);
    started = performance.now();
  };

  const catalog = benchCatalog(skuCount, Number(values['variation-share']), Number(values.seed));
  const items = sellableItems(catalog);
  const variations = items.filter((item) => item.parentSku !== undefined);
  lap('generateCatalogS');
  err(`catalog: ${items.length} SKUs (${variations.length} variations of ${catalog.products.filter((p) => p.type === 'variable').length} variable products, ${items.length - variations.length} simple products)`);

  let server: DevServer | undefined;
  let stack: SyncStack | undefined;
  try {
    server = await startDevServer({ ui: false });
    lap('devServerS');
    stack = await startSyncStack({
      temporal: { address: server.address, namespace: server.namespace, client: server.env.client, nativeConnection: server.env.nativeConnection },
      catalog,
      store: 'bench',
      topics: [],
      limiter: 'process',
      logger: pino({ level: 'silent' }),
      mapping: defaultMapping(catalog),
    });
    lap('seedSimulatorsS');

    // 1 % of the SKUs change in NetSuite: more on hand at location 1 (so available rises; never a no-op).
    const rng = createRng(Number(values.seed) + 1);
    const changeCount = Math.round(items.length * changedShare);
    const changedSkus = new Set<string>();
    while (changedSkus.size < changeCount) changedSkus.add(items[rng.int(0, items.length - 1)]!.sku);
    const bySku = new Map(items.map((item) => [item.sku, item]));
    for (const sku of changedSkus) {
      const stock = bySku.get(sku)!.stock['1'] ?? { onHand: 0, committed: 0 };
      stack.netsuite.control.setItemQuantities(sku, { location: '1', onHand: stock.onHand + rng.int(1, 20) });
    }
    // Orders WooCommerce accepted that NetSuite has not received: WooCommerce already holds their units, so they change nothing.
    for (let i = 0; i < inFlightOrders; i++) {
      const item = items[rng.int(0, items.length - 1)]!;
      stack.woo.control.placeOrder({ lines: [{ sku: item.sku, quantity: 1 }], paymentMethodId: catalog.paymentMethods[0]!.id, status: 'processing', customerEmail: catalog.customers[0]!.email });
    }
    // What the run must change: SKUs whose WooCommerce stock differs from NetSuite available − in-flight.
    const toChange = offTarget(stack, items);
    const changedSimple = toChange.filter((item) => item.parentSku === undefined).length;
    const changedParents = new Set(toChange.flatMap((item) => (item.parentSku !== undefined ? [item.parentSku] : []))).size;
    lap('prepareChangesS');

    stack.netsuite.control.setGovernance({ latency: { fixedMs: netsuiteLatencyMs, jitterMs: 0 } });
    stack.woo.control.setLatency({ fixedMs: wooLatencyMs, jitterMs: 0 });
    stack.netsuite.control.resetCounters();
    stack.woo.control.resetCounters();

    const taskQueue = `inventory-bench-${Date.now().toString(36)}`;
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      namespace: server.namespace,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows/inventory-sync'),
      activities: createInventoryActivities({
        netsuite: createNetSuiteClient({ credentials: stack.netsuiteSettings.credentials, limiter: createProcessLimiter(stack.netsuiteSettings.permits), requestTimeoutMs: 60_000 }),
        stores: new Map([[stack.store.name, createWooClient(stack.store, { timeoutMs: 60_000 })]]),
        mapping: createMappingSource(stack.mappingFile),
      }),
    });
    lap('workerS');
    const cpuBefore = process.cpuUsage();
    const runStarted = performance.now();
    const client = server.env.client;
    const result: InventorySyncResult = await worker.runUntil(
      client.workflow.execute<typeof inventorySyncWorkflow>('inventorySyncWorkflow', {
        taskQueue,
        workflowId: inventoryWorkflowId(stack.store.name),
        args: [{ store: stack.store.name, pagesPerActivity }],
      }),
    );
    const wallMs = performance.now() - runStarted;
    const cpu = process.cpuUsage(cpuBefore);
    timings.runS = seconds(wallMs);

    const ns = stack.netsuite.control.counters();
    const woo = stack.woo.control.counters().requestsByRoute;
    const nsMade = Object.entries(ns.requestsByRoute).filter(([route]) => route !== TOKEN_ROUTE).reduce((n, [, c]) => n + c, 0);
    const nsMinimum = Math.ceil(items.length / PAGE_SIZE);
    const wooReads = woo[WOO.productReads] ?? 0;
    const orderReads = woo[WOO.orderReads] ?? 0;
    const writeRequests = (woo[WOO.productBatches] ?? 0) + (woo[WOO.variationBatches] ?? 0);
    const wooMade = Object.values(woo).reduce((n, c) => n + c, 0);
    const readsMinimum = Math.ceil(items.length / 100);
    const orderPagesMinimum = Math.max(1, Math.ceil(inFlightOrders / 100));
    const writesMinimum = Math.ceil(changedSimple / 100) + changedParents;
    const wooMinimum = readsMinimum + orderPagesMinimum + writesMinimum;
    const skuWrites = result.updated + result.failed;
    const requestsMade = nsMade + wooMade;
    const requestsMinimum = nsMinimum + wooMinimum;
    const ratio = Math.round((requestsMade / requestsMinimum) * 1000) / 1000;
    const stillOff = offTarget(stack, items).length;
    // Where the time goes: server time per request on each side (injected latency included), summed.
    const nsTimes = stack.netsuite.control.serverTimings();
    const nsServerSeconds = seconds((nsTimes.samplesMs ?? []).reduce((n, ms) => n + ms, 0));
    const wooByRoute = new Map<string, { count: number; totalMs: number; overheadMs: number }>();
    for (const sample of stack.woo.control.serverTimings().samples) {
      const entry = wooByRoute.get(sample.route) ?? { count: 0, totalMs: 0, overheadMs: 0 };
      entry.count++;
      entry.totalMs += sample.ms;
      entry.overheadMs += sample.ms - sample.injectedLatencyMs;
      wooByRoute.set(sample.route, entry);
    }
    const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISS');
    console.log(`inventory sync of ${items.length} SKUs (${variations.length} variations), ${toChange.length} changed, ${inFlightOrders} in-flight orders; NetSuite ${netsuiteLatencyMs} ms, WooCommerce ${wooLatencyMs} ms per request`);
    console.log(`  wall time                ${timings.runS} s for the run (${result.runs} workflow run(s), ${result.pagesRead} pages, ${pagesPerActivity} pages per activity); CPU of this process ${seconds((cpu.user + cpu.system) / 1000)} s`);
    console.log(`  set-up                   catalog ${timings.generateCatalogS} s, dev server ${timings.devServerS} s, seeding both simulators ${timings.seedSimulatorsS} s, changes ${timings.prepareChangesS} s`);
    console.log(`  NetSuite requests        ${nsMade} made (SuiteQL ${ns.requestsByRoute[SUITEQL_ROUTE] ?? 0}; ${ns.requestsByRoute[TOKEN_ROUTE] ?? 0} token request(s) apart) vs minimum ${nsMinimum} = ⌈${items.length} items ÷ ${PAGE_SIZE}⌉`);
    console.log(`  WooCommerce requests     ${wooMade} made: ${wooReads} product reads, ${orderReads} order pages, ${writeRequests} batches (${woo[WOO.productBatches] ?? 0} products, ${woo[WOO.variationBatches] ?? 0} variations)`);
    console.log(`                           vs minimum ${wooMinimum} = ⌈${items.length} SKUs ÷ 100⌉ reads ${readsMinimum} + ⌈${inFlightOrders} orders ÷ 100⌉ order pages ${orderPagesMinimum} + ⌈${changedSimple} simple ÷ 100⌉ + ${changedParents} parents = ${writesMinimum} batches`);
    console.log(`  where the time goes      NetSuite server time ${nsServerSeconds} s in all (requests are sequential: one page after another; mean ${Math.round(nsTimes.meanMs)} ms, max ${Math.round(nsTimes.maxMs)} ms per request)`);
    for (const [route, t] of [...wooByRoute].sort((a, b) => b[1].totalMs - a[1].totalMs)) {
      console.log(`                           WooCommerce ${route}: ${t.count} × mean ${Math.round(t.totalMs / t.count)} ms (simulator's own ${Math.round(t.overheadMs / t.count)} ms), ${seconds(t.totalMs)} s in all, up to ${WOOCOMMERCE_CONCURRENCY} at once`);
    }
    console.log(`  ${mark(ratio <= GOALS.requestsRatio)} requests made ÷ minimum ${requestsMade} ÷ ${requestsMinimum} = ${ratio} (goal ≤ ${GOALS.requestsRatio})`);
    console.log(`  ${mark(stillOff === 0)} after the run        ${stillOff} SKUs differ from NetSuite available − in-flight`);
    console.log(`  ${mark(skuWrites === toChange.length)} SKU writes ÷ changed ${skuWrites} ÷ ${toChange.length} (goal: equal); updated ${result.updated}, unchanged ${result.unchanged}, failed ${result.failed}, missing ${JSON.stringify(result.missing)}`);
    console.log(
      JSON.stringify({
        wallSeconds: timings.runS,
        requestsMade,
        requestsMinimum,
        ratio,
        writes: skuWrites,
        changed: toChange.length,
        writeRequests,
        writeRequestsMinimum: writesMinimum,
        skusOffAfterRun: stillOff,
        skus: items.length,
        variations: variations.length,
        netsuite: { made: nsMade, minimum: nsMinimum, suiteql: ns.requestsByRoute[SUITEQL_ROUTE] ?? 0, tokenRequests: ns.requestsByRoute[TOKEN_ROUTE] ?? 0, latencyMs: netsuiteLatencyMs },
        woocommerce: { made: wooMade, minimum: wooMinimum, productReads: wooReads, productReadsMinimum: readsMinimum, orderReads, orderReadsMinimum: orderPagesMinimum, writeRequests, writeRequestsMinimum: writesMinimum, latencyMs: wooLatencyMs },
        result: { updated: result.updated, unchanged: result.unchanged, failed: result.failed, missing: result.missing, pagesRead: result.pagesRead, runs: result.runs, inFlightUnits: result.inFlightUnits },
        netsuiteServerSeconds: nsServerSeconds,
        woocommerceServerSeconds: seconds([...wooByRoute.values()].reduce((n, t) => n + t.totalMs, 0)),
        setupSeconds: { catalog: timings.generateCatalogS, devServer: timings.devServerS, seedSimulators: timings.seedSimulatorsS, prepareChanges: timings.prepareChangesS },
      }),
    );
  } finally {
    await stack?.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  err(`bench:inventory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
