/**
 * Turns what was read from both sides (a snapshot) into the reconciliation report: the three numbers of each side,
 * their differences against the thresholds, and the lists behind them. Pure: the activity reads, this decides — so
 * every rule below is tested without a store, and stated in the report in the same words.
 *
 * Rules (also written into `report.rules`):
 * - SKU ↔ item: a WooCommerce SKU matches the NetSuite item whose key (itemid or externalid, the mapping's
 *   `items.matchBy`) is the SKU's alias (`items.aliases`) or else the SKU itself. SKUs outside `inventory.owns` are
 *   left out of both sides; a NetSuite item is owned when one of the SKUs that match it is.
 * - Item count: NetSuite = active inventory items with a key; WooCommerce = simple products and variations with a SKU
 *   (any status but trash).
 * - Inventory value, one rule for both sides: units available to sell × the item's NetSuite average unit cost, in cents
 *   per item, summed. NetSuite units = Σ quantityavailable over the configured locations; WooCommerce units =
 *   stock_quantity (negative or unmanaged counts as 0). A SKU NetSuite lacks has no cost: it adds 0.
 * - Open order value: WooCommerce = Σ (total − total_tax) of orders in processing / on-hold (total with tax when the
 *   mapping's tax mode is "line": the sales order then carries the tax as a line); NetSuite = Σ foreigntotal of sales
 *   orders of this store (custom body field `customFields.store`) in an open status (A, B, D, E, F).
 * - Quantities differ when WooCommerce's stock_quantity ≠ max(0, NetSuite available − in-flight units), in-flight
 *   units being those of orders WooCommerce accepted that NetSuite has not received (src/inventory/in-flight.ts).
 */
import { isOwnedSku, netsuiteKeyOf } from '../inventory/plan';
import {
  OPEN_SALES_ORDER_STATUSES,
  OPEN_WOO_STATUSES,
  RESULT_ROWS_LIMIT,
  type FigureComparison,
  type OrderWithoutSalesOrder,
  type ReconcileStoreInput,
  type ReconciliationReport,
  type ReportList,
  type ReportMoneyList,
  type RefundNotInNetSuite,
  type SalesOrderForClosedWooOrder,
  type SalesOrderUnknownToWoo,
  type SideFigures,
  type SkuQuantityDifference,
} from './types';

/** One active NetSuite inventory item's stock over the configured locations. */
export interface NetSuiteItemStock {
  itemId: string;
  /** itemid or externalid ('' when the item has none). */
  key: string;
  available: number;
  averageCost: number;
}

/** One sellable WooCommerce SKU (a simple product or a variation). */
export interface WooSellable {
  sku: string;
  productId: number;
  /** null when WooCommerce does not manage its stock. */
  stockQuantity: number | null;
}

/** One open WooCommerce order, reduced to what the report needs (no customer data). */
export interface WooOpenOrder {
  id: number;
  number: string;
  orderKey: string;
  status: string;
  currency: string;
  createdGmt?: string;
  /** The value counted in the open order value, in cents. */
  valueCents: number;
  /** `_netsuite_sales_order_id` meta. */
  salesOrderId?: string;
  /** `_netsuite_sync_status` meta. */
  syncStatus?: string;
  /** Its refunds, and whether NetSuite applied each (the order's `_netsuite_lifecycle` record names it). */
  refunds?: { id: number; amountCents: number; applied: boolean }[];
}

/** One open NetSuite sales order of this store. */
export interface NetSuiteOpenSalesOrder {
  id: string;
  tranId: string;
  status: string;
  /** The WooCommerce order key it carries ('' when none). */
  orderKey: string;
  orderNumber?: string;
  totalCents: number;
}

/** The WooCommerce order named by a sales order's order-number field, as read. */
export interface WooOrderLookup {
  orderId: number;
  orderKey: string;
  status: string;
}

/** Everything read from both sides. */
export interface ReconciliationSnapshot {
  input: ReconcileStoreInput;
  /** YYYY-MM-DD in the input's time zone. */
  reportDate: string;
  /** ISO instant the reads finished. */
  readAt: string;
  locations: string[];
  matchBy: string;
  /** WooCommerce SKU → NetSuite item key. */
  aliases: Record<string, string>;
  /** The mapping's `inventory.owns`. */
  owns: { skuPrefixes?: string[]; excludeSkus?: string[] };
  /** The mapping's tax mode is "line": the sales order carries the tax. */
  taxIncluded: boolean;
  /** Every active NetSuite inventory item (owned or not: ownership is decided here). */
  netsuiteItems: NetSuiteItemStock[];
  /** Every sellable WooCommerce SKU (owned or not). */
  wooSellables: WooSellable[];
  /** WooCommerce SKU → units held by in-flight orders. */
  inFlightUnits: Record<string, number>;
  wooOpenOrders: WooOpenOrder[];
  netsuiteOpenSalesOrders: NetSuiteOpenSalesOrder[];
  /** Sales order internal ID → the WooCommerce order its number names (absent: no such order, or not looked up). */
  orderLookups: Record<string, WooOrderLookup>;
  requests: { woocommerce: number; netsuite: number };
  warnings: string[];
}

/** Cents of `units` × `unitCost` (a currency amount), rounded half away from zero. */
export function valueCents(units: number, unitCost: number): number {
  const cents = units * unitCost * 100;
  return Math.sign(cents) * Math.round(Math.abs(cents));
}

/** A currency amount (e.g. a threshold of 25.5) in cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);

/** `list` counted in full, at most RESULT_ROWS_LIMIT rows kept. */
function listOf<Row>(rows: Row[]): ReportList<Row> {
  return { count: rows.length, rows: rows.slice(0, RESULT_ROWS_LIMIT) };
}

function moneyListOf<Row>(rows: Row[], cents: (row: Row) => number): ReportMoneyList<Row> {
  return { ...listOf(rows), totalCents: rows.reduce((sum, row) => sum + cents(row), 0) };
}

/** Compares the two sides' numbers against the thresholds. */
export function compareFigures(woocommerce: SideFigures, netsuite: SideFigures, thresholds: ReconcileStoreInput['thresholds']): FigureComparison[] {
  const rows: { figure: keyof SideFigures; label: string; unit: 'count' | 'cents'; threshold: number }[] = [
    { figure: 'itemCount', label: 'Item count', unit: 'count', threshold: thresholds.itemCount },
    { figure: 'inventoryValueCents', label: 'On-hand inventory value', unit: 'cents', threshold: toCents(thresholds.inventoryValue) },
    { figure: 'openOrderValueCents', label: 'Open order value', unit: 'cents', threshold: toCents(thresholds.openOrderValue) },
  ];
  return rows.map(({ figure, label, unit, threshold }) => {
    const difference = woocommerce[figure] - netsuite[figure];
    return {
      figure,
      label,
      unit,
      woocommerce: woocommerce[figure],
      netsuite: netsuite[figure],
      difference,
      threshold,
      overThreshold: Math.abs(difference) > threshold,
    };
  });
}

/** The rules, in the words the mail uses. */
function rulesOf(snapshot: ReconciliationSnapshot): ReconciliationReport['rules'] {
  const { input, locations, matchBy, taxIncluded } = snapshot;
  const where = `location${locations.length > 1 ? 's' : ''} ${locations.join(', ')}`;
  const key = matchBy === 'itemid' ? 'name/number (itemid)' : 'external ID';
  return {
    itemCount:
      `NetSuite: active inventory items with a ${key}; WooCommerce: simple products and variations with a SKU (any status but trash). ` +
      `A SKU matches the item whose ${key} is the SKU (or its alias in the mapping); SKUs outside the mapping's inventory.owns are left out of both sides.`,
    inventoryValue:
      `One rule for both sides: units available to sell × the item's NetSuite average unit cost. NetSuite units: quantity available (on hand − committed) summed over ${where}; ` +
      `WooCommerce units: stock_quantity (negative or unmanaged counts as 0). A SKU NetSuite does not have adds nothing. ` +
      `Orders WooCommerce accepted that NetSuite has not received lower the WooCommerce side only.`,
    openOrderValue:
      `WooCommerce: orders in ${OPEN_WOO_STATUSES.join(' / ')}, each counted at ${taxIncluded ? 'its total including tax (the mapping sends tax as a sales order line)' : 'total − total_tax (before tax)'}, less its refunds${taxIncluded ? '' : ' (before tax, in proportion)'}; ` +
      `NetSuite: sales orders of store ${input.store} in an open status (${OPEN_SALES_ORDER_STATUSES.join(', ')}: pending approval, not yet shipped in full), counted at their total.`,
    quantities: `A SKU differs when WooCommerce's stock_quantity is not max(0, NetSuite available over ${where} − units of orders WooCommerce accepted that NetSuite has not received).`,
    refunds:
      "A refund of an open WooCommerce order is applied when NetSuite has its credit or its reduced lines (the order's _netsuite_lifecycle record names it); " +
      'the open order value counts it on both sides then. A refund not applied yet is listed.',
    lists:
      `Open WooCommerce orders are listed when they are older than ${input.graceMinutes} minute${input.graceMinutes === 1 ? '' : 's'}, carry no NetSuite sales order ID and no open sales order carries their key. ` +
      `A sales order's WooCommerce key is unknown when no open WooCommerce order carries it and the order its WooCommerce number names does not exist or carries another key.`,
  };
}

/** The report of `snapshot` (see the file comment for the rules). */
export function buildReconciliationReport(snapshot: ReconciliationSnapshot): ReconciliationReport {
  const { input, aliases, owns } = snapshot;
  const warnings = [...snapshot.warnings];

  // --- Items: which keys each side has, owned only.
  const skusByKey = new Map<string, string[]>();
  for (const product of snapshot.wooSellables) {
    const key = netsuiteKeyOf(product.sku, aliases);
    skusByKey.set(key, [...(skusByKey.get(key) ?? []), product.sku]);
  }
  const itemOwned = (key: string): boolean => isOwnedSku(key, owns) || (skusByKey.get(key) ?? []).some((sku) => isOwnedSku(sku, owns));
  const keyless = snapshot.netsuiteItems.filter((item) => item.key === '').length;
  if (keyless > 0)
    warnings.push(
      `${keyless} active NetSuite inventory item${keyless === 1 ? ' has' : 's have'} no ${snapshot.matchBy}: no SKU can match ${keyless === 1 ? 'it' : 'them'}, so ${keyless === 1 ? 'it is' : 'they are'} left out.`,
    );
  const items = new Map<string, NetSuiteItemStock>();
  for (const item of snapshot.netsuiteItems) {
    if (item.key === '' || !itemOwned(item.key)) continue;
    if (items.has(item.key)) {
      warnings.push(`NetSuite items ${items.get(item.key)?.itemId} and ${item.itemId} share the ${snapshot.matchBy} ${item.key}; the first is used.`);
      continue;
    }
    items.set(item.key, item);
  }
  const sellables = new Map<string, WooSellable>();
  for (const product of snapshot.wooSellables) {
    if (!isOwnedSku(product.sku, owns)) continue;
    if (sellables.has(product.sku)) {
      warnings.push(`WooCommerce products ${sellables.get(product.sku)?.productId} and ${product.productId} share the SKU ${product.sku}; the first is used.`);
      continue;
    }
    sellables.set(product.sku, product);
  }

  // --- Inventory value and quantities.
  let netsuiteValue = 0;
  for (const item of items.values()) netsuiteValue += valueCents(Math.max(0, item.available), item.averageCost);
  let wooValue = 0;
  const quantityDifferences: SkuQuantityDifference[] = [];
  const onlyInWoo: string[] = [];
  const matchedKeys = new Set<string>();
  for (const product of sellables.values()) {
    const item = items.get(netsuiteKeyOf(product.sku, aliases));
    if (!item) {
      onlyInWoo.push(product.sku);
      continue;
    }
    matchedKeys.add(item.key);
    wooValue += valueCents(Math.max(0, product.stockQuantity ?? 0), item.averageCost);
    const inFlight = snapshot.inFlightUnits[product.sku] ?? 0;
    const expected = Math.max(0, item.available - inFlight);
    if (product.stockQuantity !== expected) {
      quantityDifferences.push({ sku: product.sku, woocommerce: product.stockQuantity, netsuiteAvailable: item.available, inFlight, expected });
    }
  }
  const onlyInNetSuite = [...items.keys()].filter((key) => !matchedKeys.has(key));
  const bySku = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  onlyInWoo.sort(bySku);
  onlyInNetSuite.sort(bySku);
  quantityDifferences.sort((a, b) => bySku(a.sku, b.sku));

  // --- Open orders on both sides.
  const openStatuses = new Set(OPEN_WOO_STATUSES);
  const wooOpen = snapshot.wooOpenOrders.filter((order) => openStatuses.has(order.status));
  const currencies = [...new Set(wooOpen.map((order) => order.currency).filter((c) => c !== ''))];
  if (currencies.length > 1) warnings.push(`Open WooCommerce orders are in several currencies (${currencies.join(', ')}): their values are added as they are.`);
  const nsOpenStatuses = new Set(OPEN_SALES_ORDER_STATUSES);
  const nsOpen = snapshot.netsuiteOpenSalesOrders.filter((so) => nsOpenStatuses.has(so.status));
  const nsKeys = new Map<string, NetSuiteOpenSalesOrder>();
  for (const so of nsOpen) {
    if (so.orderKey === '') continue;
    const first = nsKeys.get(so.orderKey);
    if (first)
      warnings.push(`Sales orders ${first.tranId} (${first.id}) and ${so.tranId} (${so.id}) carry the same WooCommerce order key: one of them is a duplicate.`);
    else nsKeys.set(so.orderKey, so);
  }
  const wooKeys = new Set(wooOpen.map((order) => order.orderKey));

  const graceEnds = Date.parse(input.asOf) - input.graceMinutes * 60_000;
  const createdMs = (order: WooOpenOrder): number =>
    order.createdGmt ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(order.createdGmt) ? order.createdGmt : `${order.createdGmt}Z`) : Number.NaN;
  const withoutSalesOrder: OrderWithoutSalesOrder[] = wooOpen
    .filter((order) => order.salesOrderId === undefined && !nsKeys.has(order.orderKey))
    .filter((order) => {
      const created = createdMs(order);
      return Number.isNaN(created) || created <= graceEnds;
    })
    .map((order) => ({
      orderId: order.id,
      number: order.number,
      status: order.status,
      ...(order.createdGmt ? { createdGmt: order.createdGmt } : {}),
      valueCents: order.valueCents,
      ...(order.syncStatus ? { syncStatus: order.syncStatus } : {}),
    }))
    .sort((a, b) => a.orderId - b.orderId);

  const unknownToWoo: SalesOrderUnknownToWoo[] = [];
  const forClosed: SalesOrderForClosedWooOrder[] = [];
  for (const so of nsOpen) {
    const base = {
      salesOrderId: so.id,
      tranId: so.tranId,
      orderKey: so.orderKey,
      ...(so.orderNumber ? { orderNumber: so.orderNumber } : {}),
      totalCents: so.totalCents,
    };
    if (so.orderKey === '') {
      unknownToWoo.push({ ...base, reason: 'no-key' });
      continue;
    }
    if (wooKeys.has(so.orderKey)) continue;
    const lookup = snapshot.orderLookups[so.id];
    if (!lookup) unknownToWoo.push({ ...base, reason: 'no-such-order' });
    else if (lookup.orderKey !== so.orderKey) unknownToWoo.push({ ...base, reason: 'key-differs' });
    else if (!openStatuses.has(lookup.status))
      forClosed.push({ salesOrderId: so.id, tranId: so.tranId, orderId: lookup.orderId, wooStatus: lookup.status, totalCents: so.totalCents });
  }
  const refundsNotInNetSuite: RefundNotInNetSuite[] = wooOpen.flatMap((order) =>
    (order.refunds ?? [])
      .filter((r) => !r.applied)
      .map((r) => ({
        orderId: order.id,
        number: order.number,
        refundId: r.id,
        amountCents: r.amountCents,
        ...(order.salesOrderId ? { salesOrderId: order.salesOrderId } : {}),
      })),
  );
  refundsNotInNetSuite.sort((a, b) => a.orderId - b.orderId || a.refundId - b.refundId);
  const byId = (a: { salesOrderId: string }, b: { salesOrderId: string }): number =>
    Number(a.salesOrderId) - Number(b.salesOrderId) || bySku(a.salesOrderId, b.salesOrderId);
  unknownToWoo.sort(byId);
  forClosed.sort(byId);

  // --- The numbers and their comparison.
  const woocommerce: SideFigures = {
    itemCount: sellables.size,
    inventoryValueCents: wooValue,
    openOrderValueCents: wooOpen.reduce((sum, order) => sum + order.valueCents, 0),
  };
  const netsuite: SideFigures = {
    itemCount: items.size,
    inventoryValueCents: netsuiteValue,
    openOrderValueCents: nsOpen.reduce((sum, so) => sum + so.totalCents, 0),
  };
  const comparisons = compareFigures(woocommerce, netsuite, input.thresholds);
  const over = comparisons.filter((c) => c.overThreshold).length;

  return {
    store: input.store,
    reportDate: snapshot.reportDate,
    timeZone: input.timeZone,
    asOf: input.asOf,
    readAt: snapshot.readAt,
    woocommerce,
    netsuite,
    comparisons,
    differencesOverThreshold: over,
    inBalance: over === 0,
    rules: rulesOf(snapshot),
    lists: {
      ordersWithoutSalesOrder: moneyListOf(withoutSalesOrder, (row) => row.valueCents),
      salesOrdersUnknownToWoo: moneyListOf(unknownToWoo, (row) => row.totalCents),
      salesOrdersForClosedWooOrders: moneyListOf(forClosed, (row) => row.totalCents),
      refundsNotInNetSuite: moneyListOf(refundsNotInNetSuite, (row) => row.amountCents),
      skuQuantityDifferences: listOf(quantityDifferences),
      skusOnlyInWooCommerce: listOf(onlyInWoo),
      skusOnlyInNetSuite: listOf(onlyInNetSuite),
    },
    settings: { thresholds: { ...input.thresholds }, graceMinutes: input.graceMinutes, locations: [...snapshot.locations], matchBy: snapshot.matchBy },
    warnings,
    requests: { ...snapshot.requests },
  };
}
