/**
 * One measured burst of `npm run bench:orders` on a running stack: N orders placed in the WooCommerce simulator — all
 * at once or at a fixed rate — that reach the receiver only through the store's signed webhooks. It waits (bounded)
 * until every order has its sales order and its workflow has closed, then reads the figures back from the simulators
 * and Temporal. Several bursts may run one after another on the same workers (cold caches, then warm ones).
 *
 * Where each figure comes from:
 * - wall time: first placement → the last sales order's `createdDate` in the NetSuite simulator;
 *   closed wall time: first placement → the last order workflow's close time (outcome written back to the order);
 * - NetSuite calls: the simulator's requestsByRoute since the burst began, without the token endpoint (429-refused
 *   requests would be included; http429 says how many there were);
 * - webhook → sales order: per order, the start of the first delivery in the WooCommerce simulator's delivery log
 *   (`at` − `durationMs`) → the sales order's `createdDate`; the first orders placed: the same, for the first N in
 *   order of placement;
 * - webhook ack: every delivery's `durationMs` in that log (connect + request + the receiver's answer, seen by the sender);
 * - CPU: /proc, per process and per role (bench/cpu.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SyncStack } from '../dev/sync-stack';
import { summarizeTimings } from '../simulators/shared/timings';
import type { WooOrderJson } from '../simulators/woocommerce';
import type { ReceiverStats } from '../src/receiver';
import { startCpuMeter, type CpuReport } from './cpu';
import { waitBreakdown, type WaitBreakdown } from './wait-breakdown';

export type OrderDraft = Parameters<SyncStack['woo']['control']['placeOrder']>[0];

/** Percentiles of a list of durations (nearest rank; the median interpolated). */
export interface Distribution {
  /** Samples. */
  count: number;
  /** Median, in ms. */
  p50Ms: number;
  /** 99th percentile, in ms. */
  p99Ms: number;
  /** Largest sample, in ms. */
  maxMs: number;
}

export interface BurstOptions {
  /** Printed with progress lines, e.g. "governed, cold". */
  label: string;
  /** NetSuite simulator's account concurrency limit (for the slot occupancy). */
  concurrency: number;
  /** Orders placed per second; 0 = all at once. */
  ratePerSecond: number;
  /** The burst gives up after this long (figures are then partial, `timedOut` true). */
  timeoutMs: number;
  /** Order histories read for the wait breakdown. */
  sampleHistories: number;
  /** How many of the first orders placed `firstOrders` covers. */
  firstOrders: number;
  /** Child processes by role ("worker", "receiver"), for CPU per role. */
  roles: Record<string, readonly number[]>;
  /** The receiver's counters, when it runs in this process. */
  receiverStats?: () => ReceiverStats;
  progress: (line: string) => void;
}

/** Everything one burst measured (see the module comment for where each figure comes from). */
export interface BurstResult {
  label: string;
  /** Orders placed (measured). */
  orders: number;
  /** Measured orders that have a sales order. */
  synced: number;
  /** Measured orders whose workflow closed. */
  closed: number;
  /** The wait ended at the deadline or stalled: the figures cover what had finished. */
  timedOut: boolean;
  /** First placement → last sales order, in ms. */
  wallMs: number;
  /** Synced orders ÷ wallMs. */
  ordersPerSecond: number;
  /** First placement → last workflow closed, in ms. */
  closedWallMs: number;
  /** Closed orders ÷ closedWallMs. */
  closedOrdersPerSecond: number;
  /** Time to place all orders in the simulator, in ms. */
  placementMs: number;
  /** The NetSuite simulator's counters over the burst. */
  netsuite: {
    /** Vendor requests without the token endpoint. */
    requests: number;
    /** The same by route template. */
    byRoute: Record<string, number>;
    /** Requests refused with 429. */
    http429: number;
    /** Most requests in flight at once. */
    peakConcurrency: number;
    /** Tokens minted (0 unless a token expired or was revoked, or fresh workers fetched one). */
    tokensMinted: number;
    /** Answers by HTTP status. */
    statusCounts: Record<string, number>;
    /** Server time per request (injected latency included), measured inside the simulator. */
    serverMedianMs: number;
    /** 99th percentile of the same. */
    serverP99Ms: number;
    /** Σ server time of all requests ÷ (C × wall time): how busy the account's C slots were. */
    utilization: number;
  };
  /** Event-loop lag of this process (simulators, and whatever else runs in it) during the burst, beyond the 10 ms sampling interval. */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
  /** NetSuite in-flight requests sampled every 5 ms: when calls started, and how busy the slots were from then on. */
  slots: {
    /** First placement → first NetSuite request of the burst (its ramp), in ms. */
    rampMs: number;
    /** Mean in-flight ÷ C from the first NetSuite request to the last sales order. */
    steadyUtilization: number;
    /** Share of that time with 0, 1, … C requests in flight. */
    share: number[];
  };
  /** k: netsuite.requests ÷ synced. */
  callsPerOrder: number;
  /** Sales orders in the simulator (earlier bursts and the warm-up included). */
  salesOrders: number;
  /** Their distinct external IDs. */
  distinctExternalIds: number;
  /** salesOrders − distinctExternalIds: must be 0. */
  duplicates: number;
  /** First webhook delivery's start → sales order createdDate, per order. */
  webhookToSalesOrder: Distribution;
  /**
   * The same for the first `count` orders placed: the longest, how many of them synced, and the slowest one — its
   * order ID and where it waited (its history).
   */
  firstOrders: {
    count: number;
    synced: number;
    maxMs: number;
    slowestOrderId: number | undefined;
    slowest: WaitBreakdown | undefined;
    /** The slowest one's first webhook delivery → its workflow's start, in ms. */
    slowestStartedAfterMs: number | undefined;
  };
  /** Webhook delivery durations seen by the WooCommerce simulator; failed = deliveries without a 2xx. */
  ack: Distribution & { failed: number };
  /** Failed webhook deliveries by error (timeouts, resets, status codes). */
  deliveryErrors: Record<string, number>;
  /** First placement → the last delivery of the burst answered, in ms (how long the store took to deliver). */
  deliveryWallMs: number;
  /** Measured orders none of whose webhook deliveries succeeded: the receiver never heard of them. */
  neverReached: number;
  /** The store's webhooks at the end (WooCommerce disables one after repeated failures). */
  webhooks: { topic: string; status: string; failureCount: number }[];
  /** The wait ended because nothing moved any more (an order was lost). */
  stalled: boolean;
  /** The receiver's counters for the measured orders (undefined when it runs in a process of its own). */
  receiver: ReceiverStats | undefined;
  /** Workflow executions on the stack's task queue (runs), every burst and the warm-up. */
  workflowRuns: number;
  /** Where sampled orders waited (undefined when no history was sampled). */
  breakdown: WaitBreakdown | undefined;
  /** CPU used during the burst (placement → every workflow closed). */
  cpu: CpuReport;
  /** The same interval on the machine's monotonic clock, in µs (what V8 CPU profiles time their samples by). */
  monotonicUs: { from: number; to: number };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function distribution(samples: number[]): Distribution {
  const s = summarizeTimings(samples);
  return { count: s.count, p50Ms: round(s.medianMs), p99Ms: round(s.p99Ms), maxMs: round(s.maxMs) };
}

/** Sales orders in the simulator: custbody_woo_order_key → createdMs (first one), plus totals. */
function salesOrders(stack: SyncStack): { byOrderKey: Map<string, number>; total: number; distinctExternalIds: number } {
  const records = stack.netsuite.control.listRecords('salesOrder');
  const byOrderKey = new Map<string, number>();
  const externalIds = new Set<string>();
  for (const record of records) {
    const key = record.custbody_woo_order_key;
    const created = Date.parse(String(record.createdDate));
    if (typeof key === 'string' && !byOrderKey.has(key)) byOrderKey.set(key, created);
    if (typeof record.externalId === 'string') externalIds.add(record.externalId);
  }
  return { byOrderKey, total: records.length, distinctExternalIds: externalIds.size };
}

/** Places drafts now (burst) or at `ratePerSecond`; resolves with the placed orders, in order of placement. */
async function placeOrders(stack: SyncStack, drafts: readonly OrderDraft[], ratePerSecond: number): Promise<WooOrderJson[]> {
  const placed: WooOrderJson[] = [];
  if (ratePerSecond <= 0) {
    for (const draft of drafts) placed.push(stack.woo.control.placeOrder(draft));
    return placed;
  }
  const start = performance.now();
  for (let i = 0; i < drafts.length; i++) {
    const due = start + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    placed.push(stack.woo.control.placeOrder(drafts[i]!));
  }
  return placed;
}

/**
 * Samples the NetSuite simulator's in-flight requests every 5 ms (cheap: a counter read). `stop(t0, end)` returns
 * the ramp (t0 → first request) and the slot occupancy from the first request to `end`.
 */
function sampleSlots(stack: SyncStack, concurrency: number): { stop(t0: number, end: number): BurstResult['slots'] } {
  const samples: { at: number; inFlight: number }[] = [];
  let firstRequestAt: number | undefined;
  const timer = setInterval(() => {
    const counters = stack.netsuite.control.counters();
    const at = Date.now();
    if (firstRequestAt === undefined && counters.requestsTotal > 0) firstRequestAt = at;
    if (firstRequestAt !== undefined) samples.push({ at, inFlight: counters.inFlight });
  }, 5);
  return {
    stop(t0, end) {
      clearInterval(timer);
      const counts = new Array<number>(concurrency + 1).fill(0);
      let sum = 0;
      let n = 0;
      for (const sample of samples) {
        if (sample.at > end) break;
        counts[Math.min(concurrency, sample.inFlight)]! += 1;
        sum += sample.inFlight;
        n++;
      }
      return {
        rampMs: firstRequestAt === undefined ? 0 : firstRequestAt - t0,
        steadyUtilization: n === 0 ? 0 : round(sum / n / concurrency, 3),
        share: counts.map((c) => (n === 0 ? 0 : round(c / n, 3))),
      };
    },
  };
}

/**
 * Waits until every order in `orders` has a sales order, printing progress. Returns 'done', 'timeout', or 'stalled'
 * (nothing moved — no sales order, NetSuite request or webhook delivery — for `stallMs`: an order was lost, e.g. its
 * webhook deliveries failed). Polls the simulators' counters every second and reads the records only when they say so.
 */
export async function waitForSalesOrders(
  stack: SyncStack,
  orders: WooOrderJson[],
  deadline: number,
  progress: (line: string) => void,
  started: number,
  receiverStats?: () => ReceiverStats,
  stallMs = 90_000,
): Promise<'done' | 'timeout' | 'stalled'> {
  let lastPrint = 0;
  let lastSignature = '';
  let lastMove = Date.now();
  let lastChecked = -1;
  for (;;) {
    const ns = stack.netsuite.control.counters();
    const created = ns.statusCounts['204'] ?? 0;
    const deliveries = stack.woo.control.counters().deliveries;
    const now = Date.now();
    if (created >= orders.length && created !== lastChecked) {
      lastChecked = created;
      const { byOrderKey } = salesOrders(stack);
      if (orders.every((o) => byOrderKey.has(o.order_key))) return 'done';
    }
    const signature = `${created}/${ns.requestsTotal}/${deliveries.attempted}/${deliveries.succeeded + deliveries.failed}`;
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastMove = now;
    }
    if (now - lastPrint >= 5000) {
      lastPrint = now;
      const reached = receiverStats ? `  receiver: started ${receiverStats().started}` : '';
      progress(
        `  ${((now - started) / 1000).toFixed(0).padStart(4)} s  records created ${String(created).padStart(5)} (sales orders + customers; ${orders.length} orders)` +
          `  NetSuite requests ${ns.requestsTotal} (in flight ${ns.inFlight}, 429s ${ns.http429})  webhooks ok ${deliveries.succeeded}, failed ${deliveries.failed}, sent ${deliveries.attempted}${reached}`,
      );
    }
    if (now > deadline) return 'timeout';
    if (now - lastMove > stallMs) return 'stalled';
    await sleep(1000);
  }
}

/** Waits until no order workflow on the stack's task queue is running; false on timeout. */
export async function waitForWorkflowsClosed(stack: SyncStack, deadline: number, progress: (line: string) => void): Promise<boolean> {
  let lastPrint = 0;
  for (;;) {
    const running = (await stack.client.workflow.count(`TaskQueue = "${stack.taskQueue}" AND ExecutionStatus = "Running"`)).count;
    if (running === 0) return true;
    if (Date.now() - lastPrint >= 5000) {
      lastPrint = Date.now();
      progress(`  waiting for ${running} workflow(s) to record their outcome and close`);
    }
    if (Date.now() > deadline) return false;
    await sleep(1000);
  }
}

/** Runs one burst on `stack` from placement to its figures. Counters and the delivery log are reset first. */
export async function measureBurst(stack: SyncStack, drafts: readonly OrderDraft[], options: BurstOptions): Promise<BurstResult> {
  const { progress } = options;
  stack.netsuite.control.resetCounters();
  stack.woo.control.resetCounters();
  stack.woo.control.clearDeliveries();
  const receiverBefore = options.receiverStats?.();

  const mode = options.ratePerSecond > 0 ? `at ${options.ratePerSecond} orders/s` : 'as a burst';
  progress(`[${options.label}] placing ${drafts.length} orders ${mode}…`);
  const cpu = startCpuMeter(options.roles);
  const monotonicFrom = Number(process.hrtime.bigint() / 1000n);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = Date.now();
  const sampler = sampleSlots(stack, options.concurrency);
  const deadline = t0 + options.timeoutMs;
  const orders = await placeOrders(stack, drafts, options.ratePerSecond);
  const placementMs = Date.now() - t0;
  const waited = await waitForSalesOrders(stack, orders, deadline, progress, t0, options.receiverStats);
  if (waited !== 'done') progress(`  [${options.label}] gave up waiting: ${waited}`);
  const allSynced = waited === 'done';
  const allClosed = allSynced && (await waitForWorkflowsClosed(stack, deadline, progress));
  await stack.woo.control.flushDeliveries({ timeoutMs: 30_000 }).catch(() => undefined);
  const cpuReport = cpu.stop();
  const monotonicUs = { from: monotonicFrom, to: Number(process.hrtime.bigint() / 1000n) };
  loop.disable();
  const lag = (ns: number): number => round(Math.max(0, ns / 1e6 - 10));
  const eventLoop = { p50Ms: lag(loop.percentile(50)), p99Ms: lag(loop.percentile(99)), maxMs: lag(loop.max) };

  // Sales orders and webhook → sales order.
  const sos = salesOrders(stack);
  const firstDelivery = new Map<number, number>();
  const ackSamples: number[] = [];
  let ackFailed = 0;
  let lastAnswered = t0;
  const deliveryErrors: Record<string, number> = {};
  const reached = new Set<number>();
  const measured = new Set(orders.map((o) => o.id));
  for (const entry of stack.woo.control.deliveries({ kind: 'delivery' })) {
    ackSamples.push(entry.durationMs);
    if (!entry.success) {
      ackFailed++;
      const reason = entry.error ?? `HTTP ${entry.statusCode}`;
      deliveryErrors[reason] = (deliveryErrors[reason] ?? 0) + 1;
    }
    if (entry.resourceId === null || !measured.has(entry.resourceId)) continue;
    const answered = Date.parse(entry.at);
    lastAnswered = Math.max(lastAnswered, answered);
    if (entry.success) reached.add(entry.resourceId);
    const sent = answered - entry.durationMs;
    const known = firstDelivery.get(entry.resourceId);
    if (known === undefined || sent < known) firstDelivery.set(entry.resourceId, sent);
  }
  const toSalesOrder: number[] = [];
  const firstOrders: BurstResult['firstOrders'] = {
    count: Math.min(options.firstOrders, orders.length),
    synced: 0,
    maxMs: 0,
    slowestOrderId: undefined,
    slowest: undefined,
    slowestStartedAfterMs: undefined,
  };
  let lastSalesOrder = t0;
  orders.forEach((order, placed) => {
    const created = sos.byOrderKey.get(order.order_key);
    if (created === undefined) return;
    lastSalesOrder = Math.max(lastSalesOrder, created);
    const delivered = firstDelivery.get(order.id);
    if (delivered === undefined) return;
    toSalesOrder.push(created - delivered);
    if (placed < firstOrders.count) {
      firstOrders.synced++;
      if (created - delivered >= firstOrders.maxMs) {
        firstOrders.maxMs = created - delivered;
        firstOrders.slowestOrderId = order.id;
      }
    }
  });
  const synced = orders.filter((o) => sos.byOrderKey.has(o.order_key)).length;
  const neverReached = orders.filter((o) => !reached.has(o.id)).length;
  const webhooks = stack.woo.control.listWebhooks().map((w) => ({ topic: String(w.topic), status: String(w.status), failureCount: w.failure_count }));

  // Workflow close times (every run on the task queue), and a sample of histories.
  const measuredIds = new Set(orders.map((o) => `woo-order:${stack.store.name}:${o.id}`));
  const lastClose = new Map<string, number>();
  let workflowRuns = 0;
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) {
    workflowRuns++;
    if (!measuredIds.has(execution.workflowId) || !execution.closeTime) continue;
    lastClose.set(execution.workflowId, Math.max(lastClose.get(execution.workflowId) ?? 0, execution.closeTime.getTime()));
  }
  const lastClosed = Math.max(t0, ...lastClose.values());
  const step = Math.max(1, Math.floor(orders.length / Math.max(1, options.sampleHistories)));
  const sample = orders
    .filter((_, i) => i % step === 0)
    .slice(0, options.sampleHistories)
    .map((o) => `woo-order:${stack.store.name}:${o.id}`);
  const breakdown = options.sampleHistories > 0 ? await waitBreakdown(stack.client, sample).catch(() => undefined) : undefined;
  if (firstOrders.slowestOrderId !== undefined) {
    firstOrders.slowest = await waitBreakdown(stack.client, [`woo-order:${stack.store.name}:${firstOrders.slowestOrderId}`]).catch(() => undefined);
    const started = firstOrders.slowest?.startedAt[0];
    const delivered = firstDelivery.get(firstOrders.slowestOrderId);
    if (started !== undefined && delivered !== undefined) firstOrders.slowestStartedAfterMs = started - delivered;
  }

  const counters = stack.netsuite.control.counters();
  const byRoute = Object.fromEntries(Object.entries(counters.requestsByRoute).filter(([route]) => !route.includes('/auth/oauth2/')));
  const requests = Object.values(byRoute).reduce((sum, n) => sum + n, 0);
  const timings = stack.netsuite.control.serverTimings();
  const busyMs = (timings.samplesMs ?? []).reduce((sum, ms) => sum + ms, 0);
  const receiverAfter = options.receiverStats?.();
  const receiver =
    receiverAfter && receiverBefore
      ? (Object.fromEntries(Object.entries(receiverAfter).map(([k, v]) => [k, v - receiverBefore[k as keyof ReceiverStats]])) as unknown as ReceiverStats)
      : undefined;
  const wallMs = lastSalesOrder - t0;
  const slots = sampler.stop(t0, lastSalesOrder);
  const closedWallMs = lastClosed - t0;
  return {
    label: options.label,
    orders: orders.length,
    synced,
    closed: lastClose.size,
    timedOut: !allSynced || !allClosed,
    wallMs,
    ordersPerSecond: wallMs > 0 ? round(synced / (wallMs / 1000), 2) : 0,
    closedWallMs,
    closedOrdersPerSecond: closedWallMs > 0 ? round(lastClose.size / (closedWallMs / 1000), 2) : 0,
    placementMs,
    netsuite: {
      requests,
      byRoute,
      http429: counters.http429,
      peakConcurrency: counters.peakConcurrency,
      tokensMinted: counters.tokensMinted,
      statusCounts: counters.statusCounts,
      serverMedianMs: round(timings.medianMs),
      serverP99Ms: round(timings.p99Ms),
      utilization: wallMs > 0 ? round(busyMs / (options.concurrency * wallMs), 3) : 0,
    },
    eventLoop,
    slots,
    callsPerOrder: synced > 0 ? round(requests / synced, 3) : 0,
    salesOrders: sos.total,
    distinctExternalIds: sos.distinctExternalIds,
    duplicates: sos.total - sos.distinctExternalIds,
    webhookToSalesOrder: distribution(toSalesOrder),
    firstOrders,
    ack: { ...distribution(ackSamples), failed: ackFailed },
    deliveryErrors,
    deliveryWallMs: lastAnswered - t0,
    neverReached,
    webhooks,
    stalled: waited === 'stalled',
    receiver,
    workflowRuns,
    breakdown,
    cpu: cpuReport,
    monotonicUs,
  };
}
