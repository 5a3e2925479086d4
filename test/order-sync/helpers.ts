/**
 * Shared set-up of the end-to-end order-sync tests: the real dev server, both simulators, the receiver and workers,
 * with the workflow bundle built once per test file.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startSyncStack, type SyncStack, type SyncStackOptions } from '../../dev/sync-stack';
import type { OrderSyncState } from '../../src/api';
import { generateOrderDrafts, type OrderDraft, type SeedCatalog } from '../../simulators/seed';
import type { WooOrderJson } from '../../simulators/woocommerce';
import { orderWorkflowId } from '../../src/api';
import { runCli } from '../../src/client';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The order workflow bundled once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  return bundle;
}

export interface E2E {
  temporal: TestTemporal;
  stack: SyncStack;
  close(): Promise<void>;
}

/**
 * A stack on the shared dev server (no workers started), with a store name of its own: every simulated store numbers
 * its orders from 100, so stacks sharing a name would share workflow IDs.
 */
export async function startE2E(options: Omit<SyncStackOptions, 'temporal'> = {}): Promise<E2E> {
  const temporal = await useTestTemporal();
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    store: uniqueStoreName('shop'),
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

/**
 * A store name of its own for a stack. Test files run in parallel on one dev server and every simulated store numbers
 * its orders from 100, so two stacks both named "demo" would share workflow IDs (`woo-order:demo:100`): a webhook of
 * one file could signal the other file's waiting workflow. A unique store name keeps the workflow IDs apart.
 */
export const uniqueStoreName = (prefix = 'e2e'): string => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** The environment the operator CLI (`runCli`) needs to reach this stack's workflows. */
export function cliEnv(e2e: E2E): NodeJS.ProcessEnv {
  return {
    TEMPORAL_ADDRESS: e2e.temporal.address,
    TEMPORAL_NAMESPACE: e2e.temporal.namespace,
    WOO_STORES: e2e.stack.store.name,
    TASK_QUEUE: e2e.stack.taskQueue,
  };
}

/** Runs the operator CLI in process; returns the exit code and everything it printed. */
export async function cli(e2e: E2E, argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, (line) => lines.push(line), cliEnv(e2e));
  return { code, text: lines.join('\n') };
}

/** The private notes this integration wrote on an order (prefixed `[woo-netsuite-sync]`), oldest first. */
export function syncNotes(stack: SyncStack, orderId: number): { note: string; customer_note: boolean }[] {
  return stack.woo.control.orderNotes(orderId).filter((n) => n.note.startsWith('[woo-netsuite-sync]'));
}

/** The order workflow's current details (what the Temporal UI shows), read with the SDK's metadata query. */
export async function currentDetails(stack: SyncStack, orderId: number): Promise<string> {
  const metadata = await stack.client.workflow
    .getHandle(orderWorkflowId(stack.store.name, orderId))
    .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** Polls a visibility query (eventually consistent) until it returns at least one execution, or throws after timeoutMs. */
export async function waitForVisibility(stack: SyncStack, query: string, timeoutMs = 30_000): Promise<WorkflowExecutionInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found: WorkflowExecutionInfo[] = [];
    for await (const execution of stack.client.workflow.list({ query })) found.push(execution);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`no workflow matched the visibility query ${query} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A checkout line; `raw: true` lets a SKU the store does not sell through (an unknown SKU). */
export type DraftLine = { sku: string; quantity: number; raw?: boolean; name?: string; price?: string };

/** A paid (processing) order from the catalog's first draft, shipped flat rate, card payment, no coupon or fee; `overrides` win. */
export function paidDraft(catalog: SeedCatalog, overrides: Partial<Omit<OrderDraft, 'lines'>> & { lines?: DraftLine[] } = {}): OrderDraft {
  return {
    ...generateOrderDrafts(catalog, 1)[0]!,
    shippingMethodId: 'flat_rate',
    couponCodes: [],
    fees: [],
    paymentMethodId: 'stripe',
    status: 'processing',
    ...overrides,
  } as OrderDraft;
}

/** Final states, written back to the order. */
export const isSynced = (state: OrderSyncState): boolean => state.status === 'Synced' && state.outcomeRecorded;
export const isSkipped = (state: OrderSyncState): boolean => state.status === 'Skipped' && state.outcomeRecorded;
export const isNeedsAttention = (state: OrderSyncState): boolean => state.status === 'NeedsAttention' && state.outcomeRecorded;

/** Runs `run` with the stack's mapping changed by `change` (applied to a copy of `original`), then puts `original` back. */
export async function withMapping(
  stack: SyncStack,
  original: Record<string, unknown>,
  change: (mapping: Record<string, unknown>) => Record<string, unknown>,
  run: () => Promise<void>,
): Promise<void> {
  stack.writeMapping(change(structuredClone(original)));
  try {
    await run();
  } finally {
    stack.writeMapping(original);
  }
}
