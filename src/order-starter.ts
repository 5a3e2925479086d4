/**
 * Starts the order workflow, or reaches the running one: signal-with-start of `orderChanged` on the workflow ID
 * `woo-order:<store>:<orderId>` with the USE_EXISTING conflict policy. A closed workflow (Synced, Skipped) is started
 * again, so a later `order.updated` into a synced status syncs the order. Used by the webhook receiver and the CLI.
 */
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { ORDER_WORKFLOW_TYPE, ORDERS_TASK_QUEUE, orderChangedSignal, orderWorkflowId, searchAttributes, type OrderSyncInput } from './api';

export interface StartOrderRequest {
  store: string;
  orderId: number;
  /** Why: the webhook topic (`order.updated`) or `cli`. Recorded in the history with the signal. */
  source: string;
}

export type StartOrder = (request: StartOrderRequest) => Promise<{ workflowId: string; runId: string }>;

/** The UI's static summary of an order workflow. */
export const orderSummary = (orderId: number): string => `WooCommerce order #${orderId} → NetSuite`;

export function createOrderStarter(client: Client, taskQueue: string = ORDERS_TASK_QUEUE): StartOrder {
  return async ({ store, orderId, source }) => {
    const workflowId = orderWorkflowId(store, orderId);
    const input: OrderSyncInput = { store, orderId };
    const handle = await client.workflow.signalWithStart(ORDER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [input],
      signal: orderChangedSignal,
      signalArgs: [{ source }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: searchAttributes.WooStore, value: store },
        { key: searchAttributes.WooOrderId, value: String(orderId) },
        { key: searchAttributes.SyncStatus, value: 'InProgress' },
      ]),
      staticSummary: orderSummary(orderId),
    });
    return { workflowId, runId: handle.signaledRunId };
  };
}
