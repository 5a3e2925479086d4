/**
 * One home for every name the workflows, the worker and the clients share: task queues, workflow-ID builders and
 * search-attribute keys. Deterministic code only — workflows import this module.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CustomerKey } from './activities/contracts';
import type { LifecycleEvent } from './lifecycle/types';
import type { SalesOrderShipping, ShipmentEvent } from './fulfilment/types';

/** Task queue of the workflows and of every activity that does not call NetSuite. */
export const ORDERS_TASK_QUEUE = 'woo-netsuite-orders';
/** Dedicated task queue of the activities that call NetSuite, so their concurrency can be capped cluster-wide. */
export const NETSUITE_TASK_QUEUE = 'woo-netsuite-netsuite-calls';

/** The order workflow's ID: one per store and WooCommerce order, so a retried webhook reaches the same workflow. */
export const orderWorkflowId = (store: string, orderId: number | string): string => `woo-order:${store}:${orderId}`;

/**
 * The inventory sync's workflow ID for a store: `inventory:<store>`, the same prefix the schedule gives the runs it
 * starts (`scheduleName`; Temporal appends the scheduled time), for a run started by hand or by a test.
 */
export const inventoryWorkflowId = (store: string): string => `inventory:${store}`;

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

/** Path WooCommerce webhooks are pointed at: `<receiver URL>/webhooks/woocommerce` (the catch-up poller knows ours by it). */
export const WEBHOOK_PATH = '/webhooks/woocommerce';

// ---------------------------------------------------------------------------------------------------------------
// The order workflow: its type name, input, messages and the state it reports.
// ---------------------------------------------------------------------------------------------------------------
/** Workflow type of the order sync (the exported function's name in src/workflows). */
export const ORDER_WORKFLOW_TYPE = 'orderSyncWorkflow';

/** The order workflow's whole input: which order, never the order itself (the webhook is a trigger, not the truth). */
export interface OrderSyncInput {
  /** Configured store name, e.g. "main". */
  store: string;
  /** WooCommerce order ID. */
  orderId: number;
}

/** Values of the SyncStatus search attribute and of `OrderSyncState.status`. */
export type SyncStatus = 'InProgress' | 'Synced' | 'Skipped' | 'NeedsAttention' | 'Failed';

/**
 * The steps of an order sync, in order; then, once the sales order exists, the steps that follow the order's changes
 * (cancellation, refunds, edits): read its refunds, plan the NetSuite changes, apply each one; and the step that pushes
 * NetSuite's shipments (tracking, completion) to the WooCommerce order.
 */
export const SYNC_STEPS = [
  'readOrder',
  'mapOrder',
  'resolveItems',
  'matchCustomer',
  'findSalesOrder',
  'createSalesOrder',
  'recordOutcome',
  'readRefunds',
  'planChanges',
  'applyChange',
  'pushShipments',
] as const;
export type SyncStep = (typeof SYNC_STEPS)[number];

/**
 * Every value of the FailureType search attribute: why an order needs a human. The on-call runbook
 * (docs/runbook.md) says what to do for each (test/api.test.ts checks it names them); filter the Web UI with
 * `FailureType = '<value>'`.
 */
export const FAILURE_TYPES = [
  // the order and its mapping
  'UnknownSku',
  'UnknownShippingMethod',
  'UnknownCurrency',
  'UnknownStore',
  'InvalidMapping',
  'InvalidOrderData',
  'MissingCustomerEmail',
  'AmbiguousCustomer',
  // NetSuite
  'NetSuiteAuth',
  'NetSuitePermission',
  'NetSuiteFieldMissing',
  'NetSuiteValidation',
  'RetriesExhausted',
  // WooCommerce
  'WooCommerceAuth',
  'WooCommerceRejected',
  // after the sales order
  'CancelledAfterFulfilment',
  'CancelledNeedsApproval',
  'EditAfterFulfilment',
  'EditNeedsApproval',
  'RefundNeedsApproval',
  'RefundLinesExceedAmount',
  'RefundDeletedAfterSync',
  'RefundOfShippedGoods',
  'UnknownRefundLine',
  'OrderTrashedAfterSync',
  'SalesOrderMissing',
  // shipments
  'FulfilmentReverted',
  'FulfilmentOrderMismatch',
  'ShippedOrderMissing',
  // a failure that did not say which (the activity's ApplicationFailure carried no details)
  'Unknown',
] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Why an order needs a human: everything the on-call engineer needs to fix it, in plain words. */
export interface Attention {
  /** The FailureType search attribute (FAILURE_TYPES). */
  failureType: FailureType;
  /** The step that failed; a retry resumes here. */
  step: SyncStep;
  /** What failed, in plain words. */
  message: string;
  /** What to change before sending `retry`. */
  fix: string;
  /** NetSuite's answer, when NetSuite refused. */
  netsuite?: { status?: number; code?: string; path?: string; detail?: string };
  /** The customer match key that was used (kind: email | externalId | default). */
  matchKey?: { kind: string; value: string };
  /** ISO time the order entered NeedsAttention. */
  since: string;
}

/**
 * The `matchKey` an Attention names for the mapping's customer key: the e-mail or external ID matched on, or which
 * default customer (`id 42`, `externalId WEB-GUEST`). The order workflow and the NetSuite activities both use it.
 */
export const matchKeyOf = (key: CustomerKey): NonNullable<Attention['matchKey']> =>
  key.kind === 'default'
    ? { kind: 'default', value: 'id' in key.ref ? `id ${key.ref.id}` : `externalId ${key.ref.externalId}` }
    : { kind: key.kind, value: key.value };

/** What the `status` query answers and what the workflow returns when it closes. */
export interface OrderSyncState {
  store: string;
  orderId: number;
  /** The order number customers see, once the order has been read. */
  orderNumber?: string;
  status: SyncStatus;
  /** The step running now, or the last one. */
  step: SyncStep;
  /** NetSuite external ID of the sales order (stable order key). */
  externalId?: string;
  salesOrderId?: string;
  customerId?: string;
  /** Set when the order ended Skipped: the rule that skipped it, in plain words. */
  skipped?: { rule: string; detail: string; by?: string };
  /** Set while the order needs attention (and kept when it closes as Failed). */
  attention?: Attention;
  /** Non-blocking findings, e.g. "two NetSuite customers share this e-mail; chose the oldest (id 104)". */
  warnings: string[];
  /** How many times `retry` was received. */
  retries: number;
  /** true once the current status is written to the WooCommerce order (meta and private note), or needed no write (nothing changed, or the order is gone). */
  outcomeRecorded: boolean;
  /** Set while the running NetSuite step has waited longer than the worker's threshold (see netsuiteDelayedSignal). */
  delay?: NetSuiteDelay;
  /** The changes this run applied to NetSuite after the sales order existed (cancellation, refunds, edits). */
  changes?: LifecycleEvent[];
  /** The NetSuite fulfilments this run pushed to the WooCommerce order (tracking numbers, notes, completion). */
  shipments?: ShipmentEvent[];
}

/** Patch ID of the order workflow's lifecycle steps (histories recorded before them replay without). */
export const LIFECYCLE_PATCH = 'order-lifecycle-v1';
/** Patch ID of "an order gone from WooCommerce gets no outcome write" (histories recorded before it tried, and failed). */
export const ORDER_GONE_PATCH = 'order-gone-no-write-v1';

/** `retry`: the mapping or NetSuite was fixed; re-read the mapping and resume from the failed step. */
export const retrySignal = defineSignal<[RetryRequest?]>('retry');
export interface RetryRequest {
  /** Who asked (free text for the history). */
  by?: string;
}

/** `skip`: close the order as Skipped with this reason. */
export const skipSignal = defineSignal<[SkipRequest]>('skip');
export interface SkipRequest {
  reason: string;
  by?: string;
}

/** Sent by the webhook receiver (and `sync`) with signal-with-start: "the order changed; read it again". */
export const orderChangedSignal = defineSignal<[OrderChanged?]>('orderChanged');
export interface OrderChanged {
  /** e.g. order.updated, or cli. */
  source: string;
}

/**
 * Sent by a NetSuite activity whose step has waited longer than NETSUITE_PERMIT_WAIT_REPORT_SECONDS for a concurrency
 * permit (all in use, or the limiter's database unreachable): the order's current details say so until the step ends.
 */
export const netsuiteDelayedSignal = defineSignal<[NetSuiteDelay]>('netsuiteDelayed');
export interface NetSuiteDelay {
  /** ISO time the step was first scheduled. */
  since: string;
  /** Why it waits, in plain words, e.g. "the PostgreSQL concurrency limiter is unavailable: connect ECONNREFUSED …". */
  reason: string;
}

/**
 * Sent by the fulfilment sync (signal-with-start) when NetSuite shipped, un-shipped or deleted a fulfilment of the
 * order's sales order: the sales order's whole shipping state. The workflow pushes what is new (src/fulfilment).
 */
export const shipmentsChangedSignal = defineSignal<[SalesOrderShipping]>('shipmentsChanged');

/** Answers the current state at any time. */
export const statusQuery = defineQuery<OrderSyncState>('status');

/** The NetSuite task queue that goes with an orders task queue (tests run isolated pairs of queues). */
export const netsuiteTaskQueueFor = (ordersTaskQueue: string): string =>
  ordersTaskQueue === ORDERS_TASK_QUEUE ? NETSUITE_TASK_QUEUE : `${ordersTaskQueue}--netsuite`;

/** The ApplicationFailure type of a failure that will fail the same way again until a human fixes something. */
export const NEEDS_ATTENTION = 'NeedsAttention';

// ---------------------------------------------------------------------------------------------------------------
// Scheduled workflows: their type names (the exported functions in src/workflows) and the schedules that start them.
// ---------------------------------------------------------------------------------------------------------------
/** Workflow types of the scheduled jobs. */
export const SCHEDULED_WORKFLOW_TYPES = {
  inventory: 'inventorySyncWorkflow',
  'schema-drift': 'schemaDriftWorkflow',
  reconciliation: 'reconciliationWorkflow',
  'catch-up': 'catchUpPollerWorkflow',
  fulfilment: 'fulfilmentSyncWorkflow',
} as const;

/** The kinds of schedule: inventory, catch-up, fulfilment and reconciliation run per store; schema-drift once per NetSuite account. */
export type ScheduleKind = keyof typeof SCHEDULED_WORKFLOW_TYPES;

/**
 * Prefix of the schedule IDs of one deployment (`schedules apply` manages only these): `woo-netsuite-sync:` for the
 * default orders task queue, `woo-netsuite-sync@<queue>:` for another (tests and side-by-side deployments).
 */
export const scheduleIdPrefix = (taskQueue: string = ORDERS_TASK_QUEUE): string =>
  taskQueue === ORDERS_TASK_QUEUE ? 'woo-netsuite-sync:' : `woo-netsuite-sync@${taskQueue}:`;

/** A schedule's name as the CLI shows it: `inventory:main`, or `schema-drift` for the account-wide one. */
export const scheduleName = (kind: ScheduleKind, store?: string): string => (store === undefined ? kind : `${kind}:${store}`);

/** The Temporal schedule ID of a schedule name: `woo-netsuite-sync:inventory:main`. */
export const scheduleIdOf = (name: string, taskQueue: string = ORDERS_TASK_QUEUE): string => `${scheduleIdPrefix(taskQueue)}${name}`;

/**
 * The workflow ID of a reconciliation run by hand (`reconcile --now`): `reconciliation:<store>:now-<ISO time>`, under
 * the schedule's name so a search by prefix finds both kinds of run.
 */
export const manualReconciliationWorkflowId = (store: string, startedAt: string): string => `${scheduleName('reconciliation', store)}:now-${startedAt}`;
