/**
 * The receiver process's start-up: settings, the outbox's database, Temporal, the listener, and the drain on SIGTERM
 * or SIGINT. `tsx src/receiver.ts` (or `node dist/src/receiver.js`) runs it.
 */
import { WEBHOOK_PATH } from '../api';
import { Closers, listenFailure } from '../boot';
import {
  ConfigError,
  displayUrl,
  checkNetSuiteEnvironment,
  loadOperationsSettings,
  loadProcessSettings,
  loadReceiverSettings,
  loadStoreSettings,
  loadWorkerSettings,
  processEnv,
  stateDatabase,
  loadTemporalConnectionSettings,
} from '../config';
import { databaseProbe, requireReachable } from '../database-health';
import { temporalCheck } from '../health';
import { createLogger, temporalLogger } from '../logger';
import { installRuntime, runtimeMeter, webhookMetrics } from '../metrics';
import { createOrderStarter } from '../order-starter';
import { outboxMetrics } from '../outbox/metrics';
import { createWebhookOutbox, outboxScope, type WebhookOutbox } from '../outbox/webhook-outbox';
import { codecDataConverter } from '../codec/data-converter';
import { connectTemporalClient } from '../temporal-connection';
import { startTracing } from '../tracing';
import { untilStopSignal } from '../server-process';
import { createReceiver } from './server';

/**
 * The receiver process: reads the settings (and runs the NetSuite environment guard — environment, account ID and host,
 * no credentials — so a cross-wired deployment refuses to boot even though the receiver never calls NetSuite), checks
 * the outbox's database, connects to Temporal, listens, and on SIGTERM or SIGINT stops accepting, answers the requests
 * in flight, starts what its outbox still holds (within the drain bound) and closes the Temporal connection. A refused
 * configuration (a database that does not answer included) prints its message to stderr and exits 78; any other boot
 * failure names its cause and exits 1.
 */
export async function main(env: NodeJS.ProcessEnv = processEnv()): Promise<void> {
  const processSettings = loadProcessSettings(env);
  const temporal = loadTemporalConnectionSettings(env);
  const stores = loadStoreSettings(env);
  const receiverSettings = loadReceiverSettings(env);
  const operations = loadOperationsSettings('receiver', env);
  // The orders task queue the workers serve (TASK_QUEUE): the workflows it starts must land there.
  const taskQueue = loadWorkerSettings(env).taskQueue;
  const dataConverter = codecDataConverter(env);
  const netsuite = checkNetSuiteEnvironment(env);

  // The outbox's database and the variable it came from (STATE_DATABASE_URL, else NETSUITE_LIMITER_URL): messages name it, never the password.
  const outboxDatabase = stateDatabase(env);

  const logger = createLogger({ level: processSettings.LOG_LEVEL, name: 'receiver' });
  for (const warning of netsuite.warnings) logger.warn(warning);
  const closers = new Closers(logger);
  try {
    // The outbox's database must answer at boot, like the worker's (exit 78 naming it, never the password).
    if (outboxDatabase) {
      const probe = databaseProbe({ name: outboxDatabase.variable, url: outboxDatabase.url }, logger);
      try {
        await requireReachable([probe]);
      } finally {
        await probe.close();
      }
    } else {
      logger.warn(
        'no STATE_DATABASE_URL or NETSUITE_LIMITER_URL: without the webhook outbox each delivery is answered only after its workflow is started, so answers queue behind a burst',
      );
    }
    installRuntime({ logger: temporalLogger(logger), metricsBindAddress: operations.metricsBindAddress });
    const tracing = operations.tracing ? startTracing(operations.tracing) : undefined;
    if (tracing) closers.add('tracing', () => tracing.shutdown());
    const client = await connectTemporalClient(temporal, {
      ...(tracing ? { plugins: [tracing.plugin] } : {}),
      ...(dataConverter ? { dataConverter } : {}),
    });
    closers.add('Temporal connection', () => client.connection.close());
    let outbox: WebhookOutbox | undefined;
    if (outboxDatabase) {
      const created = createWebhookOutbox({
        databaseUrl: outboxDatabase.url,
        scope: outboxScope(client.options.namespace, taskQueue),
        logger,
        metrics: outboxMetrics(runtimeMeter()),
      });
      closers.add('webhook outbox', () => created.close());
      await created.open().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError(
          `the webhook outbox's table cannot be created in the PostgreSQL of ${outboxDatabase.variable} (${displayUrl(outboxDatabase.url)}): ${reason}`,
        );
      });
      outbox = created;
    }
    const receiver = createReceiver({
      stores,
      startOrder: createOrderStarter(client, taskQueue),
      ...(outbox ? { outbox } : {}),
      logger,
      bodyLimitBytes: receiverSettings.bodyLimitBytes,
      drainTimeoutMs: receiverSettings.drainSeconds * 1000,
      metrics: webhookMetrics(runtimeMeter()),
      readiness: { temporal: temporalCheck(client.connection) },
    });
    const url = await receiver.listen(receiverSettings.host, receiverSettings.port).catch((error: unknown) => {
      throw listenFailure('the webhook receiver (WEBHOOK_HOST, WEBHOOK_PORT)', receiverSettings.host, receiverSettings.port, error);
    });
    closers.add('webhook listener', () => receiver.close());
    logger.info(
      {
        url,
        path: WEBHOOK_PATH,
        stores: stores.map((s) => ({ name: s.name, url: s.url })),
        temporal: temporal.describe(),
        taskQueue,
        outbox: outbox ? { database: displayUrl(outboxDatabase?.url ?? ''), scope: outbox.scope } : 'off',
        drainSeconds: receiverSettings.drainSeconds,
        metrics: operations.metricsBindAddress ?? 'off',
        tracing: tracing ? 'on' : 'off',
      },
      'webhook receiver listening',
    );

    await untilStopSignal(async (signal) => {
      logger.info({ signal }, 'webhook receiver stopping: draining requests in flight');
      await closers.closeAll();
      logger.info({ stats: receiver.stats() }, 'webhook receiver stopped');
    });
  } finally {
    await closers.closeAll();
  }
}
