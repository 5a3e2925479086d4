/**
 * `npm run bench:inventory`: the inventory sync of a large catalog through the real path — a Temporal dev server, the
 * inventory workflow and its activities on an in-process worker, the real NetSuite and WooCommerce clients, the
 * snapshot in PostgreSQL (the stack's: embedded unless NETSUITE_LIMITER_URL names one), and both simulators over HTTP
 * with vendor-like latency — in both kinds of run.
 *
 * Workload (defaults): 50,000 SKUs, a fifth of them variations; 20 orders accepted in WooCommerce and not yet in
 * NetSuite (in flight); NetSuite latency 200 ms per request, WooCommerce 100 ms. Three runs, one worker:
 *   1. the first run: no snapshot yet, so a full pass (it makes the snapshot; reported as set-up);
 *   2. **incremental**: 1 % of the SKUs changed in NetSuite since (on-hand raised at location 1, spread over the catalog);
 *   3. **full pass**, due because the last one is older than INVENTORY_FULL_PASS_HOURS (its start is moved back 25 h in
 *      the database): another 1 % changed in NetSuite, and 0.1 % of the SKUs edited on the WooCommerce side ("WP
 *      admin"), which only a full pass sees.
 *
 * Figures per measured run, each with its goal and ok/MISS:
 *   NetSuite     requests made = ⌈items ÷ page size⌉ SuiteQL pages (the token endpoint is counted apart)
 *   WooCommerce  requests made against the least the run could make through WooCommerce's routes:
 *                  product reads ⌈SKUs read ÷ 100⌉ (full: every owned SKU; incremental: the changed ones)
 *                + order pages ⌈in-flight orders ÷ 100⌉
 *                + write batches ⌈changed simple products ÷ 100⌉ + one per variable product with changed variations
 *                  (WooCommerce refuses a variation on /products/batch: each parent's variations go through its own route)
 *                goal ≤ 1.1 × that; the incremental run also against the issue's goal 2·⌈changed ÷ 100⌉ + order pages + 1
 *   SKU writes = SKUs changed; SKUs off target after the run = 0.
 * The last line is JSON: `incremental` and `full`, each with wooRequests, wooRequestsMinimum, wooRequestsGoal,
 * netsuiteRequests, netsuiteRequestsMinimum, writes, changed, skusOffAfterRun, wallSeconds and the breakdowns.
 *
 *   npm run bench:inventory -- [--skus 50000] [--variation-share 0.2] [--changed-share 0.01] [--woo-edited-share 0.001]
 *                              [--in-flight-orders 20] [--netsuite-latency-ms 200] [--woo-latency-ms 100]
 *                              [--pages-per-activity 10] [--seed 7]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import pino from 'pino';
import { startSyncStack, defaultMapping, type SyncStack, temporalOf } from '../dev/sync-stack';
import { startDevServer, type DevServer } from '../dev/temporal-dev-server';
import { createRng, type Rng } from '../simulators/shared/rng';
import { generateCatalog, sellableItems, type SeedCatalog, type SellableItem } from '../simulators/seed';
import { createInventoryActivities, WOOCOMMERCE_CONCURRENCY } from '../src/activities/inventory-activities';
import { createMappingSource } from '../src/activities/mapping-source';
import { inventoryWorkflowId, SCHEDULED_WORKFLOW_TYPES } from '../src/api';
import { DEFAULT_FULL_PASS_HOURS, type InventorySyncResult } from '../src/inventory/types';
import { createNetSuiteClient } from '../src/netsuite/client';
import { createProcessLimiter } from '../src/netsuite/limiter';
import { createPostgresInventorySnapshotStore, INVENTORY_FULL_PASSES_TABLE } from '../src/state/inventory-snapshot';
import { createWooClient } from '../src/woocommerce/client';
import type { inventorySyncWorkflow } from '../src/workflows/inventory-sync';

const RATIO_GOAL = 1.1;
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
const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISS');

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
  const available = netsuiteAvailable(stack);
  return items.filter((item) => products.get(item.sku)?.stock_quantity !== Math.max(0, (available.get(item.sku) ?? 0) - (inFlight.get(item.sku) ?? 0)));
}

/** NetSuite available (locations 1 and 2) of each SKU, from the simulator's records. */
function netsuiteAvailable(stack: SyncStack): Map<string, number> {
  const available = new Map<string, number>();
  for (const record of stack.netsuite.control.listRecords('inventoryItem')) {
    const rows = (record.locations as { items: { location: { id: string }; quantityAvailable: number }[] }).items;
    available.set(
      String(record.itemId),
      rows.filter((r) => r.location.id === '1' || r.location.id === '2').reduce((n, r) => n + r.quantityAvailable, 0),
    );
  }
  return available;
}

/** Raises on-hand at location 1 for `count` distinct random SKUs (so available rises: never a no-op). */
function changeInNetSuite(stack: SyncStack, items: readonly SellableItem[], count: number, rng: Rng): void {
  const onHand = new Map<string, number>();
  for (const record of stack.netsuite.control.listRecords('inventoryItem')) {
    const rows = (record.locations as { items: { location: { id: string }; quantityOnHand: number }[] }).items;
    onHand.set(String(record.itemId), rows.find((r) => r.location.id === '1')?.quantityOnHand ?? 0);
  }
  const skus = new Set<string>();
  while (skus.size < count) skus.add(items[rng.int(0, items.length - 1)]!.sku);
  for (const sku of skus) stack.netsuite.control.setItemQuantities(sku, { location: '1', onHand: (onHand.get(sku) ?? 0) + rng.int(1, 20) });
}

/** What one measured run did, against its goals. */
interface RunFigures {
  pass: InventorySyncResult['pass'];
  wallSeconds: number;
  changed: number;
  writes: number;
  skusOffAfterRun: number;
  netsuiteRequests: number;
  netsuiteRequestsMinimum: number;
  tokenRequests: number;
  wooRequests: number;
  wooRequestsMinimum: number;
  /** The goal the run is held to: ≤ 1.1 × the minimum, or (incremental) the issue's 2·⌈changed ÷ 100⌉ + order pages + 1. */
  wooRequestsGoal: number;
  wooRatio: number;
  productReads: number;
  productReadsMinimum: number;
  orderReads: number;
  orderReadsMinimum: number;
  writeRequests: number;
  writeRequestsMinimum: number;
  result: { updated: number; unchanged: number; skipped: number; failed: number; pagesRead: number; runs: number; passReason: string };
  netsuiteServerSeconds: number;
  woocommerceServerSeconds: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      skus: { type: 'string', default: '50000' },
      'variation-share': { type: 'string', default: '0.2' },
      'changed-share': { type: 'string', default: '0.01' },
      'woo-edited-share': { type: 'string', default: '0.001' },
      'in-flight-orders': { type: 'string', default: '20' },
      'netsuite-latency-ms': { type: 'string', default: '200' },
      'woo-latency-ms': { type: 'string', default: '100' },
      'pages-per-activity': { type: 'string', default: '10' },
      seed: { type: 'string', default: '7' },
    },
  });
  const skuCount = Number(values.skus);
  const changedShare = Number(values['changed-share']);
  const wooEditedShare = Number(values['woo-edited-share']);
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
  err(
    `catalog: ${items.length} SKUs (${variations.length} variations of ${catalog.products.filter((p) => p.type === 'variable').length} variable products, ${items.length - variations.length} simple products)`,
  );

  let server: DevServer | undefined;
  let stack: SyncStack | undefined;
  const snapshots: { close(): Promise<void> }[] = [];
  try {
    server = await startDevServer({ ui: false });
    lap('devServerS');
    stack = await startSyncStack({
      temporal: temporalOf(server),
      catalog,
      store: 'bench',
      topics: [],
      limiter: 'process',
      logger: pino({ level: 'silent' }),
      mapping: defaultMapping(catalog),
    });
    const sync = stack;
    lap('seedSimulatorsS');

    const rng = createRng(Number(values.seed) + 1);
    // Orders WooCommerce accepted that NetSuite has not received: WooCommerce already holds their units.
    for (let i = 0; i < inFlightOrders; i++) {
      const item = items[rng.int(0, items.length - 1)]!;
      sync.woo.control.placeOrder({
        lines: [{ sku: item.sku, quantity: 1 }],
        paymentMethodId: catalog.paymentMethods[0]!.id,
        status: 'processing',
        customerEmail: catalog.customers[0]!.email,
      });
    }
    lap('prepareChangesS');

    sync.netsuite.control.setGovernance({ latency: { fixedMs: netsuiteLatencyMs, jitterMs: 0 } });
    sync.woo.control.setLatency({ fixedMs: wooLatencyMs, jitterMs: 0 });

    const snapshotStore = createPostgresInventorySnapshotStore(sync.stateDatabaseUrl);
    snapshots.push(snapshotStore);
    const taskQueue = `inventory-bench-${Date.now().toString(36)}`;
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      namespace: server.namespace,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows/inventory-sync'),
      activities: createInventoryActivities({
        netsuite: createNetSuiteClient({
          credentials: sync.netsuiteSettings.credentials,
          limiter: createProcessLimiter(sync.netsuiteSettings.permits),
          requestTimeoutMs: 60_000,
        }),
        stores: new Map([[sync.store.name, createWooClient(sync.store, { timeoutMs: 60_000 })]]),
        mapping: createMappingSource(sync.mappingFile),
        snapshots: snapshotStore,
        fullPassHours: DEFAULT_FULL_PASS_HOURS,
      }),
    });
    lap('workerS');
    const client = server.env.client;
    let runNumber = 0;

    /** One run of the workflow with fresh counters, measured against its goals. */
    const measure = async (issueGoal: boolean): Promise<RunFigures> => {
      const toChange = offTarget(sync, items);
      const changedSimple = toChange.filter((item) => item.parentSku === undefined).length;
      const changedParents = new Set(toChange.flatMap((item) => (item.parentSku !== undefined ? [item.parentSku] : []))).size;
      sync.netsuite.control.resetCounters();
      sync.woo.control.resetCounters();
      const runStarted = performance.now();
      const result = await client.workflow.execute<typeof inventorySyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.inventory, {
        taskQueue,
        workflowId: `${inventoryWorkflowId(sync.store.name)}:${++runNumber}`,
        args: [{ store: sync.store.name, pagesPerActivity }],
      });
      const wallMs = performance.now() - runStarted;
      const ns = sync.netsuite.control.counters();
      const woo = sync.woo.control.counters().requestsByRoute;
      const netsuiteRequests = Object.entries(ns.requestsByRoute)
        .filter(([route]) => route !== TOKEN_ROUTE)
        .reduce((n, [, c]) => n + c, 0);
      const productReads = woo[WOO.productReads] ?? 0;
      const orderReads = woo[WOO.orderReads] ?? 0;
      const writeRequests = (woo[WOO.productBatches] ?? 0) + (woo[WOO.variationBatches] ?? 0);
      const wooRequests = Object.values(woo).reduce((n, c) => n + c, 0);
      const productReadsMinimum = Math.ceil((result.pass === 'full' ? items.length : toChange.length) / 100);
      const orderReadsMinimum = Math.max(1, Math.ceil(inFlightOrders / 100));
      const writeRequestsMinimum = Math.ceil(changedSimple / 100) + changedParents;
      const wooRequestsMinimum = productReadsMinimum + orderReadsMinimum + writeRequestsMinimum;
      const nsTimes = sync.netsuite.control.serverTimings();
      const wooSamples = sync.woo.control.serverTimings().samples;
      return {
        pass: result.pass,
        wallSeconds: seconds(wallMs),
        changed: toChange.length,
        writes: result.updated + result.failed,
        skusOffAfterRun: offTarget(sync, items).length,
        netsuiteRequests,
        netsuiteRequestsMinimum: Math.ceil(items.length / PAGE_SIZE),
        tokenRequests: ns.requestsByRoute[TOKEN_ROUTE] ?? 0,
        wooRequests,
        wooRequestsMinimum,
        wooRequestsGoal: issueGoal ? 2 * Math.ceil(toChange.length / 100) + orderReadsMinimum + 1 : Math.floor(wooRequestsMinimum * RATIO_GOAL),
        wooRatio: Math.round((wooRequests / wooRequestsMinimum) * 1000) / 1000,
        productReads,
        productReadsMinimum,
        orderReads,
        orderReadsMinimum,
        writeRequests,
        writeRequestsMinimum,
        result: {
          updated: result.updated,
          unchanged: result.unchanged,
          skipped: result.skipped,
          failed: result.failed,
          pagesRead: result.pagesRead,
          runs: result.runs,
          passReason: result.passReason,
        },
        netsuiteServerSeconds: seconds((nsTimes.samplesMs ?? []).reduce((n, ms) => n + ms, 0)),
        woocommerceServerSeconds: seconds(wooSamples.reduce((n, s) => n + s.ms, 0)),
      };
    };

    const { first, incremental, full } = await worker.runUntil(async () => {
      const first = await measure(false);
      changeInNetSuite(sync, items, Math.round(items.length * changedShare), rng);
      const incremental = await measure(true);
      changeInNetSuite(sync, items, Math.round(items.length * changedShare), rng);
      // Stock edited in WP admin: only a full pass sees it.
      const edited = new Set<string>();
      while (edited.size < Math.round(items.length * wooEditedShare)) edited.add(items[rng.int(0, items.length - 1)]!.sku);
      for (const sku of edited) sync.woo.control.setStock(sku, rng.int(200, 400));
      // A day passes: the last full pass started longer ago than INVENTORY_FULL_PASS_HOURS.
      const pool = new Pool({ connectionString: sync.stateDatabaseUrl, max: 1 });
      try {
        await pool.query(`UPDATE ${INVENTORY_FULL_PASSES_TABLE} SET started_at = started_at - make_interval(hours => $2) WHERE store = $1`, [
          sync.store.name,
          DEFAULT_FULL_PASS_HOURS + 1,
        ]);
      } finally {
        await pool.end();
      }
      const full = await measure(false);
      return { first, incremental, full };
    });

    console.log(
      `inventory sync of ${items.length} SKUs (${variations.length} variations), ${inFlightOrders} in-flight orders; NetSuite ${netsuiteLatencyMs} ms, WooCommerce ${wooLatencyMs} ms per request; ${pagesPerActivity} pages per activity`,
    );
    console.log(
      `  set-up                   catalog ${timings.generateCatalogS} s, dev server ${timings.devServerS} s, seeding both simulators ${timings.seedSimulatorsS} s, worker ${timings.workerS} s`,
    );
    console.log(
      `  first run                ${first.pass} pass (${first.result.passReason}): ${first.wallSeconds} s, ${first.wooRequests} WooCommerce requests, ${first.writes} SKU writes — it makes the snapshot`,
    );
    const report = (title: string, f: RunFigures, issueGoal: boolean): void => {
      console.log(`${title}: ${f.pass} (${f.result.passReason}); ${f.changed} SKUs changed`);
      console.log(
        `  wall time                ${f.wallSeconds} s (${f.result.runs} workflow run(s), ${f.result.pagesRead} NetSuite pages); NetSuite server time ${f.netsuiteServerSeconds} s, WooCommerce ${f.woocommerceServerSeconds} s (up to ${WOOCOMMERCE_CONCURRENCY} at once)`,
      );
      console.log(
        `  WooCommerce requests     ${f.wooRequests}: ${f.productReads} product reads (SKUs read ${f.result.updated + f.result.unchanged + f.result.failed}, not read ${f.result.skipped}), ${f.orderReads} order pages (in-flight orders re-read per activity), ${f.writeRequests} write batches`,
      );
      console.log(
        `                           least possible ${f.wooRequestsMinimum} = reads ${f.productReadsMinimum} + order pages ${f.orderReadsMinimum} + batches ${f.writeRequestsMinimum} (⌈changed simple ÷ 100⌉ + one per variable product with changed variations)`,
      );
      console.log(`  ${mark(f.wooRatio <= RATIO_GOAL)} WooCommerce ÷ least  ${f.wooRequests} ÷ ${f.wooRequestsMinimum} = ${f.wooRatio} (goal ≤ ${RATIO_GOAL})`);
      if (issueGoal)
        console.log(
          `  ${mark(f.wooRequests <= f.wooRequestsGoal)} WooCommerce requests ${f.wooRequests} (goal ≤ 2·⌈${f.changed} ÷ 100⌉ + ${f.orderReadsMinimum} order page(s) + 1 = ${f.wooRequestsGoal}; ${f.writeRequestsMinimum - Math.ceil(f.changed / 100)} of the least possible batches are variation routes)`,
        );
      console.log(
        `  ${mark(f.netsuiteRequests === f.netsuiteRequestsMinimum)} NetSuite requests    ${f.netsuiteRequests} (goal = ${f.netsuiteRequestsMinimum} SuiteQL pages; ${f.tokenRequests} token request(s) apart)`,
      );
      console.log(
        `  ${mark(f.writes === f.changed)} SKU writes ÷ changed ${f.writes} ÷ ${f.changed} (goal: equal); updated ${f.result.updated}, unchanged ${f.result.unchanged}, not read ${f.result.skipped}, failed ${f.result.failed}`,
      );
      console.log(`  ${mark(f.skusOffAfterRun === 0)} after the run        ${f.skusOffAfterRun} SKUs differ from NetSuite available − in-flight (goal 0)`);
    };
    report(`incremental run (${Math.round(changedShare * 1000) / 10} % changed in NetSuite)`, incremental, true);
    report(
      `full pass (${Math.round(changedShare * 1000) / 10} % changed in NetSuite, ${Math.round(wooEditedShare * 1000) / 10} % edited in WooCommerce, the last full pass ${DEFAULT_FULL_PASS_HOURS + 1} h old)`,
      full,
      false,
    );
    console.log(
      JSON.stringify({
        skus: items.length,
        variations: variations.length,
        inFlightOrders,
        latencyMs: { netsuite: netsuiteLatencyMs, woocommerce: wooLatencyMs },
        incremental,
        full,
        firstRun: { pass: first.pass, wallSeconds: first.wallSeconds, wooRequests: first.wooRequests, writes: first.writes },
        setupSeconds: { catalog: timings.generateCatalogS, devServer: timings.devServerS, seedSimulators: timings.seedSimulatorsS, worker: timings.workerS },
      }),
    );
  } finally {
    for (const store of snapshots) await store.close();
    await stack?.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  err(`bench:inventory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
