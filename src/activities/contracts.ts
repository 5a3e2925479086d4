/**
 * What the order workflow sends to and gets back from its activities. Types only: the workflow imports this file,
 * the activities implement it.
 */
import type { FulfilmentRecord, RevertedFulfilment, SalesOrderShipping, ShipmentEvent } from '../fulfilment/types';
import type { LifecyclePlan, LifecycleRecord } from '../lifecycle/types';
import type { WooOrder } from '../woocommerce/order';
import type { WooRefund } from '../woocommerce/refund';

/** How long an order may wait in NeedsAttention before it closes as Failed, and other per-worker policy. */
export interface SyncPolicy {
  needsAttentionLimitSeconds: number;
}

export type ReadOrderResult =
  | { found: false; policy: SyncPolicy }
  | {
      found: true;
      order: WooOrder;
      policy: SyncPolicy;
      /** Set when the order's meta already records a sales order: nothing left to do. */
      alreadySyncedSalesOrderId?: string;
      /** The digest of what NetSuite must follow of the order (src/woocommerce/order-digest.ts). */
      digest?: string;
      /** The order's `_netsuite_lifecycle` meta: what NetSuite last heard (digest, applied refunds, acknowledged problems). */
      lifecycle?: LifecycleRecord;
    };

/** The customer match key, as the mapping chose it. */
export type CustomerKey =
  { kind: 'email'; value: string } | { kind: 'externalId'; value: string } | { kind: 'default'; ref: { id: string } | { externalId: string } };

export type PlanResult =
  | { kind: 'skip'; rule: string; detail: string }
  | {
      kind: 'plan';
      /** Sales order external ID (stable order key). */
      externalId: string;
      /** NetSuite item keys to resolve (item name or external ID, after aliases), distinct, sorted. */
      itemKeys: string[];
      customerKey: CustomerKey;
      /** Where the sales order search looks for the WooCommerce order key. */
      orderKeyField: string;
      warnings: string[];
    };

export interface MatchCustomerResult {
  customerId: string;
  /** true when this sync created the customer. */
  created: boolean;
  warnings: string[];
}

/** When the order arrived (its workflow's start, epoch ms): its NetSuite requests get permits before younger orders'. */
export interface OrderArrival {
  arrivedAt?: number;
}

export interface CreateSalesOrderInput extends OrderArrival {
  store: string;
  order: WooOrder;
  externalId: string;
  customerId: string;
  /** item key → NetSuite internal ID */
  items: Record<string, string>;
  /** How customerId was matched: when NetSuite refuses it (inactive, merged), the customer is matched again once. */
  customerKey?: CustomerKey;
}

export interface CreateSalesOrderResult {
  salesOrderId: string;
  /** true when NetSuite answered "external ID already exists" and the existing record was used. */
  resolvedDuplicate: boolean;
  warnings: string[];
  /** The customer the sales order names, when NetSuite refused the one given and it was matched again. */
  customerId?: string;
}

export interface RecordOutcomeInput {
  store: string;
  orderId: number;
  /** The `_netsuite_sync_status` value: a SyncStatus, or SkippedByOperator. */
  status: 'Synced' | 'Skipped' | 'SkippedByOperator' | 'NeedsAttention' | 'Failed';
  /** false when the order's meta already says this (a meta write fires order.updated): only the note is added. */
  writeMeta: boolean;
  /** The private note, in plain words. */
  note: string;
  salesOrderId?: string;
  /** An operator's skip reason, kept on the order so later runs can repeat it. */
  skipReason?: string;
  /** The `_netsuite_lifecycle` meta value to write (what NetSuite has now heard of the order). */
  lifecycle?: string;
}

// After the sales order: the lifecycle steps (src/activities/lifecycle-activities.ts).

export interface PlanOrderChangesInput {
  store: string;
  order: WooOrder;
  refunds: WooRefund[];
  salesOrderId: string;
  record: LifecycleRecord;
}

export interface PlanOrderChangesResult {
  plan: LifecyclePlan;
  /** The sales order's status letter, number and external ID, for the history. */
  salesOrder: { id: string; tranId?: string; externalId?: string; status: string };
}

export interface ApplyOrderChangeResult {
  netsuite: { type: string; id: string };
  /** The credit existed already (an earlier attempt was accepted before its answer was lost). */
  resolvedDuplicate: boolean;
}

// The shipment step (src/activities/shipment-activities.ts).

export interface PushShipmentsInput {
  store: string;
  orderId: number;
  /** The WooCommerce order as the workflow read it. */
  order: { orderKey: string; status: string };
  /** What the order's meta says was pushed (as the workflow knows it now). */
  record: FulfilmentRecord;
  shipping: SalesOrderShipping;
  /** Reverted fulfilments a human accepted with `retry`. */
  acknowledge: string[];
}

export interface PushShipmentsResult {
  events: ShipmentEvent[];
  record: FulfilmentRecord;
  reverted: RevertedFulfilment[];
  completed: boolean;
  stillToShip: string[];
}
