/**
 * In-flight units: stock WooCommerce has already taken out of its own count for orders NetSuite has not received yet.
 * NetSuite's `quantityavailable` does not know these orders, so the units they hold must be subtracted from it, or a
 * unit would be sold twice (once by the pending order, once more by the web store).
 *
 * Semantics:
 * - An order is in flight when its status is one of `statuses` (the caller passes the mapping's `syncStatuses`) that
 *   WooCommerce reduces stock for — processing, on-hold, completed; the others are left out here —, it has no `_netsuite_sales_order_id` meta, and its
 *   `_netsuite_sync_status` is not Skipped / SkippedByOperator (a skipped order never reaches NetSuite: its units were
 *   taken by WooCommerce alone, and NetSuite's count stays the truth for them). Orders waiting in NeedsAttention or
 *   closed as Failed are in flight: they still hold their units and may yet be synced.
 * - `units` = Σ line quantities per WooCommerce SKU (as sold: a variation's own SKU; lines whose product was deleted
 *   carry no SKU and are left out). `orders` = the IDs of the in-flight orders, ascending.
 * - Only orders modified in the last `lookbackDays` (default 30) are listed (`modified_after`, UTC), ascending by ID,
 *   100 per page, `_fields=id,status,meta_data,line_items`: an order unsynced for longer than that is a matter for the
 *   reconciliation, not for every stock run.
 * - Pages are walked until X-WP-TotalPages. Ascending IDs keep the walk stable while new orders arrive (they append at
 *   the end); an order that changes status mid-walk may be seen in its old or its new state, never twice.
 */
import { ORDER_META, orderMetaValue, SKIPPED_BY_OPERATOR } from '../woocommerce/order-meta';
import type { WooClient } from '../woocommerce/client';
import type { WooOrderLines } from '../woocommerce/order-lines';

/** The order sync's `_netsuite_sync_status` of an order skipped by a sync rule. */
const SKIPPED = 'Skipped';
/** Default lookback: 30 days. */
export const DEFAULT_IN_FLIGHT_LOOKBACK_DAYS = 30;
/** The statuses WooCommerce reduces stock for (wc-stock-functions.php); restored on cancelled / pending. */
export const STOCK_REDUCING_STATUSES: readonly string[] = ['processing', 'on-hold', 'completed'];

/** Which orders to look at. */
export interface InFlightQuery {
  /** The statuses that sync to NetSuite (the mapping's `syncStatuses`); only those WooCommerce reduces stock for count. None → nothing is in flight. */
  statuses: string[];
  /** Only orders modified within this many days. Default 30. */
  lookbackDays?: number;
  /** "Now", for the lookback window. Default the current time. */
  now?: Date;
}

/** Units per WooCommerce SKU held by in-flight orders, and which orders those are. */
export interface InFlightUnits {
  /** WooCommerce SKU → units. */
  units: Map<string, number>;
  /** In-flight order IDs, ascending. */
  orders: number[];
  /** Listing requests made (pages). */
  requests: number;
}

/** true when the order holds stock NetSuite does not know about yet (see the file comment). */
export function isInFlight(order: WooOrderLines, statuses: ReadonlySet<string>): boolean {
  if (!statuses.has(order.status)) return false;
  if (orderMetaValue(order, ORDER_META.salesOrderId) !== undefined) return false;
  const syncStatus = orderMetaValue(order, ORDER_META.syncStatus);
  return syncStatus !== SKIPPED && syncStatus !== SKIPPED_BY_OPERATOR;
}

/** Adds an in-flight order's line quantities to `units`. */
export function addOrderUnits(units: Map<string, number>, order: WooOrderLines): void {
  for (const line of order.line_items) {
    const sku = line.sku?.trim();
    if (!sku || !(line.quantity > 0)) continue;
    units.set(sku, (units.get(sku) ?? 0) + line.quantity);
  }
}

/** Lists the store's in-flight orders and sums their units per SKU (see the file comment for the semantics). */
export async function readInFlightUnits(woo: WooClient, q: InFlightQuery, options: { signal?: AbortSignal } = {}): Promise<InFlightUnits> {
  const units = new Map<string, number>();
  const orders: number[] = [];
  const statuses = new Set(q.statuses.filter((status) => STOCK_REDUCING_STATUSES.includes(status)));
  if (statuses.size === 0) return { units, orders, requests: 0 };
  const lookbackDays = q.lookbackDays ?? DEFAULT_IN_FLIGHT_LOOKBACK_DAYS;
  const now = q.now ?? new Date();
  const modifiedAfter = new Date(now.getTime() - lookbackDays * 24 * 3600 * 1000).toISOString();
  const seen = new Set<number>();
  let requests = 0;
  for (let page = 1; ; page++) {
    const answer = await woo.listOrderLines(
      { status: [...statuses], modifiedAfter, perPage: 100, page, orderby: 'id', order: 'asc' },
      options.signal ? { signal: options.signal } : {},
    );
    requests++;
    for (const order of answer.orders) {
      if (seen.has(order.id)) continue;
      seen.add(order.id);
      if (!isInFlight(order, statuses)) continue;
      orders.push(order.id);
      addOrderUnits(units, order);
    }
    if (page >= answer.totalPages || answer.orders.length === 0) break;
  }
  orders.sort((a, b) => a - b);
  return { units, orders, requests };
}
