/**
 * A worker PROCESS for the inventory tests, until src/worker.ts registers the inventory workflow: the same settings
 * as the product's worker (src/config.ts, from the environment dev/sync-stack's workerEnv gives), the real NetSuite
 * and WooCommerce clients, and only the inventory workflow and its activity on TASK_QUEUE. Logs "worker started" once
 * it polls, like src/worker.ts, so a test can wait for it. Run with `node --import tsx test/inventory/inventory-worker.ts`.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createInventoryActivities } from '../../src/activities/inventory-activities';
import { createMappingSource } from '../../src/activities/mapping-source';
import { loadNetSuiteSettings, loadStoreSettings, loadTemporalSettings, loadWorkerSettings } from '../../src/config';
import { createLogger, temporalLogger } from '../../src/logger';
import { createNetSuiteClient } from '../../src/netsuite/client';
import { createLimiter } from '../../src/netsuite/limiter-factory';
import { createWooClient } from '../../src/woocommerce/client';

async function main(): Promise<void> {
  const temporal = loadTemporalSettings();
  const logger = createLogger({ level: temporal.LOG_LEVEL, name: 'inventory-worker' });
  const netsuite = loadNetSuiteSettings();
  const stores = loadStoreSettings();
  const settings = loadWorkerSettings();
  Runtime.install({ logger: temporalLogger(logger) });
  const connection = await NativeConnection.connect({ address: temporal.TEMPORAL_ADDRESS });
  const limiter = createLimiter(netsuite.limiter, netsuite.permits, logger);
  const worker = await Worker.create({
    connection,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: settings.taskQueue,
    workflowsPath: require.resolve('../../src/workflows/inventory-sync'),
    activities: createInventoryActivities({
      netsuite: createNetSuiteClient({ credentials: netsuite.credentials, limiter, requestTimeoutMs: netsuite.requestTimeoutMs }),
      stores: new Map(stores.map((store) => [store.name, createWooClient(store)])),
      mapping: createMappingSource(settings.mappingFile),
      logger,
    }),
    shutdownGraceTime: '5s',
  });
  logger.info({ taskQueue: settings.taskQueue }, 'worker started');
  try {
    await worker.run();
  } finally {
    await limiter.close();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`inventory worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
