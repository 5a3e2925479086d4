/**
 * Shared set-up of the end-to-end order-sync tests: the real dev server, both simulators, the receiver and workers,
 * with the workflow bundle built once per test file.
 */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startSyncStack, type SyncStack, type SyncStackOptions } from '../../dev/sync-stack';
import type { WooOrderJson } from '../../simulators/woocommerce';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The order workflow bundled once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  return bundle;
}

export interface E2E {
  temporal: TestTemporal;
  stack: SyncStack;
  close(): Promise<void>;
}

/** A stack on the shared dev server (no workers started). */
export async function startE2E(options: Omit<SyncStackOptions, 'temporal'> = {}): Promise<E2E> {
  const temporal = await useTestTemporal();
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    ...options,
  });
  return {
    temporal,
    stack,
    async close() {
      await stack.close();
      await temporal.close();
    },
  };
}

/** Places an order at the simulated store's checkout and lets its webhooks go out now. */
export async function placeOrder(stack: SyncStack, draft: Parameters<SyncStack['woo']['control']['placeOrder']>[0]): Promise<WooOrderJson> {
  const order = stack.woo.control.placeOrder(draft);
  await stack.woo.control.flushDeliveries({ runNow: true });
  return order;
}

/** Sales orders in the NetSuite simulator whose externalId is `externalId`. */
export function salesOrdersWithExternalId(stack: SyncStack, externalId: string): Record<string, unknown>[] {
  return (stack.netsuite.control.listRecords('salesOrder') as Record<string, unknown>[]).filter((r) => r.externalId === externalId);
}
