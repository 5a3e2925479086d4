/**
 * The real Temporal dev server for a test file: the run's shared server when `npm test` started one
 * (TEMPORAL_ADDRESS), else one started for this file alone.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { startDevServer } from '../../dev/temporal-dev-server';
import { FAILURE_TYPES, NEEDS_ATTENTION, type FailureType } from '../../src/api';

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

/**
 * What the tests provoke on purpose and assert through the order's state, so CI's log shows only what went wrong: an
 * order needing attention (the worker's "Activity failed" for a non-retryable NeedsAttention failure or one of the
 * FailureTypes, and the workflow's "order needs attention"), and a stack's NetSuite worker, which registers no workflows.
 */
export function provokedOnPurpose({ message, meta }: LogEntry): boolean {
  if (message === 'No workflows registered, not polling for workflow tasks' || message === 'order needs attention') return true;
  if (message !== 'Activity failed') return false;
  const error = meta?.error as { type?: unknown; nonRetryable?: unknown } | undefined;
  return error?.nonRetryable === true && (error.type === NEEDS_ATTENTION || FAILURE_TYPES.includes(error.type as FailureType));
}

let runtimeInstalled = false;
/**
 * Keeps the SDK's INFO lines (bundling, worker state) out of test output; warnings and errors still show, except the
 * ones `provokedOnPurpose` and `expected` accept: failures a test provokes on purpose and asserts. Once per process:
 * a file that passes `expected` calls this before useTestTemporal.
 */
export function quietRuntime(expected?: (entry: LogEntry) => boolean): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = process.env.TEMPORAL_SDK_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN';
  const plain = new DefaultLogger(level);
  const logger = new DefaultLogger(level, (entry) => void (provokedOnPurpose(entry) || expected?.(entry) || plain.log(entry.level, entry.message, entry.meta)));
  Runtime.install({ logger });
}
