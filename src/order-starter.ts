/**
 * Starts the order workflow, or reaches the running one: signal-with-start of `orderChanged` (or, from the fulfilment
 * sync, `shipmentsChanged` with the sales order's shipping state) on the workflow ID
 * `woo-order:<store>:<orderId>` with the USE_EXISTING conflict policy. A closed workflow (Synced, Skipped) is started
 * again, so a later `order.updated` into a synced status syncs the order. Used by the webhook receiver, the CLI, the catch-up poller and the fulfilment sync.
 */
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  ORDER_WORKFLOW_TYPE,
  ORDERS_TASK_QUEUE,
  orderChangedSignal,
  orderWorkflowId,
  searchAttributes,
  shipmentsChangedSignal,
  type OrderChanged,
} from './api';
import type { SalesOrderShipping } from './fulfilment/types';
import { orderDetailsMarkdown, type OrderContext } from './outcome';
import type { orderSyncWorkflow } from './workflows/order-sync';

export type { OrderContext } from './outcome';

export interface StartOrderRequest {
  store: string;
  orderId: number;
  /** Why: the webhook topic (`order.updated`) or `cli`. Recorded in the history with the signal. */
  source: string;
  /** From the fulfilment sync: the sales order's shipping state, sent as `shipmentsChanged` instead of `orderChanged`. */
  shipping?: SalesOrderShipping;
  /**
   * What the caller already knows of the order (number, line count, total, currency; never names, e-mails or
   * addresses), shown in the UI's static details of a workflow this call starts. Without it they name the store and ID.
   */
  context?: OrderContext;
}

export type StartOrder = (request: StartOrderRequest) => Promise<{ workflowId: string; runId: string }>;

/** The UI's static summary of an order workflow. */
export const orderSummary = (orderId: number): string => `WooCommerce order #${orderId} → NetSuite`;

export function createOrderStarter(client: Client, taskQueue: string = ORDERS_TASK_QUEUE): StartOrder {
  return async ({ store, orderId, source, shipping, context }) => {
    const workflowId = orderWorkflowId(store, orderId);
    const args: Parameters<typeof orderSyncWorkflow> = [{ store, orderId }];
    const common = {
      workflowId,
      taskQueue,
      args,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: searchAttributes.WooStore, value: store },
        { key: searchAttributes.WooOrderId, value: String(orderId) },
        { key: searchAttributes.SyncStatus, value: 'InProgress' },
      ]),
      staticSummary: orderSummary(orderId),
      // The UI's Details panel (Markdown: store, order number, lines, total; no PII). Used only when this call starts a
      // run: a running workflow keeps the details of its start.
      staticDetails: orderDetailsMarkdown(store, orderId, context, source),
    };
    const handle = shipping
      ? await client.workflow.signalWithStart<typeof orderSyncWorkflow, [SalesOrderShipping]>(ORDER_WORKFLOW_TYPE, {
          ...common,
          signal: shipmentsChangedSignal,
          signalArgs: [shipping],
        })
      : await client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderChanged?]>(ORDER_WORKFLOW_TYPE, {
          ...common,
          signal: orderChangedSignal,
          signalArgs: [{ source }],
        });
    return { workflowId, runId: handle.signaledRunId };
  };
}
