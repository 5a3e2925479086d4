/**
 * The WooCommerce orders side of the reconciliation: every open order (processing / on-hold), reduced to what the
 * report needs — ID, number, key, status, creation date, value, sync meta — and never the customer; and the orders
 * named by sales orders whose key no open order carries (one `GET /orders/<number>` each).
 */
import { moneyToCents } from '../mapping/sales-order';
import type { WooClient } from '../woocommerce/client';
import { MAX_PER_PAGE } from '../woocommerce/client-http';
import { ORDER_META, orderMetaValue } from '../woocommerce/order-meta';
import { orderIdFromNumber, type WooOrder } from '../woocommerce/order';
import type { WooOpenOrder, WooOrderLookup } from './build-report';
import type { ReadOptions } from './netsuite-reads';
import { OPEN_WOO_STATUSES } from './types';
import { parseLifecycleRecord } from '../lifecycle/types';

/**
 * The value an open order counts at: total − total_tax, or total when the sales order carries the tax (tax mode
 * "line"), less its refunds (WooCommerce keeps `total` as ordered; a refund's tax share is taken in proportion).
 */
export function openOrderValueCents(order: Pick<WooOrder, 'total' | 'total_tax'> & { refunds?: WooOrder['refunds'] }, taxIncluded: boolean): number {
  const total = moneyToCents(order.total, 'total');
  const tax = moneyToCents(order.total_tax, 'total_tax');
  const refunded = (order.refunds ?? []).reduce((sum, r) => sum + Math.abs(moneyToCents(r.total, 'refunds[].total')), 0);
  if (taxIncluded) return total - refunded;
  const refundedNet = total === 0 ? refunded : Math.round((refunded * (total - tax)) / total);
  return total - tax - refundedNet;
}

/** The order's refunds, each marked applied when its `_netsuite_lifecycle` record names it. */
function refundsOf(order: WooOrder): NonNullable<WooOpenOrder['refunds']> {
  const applied = parseLifecycleRecord(orderMetaValue(order, ORDER_META.lifecycle)).applied;
  return order.refunds.map((r) => ({
    id: r.id,
    amountCents: Math.abs(moneyToCents(r.total, 'refunds[].total')),
    applied: Object.hasOwn(applied, String(r.id)),
  }));
}

/** Every open order (processing / on-hold), ascending by ID. */
export async function readOpenOrders(
  woo: WooClient,
  q: { taxIncluded: boolean },
  options: ReadOptions = {},
): Promise<{ orders: WooOpenOrder[]; requests: number }> {
  const orders = new Map<number, WooOpenOrder>();
  let requests = 0;
  for (let page = 1; ; page++) {
    const answer = await woo.listOrders(
      { status: [...OPEN_WOO_STATUSES], perPage: MAX_PER_PAGE, page, orderby: 'id', order: 'asc' },
      options.signal ? { signal: options.signal } : {},
    );
    requests++;
    options.onRequest?.();
    for (const order of answer.orders) {
      const salesOrderId = orderMetaValue(order, ORDER_META.salesOrderId);
      const syncStatus = orderMetaValue(order, ORDER_META.syncStatus);
      orders.set(order.id, {
        id: order.id,
        number: order.number,
        orderKey: order.order_key,
        status: order.status,
        currency: order.currency,
        ...(order.date_created_gmt ? { createdGmt: order.date_created_gmt } : {}),
        valueCents: openOrderValueCents(order, q.taxIncluded),
        ...(salesOrderId !== undefined ? { salesOrderId } : {}),
        ...(syncStatus !== undefined ? { syncStatus } : {}),
        ...(order.refunds.length > 0 ? { refunds: refundsOf(order) } : {}),
      });
    }
    if (page >= answer.totalPages || answer.orders.length === 0) break;
  }
  return { orders: [...orders.values()].sort((a, b) => a.id - b.id), requests };
}

/**
 * The WooCommerce order each sales order's order-number field names (WooCommerce's order number is its ID unless a
 * numbering plugin changes it). A number that is not a positive integer, or an order WooCommerce does not have, gives
 * no entry. Keyed by sales order internal ID.
 */
export async function lookUpOrdersByNumber(
  woo: WooClient,
  salesOrders: { id: string; orderNumber?: string }[],
  options: ReadOptions = {},
): Promise<{ lookups: Record<string, WooOrderLookup>; requests: number }> {
  const lookups: Record<string, WooOrderLookup> = {};
  const byNumber = new Map<number, WooOrderLookup | undefined>();
  let requests = 0;
  for (const so of salesOrders) {
    const number = orderIdFromNumber(so.orderNumber);
    if (number === undefined) continue;
    if (!byNumber.has(number)) {
      const order = await woo.getOrder(number, options.signal ? { signal: options.signal } : {});
      requests++;
      options.onRequest?.();
      byNumber.set(number, order ? { orderId: order.id, orderKey: order.order_key, status: order.status } : undefined);
    }
    const found = byNumber.get(number);
    if (found) lookups[so.id] = found;
  }
  return { lookups, requests };
}
