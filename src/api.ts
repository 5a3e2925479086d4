/**
 * One home for every name the workflows, the worker and the clients share: task queues, workflow-ID builders and
 * search-attribute keys. Deterministic code only — workflows import this module.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

/** Task queue of the workflows and of every activity that does not call NetSuite. */
export const ORDERS_TASK_QUEUE = 'woo-netsuite-orders';
/** Dedicated task queue of the activities that call NetSuite, so their concurrency can be capped cluster-wide. */
export const NETSUITE_TASK_QUEUE = 'woo-netsuite-netsuite-calls';

/** The order workflow's ID: one per store and WooCommerce order, so a retried webhook reaches the same workflow. */
export const orderWorkflowId = (store: string, orderId: number | string): string => `woo-order:${store}:${orderId}`;

/**
 * Typed search attributes. They are stored unencrypted and bypass any payload codec: never put PII (e-mails, names,
 * addresses) in them.
 */
export const searchAttributes = {
  /** The store's configured name (not its URL). */
  WooStore: defineSearchAttributeKey('WooStore', 'KEYWORD'),
  /** The WooCommerce order ID, as a string. */
  WooOrderId: defineSearchAttributeKey('WooOrderId', 'KEYWORD'),
  /** Synced | Skipped | NeedsAttention | Failed | InProgress. */
  SyncStatus: defineSearchAttributeKey('SyncStatus', 'KEYWORD'),
  /** The NetSuite internal ID of the sales order, once it exists. */
  NetSuiteSalesOrderId: defineSearchAttributeKey('NetSuiteSalesOrderId', 'KEYWORD'),
  /** Why an order needs attention, e.g. UnknownSku or NetSuiteValidation. */
  FailureType: defineSearchAttributeKey('FailureType', 'KEYWORD'),
} as const;

/** Every search attribute the project uses: registered on the dev server and, in production, by the operator. */
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);
