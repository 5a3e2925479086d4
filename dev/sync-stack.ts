/**
 * The whole integration on one machine, for the demo, the end-to-end tests and the benchmarks: both simulators
 * seeded with one catalog, a mapping file, the webhook receiver (in process), the store's webhooks pointing at it, and
 * workers — in process (`startWorkers`) or as real child processes running `src/worker.ts` (`spawnWorker`), all on
 * their own task queues so several stacks can share one Temporal server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import type { OrderSyncState, SyncStatus } from '../src/api';
import type { AlertSettings } from '../src/alerts';
import { stateDatabaseUrl as stateDatabaseUrlOf, type NetSuiteSettings, type StoreSettings } from '../src/config';
import type { ConcurrencyLimiter } from '../src/netsuite/limiter';
import { simulatorAccountEnv, simulatorCredentials } from './simulator-credentials';
import { localPostgres, type LocalPostgres } from './postgres';
import type { DevServer } from './temporal-dev-server';
import { readOrderReport } from '../src/cli/order-commands';
import { createOrderStarter } from '../src/order-starter';
import { createReceiver, type Receiver } from '../src/receiver';
import { createWebhookOutbox, outboxScope } from '../src/outbox/webhook-outbox';
import { createSyncWorkers, type SyncWorkers } from '../src/worker';
import { startNetSuiteSimulator, type NetSuiteSimulator, type NetSuiteSimulatorOptions } from '../simulators/netsuite';
import { generateCatalog, type SeedCatalog } from '../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from '../simulators/woocommerce';

const ROOT = resolve(__dirname, '..');

export interface SyncStackOptions {
  temporal: { address: string; namespace: string; client: Client; nativeConnection: NativeConnection };
  catalog?: SeedCatalog;
  netsuite?: NetSuiteSimulatorOptions;
  woocommerce?: WooCommerceSimulatorOptions;
  /** Store name. Default "demo". */
  store?: string;
  /** Orders task queue. Default a unique one. */
  taskQueue?: string;
  /** Mapping object written to the stack's mapping file. Default: config/mapping.json. */
  mapping?: unknown;
  /** Default 3600 s. */
  needsAttentionLimitSeconds?: number;
  /** 'postgres' (default): the cluster-wide limiter, on a lock key of this stack's own; 'process'. */
  limiter?: 'postgres' | 'process';
  /** NetSuite account concurrency given to the integration. Default the simulator's limit. */
  permits?: number;
  /**
   * The PostgreSQL of the limiter and the cursors. Default: NETSUITE_LIMITER_URL when set, else an embedded server
   * started for this stack and stopped by close() (dev/postgres.ts). STATE_DATABASE_URL, when set, names the cursors' own.
   */
  database?: LocalPostgres;
  /** Where the scheduled jobs' alerts go (e.g. a dev/mail-sink.ts server). Default: none. */
  alerts?: AlertSettings;
  /** Webhook topics to subscribe. Default order.created, order.updated, order.deleted, order.restored. */
  topics?: string[];
  logger?: Logger;
}

export interface SyncStack {
  netsuite: NetSuiteSimulator;
  woo: WooCommerceSimulator;
  store: StoreSettings;
  netsuiteSettings: NetSuiteSettings;
  /** The PostgreSQL the limiter and the cursors use (its URL holds a password: print displayUrl). */
  database: LocalPostgres;
  /** The PostgreSQL of the durable cursors (the catch-up poller's): STATE_DATABASE_URL, else the database's URL. */
  stateDatabaseUrl: string;
  receiver: Receiver;
  /** The receiver's webhook URL. */
  webhookUrl: string;
  taskQueue: string;
  mappingFile: string;
  /** The Temporal config file the stack's processes read (one empty profile, so no developer profile applies). */
  temporalConfigFile: string;
  client: Client;
  /** Overwrites the mapping file (the next activity re-reads it). */
  writeMapping(mapping: unknown): void;
  readMapping(): Record<string, unknown>;
  /** The environment a worker process needs to join this stack. */
  workerEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Workers in this process (closed by close()). `lookupCacheSeconds`: how long they reuse an item or customer NetSuite
   * found (0 = off); default the worker's own (NETSUITE_LOOKUP_CACHE_SECONDS' default). A worker process takes
   * NETSUITE_LOOKUP_CACHE_SECONDS in spawnWorker's `extra`.
   */
  startWorkers(options?: {
    limiter?: ConcurrencyLimiter;
    workflowBundle?: WorkerOptions['workflowBundle'];
    lookupCacheSeconds?: number;
  }): Promise<SyncWorkers & { running: Promise<void> }>;
  /** A real worker process: `node --import tsx src/worker.ts`, or `how.command` (node's arguments) in `how.cwd` (e.g. the built dist/). */
  spawnWorker(extra?: NodeJS.ProcessEnv, how?: SpawnHow): WorkerProcess;
  /** A real webhook receiver process (`src/receiver.ts`) for this stack's store, on a free port unless WEBHOOK_PORT is given. */
  spawnReceiver(extra?: NodeJS.ProcessEnv, how?: SpawnHow): WorkerProcess;
  /** The order workflow's state (query while running, result when closed), or undefined if it has none yet. */
  orderState(orderId: number): Promise<OrderSyncState | undefined>;
  /** Polls until the order's state satisfies `done` (default: a final status, written back to the order), or throws after timeoutMs. */
  waitForOrder(orderId: number, done?: (state: OrderSyncState) => boolean, timeoutMs?: number): Promise<OrderSyncState>;
  close(): Promise<void>;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process wrote (stdout + stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Resolves when the process logged "worker started". */
  started: Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  /** The first JSON log line whose msg is `message`, parsed, or undefined. */
  logged(message: string): Record<string, unknown> | undefined;
}

/** The stack's `temporal` option for a dev server this process started (benchmarks, the browser test). */
export const temporalOf = (server: DevServer): SyncStackOptions['temporal'] => ({
  address: server.address,
  namespace: server.namespace,
  client: server.env.client,
  nativeConnection: server.env.nativeConnection,
});

/**
 * How to run a stack process: the program (default this Node), its arguments and the working directory. Default: tsx
 * on src/, in the repository. The container tests run `docker run …` this way (test/containers/).
 */
export interface SpawnHow {
  program?: string;
  command?: readonly string[];
  cwd?: string;
}

/** The first pino line of `output` whose msg is `message`. */
function loggedLine(output: string, message: string): Record<string, unknown> | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.msg === message) return parsed;
    } catch {
      // not a log line
    }
  }
  return undefined;
}

/**
 * config/mapping.json plus the simulated store's payment methods (NetSuite payment method IDs are account-specific,
 * so the shipped mapping leaves them empty and warns).
 */
export function defaultMapping(catalog: SeedCatalog): Record<string, unknown> {
  const mapping = JSON.parse(readFileSync(join(ROOT, 'config/mapping.json'), 'utf8')) as Record<string, unknown>;
  mapping.paymentMethods = Object.fromEntries(catalog.paymentMethods.map((method, i) => [method.id, { id: String(i + 1) }]));
  return mapping;
}

const FINAL: readonly SyncStatus[] = ['Synced', 'Skipped', 'NeedsAttention', 'Failed'];

export async function startSyncStack(options: SyncStackOptions): Promise<SyncStack> {
  // What has been started so far, closed in reverse order when a later step fails, so a failed start leaves nothing.
  const started: (() => Promise<unknown> | void)[] = [];
  try {
    return await assembleStack(options, started);
  } catch (error) {
    for (const undo of started.reverse()) await Promise.resolve(undo()).catch(() => undefined);
    throw error;
  }
}

async function assembleStack(options: SyncStackOptions, started: (() => Promise<unknown> | void)[]): Promise<SyncStack> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const catalog = options.catalog ?? generateCatalog({ seed: 1 });
  const storeName = options.store ?? 'demo';
  const taskQueue = options.taskQueue ?? `sync-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'woo-netsuite-stack-'));
  started.push(() => rmSync(dir, { recursive: true, force: true }));
  const database = options.database ?? (await localPostgres());
  if (!options.database) started.push(() => database.stop());
  const stateDatabaseUrl = stateDatabaseUrlOf({ STATE_DATABASE_URL: process.env.STATE_DATABASE_URL, NETSUITE_LIMITER_URL: database.url }) ?? database.url;
  const netsuite = await startNetSuiteSimulator({ catalog, ...options.netsuite });
  started.push(() => netsuite.close());
  const woo = await startWooCommerceSimulator({ catalog, ...options.woocommerce });
  started.push(() => woo.close());
  const mappingFile = join(dir, 'mapping.json');
  const keyFile = join(dir, 'netsuite-key.pem');
  writeFileSync(keyFile, netsuite.defaultClient.privateKeyPem, { mode: 0o600 });
  const writeMapping = (mapping: unknown): void => writeFileSync(mappingFile, `${JSON.stringify(mapping, null, 2)}\n`);
  writeMapping(options.mapping ?? defaultMapping(catalog));
  // A Temporal config file with one empty profile: the dev server needs no TLS or API key, whatever the developer's own
  // profile says. (An empty file would do, but @temporalio/envconfig 1.24 fails on a file without any profile.)
  const temporalConfigFile = join(dir, 'temporal.toml');
  writeFileSync(temporalConfigFile, '[profile.default]\n');

  const store: StoreSettings = {
    name: storeName,
    url: `${woo.url}/`,
    consumerKey: woo.consumerKey,
    consumerSecret: woo.consumerSecret,
    webhookSecret: `whsec-${randomUUID()}`,
  };
  const permits = options.permits ?? options.netsuite?.concurrencyLimit ?? 5;
  const limiterKey = `stack-${randomUUID()}`;
  const netsuiteSettings: NetSuiteSettings = {
    credentials: simulatorCredentials(netsuite, { algorithm: 'ES256' }),
    permits,
    limiter: options.limiter === 'process' ? { kind: 'process' } : { kind: 'postgres', url: database.url, key: limiterKey },
    requestTimeoutMs: 30_000,
    warnings: [],
  };

  // As production runs it with a state database: each order delivery is durable in the webhook outbox before its 200.
  const receiverLogger = logger.child({ component: 'receiver' });
  const outbox = createWebhookOutbox({ databaseUrl: stateDatabaseUrl, scope: outboxScope(options.temporal.namespace, taskQueue), logger: receiverLogger });
  started.push(() => outbox.close(Date.now()));
  const receiver = createReceiver({ stores: [store], startOrder: createOrderStarter(options.temporal.client, taskQueue), outbox, logger: receiverLogger });
  const receiverUrl = await receiver.listen('127.0.0.1', 0);
  started.push(() => receiver.close());
  const webhookUrl = `${receiverUrl}/webhooks/woocommerce`;
  for (const topic of options.topics ?? ['order.created', 'order.updated', 'order.deleted', 'order.restored']) {
    await woo.control.createWebhook({ topic, delivery_url: webhookUrl, secret: store.webhookSecret, name: `sync ${topic}` });
  }

  const inProcess: (SyncWorkers & { running: Promise<void> })[] = [];
  const processes: WorkerProcess[] = [];
  const client = options.temporal.client;

  const workerEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
      // No Temporal profile of the developer's (~/.config/temporalio/temporal.toml) reaches the stack's processes.
      TEMPORAL_CONFIG_FILE: temporalConfigFile,
      TASK_QUEUE: taskQueue,
      MAPPING_FILE: mappingFile,
      NEEDS_ATTENTION_LIMIT_SECONDS: String(options.needsAttentionLimitSeconds ?? 3600),
      WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      ...simulatorAccountEnv({ netsuite, keyFile, store }),
      NETSUITE_ACCOUNT_CONCURRENCY: String(permits),
      ...(netsuiteSettings.limiter.kind === 'postgres'
        ? { NETSUITE_LIMITER_URL: database.url, NETSUITE_LIMITER_KEY: limiterKey }
        : { NETSUITE_LIMITER: 'process' }),
      STATE_DATABASE_URL: stateDatabaseUrl,
      ...(options.alerts?.email
        ? { ALERT_SMTP_URL: options.alerts.email.smtpUrl, ALERT_EMAIL_FROM: options.alerts.email.from, ALERT_EMAIL_TO: options.alerts.email.to.join(',') }
        : {}),
      ...(options.alerts?.chat ? { ALERT_CHAT_WEBHOOK_URL: options.alerts.chat.webhookUrl } : {}),
      // Several workers of one machine must not fight over the process defaults (8081, 9464): a test asks for ports.
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      METRICS_BIND_ADDRESS: 'off',
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_PORT: '0',
      ...extra,
    };
  };

  /** A process of this stack (node + args, in cwd), started once it logged `readyLine`; killed by close(). */
  const spawnProcess = (program: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, readyLine: string): WorkerProcess => {
    const child = spawn(program, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolveStarted) => (markStarted = resolveStarted));
    let ready = false;
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (!ready && output.includes(readyLine)) {
        ready = true;
        markStarted();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? -1)));
    const handle: WorkerProcess = {
      child,
      output: () => output,
      exited,
      started,
      kill: (signal = 'SIGTERM') => void child.kill(signal),
      logged: (message) => loggedLine(output, message),
    };
    processes.push(handle);
    return handle;
  };

  /** The same reading the operator's `status` uses: the live query while it runs, else the closed run's result. */
  const orderState = async (orderId: number): Promise<OrderSyncState | undefined> => (await readOrderReport(client, storeName, orderId))?.state;

  return {
    netsuite,
    woo,
    store,
    netsuiteSettings,
    database,
    stateDatabaseUrl,
    receiver,
    webhookUrl,
    taskQueue,
    mappingFile,
    temporalConfigFile,
    client,
    writeMapping,
    readMapping: () => JSON.parse(readFileSync(mappingFile, 'utf8')) as Record<string, unknown>,
    workerEnv,
    async startWorkers(workerOptions = {}) {
      const workers = await createSyncWorkers({
        connection: options.temporal.nativeConnection,
        namespace: options.temporal.namespace,
        taskQueue,
        stores: [store],
        netsuite: netsuiteSettings,
        mappingFile,
        policy: { needsAttentionLimitSeconds: options.needsAttentionLimitSeconds ?? 3600 },
        logger: logger.child({ component: 'worker' }),
        shutdownGraceSeconds: 5,
        temporalClient: options.temporal.client,
        stateDatabaseUrl,
        ...(options.alerts ? { alerts: options.alerts } : {}),
        ...(workerOptions.limiter ? { limiter: workerOptions.limiter } : {}),
        ...(workerOptions.workflowBundle ? { workflowBundle: workerOptions.workflowBundle } : {}),
        ...(workerOptions.lookupCacheSeconds !== undefined ? { lookupCacheSeconds: workerOptions.lookupCacheSeconds } : {}),
      });
      const entry = Object.assign(workers, { running: workers.run() });
      inProcess.push(entry);
      return entry;
    },
    spawnWorker(extra = {}, how = {}) {
      return spawnProcess(
        how.program ?? process.execPath,
        how.command ?? ['--import', 'tsx', join(ROOT, 'src/worker.ts')],
        how.cwd ?? ROOT,
        workerEnv(extra),
        '"worker started"',
      );
    },
    spawnReceiver(extra = {}, how = {}) {
      return spawnProcess(
        how.program ?? process.execPath,
        how.command ?? ['--import', 'tsx', join(ROOT, 'src/receiver.ts')],
        how.cwd ?? ROOT,
        workerEnv(extra),
        '"webhook receiver listening"',
      );
    },
    orderState,
    async waitForOrder(orderId, done = (state) => FINAL.includes(state.status) && state.outcomeRecorded, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: OrderSyncState | undefined;
      for (;;) {
        try {
          last = await orderState(orderId);
        } catch {
          last = undefined; // a query can fail while a worker restarts
        }
        if (last && done(last)) return last;
        if (Date.now() > deadline)
          throw new Error(`order ${orderId} did not reach the expected state within ${timeoutMs} ms; last state: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close() {
      for (const worker of inProcess) worker.shutdown();
      await Promise.allSettled(inProcess.map((w) => w.running));
      for (const proc of processes) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.kill('SIGKILL');
      await Promise.allSettled(processes.map((p) => p.exited));
      await receiver.close();
      await Promise.allSettled([netsuite.close(), woo.close()]);
      if (!options.database) await database.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
