/**
 * The daily reconciliation's names, input and report: what the workflow takes, what it keeps as its result, what the
 * mail and `reconcile --now` render. Types and constants only, no imports: the workflow imports this module.
 *
 * Money is integer cents everywhere (sums of cents are exact); a report never holds customer names, e-mails or
 * addresses — orders are named by their WooCommerce ID and number, sales orders by internal ID and tranid.
 */

/** The `kind` of the reconciliation mail (header X-Woo-NetSuite-Alert). */
export const RECONCILIATION_ALERT_KIND = 'reconciliation';
/** The `kind` of the mail sent when a reconciliation could not be made. */
export const RECONCILIATION_FAILED_ALERT_KIND = 'reconciliation-failed';

/** Default grace period: an open order younger than this is not listed as missing its sales order (it may be syncing). */
export const DEFAULT_GRACE_MINUTES = 15;
/** Default time zone of the report date. */
export const DEFAULT_TIME_ZONE = 'UTC';
/** Rows of each list kept in the workflow result (the counts and totals always cover every row). */
export const RESULT_ROWS_LIMIT = 1000;
/** Rows of each list shown in the mail (then "… and N more"). */
export const MAIL_ROWS_LIMIT = 50;

/** WooCommerce statuses whose orders are open: their value counts, and an open order should have a sales order. */
export const OPEN_WOO_STATUSES: readonly string[] = ['processing', 'on-hold'];
/**
 * NetSuite sales order statuses that are open for the customer (not everything shipped yet): A Pending Approval,
 * B Pending Fulfillment, D Partially Fulfilled, E Pending Billing/Partially Fulfilled. F Pending Billing is shipped in
 * full — the fulfilment sync completes its WooCommerce order — so it is no longer open here; C Cancelled, G Billed and
 * H Closed are not either.
 */
export const OPEN_SALES_ORDER_STATUSES: readonly string[] = ['A', 'B', 'D', 'E'];

/** Absolute differences allowed before a number is marked over its threshold. */
export interface ReconciliationThresholds {
  /** Items. Default 0. */
  itemCount: number;
  /** In the store's currency, e.g. 25 = 25.00. Default 0. */
  inventoryValue: number;
  /** In the store's currency. Default 0. */
  openOrderValue: number;
}

/** The workflow's whole input (a schedule's action carries it). */
export interface ReconciliationInput {
  /** Configured store name, e.g. "main". */
  store: string;
  /** IANA time zone of the integration owner: the report is dated in it. Default UTC. */
  timeZone?: string;
  /** Allowed absolute differences; each omitted one is 0. */
  thresholds?: Partial<ReconciliationThresholds>;
  /** Open WooCommerce orders younger than this are not listed as missing a sales order. Default 15. */
  graceMinutes?: number;
  /** Mail the report to the integration owner. Default true. */
  mail?: boolean;
}

/** What the reconcileStore activity is asked (the workflow fixes `asOf`, so a retried activity dates the same report). */
export interface ReconcileStoreInput {
  store: string;
  timeZone: string;
  thresholds: ReconciliationThresholds;
  graceMinutes: number;
  /** ISO instant the report is "as of": the workflow's start time. */
  asOf: string;
}

/** The three numbers of one side. */
export interface SideFigures {
  /** Sellable SKUs (WooCommerce) / active inventory items (NetSuite) that NetSuite owns stock for. */
  itemCount: number;
  /** Units available to sell × NetSuite average unit cost, in cents. */
  inventoryValueCents: number;
  /** Open orders' value, in cents (see the rules). */
  openOrderValueCents: number;
}

/** The names of the three numbers. */
export type FigureName = keyof SideFigures;

/** One number compared across the two sides. */
export interface FigureComparison {
  figure: FigureName;
  /** e.g. "Open order value". */
  label: string;
  /** `count` or `cents`. */
  unit: 'count' | 'cents';
  woocommerce: number;
  netsuite: number;
  /** WooCommerce − NetSuite. */
  difference: number;
  /** The allowed absolute difference, in the same unit. */
  threshold: number;
  /** |difference| > threshold. */
  overThreshold: boolean;
}

/** An open WooCommerce order with no sales order. */
export interface OrderWithoutSalesOrder {
  orderId: number;
  number: string;
  status: string;
  /** `date_created_gmt`, ISO without offset (UTC), when WooCommerce sent it. */
  createdGmt?: string;
  /** The value counted in the open order value, in cents. */
  valueCents: number;
  /** `_netsuite_sync_status` meta, e.g. NeedsAttention or Skipped, when the order carries one. */
  syncStatus?: string;
}

/** An open NetSuite sales order of this store whose WooCommerce key WooCommerce does not know. */
export interface SalesOrderUnknownToWoo {
  salesOrderId: string;
  tranId: string;
  /** The WooCommerce order key it carries ('' when none). */
  orderKey: string;
  /** The WooCommerce order number it carries, when any. */
  orderNumber?: string;
  totalCents: number;
  /** Why: no key on the sales order, no such WooCommerce order, or that order carries another key. */
  reason: 'no-key' | 'no-such-order' | 'key-differs';
}

/** An open sales order whose WooCommerce order exists but is no longer open (e.g. completed or cancelled there). */
export interface SalesOrderForClosedWooOrder {
  salesOrderId: string;
  tranId: string;
  orderId: number;
  /** The WooCommerce order's status now. */
  wooStatus: string;
  totalCents: number;
}

/** A refund of an open WooCommerce order that NetSuite has not been told of (not in the order's lifecycle record). */
export interface RefundNotInNetSuite {
  orderId: number;
  number: string;
  refundId: number;
  /** The refund's amount, in cents (positive). */
  amountCents: number;
  /** The sales order it should have changed, when the order has one. */
  salesOrderId?: string;
}

/** A SKU whose WooCommerce quantity is not what NetSuite's stock says it should be. */
export interface SkuQuantityDifference {
  sku: string;
  /** stock_quantity; null when WooCommerce does not manage the SKU's stock. */
  woocommerce: number | null;
  /** Σ quantityavailable over the configured locations. */
  netsuiteAvailable: number;
  /** Units held by orders NetSuite has not received yet. */
  inFlight: number;
  /** max(0, netsuiteAvailable − inFlight). */
  expected: number;
}

/** A list behind the numbers: every row counted, at most RESULT_ROWS_LIMIT rows kept. */
export interface ReportList<Row> {
  count: number;
  rows: Row[];
}

/** A list of money rows, with their sum over every row (not only those kept). */
export interface ReportMoneyList<Row> extends ReportList<Row> {
  totalCents: number;
}

/** The reconciliation of one store on one day: the workflow's result, the mail's content. */
export interface ReconciliationReport {
  store: string;
  /** YYYY-MM-DD in `timeZone`. */
  reportDate: string;
  timeZone: string;
  /** ISO instant the numbers were taken at (the workflow's start). */
  asOf: string;
  /** ISO instant the reads finished. */
  readAt: string;
  woocommerce: SideFigures;
  netsuite: SideFigures;
  /** Item count, inventory value, open order value — in that order. */
  comparisons: FigureComparison[];
  /** How many of the three are over their threshold; 0 = in balance. */
  differencesOverThreshold: number;
  inBalance: boolean;
  /** How each number is made, in plain words (the mail states them). */
  rules: { itemCount: string; inventoryValue: string; openOrderValue: string; quantities: string; lists: string; refunds: string };
  lists: {
    /** Open in WooCommerce, older than the grace period, no sales order. */
    ordersWithoutSalesOrder: ReportMoneyList<OrderWithoutSalesOrder>;
    /** Open in NetSuite for this store, carrying a key WooCommerce does not know. */
    salesOrdersUnknownToWoo: ReportMoneyList<SalesOrderUnknownToWoo>;
    /** Open in NetSuite, their WooCommerce order no longer open. */
    salesOrdersForClosedWooOrders: ReportMoneyList<SalesOrderForClosedWooOrder>;
    /** Refunds of open WooCommerce orders NetSuite has not applied yet (a credit, reduced lines). */
    refundsNotInNetSuite: ReportMoneyList<RefundNotInNetSuite>;
    /** WooCommerce quantity ≠ max(0, NetSuite available − in flight). */
    skuQuantityDifferences: ReportList<SkuQuantityDifference>;
    /** Sellable WooCommerce SKUs that map to no active NetSuite inventory item. */
    skusOnlyInWooCommerce: ReportList<string>;
    /** NetSuite item keys no WooCommerce SKU maps to. */
    skusOnlyInNetSuite: ReportList<string>;
  };
  settings: {
    thresholds: ReconciliationThresholds;
    graceMinutes: number;
    /** NetSuite locations whose quantities count. */
    locations: string[];
    /** NetSuite item column a SKU matches (itemid or externalid). */
    matchBy: string;
  };
  /** Things the owner should know that are not differences, e.g. orders in several currencies. */
  warnings: string[];
  /** Requests made to each side (for the record). */
  requests: { woocommerce: number; netsuite: number };
  /** Set by the workflow: the channels the mail reached, or why it was not sent. */
  mail?: { sent: true; channels: string[] } | { sent: false; reason: string };
}
