/**
 * The activity interfaces the order workflow calls. Types only (the workflow imports them with `import type`);
 * src/activities/order-activities.ts and netsuite-activities.ts implement them.
 */
import type { OrderSyncInput } from '../api';
import type { WooOrder } from '../woocommerce/order';
import type {
  CreateSalesOrderInput,
  CreateSalesOrderResult,
  CustomerKey,
  MatchCustomerResult,
  OrderArrival,
  PlanResult,
  ReadOrderResult,
  RecordOutcomeInput,
} from './contracts';
import type { LifecycleNetSuiteActivities } from './lifecycle-activities';
import type { WooRefund } from '../woocommerce/refund';

/** Activities on the orders task queue: WooCommerce and the mapping. */
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

/** Activities on the NetSuite task queue: every NetSuite call runs here, capped cluster-wide. */
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
