/**
 * `npm run bench:orders`: the order sync end to end on this machine, through the real path — orders placed in the
 * WooCommerce simulator, delivered by its signed webhooks to the receiver, synced by the workers through Temporal into
 * the NetSuite simulator. Each phase gets its own Temporal dev server (in memory) and stack (bench/order-phase.ts).
 *
 * Phase 1 (governed): NetSuite concurrency limit C = 5 (the integration's permits too), 200 ms per NetSuite request,
 *   a burst of 1,000 orders. Figures: orders/s, NetSuite calls per order k, the bound C/(k·L), achieved ÷ bound
 *   (goal ≥ 0.9), 429s, duplicate sales orders (must be 0), p50/p99 webhook → sales order.
 * Phase 2 (overhead): latency 0 on both simulators, C = 5, 1,000 orders as a burst: orders/s end to end (goal ≥ 50) and
 *   the webhook ack p99 seen by the WooCommerce simulator (goal < 50 ms).
 * Phase 2b (paced): latency 0, 150 orders placed at 5 orders/s: the ack p99 when deliveries do not queue behind a burst.
 * The last line is JSON: ordersPerSecond, callsPerOrder, bound, ratio, http429, duplicates, p50Ms, p99Ms,
 * overheadOrdersPerSecond, ackP99Ms, plus details.
 *
 *   npm run bench:orders -- [--orders 1000] [--overhead-orders 1000] [--phase all|governed|overhead|paced]
 *                           [--workers in-process|<processes>] [--rate <orders/s, 0 = burst>] [--timeout-s 900]
 *                           [--limiter postgres|process] [--receiver-backlog <n>] [--workflows <variant module>]
 *                           [--server-tuning on|off] [--paced-orders 150] [--paced-rate 5]
 */
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { BENCH_DYNAMIC_CONFIG } from './dev-server-tuning';
import { runPhase, type PhaseResult, type WorkerMode } from './order-phase';

const GOALS = { ratio: 0.9, duplicates: 0, overheadOrdersPerSecond: 50, ackP99Ms: 50 };

const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISS');
const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

function parseWorkers(value: string): WorkerMode {
  if (value === 'in-process') return { kind: 'in-process' };
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--workers must be "in-process" or a number of processes, got ${value}`);
  return { kind: 'processes', count };
}

function printBreakdown(result: PhaseResult): void {
  const b = result.breakdown;
  if (!b) return;
  console.log(`  where a sampled order waits (${b.sampled} histories; median / p90 ms; ${b.workflowTasksPerOrder} workflow tasks per order; workflow ${fmtMs(b.workflowMs.medianMs)} median):`);
  for (const s of b.steps) {
    console.log(`    ${s.step.padEnd(18)} queued ${String(s.queued.medianMs).padStart(7)} / ${String(s.queued.p90Ms).padStart(7)}   running ${String(s.running.medianMs).padStart(6)} / ${String(s.running.p90Ms).padStart(6)}${s.retries ? `   retries ${s.retries}` : ''}`);
  }
}

function printCommon(result: PhaseResult): void {
  console.log(`  orders synced            ${result.synced}/${result.orders}${result.stalled ? '  (STALLED: orders were lost; partial figures)' : result.timedOut ? '  (TIMED OUT: partial figures)' : ''}; placed in ${fmtMs(result.placementMs)}; workflow runs ${result.workflowRuns}`);
  console.log(`  wall time                ${fmtMs(result.wallMs)} to the last sales order; ${fmtMs(result.closedWallMs)} to the last workflow closed (${result.closedOrdersPerSecond} orders/s)`);
  console.log(`  NetSuite requests        ${result.netsuite.requests} (token endpoint excluded; ${result.netsuite.tokensMinted} token(s) minted), peak concurrency ${result.netsuite.peakConcurrency}; server time p50 ${result.netsuite.serverMedianMs} ms, p99 ${result.netsuite.serverP99Ms} ms; slots busy ${Math.round(result.netsuite.utilization * 100)}%`);
  for (const [route, n] of Object.entries(result.netsuite.byRoute).sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(6)}  ${route}`);
  console.log(`  receiver                 ${JSON.stringify(result.receiver)}`);
  if (result.ack.failed > 0 || result.neverReached > 0) {
    console.log(`  WEBHOOKS FAILED          ${result.ack.failed} deliveries failed ${JSON.stringify(result.deliveryErrors)}; ${result.neverReached} order(s) never reached the receiver`);
  }
  console.log(`  webhooks at the end      ${result.webhooks.map((w) => `${w.topic} ${w.status} (failures ${w.failureCount})`).join(', ')}`);
  console.log(`  NetSuite slots           first request ${fmtMs(result.slots.rampMs)} after the first placement; from then on ${Math.round(result.slots.steadyUtilization * 100)}% busy (share of time with 0…C in flight: ${result.slots.share.join(' ')})`);
  console.log(`  event loop (this process) lag p50 ${result.eventLoop.p50Ms} ms, p99 ${result.eventLoop.p99Ms} ms, max ${result.eventLoop.maxMs} ms`);
  console.log(`  CPU                      machine busy ${Math.round(result.cpu.machineBusy * 100)}% of ${result.cpu.cores} cores; CPU seconds ${JSON.stringify(result.cpu.secondsByProcess)}; load ${result.cpu.loadAverage.join(' ')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '1000' },
      'overhead-orders': { type: 'string', default: '1000' },
      phase: { type: 'string', default: 'all' },
      workers: { type: 'string', default: 'in-process' },
      rate: { type: 'string', default: '0' },
      'timeout-s': { type: 'string', default: '900' },
      concurrency: { type: 'string', default: '5' },
      'latency-ms': { type: 'string', default: '200' },
      warmup: { type: 'string', default: '5' },
      samples: { type: 'string', default: '40' },
      workflows: { type: 'string' },
      limiter: { type: 'string', default: 'postgres' },
      'receiver-backlog': { type: 'string' },
      'server-tuning': { type: 'string', default: 'on' },
      'paced-orders': { type: 'string', default: '150' },
      'paced-rate': { type: 'string', default: '5' },
    },
  });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const workers = parseWorkers(values.workers);
  const concurrency = Number(values.concurrency);
  const latencyMs = Number(values['latency-ms']);
  const common = {
    concurrency,
    workers,
    warmupOrders: Number(values.warmup),
    timeoutMs: Number(values['timeout-s']) * 1000,
    dynamicConfig: values['server-tuning'] === 'off' ? {} : BENCH_DYNAMIC_CONFIG,
    sampleHistories: Number(values.samples),
    seed: 1,
    progress: err,
    ratePerSecond: Number(values.rate),
    limiter: values.limiter === 'process' ? ('process' as const) : ('postgres' as const),
    ...(values['receiver-backlog'] ? { receiverBacklog: Number(values['receiver-backlog']) } : {}),
    ...(values.workflows ? { workflowsPath: require.resolve(values.workflows.startsWith('.') ? `${process.cwd()}/${values.workflows}` : values.workflows) } : {}),
  };
  err(`bench:orders on ${workers.kind === 'in-process' ? 'in-process workers' : `${workers.count} worker process(es)`}; load before: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  let governed: PhaseResult | undefined;
  let overhead: PhaseResult | undefined;
  let paced: PhaseResult | undefined;
  if (values.phase === 'all' || values.phase === 'governed') {
    governed = await runPhase({ ...common, label: 'governed', orders: Number(values.orders), netsuiteLatencyMs: latencyMs, wooLatencyMs: 0 });
  }
  if (values.phase === 'all' || values.phase === 'overhead') {
    overhead = await runPhase({ ...common, label: 'overhead', orders: Number(values['overhead-orders']), netsuiteLatencyMs: 0, wooLatencyMs: 0 });
  }
  if ((values.phase === 'all' || values.phase === 'paced') && Number(values['paced-orders']) > 0) {
    const rate = Number(values['paced-rate']);
    paced = await runPhase({ ...common, label: 'paced', orders: Number(values['paced-orders']), netsuiteLatencyMs: 0, wooLatencyMs: 0, ratePerSecond: rate, sampleHistories: 0 });
  }

  const summary: Record<string, unknown> = {};
  if (governed) {
    const k = governed.callsPerOrder;
    const L = latencyMs / 1000;
    const bound = k > 0 ? concurrency / (k * L) : 0;
    const ratio = bound > 0 ? governed.ordersPerSecond / bound : 0;
    console.log(`\nPhase 1 — NetSuite C=${concurrency}, latency ${latencyMs} ms, burst of ${governed.orders} orders`);
    printCommon(governed);
    console.log(`  orders/s                 ${governed.ordersPerSecond}   (first placement → last sales order createdDate)`);
    console.log(`  NetSuite calls per order k = ${k}   (vendor requests by route, token endpoint excluded, ÷ orders synced)`);
    console.log(`  bound C/(k·L)            ${bound.toFixed(2)} orders/s   (L = ${L} s)`);
    console.log(`  ${mark(ratio >= GOALS.ratio)} achieved ÷ bound       ${ratio.toFixed(3)}   (goal ≥ ${GOALS.ratio})`);
    console.log(`       429s                 ${governed.netsuite.http429}`);
    console.log(`  ${mark(governed.duplicates === 0)} duplicates           ${governed.duplicates}   (sales orders ${governed.salesOrders} − distinct external IDs ${governed.distinctExternalIds}; must be 0)`);
    console.log(`       webhook → sales order p50 ${fmtMs(governed.webhookToSalesOrder.p50Ms)}, p99 ${fmtMs(governed.webhookToSalesOrder.p99Ms)}   (first delivery's start in the WooCommerce delivery log → sales order createdDate)`);
    printBreakdown(governed);
    Object.assign(summary, {
      ordersPerSecond: governed.ordersPerSecond,
      callsPerOrder: k,
      bound: Math.round(bound * 1000) / 1000,
      ratio: Math.round(ratio * 1000) / 1000,
      http429: governed.netsuite.http429,
      duplicates: governed.duplicates,
      p50Ms: governed.webhookToSalesOrder.p50Ms,
      p99Ms: governed.webhookToSalesOrder.p99Ms,
      governedSynced: governed.synced,
      governedOrders: governed.orders,
      governedLostWebhooks: governed.ack.failed,
      netsuiteSlotsBusy: governed.netsuite.utilization,
      rampMs: governed.slots.rampMs,
      steadySlotsBusy: governed.slots.steadyUtilization,
    });
  }
  if (overhead) {
    console.log(`\nPhase 2 — latency 0 on both simulators, C=${concurrency}, ${overhead.orders} orders ${common.ratePerSecond > 0 ? `at ${common.ratePerSecond}/s` : 'as a burst'}`);
    printCommon(overhead);
    console.log(`  ${mark(overhead.ordersPerSecond >= GOALS.overheadOrdersPerSecond)} orders/s end to end  ${overhead.ordersPerSecond}   (goal ≥ ${GOALS.overheadOrdersPerSecond}; first placement → last sales order)`);
    console.log(`  ${mark(overhead.ack.p99Ms < GOALS.ackP99Ms)} webhook ack p99      ${fmtMs(overhead.ack.p99Ms)}   (goal < ${GOALS.ackP99Ms} ms; p50 ${fmtMs(overhead.ack.p50Ms)}, max ${fmtMs(overhead.ack.maxMs)}, ${overhead.ack.count} deliveries, ${overhead.ack.failed} failed; WooCommerce delivery log durations)`);
    console.log(`       duplicates           ${overhead.duplicates}; 429s ${overhead.netsuite.http429}; k = ${overhead.callsPerOrder}; webhook → sales order p50 ${fmtMs(overhead.webhookToSalesOrder.p50Ms)}, p99 ${fmtMs(overhead.webhookToSalesOrder.p99Ms)}`);
    printBreakdown(overhead);
    Object.assign(summary, {
      overheadOrdersPerSecond: overhead.ordersPerSecond,
      ackP99Ms: overhead.ack.p99Ms,
      overheadClosedOrdersPerSecond: overhead.closedOrdersPerSecond,
      overheadDuplicates: overhead.duplicates,
      ackP50Ms: overhead.ack.p50Ms,
      overheadSynced: overhead.synced,
      overheadOrders: overhead.orders,
      overheadLostWebhooks: overhead.ack.failed,
    });
  }
  if (paced) {
    console.log(`\nPhase 2b — latency 0, C=${concurrency}, ${paced.orders} orders placed at ${values['paced-rate']}/s (a load this machine sustains): the receiver's ack when not queued behind a burst`);
    console.log(`  ${mark(paced.ack.p99Ms < GOALS.ackP99Ms)} webhook ack p99      ${fmtMs(paced.ack.p99Ms)}   (goal < ${GOALS.ackP99Ms} ms; p50 ${fmtMs(paced.ack.p50Ms)}, max ${fmtMs(paced.ack.maxMs)}, ${paced.ack.count} deliveries, ${paced.ack.failed} failed)`);
    console.log(`       orders synced ${paced.synced}/${paced.orders}; webhook → sales order p50 ${fmtMs(paced.webhookToSalesOrder.p50Ms)}, p99 ${fmtMs(paced.webhookToSalesOrder.p99Ms)}; event loop lag p99 ${paced.eventLoop.p99Ms} ms; CPU ${JSON.stringify(paced.cpu.secondsByProcess)}, load ${paced.cpu.loadAverage.join(' ')}`);
    Object.assign(summary, { ackP99PacedMs: paced.ack.p99Ms, ackP50PacedMs: paced.ack.p50Ms, pacedRate: Number(values['paced-rate']), pacedWebhookToSalesOrderP50Ms: paced.webhookToSalesOrder.p50Ms });
  }
  const timedOut = [governed, overhead, paced].some((r) => r?.timedOut);
  summary.timedOut = timedOut;
  summary.workers = workers.kind === 'in-process' ? 'in-process' : workers.count;
  summary.limiter = common.limiter;
  summary.loadAverage = (await import('node:os')).loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(JSON.stringify(summary));
  process.exitCode = timedOut ? 1 : 0;
}

main().catch((error: unknown) => {
  err(`bench:orders failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
