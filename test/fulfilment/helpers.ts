/**
 * Shared steps of the fulfilment tests: run one fulfilment sync of the stack's store (the scheduled workflow, started
 * by hand), ship a sales order in NetSuite with tracking numbers, and read what reached the WooCommerce order.
 */
import type { SyncStack } from '../../dev/sync-stack';
import type { FulfilmentSyncResult } from '../../src/fulfilment/sync';
import { parseFulfilmentRecord, type FulfilmentRecord } from '../../src/fulfilment/types';
import { ORDER_META } from '../../src/woocommerce/order-meta';
import { SCHEDULED_WORKFLOW_TYPES } from '../../src/api';

let runs = 0;

/** Runs one fulfilment sync of the stack's store to its end (the workflow the schedule starts). */
export function runFulfilmentSync(stack: SyncStack, input: { pageSize?: number; heartbeatTimeoutSeconds?: number } = {}): Promise<FulfilmentSyncResult> {
  return stack.client.workflow.execute(SCHEDULED_WORKFLOW_TYPES.fulfilment, {
    taskQueue: stack.taskQueue,
    workflowId: `fulfilment-test-${stack.store.name}-${++runs}-${Date.now()}`,
    args: [{ store: stack.store.name, ...input }],
  });
}

/** The warehouse ships (all open lines by default) with one package per tracking number. */
export function ship(
  stack: SyncStack,
  salesOrderId: string,
  packages: { trackingNumber: string; carrier?: string }[],
  lines?: { line: number; quantity?: number }[],
) {
  return stack.netsuite.control.fulfilSalesOrder(salesOrderId, { packages, ...(lines ? { lines } : {}) });
}

/** The `_netsuite_fulfilments` meta of the order, as WooCommerce holds it now. */
export function pushedRecord(stack: SyncStack, orderId: number): FulfilmentRecord {
  const order = stack.woo.control.getOrder(orderId);
  const value = order.meta_data.find((m) => m.key === ORDER_META.fulfilments)?.value;
  return parseFulfilmentRecord(typeof value === 'string' ? value : undefined);
}

/** Tracking numbers on the order through the Shipment Tracking extension, in the order they were added. */
export const trackingNumbers = (stack: SyncStack, orderId: number): string[] => stack.woo.control.shipmentTrackings(orderId).map((t) => t.tracking_number);

/** The order's notes that carry a shipment (by their marker), oldest first. */
export function shipmentNotes(stack: SyncStack, orderId: number): { note: string; customer_note: boolean }[] {
  return stack.woo.control.orderNotes(orderId).filter((n) => /\(shipment IF\d+\)/.test(n.note));
}
