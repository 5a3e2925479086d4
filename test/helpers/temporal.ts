/**
 * The real Temporal dev server for a test file: the run's shared server when `npm test` started one
 * (TEMPORAL_ADDRESS), else one started for this file alone.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { startDevServer } from '../../dev/temporal-dev-server';

export interface TestTemporal {
  env: TestWorkflowEnvironment;
  address: string;
  namespace: string;
  close(): Promise<void>;
}

export async function useTestTemporal(): Promise<TestTemporal> {
  quietRuntime();
  const address = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (address) {
    const env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
    return { env, address, namespace, close: () => env.teardown() };
  }
  const server = await startDevServer({ ui: false });
  return { env: server.env, address: server.address, namespace: server.namespace, close: () => server.stop() };
}

/** A task queue name of its own for each test, so tests sharing a server never steal each other's tasks. */
export const uniqueTaskQueue = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let runtimeInstalled = false;
/**
 * Keeps the SDK's INFO lines (bundling, worker state) out of test output; warnings and errors still show, except the
 * ones `expected` accepts: failures a test file provokes on purpose and asserts. Once per process: a file that passes
 * `expected` calls this before useTestTemporal.
 */
export function quietRuntime(expected?: (entry: LogEntry) => boolean): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = process.env.TEMPORAL_SDK_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN';
  const plain = new DefaultLogger(level);
  const logger = expected ? new DefaultLogger(level, (entry) => void (expected(entry) || plain.log(entry.level, entry.message, entry.meta))) : plain;
  Runtime.install({ logger });
}
