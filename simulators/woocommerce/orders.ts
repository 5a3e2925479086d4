/**
 * Orders: the REST JSON, creation (REST and checkout), updates (meta upsert, item edits — see order-edits.ts —, status
 * changes with their stock rules, set_paid), trash/delete/restore, notes, listing with WooCommerce's filters, and the
 * order routes.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OrderDraft } from '../seed';
import type { SimContext } from './context';
import { invalidParam, notOneOf, WooError } from './errors';
import { phpJsonEncode } from './php-json';
import type { WooLineItemJson, WooMetaJson, WooNoteJson, WooOrderJson } from './rest-types';
import {
  API_PREFIX,
  applyFields,
  asBool,
  asInt,
  asObjectArray,
  asString,
  BATCH_LIMIT,
  batchItemError,
  batchTooLarge,
  bodyOf,
  commaList,
  isObject,
  metaUpdates,
  numericId,
  pageOf,
  pagingOf,
  queryOf,
  sendEncoded,
  sendWoo,
  type JsonObject,
} from './rest-util';
import { recordCompletedOrderEmail, recordCustomerNoteEmail } from './emails';
import { applyLineInput, touchesTotals } from './order-edits';
import { lineFromProduct, newCouponLine, rawLine } from './order-items';
import { applyStockRules } from './stock';
import { emptyAddress, emptyBilling, upsertMeta, type Address, type BillingAddress, type LineItem, type Order, type OrderNote } from './store';
import { calculateTotals, money, taxLineJson, toCents } from './totals';

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
const PAID_STATUSES: ReadonlySet<string> = new Set(['processing', 'completed']);

/** A cart line of a checkout. A SKU the store does not know needs `raw: true` (see CheckoutDraft). */
export interface CheckoutLine {
  sku: string;
  quantity: number;
  /**
   * true = the SKU need not exist in the store: the line gets product_id 0 and variation_id 0 (like a line whose
   * product was deleted) but keeps `sku` as given, so a test can create an order whose SKU NetSuite does not know.
   */
  raw?: boolean;
  /** Raw lines: line name. Default `Unknown product <sku>`. */
  name?: string;
  /** Raw lines: unit price, a decimal string. Default '10.00'. */
  price?: string;
}

/** An OrderDraft whose lines may be raw. */
export interface CheckoutDraft extends Omit<OrderDraft, 'lines'> {
  lines: CheckoutLine[];
}

const orderKey = (id: number, ms: number): string =>
  `wc_order_${createHash('sha1')
    .update(`key:${id}:${ms}`)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 13)}`;

function metaJson(meta: { id: number; key: string; value: unknown }[]): WooMetaJson[] {
  return meta.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

function lineJson(ctx: SimContext, line: LineItem): WooLineItemJson {
  const parentName = line.variationId ? (ctx.store.products.get(line.productId)?.name ?? null) : null;
  return {
    id: line.id,
    name: line.name,
    product_id: line.productId,
    variation_id: line.variationId,
    quantity: line.quantity,
    tax_class: line.taxClass,
    subtotal: line.subtotal,
    subtotal_tax: line.subtotalTax,
    total: line.total,
    total_tax: line.totalTax,
    taxes: line.taxes,
    meta_data: line.meta.map((m) => ({ id: m.id, key: m.key, value: m.value, display_key: m.key, display_value: m.value })),
    sku: line.sku,
    price: line.quantity ? Number((toCents(line.total) / 100 / line.quantity).toFixed(6)) : 0,
    image: { id: '', src: '' },
    parent_name: parentName,
  };
}

/**
 * The order's `refunds` summary as WC_Order::get_refunds() lists them: newest first, each `{id, reason, total}` with the
 * total negative.
 */
function refundSummary(o: Order): { id: number; reason: string; total: string }[] {
  return [...o.refunds].sort((a, b) => b.createdMs - a.createdMs || b.id - a.id).map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` }));
}

/** The REST representation of an order (`GET /orders/<id>`). */
export function orderJson(ctx: SimContext, o: Order): WooOrderJson {
  const { clock } = ctx;
  const date = (ms: number | null): string | null => (ms === null ? null : clock.local(ms));
  const gmt = (ms: number | null): string | null => (ms === null ? null : clock.gmt(ms));
  const url = ctx.storeUrl();
  return {
    id: o.id,
    parent_id: o.parentId,
    status: o.status,
    currency: o.currency,
    version: '9.4.2',
    prices_include_tax: false,
    date_created: clock.local(o.createdMs),
    date_modified: clock.local(o.modifiedMs),
    discount_total: o.discountTotal,
    discount_tax: o.discountTax,
    shipping_total: o.shippingTotal,
    shipping_tax: o.shippingTax,
    cart_tax: o.cartTax,
    total: o.total,
    total_tax: o.totalTax,
    customer_id: o.customerId,
    order_key: o.orderKey,
    billing: o.billing,
    shipping: o.shipping,
    payment_method: o.paymentMethod,
    payment_method_title: o.paymentMethodTitle,
    transaction_id: o.transactionId,
    customer_ip_address: o.createdVia === 'checkout' ? '203.0.113.10' : '',
    customer_user_agent: o.createdVia === 'checkout' ? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0' : '',
    created_via: o.createdVia,
    customer_note: o.customerNote,
    date_completed: date(o.completedMs),
    date_paid: date(o.paidMs),
    cart_hash: '',
    number: String(o.id),
    meta_data: metaJson(o.meta),
    line_items: o.lineItems.map((line) => lineJson(ctx, line)),
    tax_lines: o.taxLines.map(taxLineJson),
    shipping_lines: o.shippingLines.map((s) => ({
      id: s.id,
      method_title: s.methodTitle,
      method_id: s.methodId,
      instance_id: s.instanceId,
      total: s.total,
      total_tax: s.totalTax,
      taxes: s.taxes,
      meta_data: [],
    })),
    fee_lines: o.feeLines.map((f) => ({
      id: f.id,
      name: f.name,
      tax_class: f.taxClass,
      tax_status: f.taxStatus,
      amount: f.total,
      total: f.total,
      total_tax: f.totalTax,
      taxes: f.taxes,
      meta_data: [],
    })),
    coupon_lines: o.couponLines.map((c) => ({
      id: c.id,
      code: c.code,
      discount: c.discount,
      discount_tax: c.discountTax,
      discount_type: c.discountType,
      nominal_amount: c.nominalAmount,
      free_shipping: c.freeShipping,
      meta_data: [],
    })),
    refunds: refundSummary(o),
    payment_url: `${url}/checkout/order-pay/${o.id}/?pay_for_order=true&key=${o.orderKey}`,
    is_editable: o.status === 'pending' || o.status === 'on-hold' || o.status === 'checkout-draft',
    needs_payment: o.status === 'pending' || o.status === 'failed',
    needs_processing: true,
    date_created_gmt: clock.gmt(o.createdMs),
    date_modified_gmt: clock.gmt(o.modifiedMs),
    date_completed_gmt: gmt(o.completedMs),
    date_paid_gmt: gmt(o.paidMs),
    currency_symbol: o.currency === 'USD' ? '$' : o.currency,
    _links: {
      self: [{ href: `${url}${API_PREFIX}/orders/${o.id}` }],
      collection: [{ href: `${url}${API_PREFIX}/orders` }],
      ...(o.customerId ? { customer: [{ href: `${url}${API_PREFIX}/customers/${o.customerId}` }] } : {}),
    },
  };
}

const encodedCache = new WeakMap<Order, { rev: number; text: string }>();

/**
 * The order's REST JSON already encoded like wp_json_encode, cached per order revision so that reading an unchanged
 * order (single GET, list pages) does not rebuild and re-encode it. Every change of an order bumps `rev`.
 * (A product renamed after the order was read keeps the old `parent_name` in the cache until the order changes.)
 */
export function encodedOrderJson(ctx: SimContext, o: Order): string {
  const cached = encodedCache.get(o);
  if (cached && cached.rev === o.rev) return cached.text;
  const text = phpJsonEncode(orderJson(ctx, o));
  encodedCache.set(o, { rev: o.rev, text });
  return text;
}

export function noteJson(ctx: SimContext, n: OrderNote): WooNoteJson {
  return {
    id: n.id,
    author: n.author,
    date_created: ctx.clock.local(n.createdMs),
    date_created_gmt: ctx.clock.gmt(n.createdMs),
    note: n.note,
    customer_note: n.customerNote,
    added_by_user: n.addedByUser,
  };
}

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

// ---------------------------------------------------------------------------------------------------------------
// Building and changing orders

function blankOrder(ctx: SimContext, createdVia: string): Order {
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

function recalc(ctx: SimContext, order: Order): void {
  calculateTotals(order, ctx.store.taxRates, () => ctx.store.itemId());
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
function paymentComplete(ctx: SimContext, order: Order, transactionId: string): void {
  if (transactionId) order.transactionId = transactionId;
  if (order.paidMs === null) order.paidMs = ctx.clock.now();
  if (order.status === 'pending' || order.status === 'on-hold' || order.status === 'failed' || order.status === 'checkout-draft') {
    transitionStatus(ctx, order, 'processing', 'Payment complete.');
  }
  applyStockRules(ctx, order, 'processing');
}

function invalidOrderId(status: number): WooError {
  return new WooError(status, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
}

function validateStatus(value: unknown): string {
  const status = asString(value);
  if (!(ORDER_STATUSES as readonly string[]).includes(status)) throw notOneOf('status', ORDER_STATUSES);
  return status;
}

function mergeAddress<T extends Address | BillingAddress>(target: T, input: unknown): void {
  if (!isObject(input)) return;
  const record = target as unknown as Record<string, string>;
  for (const key of Object.keys(record)) if (input[key] !== undefined) record[key] = asString(input[key]);
}

/** Validates a REST order body before anything is changed. */
function validateOrderBody(body: JsonObject): void {
  if (body.status !== undefined) validateStatus(body.status);
  if (body.customer_id !== undefined && asInt(body.customer_id) === undefined) {
    throw invalidParam('customer_id', 'rest_invalid_type', 'customer_id is not of type integer.');
  }
  if (body.meta_data !== undefined && !Array.isArray(body.meta_data)) throw invalidParam('meta_data', 'rest_invalid_type', 'meta_data is not of type array.');
  if (body.line_items !== undefined && !Array.isArray(body.line_items))
    throw invalidParam('line_items', 'rest_invalid_type', 'line_items is not of type array.');
}

function applyScalarInput(ctx: SimContext, order: Order, body: JsonObject): void {
  if (body.customer_id !== undefined) {
    const id = asInt(body.customer_id) ?? 0;
    if (id !== 0 && !ctx.store.customers.has(id)) throw new WooError(400, 'woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.');
    order.customerId = id;
  }
  if (body.currency !== undefined) order.currency = asString(body.currency, order.currency);
  if (body.customer_note !== undefined) order.customerNote = asString(body.customer_note);
  if (body.payment_method !== undefined) order.paymentMethod = asString(body.payment_method);
  if (body.payment_method_title !== undefined) order.paymentMethodTitle = asString(body.payment_method_title);
  if (body.transaction_id !== undefined) order.transactionId = asString(body.transaction_id);
  if (body.parent_id !== undefined) order.parentId = asInt(body.parent_id) ?? 0;
  mergeAddress(order.billing, body.billing);
  mergeAddress(order.shipping, body.shipping);
  if (body.meta_data !== undefined) upsertMeta(ctx.store, order.meta, metaUpdates(body.meta_data));
}

/** `POST /orders`: computes totals, applies status and set_paid, fires order.created. */
export function createRestOrder(ctx: SimContext, body: JsonObject): Order {
  validateOrderBody(body);
  const order = blankOrder(ctx, asString(body.created_via, 'rest-api'));
  applyScalarInput(ctx, order, body);
  applyLineInput(ctx, order, body);
  recalc(ctx, order);
  ctx.store.orders.set(order.id, order);
  const status = body.status !== undefined ? validateStatus(body.status) : 'pending';
  if (status !== 'pending') transitionStatus(ctx, order, status);
  ctx.emit('order', 'created', order.id);
  if (asBool(body.set_paid)) {
    paymentComplete(ctx, order, asString(body.transaction_id));
    ctx.emit('order', 'updated', order.id);
  }
  order.rev++;
  return order;
}

/**
 * `PUT|PATCH /orders/<id>` (and control updates): meta upserted by key, addresses merged, items added / changed /
 * removed as order-edits.ts describes, totals recalculated when billing, shipping or any item list was sent, status
 * changed with its stock rules, set_paid. Always bumps date_modified and fires order.updated.
 */
export function updateOrder(ctx: SimContext, order: Order, body: JsonObject): Order {
  validateOrderBody(body);
  applyScalarInput(ctx, order, body);
  applyLineInput(ctx, order, body);
  if (touchesTotals(body)) recalc(ctx, order);
  if (body.status !== undefined) transitionStatus(ctx, order, validateStatus(body.status));
  if (asBool(body.set_paid)) paymentComplete(ctx, order, asString(body.transaction_id));
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  ctx.emit('order', 'updated', order.id);
  return order;
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

export class CheckoutError extends Error {}

/**
 * A storefront checkout from a draft: created_via 'checkout'; a registered customer is matched by e-mail
 * (case-insensitive, trimmed), anyone else is a guest (customer_id 0); billing.email is exactly the e-mail as typed;
 * addresses come from the catalog customer. The order is created pending (fires order.created); a draft status other
 * than pending is then applied as the payment step would (processing/completed are paid, with a transaction id;
 * stock reduced) and fires order.updated.
 */
export function placeCheckoutOrder(ctx: SimContext, draft: CheckoutDraft): Order {
  const { store } = ctx;
  const lines = draft.lines.map((line) => {
    const product = store.productBySku(line.sku);
    if (product && product.type !== 'variable' && !line.raw) return lineFromProduct(ctx, product, line.quantity);
    if (line.raw) return rawLine(ctx, line);
    throw new CheckoutError(
      product
        ? `SKU ${line.sku} is a variable product; order one of its variations`
        : `unknown SKU ${line.sku} (use raw: true for a line the store does not know)`,
    );
  });
  const shippingMethod = draft.shippingMethodId === undefined ? undefined : store.shippingMethods.find((m) => m.methodId === draft.shippingMethodId);
  if (draft.shippingMethodId !== undefined && !shippingMethod) throw new CheckoutError(`unknown shipping method ${draft.shippingMethodId}`);
  const payment = store.paymentMethods.find((m) => m.id === draft.paymentMethodId);
  if (!payment) throw new CheckoutError(`unknown payment method ${draft.paymentMethodId}`);
  const coupons = draft.couponCodes.map((code) => {
    const coupon = store.coupons.find((c) => c.code.toLowerCase() === code.toLowerCase());
    if (!coupon) throw new CheckoutError(`unknown coupon ${code}`);
    return coupon;
  });

  const order = blankOrder(ctx, 'checkout');
  const email = draft.customerEmail;
  const seedCustomer = email === undefined ? undefined : store.seedCustomers.find((c) => c.email.toLowerCase() === email.trim().toLowerCase());
  if (seedCustomer) {
    const address: Address = {
      first_name: seedCustomer.firstName,
      last_name: seedCustomer.lastName,
      company: seedCustomer.company,
      address_1: seedCustomer.address.address1,
      address_2: seedCustomer.address.address2,
      city: seedCustomer.address.city,
      state: seedCustomer.address.state,
      postcode: seedCustomer.address.postcode,
      country: seedCustomer.address.country,
      phone: seedCustomer.phone,
    };
    order.billing = { ...address, email: email ?? '' };
    order.shipping = { ...address, phone: '' };
    order.customerId = seedCustomer.registered ? (store.customerByEmail(seedCustomer.email)?.id ?? 0) : 0;
  } else {
    order.billing = { ...emptyBilling(), first_name: 'Guest', last_name: 'Shopper', country: 'US', state: 'CA', email: email ?? '' };
    order.shipping = { ...emptyAddress(), first_name: 'Guest', last_name: 'Shopper', country: 'US', state: 'CA' };
  }
  order.customerNote = draft.customerNote;
  order.paymentMethod = payment.id;
  order.paymentMethodTitle = payment.title;
  order.lineItems = lines;
  if (shippingMethod) {
    order.shippingLines.push({
      id: store.itemId(),
      methodId: shippingMethod.methodId,
      methodTitle: shippingMethod.title,
      instanceId: '1',
      total: shippingMethod.cost,
      totalTax: '0.00',
      taxes: [],
    });
  }
  for (const fee of draft.fees) {
    order.feeLines.push({
      id: store.itemId(),
      name: fee.name,
      taxClass: '',
      taxStatus: 'taxable',
      total: money(toCents(fee.total)),
      totalTax: '0.00',
      taxes: [],
    });
  }
  for (const coupon of coupons) {
    order.couponLines.push(newCouponLine(store.itemId(), coupon));
  }
  recalc(ctx, order);
  store.orders.set(order.id, order);
  ctx.emit('order', 'created', order.id);
  if (draft.status !== 'pending') {
    if (PAID_STATUSES.has(draft.status) && payment.id !== 'cod') {
      order.transactionId = `txn_${createHash('sha1').update(order.orderKey).digest('hex').slice(0, 24)}`;
    }
    transitionStatus(ctx, order, draft.status);
    ctx.emit('order', 'updated', order.id);
  }
  order.rev++;
  return order;
}

// ---------------------------------------------------------------------------------------------------------------
// Listing

const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const;

function dateParam(ctx: SimContext, query: Record<string, string | undefined>, name: string, asGmt: boolean): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const value = ctx.clock.parse(raw, asGmt);
  if (value === undefined) throw invalidParam(name, 'rest_invalid_date', 'Invalid date.');
  return value;
}

function listOrders(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): string {
  const query = queryOf(request);
  const paging = pagingOf(query);
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw notOneOf('order', ['asc', 'desc']);
  const orderby = query.orderby ?? 'date';
  if (!(ORDERBY as readonly string[]).includes(orderby)) throw notOneOf('orderby', ORDERBY);
  const statuses = commaList(query.status ?? 'any');
  for (const status of statuses) {
    if (status !== 'any' && status !== 'trash' && !(ORDER_STATUSES as readonly string[]).includes(status)) {
      throw invalidParam('status[0]', 'rest_not_in_enum', `status[0] is not one of any, trash, ${ORDER_STATUSES.join(', ')}.`);
    }
  }
  const any = statuses.includes('any');
  const wanted = new Set(statuses);
  // dates_are_gmt=true: the values are UTC; otherwise they are site-local (WooCommerce compares with the local columns).
  const asGmt = asBool(query.dates_are_gmt) ?? false;
  const after = dateParam(ctx, query, 'after', asGmt);
  const before = dateParam(ctx, query, 'before', asGmt);
  const modifiedAfter = dateParam(ctx, query, 'modified_after', asGmt);
  const modifiedBefore = dateParam(ctx, query, 'modified_before', asGmt);
  const customer = query.customer !== undefined ? asInt(query.customer) : undefined;
  const include = commaList(query.include).map(Number);
  const includeSet = new Set(include);
  const exclude = new Set(commaList(query.exclude).map(Number));
  const product = query.product !== undefined ? asInt(query.product) : undefined;
  const search = query.search?.trim().toLowerCase();

  const items: Order[] = [];
  for (const o of ctx.store.orders.values()) {
    if (any ? o.status === 'trash' || o.status === 'checkout-draft' : !wanted.has(o.status)) continue;
    if (after !== undefined && !(o.createdMs > after)) continue;
    if (before !== undefined && !(o.createdMs < before)) continue;
    if (modifiedAfter !== undefined && !(o.modifiedMs > modifiedAfter)) continue;
    if (modifiedBefore !== undefined && !(o.modifiedMs < modifiedBefore)) continue;
    if (customer !== undefined && o.customerId !== customer) continue;
    if (includeSet.size && !includeSet.has(o.id)) continue;
    if (exclude.has(o.id)) continue;
    if (query.parent !== undefined && String(o.parentId) !== query.parent) continue;
    if (product !== undefined && !o.lineItems.some((l) => l.productId === product || l.variationId === product)) continue;
    if (search) {
      const haystack =
        `${o.id} ${o.billing.email} ${o.billing.first_name} ${o.billing.last_name} ${o.billing.company} ${o.lineItems.map((l) => l.name).join(' ')}`.toLowerCase();
      if (!haystack.includes(search)) continue;
    }
    items.push(o);
  }
  const dir = order === 'asc' ? 1 : -1;
  if (orderby === 'include') items.sort((a, b) => include.indexOf(a.id) - include.indexOf(b.id));
  else if (orderby === 'modified') items.sort((a, b) => (a.modifiedMs - b.modifiedMs || a.id - b.id) * dir);
  else if (orderby === 'date') items.sort((a, b) => (a.createdMs - b.createdMs || a.id - b.id) * dir);
  else items.sort((a, b) => (a.id - b.id) * dir); // id, title, slug
  const page = pageOf(ctx, request, reply, items, paging);
  if (query._fields) return phpJsonEncode(page.map((o) => applyFields(orderJson(ctx, o), query._fields)));
  return `[${page.map((o) => encodedOrderJson(ctx, o)).join(',')}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

type Params = Record<string, string | undefined>;

export function registerOrderRoutes(app: FastifyInstance, ctx: SimContext): void {
  const O = `${API_PREFIX}/orders`;
  const find = (raw: string | undefined, status: number): Order => {
    const id = numericId(raw);
    const order = id === undefined ? undefined : ctx.store.orders.get(id);
    if (!order) throw invalidOrderId(status);
    return order;
  };

  app.get(O, async (request, reply) => sendEncoded(reply, 200, listOrders(ctx, request, reply)));
  app.post(O, async (request, reply) => {
    const order = createRestOrder(ctx, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${O}/${order.id}`);
    return sendWoo(reply, 201, orderJson(ctx, order));
  });
  app.post(`${O}/batch`, async (request, reply) => {
    const body = bodyOf(request);
    const create = asObjectArray(body.create);
    const update = asObjectArray(body.update);
    const del = Array.isArray(body.delete) ? body.delete : [];
    if (create.length + update.length + del.length > BATCH_LIMIT) throw batchTooLarge();
    const out: JsonObject = {};
    if (body.create !== undefined) {
      out.create = create.map((item) => {
        try {
          return orderJson(ctx, createRestOrder(ctx, item));
        } catch (error) {
          return batchItemError(0, error);
        }
      });
    }
    if (body.update !== undefined) {
      out.update = update.map((item) => {
        const id = asInt(item.id) ?? 0;
        try {
          return orderJson(ctx, updateOrder(ctx, find(String(id), 400), item));
        } catch (error) {
          return batchItemError(id, error);
        }
      });
    }
    if (body.delete !== undefined) {
      out.delete = del.map((raw) => {
        const id = asInt(isObject(raw) ? raw.id : raw) ?? 0;
        try {
          return deleteOrder(ctx, find(String(id), 400), true);
        } catch (error) {
          return batchItemError(id, error);
        }
      });
    }
    return sendWoo(reply, 200, out);
  });
  app.get(`${O}/:id`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const fields = queryOf(request)._fields;
    if (!fields) return sendEncoded(reply, 200, encodedOrderJson(ctx, order));
    return sendWoo(reply, 200, applyFields(orderJson(ctx, order), fields));
  });
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${O}/:id`,
    handler: async (request, reply) => sendWoo(reply, 200, orderJson(ctx, updateOrder(ctx, find((request.params as Params).id, 400), bodyOf(request)))),
  });
  app.delete(`${O}/:id`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    return sendWoo(reply, 200, deleteOrder(ctx, order, asBool(queryOf(request).force) ?? false));
  });

  app.get(`${O}/:id/notes`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const type = queryOf(request).type ?? 'any';
    if (type !== 'any' && type !== 'customer' && type !== 'internal') throw notOneOf('type', ['any', 'customer', 'internal']);
    const notes = order.notes
      .filter((n) => type === 'any' || (type === 'customer') === n.customerNote)
      .slice()
      .sort((a, b) => b.createdMs - a.createdMs || b.id - a.id);
    return sendWoo(
      reply,
      200,
      notes.map((n) => noteJson(ctx, n)),
    );
  });
  app.post(`${O}/:id/notes`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const body = bodyOf(request);
    if (typeof body.note !== 'string' || body.note === '') {
      throw new WooError(
        400,
        body.note === undefined ? 'rest_missing_callback_param' : 'woocommerce_rest_invalid_order_note',
        body.note === undefined ? 'Missing parameter(s): note' : 'Cannot create order note, please try again.',
        body.note === undefined ? { params: ['note'] } : {},
      );
    }
    const note = addNote(ctx, order, body.note, asBool(body.customer_note) ?? false, asBool(body.added_by_user) ?? false);
    reply.header('Location', `${ctx.storeUrl()}${O}/${order.id}/notes/${note.id}`);
    return sendWoo(reply, 201, noteJson(ctx, note));
  });
}
