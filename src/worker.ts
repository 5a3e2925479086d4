/**
 * The worker process: connects to Temporal and serves two task queues —
 * - the orders queue: the order workflow and the activities that read WooCommerce, plan the mapping, record outcomes;
 * - the NetSuite queue: every activity that calls NetSuite, through one client whose limiter caps in-flight
 *   NetSuite requests across all replicas (PostgreSQL advisory locks) at the configured share of the account limit.
 * It refuses to boot when the NetSuite settings are cross-wired between sandbox and production, and shuts down
 * gracefully on SIGTERM (the Runtime stops polling; in-flight activities get `shutdownGraceTime`).
 *
 * `createWorker` and `createSyncWorkers` are also what tests use, so they run the same workers the process runs.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { ORDERS_TASK_QUEUE, netsuiteDelayedSignal, netsuiteTaskQueueFor } from './api';
import { createNetSuiteActivities, createOrderActivities, createMappingSource, type SyncPolicy } from './activities';
import { resolve as resolvePath } from 'node:path';
import { createCatchUpActivities } from './activities/catch-up-activities';
import { createFulfilmentActivities } from './activities/fulfilment-activities';
import { createShipmentActivities } from './activities/shipment-activities';
import { createDriftActivities } from './activities/drift-activities';
import { createInventoryActivities } from './activities/inventory-activities';
import { createReconciliationActivities } from './activities/reconciliation-activities';
import { DEFAULT_FIXTURE_FILE } from './drift';
import { createAlertSender, type AlertSender, type AlertSettings } from './alerts';
import { codecDataConverter } from './codec/data-converter';
import { createOrderStarter } from './order-starter';
import { createPostgresCursorStore } from './state/cursor-store';
import { createPostgresInventorySnapshotStore } from './state/inventory-snapshot';
import { createPostgresPushedFulfilmentIndex } from './state/pushed-fulfilments';
import { BootError, Closers, exitOnBootFailure, listenFailure } from './boot';
import {
  loadAlertSettings,
  loadNetSuiteSettings,
  loadOperationsSettings,
  loadProcessSettings,
  stateDatabaseUrl,
  loadStoreSettings,
  loadWorkerSettings,
  type NetSuiteSettings,
  type StoreSettings,
  loadTemporalConnectionSettings,
} from './config';
import { databaseProbe, requireReachable, workerDatabases } from './database-health';
import { startHealthServer, type HealthEndpoints } from './health';
import { connectNative, connectTemporalClient } from './temporal-connection';
import { createLogger, temporalLogger } from './logger';
import { installRuntime, netsuiteMetrics, runtimeMeter } from './metrics';
import type { NetSuiteObserver } from './netsuite/observer';
import { silentWorkflowExporter, startTracing } from './tracing';
import { createNetSuiteClient, type NetSuiteClient } from './netsuite/client';
import { createLimiter } from './netsuite/limiter-factory';
import { trackPermitWaits } from './netsuite/permit-waits';
import type { ConcurrencyLimiter } from './netsuite/limiter';
import { createWooClient } from './woocommerce/client';
import { workerHealth } from './worker/health';

export { workerHealth };

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Default: the orders task queue. */
  taskQueue?: string;
  /** Default: this project's workflows (src/workflows). Tests may point at their own. */
  workflowsPath?: string;
  /** A prebuilt bundle (production image); wins over workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The activities this worker registers. Default none (a workflow-only worker). */
  activities?: object;
  /** Seconds in-flight activities may run after shutdown is requested. Default 30. */
  shutdownGraceSeconds?: number;
  /** Any other Worker option. */
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const code = options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: options.workflowsPath ?? require.resolve('./workflows') };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
    ...code,
    activities: options.activities ?? {},
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 30}s`,
    ...options.extra,
  });
}

export interface SyncWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  /** The orders task queue. Default `woo-netsuite-orders`; the NetSuite queue is derived from it. */
  taskQueue?: string;
  stores: readonly StoreSettings[];
  netsuite: NetSuiteSettings;
  /** Path of the mapping file (re-read when it changes). */
  mappingFile: string;
  policy: SyncPolicy;
  logger: Logger;
  /** NetSuite activities one worker runs at once (each waits for a cluster-wide permit). Default max(1000, 2 × permits). */
  netsuiteActivitySlots?: number;
  /** Seconds a found item or customer is reused (0 = never). Default DEFAULT_LOOKUP_CACHE_SECONDS. */
  lookupCacheSeconds?: number;
  shutdownGraceSeconds?: number;
  /** A prebuilt workflow bundle (production image). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Use this limiter instead of the one the settings describe (tests share one). */
  limiter?: ConcurrencyLimiter;
  /** The Temporal client the catch-up poller starts order workflows with. */
  temporalClient: Client;
  /** Where alerts go (drift, reconciliation). Default: none configured (sending then fails with a plain reason). */
  alerts?: AlertSettings;
  /** PostgreSQL of durable cursors (catch-up poller). Default: none (the poller then fails with a plain reason). */
  stateDatabaseUrl?: string;
  /** The NetSuite schema fixture the drift watcher diffs against. Default `<cwd>/config/netsuite-schema.json`. */
  driftFixtureFile?: string;
  /** Told of every NetSuite request and token mint (the process's Prometheus metrics). Default: nobody. */
  netsuiteObserver?: NetSuiteObserver;
  /** An order's NetSuite step waiting this long for a permit is told to its workflow (current details). Default 60 s. */
  permitWaitReportSeconds?: number;
  /** Hours between full inventory passes (INVENTORY_FULL_PASS_HOURS). Default 24. */
  inventoryFullPassHours?: number;
  /** Given to both workers: tracing (`plugins`, `sinks`) and the payload codec (`dataConverter`). */
  workerOptions?: SharedWorkerOptions;
}

/**
 * NetSuite activities a worker runs at once by default. They wait in the worker for a permit, where the limiter serves
 * the order that arrived first; with a few slots they would wait in the task queue instead, where an order's next step
 * queues behind every newer order's first one.
 */
export const DEFAULT_NETSUITE_ACTIVITY_SLOTS = 1000;

/** Worker options both workers of a replica share. */
export type SharedWorkerOptions = Pick<WorkerOptions, 'plugins' | 'sinks' | 'dataConverter'>;

export interface SyncWorkers {
  orders: Worker;
  netsuite: Worker;
  client: NetSuiteClient;
  alerts: AlertSender;
  /** Runs both workers until shutdown; then closes the limiter. */
  run(): Promise<void>;
  shutdown(): void;
}

/** Both workers of one replica, wired to the real clients. */
export async function createSyncWorkers(options: SyncWorkersOptions): Promise<SyncWorkers> {
  const taskQueue = options.taskQueue ?? ORDERS_TASK_QUEUE;
  const { netsuite: settings, logger } = options;
  const limiter = options.limiter ?? createLimiter(settings.limiter, settings.permits, logger);
  const ownsLimiter = options.limiter === undefined;
  const permitWaits = trackPermitWaits(limiter);
  const client = createNetSuiteClient({
    credentials: settings.credentials,
    limiter: permitWaits.limiter,
    requestTimeoutMs: settings.requestTimeoutMs,
    logger: logger.child({ component: 'netsuite' }),
    ...(options.netsuiteObserver ? { observer: options.netsuiteObserver } : {}),
  });
  const mapping = createMappingSource(options.mappingFile);
  const stores = new Map(
    options.stores.map((store) => [store.name, createWooClient(store, { logger: logger.child({ component: 'woocommerce', store: store.name }) })]),
  );
  const grace = options.shutdownGraceSeconds ?? 30;
  const alerts = createAlertSender(options.alerts ?? {}, logger.child({ component: 'alerts' }));
  const cursors = options.stateDatabaseUrl ? createPostgresCursorStore(options.stateDatabaseUrl) : undefined;
  const pushedFulfilments = options.stateDatabaseUrl ? createPostgresPushedFulfilmentIndex(options.stateDatabaseUrl) : undefined;
  const inventorySnapshots = options.stateDatabaseUrl ? createPostgresInventorySnapshotStore(options.stateDatabaseUrl) : undefined;
  const startOrder = createOrderStarter(options.temporalClient, taskQueue);

  // The orders queue runs every workflow and the activities that are not rate-limited order steps: the order steps
  // that read WooCommerce, and the scheduled jobs (their NetSuite requests still hold the shared limiter's permits).
  const orders = await createWorker({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    activities: {
      ...createOrderActivities({ stores, mapping, policy: options.policy }),
      ...createInventoryActivities({
        netsuite: client,
        stores,
        mapping,
        snapshots: inventorySnapshots,
        fullPassHours: options.inventoryFullPassHours,
        logger: logger.child({ component: 'inventory' }),
      }),
      ...createShipmentActivities({ stores, mapping, index: pushedFulfilments }),
      ...createCatchUpActivities({ stores, mapping, cursors, startOrder, logger: logger.child({ component: 'catch-up' }) }),
      ...createFulfilmentActivities({
        netsuite: client,
        mapping,
        state: cursors && pushedFulfilments ? { cursors, index: pushedFulfilments } : undefined,
        startOrder,
      }),
      ...createDriftActivities({
        netsuite: client,
        mapping,
        alerts,
        fixtureFile: options.driftFixtureFile ?? resolvePath(DEFAULT_FIXTURE_FILE),
        stores: options.stores.map((s) => s.name),
        logger: logger.child({ component: 'drift' }),
      }),
      ...createReconciliationActivities({
        netsuite: client,
        stores,
        mapping,
        alerts,
        logger: logger.child({ component: 'reconciliation' }),
      }),
    },
    shutdownGraceSeconds: grace,
    ...(options.workerOptions ? { extra: options.workerOptions } : {}),
  });
  const netsuite = await Worker.create({
    ...options.workerOptions,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: netsuiteTaskQueueFor(taskQueue),
    activities: createNetSuiteActivities({
      netsuite: client,
      mapping,
      ...(options.lookupCacheSeconds !== undefined ? { lookupCacheSeconds: options.lookupCacheSeconds } : {}),
      permitWaits: {
        waits: permitWaits,
        permits: limiter.permits,
        reportAfterMs: (options.permitWaitReportSeconds ?? 60) * 1000,
        report: (workflowId, delay) =>
          options.temporalClient.workflow
            .getHandle(workflowId)
            .signal(netsuiteDelayedSignal, delay)
            .catch((error: unknown) =>
              logger.debug(
                { workflowId, error: error instanceof Error ? error.message : String(error) },
                'could not tell the order workflow that its NetSuite step waits',
              ),
            ),
      },
    }),
    maxConcurrentActivityTaskExecutions: options.netsuiteActivitySlots ?? Math.max(DEFAULT_NETSUITE_ACTIVITY_SLOTS, settings.permits * 2),
    shutdownGraceTime: `${grace}s`,
  });
  return {
    orders,
    netsuite,
    client,
    alerts,
    async run() {
      try {
        await Promise.all([orders.run(), netsuite.run()]);
      } finally {
        alerts.close();
        await cursors?.close();
        await pushedFulfilments?.close();
        await inventorySnapshots?.close();
        if (ownsLimiter) await limiter.close();
      }
    },
    shutdown() {
      for (const worker of [orders, netsuite]) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

async function main(): Promise<void> {
  const processSettings = loadProcessSettings();
  const logger = createLogger({ level: processSettings.LOG_LEVEL, name: 'worker' });
  // Settings first: a cross-wired sandbox/production configuration stops here, before anything connects.
  const temporal = loadTemporalConnectionSettings();
  const netsuite = loadNetSuiteSettings();
  const stores = loadStoreSettings();
  const worker = loadWorkerSettings();
  const operations = loadOperationsSettings('worker');
  const alerts = loadAlertSettings();
  const stateDatabase = stateDatabaseUrl();
  const dataConverter = codecDataConverter();
  for (const warning of netsuite.warnings) logger.warn(warning);
  if (!alerts.email && !alerts.chat)
    logger.warn('no alert channel is configured (ALERT_SMTP_URL / ALERT_CHAT_WEBHOOK_URL): drift alerts and reconciliation mails will fail');
  if (!stateDatabase) logger.warn('no STATE_DATABASE_URL (or NETSUITE_LIMITER_URL): the catch-up poller has nowhere to keep its cursor and will fail');

  const closers = new Closers(logger);
  try {
    // The databases answer now, or the worker does not boot: a worker without its limiter would stall every order.
    const databases = workerDatabases([
      { variable: 'NETSUITE_LIMITER_URL', url: netsuite.limiter.kind === 'postgres' ? netsuite.limiter.url : undefined },
      { variable: 'STATE_DATABASE_URL', url: stateDatabase },
    ]).map((database) => databaseProbe(database, logger));
    closers.add('database probes', () => Promise.all(databases.map((probe) => probe.close())));
    await requireReachable(databases);

    // The health endpoint listens before anything connects: a port in use is named at once, and the probes answer
    // "starting" (not ready) while Temporal is reached and the workers are built.
    const endpoints: HealthEndpoints = {
      liveness: {},
      readiness: { starting: () => ({ ok: false, detail: 'starting: connecting to Temporal and building the workers' }) },
    };
    const health = await startHealthServer(operations.health.host, operations.health.port, endpoints).catch((error: unknown) => {
      throw listenFailure('the health endpoint (HEALTH_HOST, HEALTH_PORT)', operations.health.host, operations.health.port, error);
    });
    closers.add('health endpoint', () => health.close());

    // The Runtime turns SIGTERM/SIGINT into a graceful shutdown of every worker: polling stops, in-flight activities get
    // WORKER_SHUTDOWN_GRACE_SECONDS to finish, then run() resolves and the process exits 0.
    try {
      installRuntime({ logger: temporalLogger(logger), metricsBindAddress: operations.metricsBindAddress });
    } catch (error) {
      throw new BootError(
        `the Temporal runtime cannot start (METRICS_BIND_ADDRESS=${operations.metricsBindAddress ?? 'off'}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const tracing = operations.tracing ? startTracing(operations.tracing) : undefined;
    if (tracing) closers.add('tracing', () => tracing.shutdown());
    const workerOptions: SharedWorkerOptions = {
      ...(tracing ? { plugins: [tracing.plugin] } : operations.workflowBundlePath ? silentWorkflowExporter() : {}),
      ...(dataConverter ? { dataConverter } : {}),
    };
    const connection = await connectNative(temporal);
    closers.add('Temporal connection (workers)', () => connection.close());
    const temporalClient = await connectTemporalClient(temporal, {
      ...(tracing ? { plugins: [tracing.plugin] } : {}),
      ...(dataConverter ? { dataConverter } : {}),
    });
    closers.add('Temporal connection (client)', () => temporalClient.connection.close());

    const workers = await createSyncWorkers({
      connection,
      namespace: temporal.namespace,
      taskQueue: worker.taskQueue,
      stores,
      netsuite,
      mappingFile: worker.mappingFile,
      policy: { needsAttentionLimitSeconds: worker.needsAttentionLimitSeconds },
      logger,
      temporalClient,
      alerts,
      ...(stateDatabase ? { stateDatabaseUrl: stateDatabase } : {}),
      driftFixtureFile: worker.driftFixtureFile,
      shutdownGraceSeconds: processSettings.WORKER_SHUTDOWN_GRACE_SECONDS,
      ...(worker.netsuiteActivitySlots ? { netsuiteActivitySlots: worker.netsuiteActivitySlots } : {}),
      lookupCacheSeconds: worker.lookupCacheSeconds,
      permitWaitReportSeconds: worker.permitWaitReportSeconds,
      inventoryFullPassHours: worker.inventoryFullPassHours,
      ...(operations.workflowBundlePath ? { workflowBundle: { codePath: operations.workflowBundlePath } } : {}),
      netsuiteObserver: netsuiteMetrics(runtimeMeter()),
      workerOptions,
    });
    Object.assign(endpoints, workerHealth(workers, connection, databases));
    // Probed by /readyz, and every 15 s besides, so a lost database is logged even where nothing probes.
    const watch = setInterval(() => void Promise.all(databases.map((probe) => probe.check())), 15_000);
    watch.unref();
    closers.add('database watch', () => clearInterval(watch));
    logger.info(
      {
        temporal: temporal.describe(),
        taskQueue: worker.taskQueue,
        netsuiteTaskQueue: netsuiteTaskQueueFor(worker.taskQueue),
        environment: netsuite.credentials.environment,
        account: netsuite.credentials.accountId,
        permits: netsuite.permits,
        limiter: netsuite.limiter.kind,
        databases: databases.map((probe) => ({ name: probe.name, url: probe.displayUrl })),
        stores: stores.map((s) => s.name),
        health: health.url,
        metrics: operations.metricsBindAddress ?? 'off',
        tracing: tracing ? 'on' : 'off',
        payloadCodec: dataConverter ? 'AES-256-GCM' : 'off',
        workflowBundle: operations.workflowBundlePath ?? 'bundled at start',
        shutdownGraceSeconds: processSettings.WORKER_SHUTDOWN_GRACE_SECONDS,
      },
      'worker started',
    );
    await workers.run();
    logger.info('worker stopped');
  } finally {
    await closers.closeAll();
  }
}

if (require.main === module) main().catch((error: unknown) => exitOnBootFailure('worker', error));
