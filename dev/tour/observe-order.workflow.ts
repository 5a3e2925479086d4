/**
 * A workflow for the foundation tour (`npm run demo`) and the worker test, not part of the product: reads one WooCommerce order through an activity (real HTTP to the simulator) and tags the
 * execution with the project's search attributes. It proves the worker, the dev server, the search attributes and the
 * simulator work together; the product's order workflow is its own thing.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from '../../src/api';
import type { ObserveOrderActivities } from './observe-order.activities';

const { readOrder } = proxyActivities<ObserveOrderActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});

export async function observeOrder(input: { store: string; orderId: number }): Promise<{ status: string; lineSkus: string[] }> {
  upsertSearchAttributes([
    { key: searchAttributes.WooStore, value: input.store },
    { key: searchAttributes.WooOrderId, value: String(input.orderId) },
  ]);
  const order = await readOrder(input.orderId);
  upsertSearchAttributes([{ key: searchAttributes.SyncStatus, value: 'Observed' }]);
  return order;
}
