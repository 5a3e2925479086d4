/**
 * Shared set-up of the inventory tests: a stack on the shared dev server (both simulators, a mapping file, no webhooks
 * — orders placed stay unsynced, i.e. in flight), an in-process worker serving only the inventory workflow and its
 * activity with the real clients, and readings of both simulators that do not go through the code under test.
 */
import { Worker } from '@temporalio/worker';
import { defaultMapping, startSyncStack, type SyncStack } from '../../dev/sync-stack';
import { createInventoryActivities } from '../../src/activities/inventory-activities';
import { createMappingSource } from '../../src/activities/mapping-source';
import { inventoryWorkflowId, SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import type { InventorySyncInput, InventorySyncResult } from '../../src/inventory/types';
import { createNetSuiteClient } from '../../src/netsuite/client';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import { createPostgresInventorySnapshotStore, type InventorySnapshotStore } from '../../src/state/inventory-snapshot';
import { createWooClient } from '../../src/woocommerce/client';
import type { inventorySyncWorkflow } from '../../src/workflows/inventory-sync';
import type { SeedCatalog } from '../../simulators/seed';
import { useTestTemporal, uniqueTaskQueue, type TestTemporal } from '../helpers/temporal';
import { uniqueStoreName } from '../order-sync/helpers';

export { netsuiteAvailable } from '../../dev/netsuite-stock';

export interface InventoryStack {
  temporal: TestTemporal;
  stack: SyncStack;
  /** The mapping the stack started with (config/mapping.json plus the catalog's payment methods). */
  mapping: Record<string, unknown>;
  /** An in-process worker for the inventory workflow on a task queue of its own; runs `fn` while it polls. */
  withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T>;
  /** Runs the inventory workflow to completion on an in-process worker. */
  runSync(input?: Omit<InventorySyncInput, 'store'>): Promise<InventorySyncResult>;
  /** The worker's snapshot store (PostgreSQL, the stack's state database), when the stack keeps one. */
  snapshots(): InventorySnapshotStore | undefined;
  /**
   * A worker restart: the activities are built again from nothing (new clients, a new connection pool to the snapshot's
   * database), and the old pool is closed. Nothing the old worker held in memory survives.
   */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** How the stack's worker keeps its snapshot. */
export interface InventoryStackOptions {
  /** Keep the snapshot in the stack's state database (PostgreSQL), as the product's worker does. Default false: every run a full pass. */
  snapshots?: boolean;
  /** INVENTORY_FULL_PASS_HOURS of the worker. Default 24. */
  fullPassHours?: number;
}

/** A stack for inventory tests: no webhooks, the in-process NetSuite limiter, a store name of its own. */
export async function startInventoryStack(
  catalog: SeedCatalog,
  mappingChange: (mapping: Record<string, unknown>) => void = () => undefined,
  options: InventoryStackOptions = {},
): Promise<InventoryStack> {
  const temporal = await useTestTemporal();
  const mapping = defaultMapping(catalog);
  mappingChange(mapping);
  const stack = await startSyncStack({
    temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
    store: uniqueStoreName('inv'),
    catalog,
    topics: [],
    limiter: 'process',
    mapping,
  });
  let snapshots: InventorySnapshotStore | undefined;
  const buildActivities = (): ReturnType<typeof createInventoryActivities> => {
    snapshots = options.snapshots === true ? createPostgresInventorySnapshotStore(stack.stateDatabaseUrl) : undefined;
    return createInventoryActivities({
      netsuite: createNetSuiteClient({
        credentials: stack.netsuiteSettings.credentials,
        limiter: createProcessLimiter(stack.netsuiteSettings.permits),
        requestTimeoutMs: 30_000,
      }),
      stores: new Map([[stack.store.name, createWooClient(stack.store)]]),
      mapping: createMappingSource(stack.mappingFile),
      snapshots,
      fullPassHours: options.fullPassHours,
    });
  };
  let activities = buildActivities();
  const withWorker = async <T>(fn: (taskQueue: string) => Promise<T>): Promise<T> => {
    const taskQueue = uniqueTaskQueue('inventory');
    const worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows/inventory-sync'),
      activities,
    });
    return worker.runUntil(fn(taskQueue));
  };
  return {
    temporal,
    stack,
    mapping,
    withWorker,
    runSync: (input = {}) =>
      withWorker((taskQueue) =>
        temporal.env.client.workflow.execute<typeof inventorySyncWorkflow>(SCHEDULED_WORKFLOW_TYPES.inventory, {
          taskQueue,
          workflowId: `${inventoryWorkflowId(stack.store.name)}:${taskQueue}`,
          args: [{ store: stack.store.name, heartbeatTimeoutSeconds: 10, ...input }],
        }),
      ),
    snapshots: () => snapshots,
    async restartWorker() {
      const old = snapshots;
      activities = buildActivities();
      await old?.close();
    },
    async close() {
      await snapshots?.close();
      await stack.close();
      await temporal.close();
    },
  };
}

/** Every WooCommerce product and variation with a SKU, by SKU — read from the simulator's control API. */
export function wooProducts(
  stack: SyncStack,
): Map<string, { id: number; type: string; parentId: number; manageStock: boolean | string; stock: number | null }> {
  const products = new Map<string, { id: number; type: string; parentId: number; manageStock: boolean | string; stock: number | null }>();
  for (const product of stack.woo.control.listProducts()) {
    if (!product.sku) continue;
    products.set(product.sku, {
      id: product.id,
      type: product.type,
      parentId: product.parent_id,
      manageStock: product.manage_stock,
      stock: product.stock_quantity,
    });
  }
  return products;
}

/** Requests the WooCommerce simulator counted for a route template, e.g. `POST /wp-json/wc/v3/products/batch`. */
export function wooRequests(stack: SyncStack, route: string): number {
  return stack.woo.control.counters().requestsByRoute[route] ?? 0;
}

export const PRODUCTS_BATCH = 'POST /wp-json/wc/v3/products/batch';
export const VARIATIONS_BATCH = 'POST /wp-json/wc/v3/products/:pid/variations/batch';
export const PRODUCTS_READ = 'GET /wp-json/wc/v3/products';

/** The NetSuite simulator's SuiteQL requests that read stock pages, with the cursor each asked after. */
export function stockPageReads(stack: SyncStack): { cursor: string; status: number }[] {
  return stack.netsuite.control
    .requestLog()
    .filter((entry) => entry.suiteQl?.includes('inventoryitemlocations') === true)
    .map((entry) => ({ cursor: /item\.id > (\d+)/.exec(entry.suiteQl ?? '')?.[1] ?? '?', status: entry.status }));
}
