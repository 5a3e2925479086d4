/**
 * The worker process: connects to Temporal, serves the orders task queue (workflows and non-NetSuite activities),
 * and shuts down gracefully on SIGTERM (the Runtime stops polling; in-flight activities get `shutdownGraceTime`).
 *
 * `createWorker` is also what tests use, so they run the same worker the process runs.
 */
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { ORDERS_TASK_QUEUE } from './api';
import { loadTemporalSettings } from './config';
import { activities as defaultActivities } from './activities';
import { createLogger, temporalLogger } from './logger';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Default: the orders task queue. */
  taskQueue?: string;
  /** Default: this project's workflows (src/workflows). Tests may point at their own. */
  workflowsPath?: string;
  /** A prebuilt bundle (production image); wins over workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Default: this project's activities. */
  activities?: object;
  /** Seconds in-flight activities may run after shutdown is requested. Default 30. */
  shutdownGraceSeconds?: number;
  /** Any other Worker option. */
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const code = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: options.workflowsPath ?? require.resolve('./workflows') };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
    ...code,
    activities: options.activities ?? defaultActivities,
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 30}s`,
    ...options.extra,
  });
}

async function main(): Promise<void> {
  const settings = loadTemporalSettings();
  const logger = createLogger({ level: settings.LOG_LEVEL, name: 'worker' });
  Runtime.install({ logger: temporalLogger(logger) });
  const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  try {
    const worker = await createWorker({
      connection,
      namespace: settings.TEMPORAL_NAMESPACE,
      shutdownGraceSeconds: settings.WORKER_SHUTDOWN_GRACE_SECONDS,
    });
    logger.info({ address: settings.TEMPORAL_ADDRESS, namespace: settings.TEMPORAL_NAMESPACE, taskQueue: ORDERS_TASK_QUEUE }, 'worker started');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
