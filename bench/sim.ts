/**
 * `npm run bench:sim`: the simulators' own overhead, so later benchmarks measure the integration, not the simulator.
 *
 * Each simulator runs in this process with latency 0 (and NetSuite's concurrency limit raised so nothing is refused);
 * a load generator in a separate process keeps 200 requests in flight over keep-alive connections with a realistic
 * mix of routes. The figures are server time per request — Fastify onRequest to onResponse, measured inside the
 * simulator — read back from each simulator's control API. Goal: median < 1 ms.
 * The last line is JSON: { medianMs, p99Ms, requests, concurrency, netsuite: {...}, woocommerce: {...} }.
 *
 *   npm run bench:sim -- --requests 20000 --concurrency 200
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startNetSuiteSimulator } from '../simulators/netsuite';
import { getAccessToken } from '../simulators/netsuite/testing';
import { generateCatalog, generateOrderDrafts, sellableItems } from '../simulators/seed';
import { summarizeTimings, type TimingSummary } from '../simulators/shared/timings';
import { startWooCommerceSimulator } from '../simulators/woocommerce';
import type { LoadPlan, LoadTarget } from './load-client';

const execFileAsync = promisify(execFile);

async function runLoad(plan: LoadPlan): Promise<{ byStatus: Record<string, number>; wallMs: number }> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(__dirname, 'load-client.ts'), JSON.stringify(plan)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { byStatus: Record<string, number>; wallMs: number };
}

const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { requests: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '200' }, products: { type: 'string', default: '400' } },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const catalog = generateCatalog({ seed: 42, products: Number(values.products), customers: 50 });
  const skus = sellableItems(catalog).map((item) => item.sku);

  // ---- NetSuite
  const netsuite = await startNetSuiteSimulator({ catalog, concurrencyLimit: 100_000, timingBufferSize: requests + 10_000 });
  const token = await getAccessToken(netsuite);
  const rest = `${netsuite.url}/services/rest`;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const items = netsuite.control.listRecords('inventoryItem') as { id: string }[];
  const customers = netsuite.control.listRecords('customer') as { id: string }[];
  const nsTargets: LoadTarget[] = [];
  for (let i = 0; i < 50; i++) {
    nsTargets.push({ method: 'GET', url: `${rest}/record/v1/inventoryItem/${items[i % items.length]?.id}`, headers: auth });
    nsTargets.push({ method: 'GET', url: `${rest}/record/v1/customer/${customers[i % customers.length]?.id}`, headers: auth });
    nsTargets.push({
      method: 'POST',
      url: `${rest}/query/v1/suiteql?limit=10`,
      headers: { ...auth, prefer: 'transient' },
      body: JSON.stringify({
        q: `SELECT i.id, i.itemid, l.quantityavailable FROM item i JOIN inventoryitemlocations l ON l.item = i.id WHERE i.itemid = '${skus[i % skus.length]}'`,
      }),
    });
  }
  await runLoad({ targets: nsTargets, concurrency, requests: 2000 }); // warm-up (JIT, connections)
  netsuite.control.resetCounters();
  const nsLoad = await runLoad({ targets: nsTargets, concurrency, requests });
  const nsTimings = netsuite.control.serverTimings();
  const nsCounters = netsuite.control.counters();
  await netsuite.close();

  // ---- WooCommerce
  const woocommerce = await startWooCommerceSimulator({ catalog, timingBufferSize: requests + 10_000 });
  const orderIds = generateOrderDrafts(catalog, 200).map((draft) => woocommerce.control.placeOrder(draft).id);
  const basic = { authorization: `Basic ${Buffer.from(`${woocommerce.consumerKey}:${woocommerce.consumerSecret}`).toString('base64')}` };
  const wc = `${woocommerce.url}/wp-json/wc/v3`;
  const wcTargets: LoadTarget[] = [];
  for (let i = 0; i < 50; i++) {
    wcTargets.push({ method: 'GET', url: `${wc}/orders/${orderIds[i % orderIds.length]}`, headers: basic });
    wcTargets.push({ method: 'GET', url: `${wc}/products?sku=${skus.slice(i, i + 5).join(',')}`, headers: basic });
    wcTargets.push({ method: 'GET', url: `${wc}/orders?status=processing&per_page=10&page=${(i % 5) + 1}`, headers: basic });
  }
  await runLoad({ targets: wcTargets, concurrency, requests: 2000 });
  woocommerce.control.resetCounters();
  const wcLoad = await runLoad({ targets: wcTargets, concurrency, requests });
  const wcTimings = woocommerce.control.serverTimings();
  await woocommerce.close();

  const all = summarizeTimings([...(nsTimings.samplesMs ?? []), ...wcTimings.samples.map((s) => s.ms)]);
  const line = (name: string, t: TimingSummary, load: { byStatus: Record<string, number>; wallMs: number }): string =>
    `${name.padEnd(12)} ${String(t.count).padStart(7)} req  median ${fmt(t.medianMs)}  p90 ${fmt(t.p90Ms)}  p99 ${fmt(t.p99Ms)}  max ${fmt(t.maxMs)}  ` +
    `(${Math.round((t.count / load.wallMs) * 1000)} req/s, statuses ${JSON.stringify(load.byStatus)})`;
  console.log(`Simulator overhead: server time per request, ${concurrency} concurrent clients, latency 0, ${requests} requests per simulator`);
  console.log(line('NetSuite', nsTimings, nsLoad));
  console.log(line('WooCommerce', wcTimings, wcLoad));
  console.log(
    `${'both'.padEnd(12)} ${String(all.count).padStart(7)} req  median ${fmt(all.medianMs)}  p99 ${fmt(all.p99Ms)}   goal: median < 1 ms → ${all.medianMs < 1 ? 'met' : 'NOT met'}`,
  );
  console.log(`NetSuite peak concurrency seen ${nsCounters.peakConcurrency}, 429s ${nsCounters.http429}`);
  const pick = ({ count, medianMs, p90Ms, p99Ms, maxMs }: TimingSummary) => ({ count, medianMs, p90Ms, p99Ms, maxMs });
  console.log(
    JSON.stringify({
      medianMs: Number(all.medianMs.toFixed(4)),
      p99Ms: Number(all.p99Ms.toFixed(4)),
      requests: all.count,
      concurrency,
      netsuite: { ...pick(nsTimings), peakConcurrency: nsCounters.peakConcurrency, http429: nsCounters.http429 },
      woocommerce: pick(wcTimings),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
