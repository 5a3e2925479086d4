/**
 * An order's life: the statuses, a new blank order, totals recalculated, notes, status transitions (WC_Order::set_status
 * + status_transition with their stock rules), payment_complete, trash / delete / restore.
 */
import { createHash } from 'node:crypto';
import type { SimContext } from './context';
import { recordCompletedOrderEmail, recordCustomerNoteEmail } from './emails';
import { WooError } from './errors';
import { orderJson } from './order-json';
import type { WooOrderJson } from './rest-types';
import { applyStockRules } from './stock';
import { emptyAddress, emptyBilling, type Order, type OrderNote } from './store';
import { calculateTotals } from './totals';

export const ORDER_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'] as const;
/** Statuses that never fire webhooks. */
export const DRAFT_STATUSES: ReadonlySet<string> = new Set(['checkout-draft', 'draft', 'auto-draft', 'new']);
const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
  trash: 'Trash',
};
/** Statuses of a paid order (date_paid set on reaching one). */
export const PAID_STATUSES: ReadonlySet<string> = new Set(['processing', 'completed']);

const orderKey = (id: number, ms: number): string =>
  `wc_order_${createHash('sha1')
    .update(`key:${id}:${ms}`)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 13)}`;

/** A new order with nothing in it yet: pending, a fresh id and order key, empty addresses and items. */
export function blankOrder(ctx: SimContext, createdVia: string): Order {
  const now = ctx.clock.now();
  const id = ctx.store.postId();
  return {
    id,
    parentId: 0,
    status: 'pending',
    currency: ctx.options.currency,
    createdVia,
    orderKey: orderKey(id, now),
    createdMs: now,
    modifiedMs: now,
    paidMs: null,
    completedMs: null,
    customerId: 0,
    customerNote: '',
    billing: emptyBilling(),
    shipping: emptyAddress(),
    paymentMethod: '',
    paymentMethodTitle: '',
    transactionId: '',
    meta: [],
    lineItems: [],
    shippingLines: [],
    feeLines: [],
    couponLines: [],
    taxLines: [],
    discountTotal: '0.00',
    discountTax: '0.00',
    shippingTotal: '0.00',
    shippingTax: '0.00',
    cartTax: '0.00',
    total: '0.00',
    totalTax: '0.00',
    stockReduced: false,
    notes: [],
    trashedFromStatus: null,
    refunds: [],
    shipmentTrackings: [],
    rev: 0,
  };
}

/** Recomputes the order's totals (totals.ts) from its items and the store's tax rates. */
export function recalculateTotals(ctx: SimContext, order: Order): void {
  calculateTotals(order, ctx.store.taxRates, () => ctx.store.itemId());
}

/** Adds a note to the order; a customer note also records the e-mail the customer gets (emails.ts). */
export function addNote(ctx: SimContext, order: Order, note: string, customerNote: boolean, addedByUser: boolean): OrderNote {
  const entry: OrderNote = {
    id: ctx.store.commentId(),
    author: addedByUser ? 'admin' : 'WooCommerce',
    createdMs: ctx.clock.now(),
    note,
    customerNote,
    addedByUser,
  };
  order.notes.push(entry);
  if (customerNote) recordCustomerNoteEmail(ctx, order, note);
  return entry;
}

/**
 * WC_Order::set_status + status_transition: records the change note, sets date_paid / date_completed, applies the
 * stock rules (processing → completed takes nothing more: stock is reduced once per order), records the "Completed
 * order" e-mail on completion (emails.ts) and bumps date_modified. Returns false when the status did not change.
 */
export function transitionStatus(ctx: SimContext, order: Order, status: string, note = ''): boolean {
  const from = order.status;
  if (from === status) return false;
  const now = ctx.clock.now();
  order.status = status;
  if (PAID_STATUSES.has(status) && order.paidMs === null) order.paidMs = now;
  if (status === 'completed') order.completedMs = now;
  addNote(
    ctx,
    order,
    `${note ? `${note} ` : ''}Order status changed from ${STATUS_LABELS[from] ?? from} to ${STATUS_LABELS[status] ?? status}.`.trim(),
    false,
    false,
  );
  applyStockRules(ctx, order, status);
  if (status === 'completed') recordCompletedOrderEmail(ctx, order);
  order.modifiedMs = now;
  order.rev++;
  return true;
}

/** WC_Order::payment_complete: processing, date_paid, transaction id, stock reduced. */
export function paymentComplete(ctx: SimContext, order: Order, transactionId: string): void {
  if (transactionId) order.transactionId = transactionId;
  if (order.paidMs === null) order.paidMs = ctx.clock.now();
  if (order.status === 'pending' || order.status === 'on-hold' || order.status === 'failed' || order.status === 'checkout-draft') {
    transitionStatus(ctx, order, 'processing', 'Payment complete.');
  }
  applyStockRules(ctx, order, 'processing');
}

/** Changes only the status (as the admin screen or a payment gateway would). Fires order.updated when it changed. */
export function setOrderStatus(ctx: SimContext, order: Order, status: string, note = ''): Order {
  if (transitionStatus(ctx, order, status, note)) ctx.emit('order', 'updated', order.id);
  return order;
}

/** `DELETE /orders/<id>`: trash (fires order.deleted), or with force delete permanently (fires order.deleted). */
export function deleteOrder(ctx: SimContext, order: Order, force: boolean): WooOrderJson {
  if (!force) {
    if (order.status === 'trash') throw new WooError(410, 'woocommerce_rest_already_trashed', 'The order has already been deleted.');
    order.trashedFromStatus = order.status;
    order.status = 'trash';
    order.modifiedMs = ctx.clock.now();
    order.rev++;
    ctx.emit('order', 'deleted', order.id);
    return orderJson(ctx, order);
  }
  const json = orderJson(ctx, order);
  ctx.store.orders.delete(order.id);
  ctx.emit('order', 'deleted', order.id);
  return json;
}

/** Untrash: the status before trashing comes back; fires order.restored. */
export function restoreOrder(ctx: SimContext, order: Order): Order {
  if (order.status !== 'trash') return order;
  order.status = order.trashedFromStatus ?? 'pending';
  order.trashedFromStatus = null;
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  ctx.emit('order', 'restored', order.id);
  return order;
}
