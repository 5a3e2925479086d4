/**
 * One phase of `npm run bench:orders`: a fresh Temporal dev server and sync stack (both simulators, the receiver,
 * workers), a warm-up, then one or more measured bursts on the same workers (bench/order-burst.ts).
 *
 * Where things run: the simulators and the load (placing orders) always in this process. The workers in this process
 * or as real worker processes (`src/worker.ts`); the receiver in this process or as a real receiver process
 * (`src/receiver.ts`, the store's webhooks then point at it) — processes of their own give CPU per role (bench/cpu.ts)
 * and may run under `--cpu-prof`.
 *
 * Fresh workers: with `freshWorkersAfterWarmup` the workers that synced the warm-up are stopped and new ones started
 * before the first burst, so it begins with empty look-up caches (a cold worker) while the token, connections and the
 * workflow bundle are warm; later bursts run on the same workers (warm caches).
 */
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import { startSyncStack, type SyncStack, type WorkerProcess, temporalOf } from '../dev/sync-stack';
import { startDevServer, type DevServer } from '../dev/temporal-dev-server';
import type { LatencyOptions } from '../simulators/netsuite';
import { generateCatalog, generateOrderDrafts } from '../simulators/seed';
import type { DeliveryMode } from '../simulators/woocommerce/options';
import { WEBHOOK_PATH } from '../src/api';
import { measureBurst, waitForSalesOrders, waitForWorkflowsClosed, type BurstResult, type OrderDraft } from './order-burst';

const ROOT = resolve(__dirname, '..');

/** Where a part of the integration runs: in this process, or as `count` real processes. */
export type Placement = { kind: 'in-process' } | { kind: 'processes'; count: number };

export interface PhaseOptions {
  /** Name printed with progress lines, e.g. "governed". */
  label: string;
  /** Orders per measured burst; the bursts run one after another on the same workers. */
  bursts: number[];
  /** Labels of the bursts (e.g. "cold", "warm"); default "1", "2", …. */
  burstLabels?: string[];
  /** NetSuite simulator's account concurrency limit, and the integration's permits. */
  concurrency: number;
  /** NetSuite simulator's latency (a default and, optionally, one per kind of request). */
  netsuiteLatency: LatencyOptions;
  /** WooCommerce simulator's fixed latency per request, in ms. */
  wooLatencyMs: number;
  /** How the WooCommerce simulator sends webhook deliveries; undefined = its default. */
  delivery?: DeliveryMode;
  /** Orders placed per second; 0 = all at once (a burst). */
  ratePerSecond: number;
  /** Where the workers run. */
  workers: Placement;
  /** Where the receiver runs (one process at most). Default in this process. */
  receiver?: Placement;
  /** Seconds the workers reuse a found item or customer (0 = off). Default: the worker's own default. */
  lookupCacheSeconds?: number;
  /** Restart the workers after the warm-up, so the first burst starts with empty look-up caches. */
  freshWorkersAfterWarmup?: boolean;
  /** Orders synced first, not measured (token, connections, JIT, workflow bundle). */
  warmupOrders: number;
  /** Each burst gives up after this long (figures are then partial, `timedOut` true). */
  timeoutMs: number;
  /** Extra `--dynamic-config-value` settings of the dev server. */
  dynamicConfig: Record<string, string | number | boolean>;
  /** Order histories read for the wait breakdown, per burst. */
  sampleHistories: number;
  /** How many of the first orders placed a burst's `firstOrders` covers. Default 50. */
  firstOrders?: number;
  /** Seed of the catalog and the orders. */
  seed: number;
  /** Progress lines (every few seconds). */
  progress: (line: string) => void;
  /** A variant of the workflows (a module exporting orderSyncWorkflow) for in-process workers. Default src/workflows. */
  workflowsPath?: string;
  /** The NetSuite limiter: 'postgres' (the product's cluster-wide one, default) or 'process' (in-process semaphore). */
  limiter?: 'postgres' | 'process';
  /**
   * Re-listen the in-process receiver's socket with this accept backlog (the product listens with Node's default, 511).
   * An experiment: shows what a larger backlog does to webhook bursts. Default: leave the receiver as the product builds it.
   */
  receiverBacklog?: number;
  /** Run the worker and receiver processes with `--cpu-prof`, writing their profiles into this directory. */
  cpuProfileDir?: string;
}

export interface PhaseResult {
  label: string;
  /** The measured bursts, in order. */
  bursts: BurstResult[];
  /** Where the workers and the receiver ran. */
  workers: Placement;
  receiver: Placement;
  /** The .cpuprofile files written (with cpuProfileDir). */
  cpuProfiles: string[];
  /** What each process of the stack was, by pid ("worker", "receiver"). */
  roleByPid: Record<number, string>;
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
/** The order workflow (or a variant), bundled once per benchmark run. */
function workflowBundle(workflowsPath = require.resolve('../src/workflows')): Promise<WorkflowBundleWithSourceMap> {
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, logger: quiet });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/** Closes the receiver's listening socket and opens it again on the same address with `backlog`. */
async function relisten(stack: SyncStack, backlog: number): Promise<void> {
  const server = stack.receiver.app.server;
  const { address, port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClosed) => server.close(() => resolveClosed()));
  await new Promise<void>((resolveListening, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, backlog }, () => {
      server.removeListener('error', reject);
      resolveListening();
    });
  });
}

/** Node's arguments for a stack process: tsx on `entry`, under the CPU profiler when asked. */
function nodeArgs(entry: string, cpuProfileDir: string | undefined): string[] {
  return [...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []), '--import', 'tsx', join(ROOT, entry)];
}

/** Waits until every process logged that it started, or throws with the output of the first that exited. */
async function started(processes: readonly WorkerProcess[], what: string): Promise<void> {
  const failed = Promise.race(
    processes.map((p) => p.exited.then((code) => Promise.reject(new Error(`a ${what} process exited (${code}) before starting:\n${p.output().slice(-2000)}`)))),
  );
  await Promise.race([Promise.all(processes.map((p) => p.started)), failed]);
}

/** Stops processes with SIGTERM (their graceful path: the CPU profile is written on exit), SIGKILL after 30 s. */
async function stopProcesses(processes: readonly WorkerProcess[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.kill('SIGTERM');
  await Promise.all(
    processes.map((p) =>
      Promise.race([p.exited, new Promise((resolveLater) => setTimeout(resolveLater, 30_000).unref())]).then(() => {
        if (p.child.exitCode === null && p.child.signalCode === null) p.kill('SIGKILL');
      }),
    ),
  );
}

interface RunningWorkers {
  pids: number[];
  stop(): Promise<void>;
}

async function startWorkers(stack: SyncStack, options: PhaseOptions): Promise<RunningWorkers> {
  const mode = options.workers;
  if (mode.kind === 'in-process') {
    const workers = await stack.startWorkers({
      workflowBundle: await workflowBundle(options.workflowsPath),
      ...(options.lookupCacheSeconds !== undefined ? { lookupCacheSeconds: options.lookupCacheSeconds } : {}),
    });
    return {
      pids: [],
      stop: async () => {
        workers.shutdown();
        await workers.running;
      },
    };
  }
  if (options.workflowsPath) throw new Error('a workflow variant runs only on in-process workers');
  const env = options.lookupCacheSeconds !== undefined ? { NETSUITE_LOOKUP_CACHE_SECONDS: String(options.lookupCacheSeconds) } : {};
  const processes = Array.from({ length: mode.count }, () => stack.spawnWorker(env, { command: nodeArgs('src/worker.ts', options.cpuProfileDir) }));
  await started(processes, 'worker');
  return { pids: processes.flatMap((p) => (p.child.pid === undefined ? [] : [p.child.pid])), stop: () => stopProcesses(processes) };
}

/**
 * A receiver process for the stack's store; the store's webhooks are pointed at it and the stack's in-process receiver
 * is closed, so every delivery — and whatever the receiver does after its answer — is the process's work.
 */
async function startReceiverProcess(stack: SyncStack, cpuProfileDir: string | undefined): Promise<WorkerProcess> {
  const receiver = stack.spawnReceiver({}, { command: nodeArgs('src/receiver.ts', cpuProfileDir) });
  await started([receiver], 'receiver');
  const url = receiver.logged('webhook receiver listening')?.url;
  if (typeof url !== 'string') throw new Error(`the receiver process did not log its URL:\n${receiver.output().slice(-2000)}`);
  for (const webhook of stack.woo.control.listWebhooks()) stack.woo.control.updateWebhook(Number(webhook.id), { delivery_url: `${url}${WEBHOOK_PATH}` });
  await stack.receiver.close();
  return receiver;
}

function profilesIn(dir: string | undefined): string[] {
  if (!dir) return [];
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Runs one phase from a fresh dev server to its figures; everything it started is stopped before it returns. */
export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const { progress } = options;
  const receiverPlacement = options.receiver ?? { kind: 'in-process' };
  const total = options.bursts.reduce((sum, n) => sum + n, 0);
  const catalog = generateCatalog({ seed: options.seed });
  const drafts: OrderDraft[] = generateOrderDrafts(catalog, options.warmupOrders + total, options.seed + 1000).map((d) => ({
    ...d,
    status: 'processing' as const,
  }));
  let server: DevServer | undefined;
  let stack: SyncStack | undefined;
  let workers: RunningWorkers | undefined;
  let receiverProcess: WorkerProcess | undefined;
  const profilesBefore = new Set(profilesIn(options.cpuProfileDir));
  try {
    progress(`[${options.label}] starting the Temporal dev server, simulators, receiver and workers…`);
    server = await startDevServer({ ui: false, dynamicConfig: options.dynamicConfig });
    stack = await startSyncStack({
      temporal: temporalOf(server),
      catalog,
      netsuite: { concurrencyLimit: options.concurrency, latency: options.netsuiteLatency },
      woocommerce: {
        latency: { fixedMs: options.wooLatencyMs, jitterMs: 0 },
        deliveryLogSize: 20 * (total + options.warmupOrders) + 1000,
        ...(options.delivery ? { delivery: options.delivery } : {}),
      },
      permits: options.concurrency,
      limiter: options.limiter ?? 'postgres',
      logger: pino({ level: 'silent' }),
    });
    const running = stack;
    if (options.receiverBacklog !== undefined) await relisten(stack, options.receiverBacklog);
    if (receiverPlacement.kind === 'processes') receiverProcess = await startReceiverProcess(stack, options.cpuProfileDir);
    workers = await startWorkers(stack, options);

    // Warm-up: token, connections, JIT, the workflow bundle in the worker's cache.
    if (options.warmupOrders > 0) {
      progress(`[${options.label}] warm-up: ${options.warmupOrders} order(s)…`);
      const warm = drafts.slice(0, options.warmupOrders).map((d) => running.woo.control.placeOrder(d));
      const warmed = await waitForSalesOrders(stack, warm, Date.now() + 120_000, progress, Date.now());
      if (warmed !== 'done') throw new Error(`the warm-up orders did not sync within 120 s (${warmed})`);
      await waitForWorkflowsClosed(stack, Date.now() + 60_000, progress);
      await stack.woo.control.flushDeliveries({ timeoutMs: 30_000 });
    }
    if (options.freshWorkersAfterWarmup) {
      progress(`[${options.label}] fresh workers: stopping the warm-up's workers and starting new ones (empty look-up caches)…`);
      await workers.stop();
      workers = await startWorkers(stack, options);
    }

    const roleByPid: Record<number, string> = {};
    for (const pid of workers.pids) roleByPid[pid] = 'worker';
    if (receiverProcess?.child.pid !== undefined) roleByPid[receiverProcess.child.pid] = 'receiver';
    const bursts: BurstResult[] = [];
    let next = options.warmupOrders;
    for (const [i, count] of options.bursts.entries()) {
      const label = `${options.label}, ${options.burstLabels?.[i] ?? String(i + 1)}`;
      const roles: Record<string, number[]> = workers.pids.length > 0 ? { worker: workers.pids } : {};
      if (receiverProcess?.child.pid !== undefined) roles.receiver = [receiverProcess.child.pid];
      bursts.push(
        await measureBurst(stack, drafts.slice(next, next + count), {
          label,
          concurrency: options.concurrency,
          ratePerSecond: options.ratePerSecond,
          timeoutMs: options.timeoutMs,
          sampleHistories: options.sampleHistories,
          firstOrders: options.firstOrders ?? 50,
          roles,
          ...(receiverPlacement.kind === 'in-process' ? { receiverStats: () => running.receiver.stats() } : {}),
          progress,
        }),
      );
      next += count;
    }
    // Stop the processes the graceful way first, so a CPU profile is written.
    await workers.stop();
    if (receiverProcess) await stopProcesses([receiverProcess]);
    return {
      label: options.label,
      bursts,
      workers: options.workers,
      receiver: receiverPlacement,
      cpuProfiles: profilesIn(options.cpuProfileDir).filter((f) => !profilesBefore.has(f)),
      roleByPid,
    };
  } finally {
    await stack?.close().catch((error: unknown) => progress(`  (closing the stack failed: ${error instanceof Error ? error.message : String(error)})`));
    await server?.stop().catch(() => undefined);
  }
}
