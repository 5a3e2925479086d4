/**
 * Every activity interface, in one place: what each workflow may call. Types only (workflows import them with
 * `import type`); each `create…Activities` factory in src/activities declares the interface it implements.
 *
 * - orders task queue: OrderActivities and ShipmentActivities (local activities of the order workflow), CatchUpActivities,
 *   FulfilmentActivities, InventoryActivities, ReconciliationActivities, DriftActivities;
 * - NetSuite task queue (concurrency capped cluster-wide): NetSuiteActivities, which include LifecycleNetSuiteActivities.
 */
import type { OrderSyncInput } from '../api';
import type { CatchUpInput, CatchUpResult } from '../catch-up/types';
import type { DriftDiff, LiveSchema } from '../drift';
import type { FulfilmentSyncInput, FulfilmentSyncResult } from '../fulfilment/sync';
import type { SalesOrderShipping } from '../fulfilment/types';
import type { InventoryPassState } from '../inventory/pass';
import type { InventoryChunkInput, InventoryChunkResult } from '../inventory/types';
import type { LifecycleAction } from '../lifecycle/types';
import type { ReconcileStoreInput, ReconciliationReport } from '../reconciliation/types';
import type { WooOrder } from '../woocommerce/order';
import type { WooRefund } from '../woocommerce/refund';
import type {
  ApplyOrderChangeResult,
  CreateSalesOrderInput,
  CreateSalesOrderResult,
  CustomerKey,
  MatchCustomerResult,
  OrderArrival,
  PlanOrderChangesInput,
  PlanOrderChangesResult,
  PlanResult,
  PushShipmentsInput,
  PushShipmentsResult,
  ReadOrderResult,
  RecordOutcomeInput,
} from './contracts';

// ---------------------------------------------------------------------------------------------------------------
// The order workflow (src/workflows/order-sync.ts)
// ---------------------------------------------------------------------------------------------------------------

/** WooCommerce and the mapping, on the orders task queue (local activities): src/activities/order-activities.ts. */
export interface OrderActivities {
  /** Reads the order from WooCommerce (the truth; the webhook was only a trigger). */
  readOrder(input: OrderSyncInput): Promise<ReadOrderResult>;
  /** Loads the mapping afresh, applies the sync rules, and plans the sales order (keys to resolve, customer key). */
  planOrder(input: { store: string; order: WooOrder }): Promise<PlanResult>;
  /** Writes the sync status (and sales order ID) to the order's meta and adds a private note. */
  recordOutcome(input: RecordOutcomeInput): Promise<void>;
  /** Reads the order's refunds (with the order items each one refunds). */
  readRefunds(input: OrderSyncInput): Promise<WooRefund[]>;
}

/** The NetSuite side of an order's life after its sales order: src/activities/lifecycle-activities.ts. */
export interface LifecycleNetSuiteActivities {
  /** Reads the sales order, its bills and credits, resolves the order's items, and plans the changes (lifecycle/plan.ts). */
  planOrderChanges(input: PlanOrderChangesInput): Promise<PlanOrderChangesResult>;
  /** Applies one planned change (idempotently: a credit is looked up by its external ID before it is made). */
  applyOrderChange(input: { action: LifecycleAction }): Promise<ApplyOrderChangeResult>;
}

/** Every NetSuite call of the order workflow, on the NetSuite task queue: src/activities/netsuite-activities.ts. */
export interface NetSuiteActivities extends LifecycleNetSuiteActivities {
  /** Item key → NetSuite internal ID; a key NetSuite does not know needs attention (UnknownSku). */
  resolveItems(input: { store: string; keys: string[] } & OrderArrival): Promise<Record<string, string>>;
  /** Finds the customer by the match key, or creates it (idempotently, by external ID). */
  matchCustomer(input: { store: string; order: WooOrder; customerKey: CustomerKey } & OrderArrival): Promise<MatchCustomerResult>;
  /** Looks for a sales order with this external ID or carrying this WooCommerce order key. */
  findSalesOrder(input: { externalId: string; orderKey: string; orderKeyField: string } & OrderArrival): Promise<{ salesOrderId?: string; warnings: string[] }>;
  /** Creates the sales order; "external ID already exists" resolves to the existing record. Heartbeats while pending. */
  createSalesOrder(input: CreateSalesOrderInput): Promise<CreateSalesOrderResult>;
}

/** The order workflow's shipment step, writing to WooCommerce only (local activities): src/activities/shipment-activities.ts. */
export interface ShipmentActivities {
  /**
   * Claims the shipped fulfilments of an order WooCommerce no longer has, when ShippedOrderMissing is raised: the
   * fulfilment sync then does not raise it again on every run of its overlap window.
   */
  claimShipments(input: { store: string; orderId: number; shipping: SalesOrderShipping }): Promise<void>;
  /**
   * Pushes NetSuite's new shipped fulfilments (trackings or a note, then the order's meta and, by the completion
   * policy, `completed`) exactly once; returns what was pushed and the pushed fulfilments NetSuite took back since.
   */
  pushShipments(input: PushShipmentsInput): Promise<PushShipmentsResult>;
}

// ---------------------------------------------------------------------------------------------------------------
// The scheduled workflows
// ---------------------------------------------------------------------------------------------------------------

/** The catch-up poller's activity: src/activities/catch-up-activities.ts. */
export interface CatchUpActivities {
  /** Lists the store's orders modified since the cursor and starts (or nudges) their order workflows; heartbeats per page. */
  pollMissedOrders(input: CatchUpInput): Promise<CatchUpResult>;
}

/** The fulfilment sync's activity: src/activities/fulfilment-activities.ts. */
export interface FulfilmentActivities {
  /**
   * Reads the NetSuite fulfilments changed since the cursor and sends each sales order's shipping state to its order
   * workflow; heartbeats after every page and resumes from the last one.
   */
  syncFulfilments(input: FulfilmentSyncInput): Promise<FulfilmentSyncResult>;
}

/** The activities the inventory workflow calls (orders task queue): src/activities/inventory-activities.ts. */
export interface InventoryActivities {
  /** What the snapshot store says about the store (kept at all, last full pass) and the full-pass interval: the workflow chooses from it. */
  inventoryPassState(store: string): Promise<InventoryPassState>;
  /**
   * Syncs up to `maxPages` NetSuite pages from `cursor`: reads in-flight units, then per page NetSuite stock and the
   * matching WooCommerce products, and writes the stock that differs. Heartbeats its progress and resumes from it.
   */
  syncInventoryChunk(input: InventoryChunkInput): Promise<InventoryChunkResult>;
}

/** What sending a mail did: the channels that took it (never recipients: they are e-mail addresses). */
export interface MailResult {
  channels: string[];
}

/** The activities the reconciliation workflow calls: src/activities/reconciliation-activities.ts. */
export interface ReconciliationActivities {
  /** Reads both sides of `input.store` and returns the report (not yet mailed). */
  reconcileStore(input: ReconcileStoreInput): Promise<ReconciliationReport>;
  /** Mails the report (text + HTML) to the integration owner; fails (and is retried) when no channel took it. */
  mailReconciliation(report: ReconciliationReport): Promise<MailResult>;
  /** Mails the owner that no report could be made, and why. */
  mailReconciliationFailure(input: { store: string; reportDate?: string; message: string }): Promise<MailResult>;
}

/** What the schema-drift workflow calls: src/activities/drift-activities.ts. */
export interface DriftActivities {
  /** The normalised live schema of `recordTypes` (default salesOrder, customer). */
  readLiveSchema(input: { recordTypes?: string[] }): Promise<LiveSchema>;
  /** Diffs `live` against the fixture (`fixture`, else the worker's), through the eyes of every store's mapping. */
  diffSchema(input: { live: LiveSchema; fixture?: string }): Promise<DriftDiff>;
  /** Mails (and posts) the alert for a diff; which channels took it. */
  sendDriftAlert(input: { diff: DriftDiff }): Promise<{ channels: string[] }>;
}
