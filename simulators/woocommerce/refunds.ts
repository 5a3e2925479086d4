/**
 * Refunds: `GET|POST /orders/<id>/refunds`, `GET|DELETE /orders/<id>/refunds/<refund_id>`, as the wc/v3 refunds
 * controller, RestApiUtil::adjust_create_refund_request_parameters and wc_create_refund / wc_restock_refunded_items do it.
 *
 * Creating (`POST`):
 *  - body `{amount?, reason?, api_refund?, api_restock?, meta_data?, line_items?: [{id, quantity, refund_total,
 *    refund_tax: [{id, refund_total}]}]}`. `id` may be any product, shipping or fee item of the order: each becomes a
 *    line of the refund's `line_items`, `shipping_lines` or `fee_lines`. An entry whose id is not such an item of the
 *    order is ignored, as is one with no quantity, no refund_total and no refund_tax. The quantity is NOT checked
 *    against what is left to refund (WooCommerce does not check it either).
 *  - `amount` (a string) is what is refunded; without it, it is the sum of every line's refund_total and refund_tax
 *    (when all are numbers), else 0. Negative or "" → 400 woocommerce_rest_invalid_order_refund; more than the order
 *    total minus earlier refunds, or not a number → 500 woocommerce_rest_cannot_create_order_refund "Invalid refund
 *    amount."; 0 is accepted (a 0.00 refund). A non-string amount → 400 rest_invalid_param.
 *  - `api_refund` (default true) asks the gateway: an order whose payment method is not an installed gateway, or is an
 *    offline one (cod, bacs, cheque), fails with 500 woocommerce_rest_cannot_create_order_refund and nothing is kept.
 *  - `api_restock` (default true) puts each refunded product line's quantity back into stock when that line took stock
 *    (`_reduced_stock`), with the note "Item #<product id> stock increased from A to B.".
 *  - A refund of everything left sets the order to `refunded`; the order's date_modified moves and order.updated fires.
 *
 * Deleting (`DELETE`): `force` defaults to true on this route, so a plain DELETE deletes; `force=false` → 501
 * woocommerce_rest_trash_not_supported. The answer is the deleted refund's JSON. Nothing else happens: no webhook
 * (order.updated does not fire, WooCommerce issue #26532), the order's date_modified stays, stock stays; the order's
 * `refunds` summary and remaining refundable amount simply no longer count it, and a `refunded` status stays.
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { invalidParams, WooError } from './errors';
import { addNote, transitionStatus } from './order-lifecycle';
import { findItem } from './order-items';
import { refundJson } from './refund-json';
import type { WooRefundJson } from './rest-types';
import { API_PREFIX, applyFields, bodyOf, isObject, metaUpdates, numericId, pageOf, pagingOf, queryOf, sendWoo, type JsonObject } from './rest-util';
import { recomputeStockStatus } from './stock';
import { upsertMeta, type Order, type Refund, type RefundLine, type RefundTax, type TaxLine } from './store';
import { money, rateCode, toCents } from './totals';

/** Payment methods that never refund through the API (WooCommerce's offline gateways). */
const OFFLINE_GATEWAYS: ReadonlySet<string> = new Set(['cod', 'bacs', 'cheque']);

const cannotCreate = (message: string): WooError => new WooError(500, 'woocommerce_rest_cannot_create_order_refund', message);

/** PHP is_numeric for a request value. */
const isNumeric = (value: unknown): boolean =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value));

/** PHP empty(). */
const phpEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === false ||
  value === 0 ||
  value === '' ||
  value === '0' ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0);

/** Total of an order's refunds, in cents. */
export const refundedCents = (order: Order): number => order.refunds.reduce((sum, r) => sum + toCents(r.amount), 0);

/** WC_Order::get_remaining_refund_amount, in cents. */
export const remainingRefundCents = (order: Order): number => toCents(order.total) - refundedCents(order);

// ---- the request, in WooCommerce's internal format -----------------------------------------------------------

/** One entry of the internal `line_items` map (keyed by order item id). */
interface RequestLine {
  qty: unknown;
  refund_total: unknown;
  /** Rate id → amount when the request gave `[{id, refund_total}]` (or a map); otherwise the value as sent. */
  refund_tax: unknown;
}

const isBooleanParam = (value: unknown): boolean =>
  typeof value === 'boolean' || value === 0 || value === 1 || (typeof value === 'string' && ['true', 'false', '0', '1'].includes(value.toLowerCase()));
const booleanParam = (value: unknown): boolean => value === true || value === 1 || (typeof value === 'string' && ['true', '1'].includes(value.toLowerCase()));

/** The route's argument validation (WP_REST_Request::has_valid_params) for the create endpoint. */
function validateCreateParams(body: JsonObject): void {
  const problems: Record<string, { code: string; message: string }> = {};
  for (const name of ['amount', 'reason'] as const) {
    const value = body[name];
    if (value !== undefined && value !== null && typeof value !== 'string')
      problems[name] = { code: 'rest_invalid_type', message: `${name} is not of type string.` };
  }
  for (const name of ['api_refund', 'api_restock'] as const) {
    const value = body[name];
    if (value !== undefined && value !== null && !isBooleanParam(value))
      problems[name] = { code: 'rest_invalid_type', message: `${name} is not of type boolean.` };
  }
  if (body.meta_data !== undefined && body.meta_data !== null && !Array.isArray(body.meta_data)) {
    problems.meta_data = { code: 'rest_invalid_type', message: 'meta_data is not of type array.' };
  }
  if (Object.keys(problems).length) throw invalidParams(problems);
}

function refundTaxMap(raw: unknown): unknown {
  if (!Array.isArray(raw) || raw.length === 0) return raw;
  const map: Record<string, unknown> = {};
  for (const entry of raw) {
    if (!isObject(entry) || entry.id === undefined || entry.id === null || entry.refund_total === undefined || entry.refund_total === null) return raw;
    map[String(entry.id)] = entry.refund_total;
  }
  return map;
}

/**
 * `line_items` converted like adjust_line_items_for_create_refund_request: a list of `{id, quantity|qty, refund_total,
 * refund_tax}` becomes a map by id (`quantity` renamed `qty`); a list where some entry has no id stays a list (and then
 * matches no order item); an object is taken as the internal map already.
 */
function requestLines(raw: unknown): { byItemId: Map<number, RequestLine>; all: RequestLine[] } {
  const byItemId = new Map<number, RequestLine>();
  const all: RequestLine[] = [];
  const toLine = (entry: JsonObject): RequestLine => ({
    qty: entry.qty !== undefined && entry.qty !== null ? entry.qty : entry.quantity,
    refund_total: entry.refund_total,
    refund_tax: Array.isArray(raw) ? refundTaxMap(entry.refund_tax) : entry.refund_tax,
  });
  if (phpEmpty(raw)) return { byItemId, all };
  if (Array.isArray(raw)) {
    const entries = raw.filter(isObject);
    const keyed = entries.length === raw.length && entries.every((e) => e.id !== undefined && e.id !== null);
    for (const entry of entries) {
      const line = toLine(entry);
      all.push(line);
      const id = numericId(String(entry.id));
      if (keyed && id !== undefined) byItemId.set(id, line);
    }
  } else if (isObject(raw)) {
    for (const [key, entry] of Object.entries(raw)) {
      if (!isObject(entry)) continue;
      const line = toLine(entry);
      all.push(line);
      const id = numericId(key);
      if (id !== undefined) byItemId.set(id, line);
    }
  }
  return { byItemId, all };
}

/** calculate_refund_amount_from_line_items: Σ refund_total + refund_tax when every one is a number, else null. */
function amountFromLines(lines: RequestLine[]): number | null {
  if (lines.length === 0) return null;
  let amount = 0;
  for (const line of lines) {
    if (!isNumeric(line.refund_total)) return null;
    amount += Number(line.refund_total);
    if (line.refund_tax === undefined || line.refund_tax === null) continue;
    const taxes = isObject(line.refund_tax) ? Object.values(line.refund_tax) : Array.isArray(line.refund_tax) ? line.refund_tax : [line.refund_tax];
    for (const tax of taxes) {
      if (!isNumeric(tax)) return null;
      amount += Number(tax);
    }
  }
  return amount;
}

function refundTaxes(raw: unknown): RefundTax[] {
  const entries: [string, unknown][] = isObject(raw) ? Object.entries(raw) : Array.isArray(raw) ? raw.map((v, i) => [String(i), v]) : [];
  return entries.filter(([, amount]) => isNumeric(amount)).map(([rateId, amount]) => ({ rateId: Number(rateId), amount: Number(amount) }));
}

// ---- creating and deleting ------------------------------------------------------------------------------------

/** WC_Order_Refund::update_taxes: one tax line per rate, cart taxes (products, fees) and shipping taxes apart. */
function refundTaxLines(ctx: SimContext, lines: RefundLine[]): TaxLine[] {
  const byRate = new Map<number, { cart: number; shipping: number }>();
  for (const line of lines) {
    for (const tax of line.taxes) {
      const entry = byRate.get(tax.rateId) ?? { cart: 0, shipping: 0 };
      const cents = Math.round(tax.amount * 100);
      if (line.type === 'shipping') entry.shipping += cents;
      else entry.cart += cents;
      byRate.set(tax.rateId, entry);
    }
  }
  return [...byRate.entries()].map(([rateId, { cart, shipping }]) => {
    const rate = ctx.store.taxRates.find((r) => r.id === rateId);
    return {
      id: ctx.store.itemId(),
      rateCode: rate ? rateCode(rate) : '',
      rateId,
      label: rate ? rate.name : 'Tax',
      compound: false,
      taxTotal: cart === 0 ? '0.00' : money(-cart),
      shippingTaxTotal: shipping === 0 ? '0.00' : money(-shipping),
      ratePercent: rate ? Number(rate.rate) : 0,
    };
  });
}

/** The refund lines of a request, in WooCommerce's item order (products, then fees, then shipping). */
function refundLines(ctx: SimContext, order: Order, requested: Map<number, RequestLine>): RefundLine[] {
  const items = [...order.lineItems, ...order.feeLines, ...order.shippingLines];
  const lines: RefundLine[] = [];
  for (const { id } of items) {
    const request = requested.get(id);
    if (!request || (phpEmpty(request.qty) && phpEmpty(request.refund_total) && phpEmpty(request.refund_tax))) continue;
    const found = findItem(order, id);
    if (!found || found.type === 'coupon') continue;
    const common = {
      id: ctx.store.itemId(),
      refundedItemId: id,
      metaId: ctx.store.metaId(),
      quantity: isNumeric(request.qty) ? Math.trunc(Number(request.qty)) : 0,
      totalCents: isNumeric(request.refund_total) ? toCents(Number(request.refund_total)) : 0,
      taxes: refundTaxes(request.refund_tax),
    };
    if (found.type === 'line_item') lines.push({ ...common, type: 'line_item', item: structuredClone(found.item) });
    else if (found.type === 'shipping') lines.push({ ...common, type: 'shipping', item: structuredClone(found.item) });
    else lines.push({ ...common, type: 'fee', item: structuredClone(found.item) });
  }
  return lines;
}

/** wc_restock_refunded_items: gives back the refunded quantity of each product line that took stock. */
function restockRefundedItems(ctx: SimContext, order: Order, requested: Map<number, RequestLine>): void {
  for (const line of order.lineItems) {
    const request = requested.get(line.id);
    if (!request || request.qty === undefined || request.qty === null) continue;
    const qty = isNumeric(request.qty) ? Math.trunc(Number(request.qty)) : 0;
    const product = ctx.store.products.get(line.variationId || line.productId);
    if (!line.reducedStock || !qty || !product || !ctx.options.manageStock || !product.manageStock || product.stockQuantity === null) continue;
    const before = product.stockQuantity;
    product.stockQuantity = before + qty;
    recomputeStockStatus(product);
    line.reducedStock -= qty;
    line.restockedRefunded += qty;
    addNote(ctx, order, `Item #${product.id} stock increased from ${before} to ${product.stockQuantity}.`, false, false);
  }
}

/** `POST /orders/<id>/refunds` after the order was found (see the file comment for the rules). */
export function createRefund(ctx: SimContext, order: Order, body: JsonObject): Refund {
  validateCreateParams(body);
  const { byItemId, all } = requestLines(body.line_items);
  let amount: unknown = body.amount;
  if (amount === undefined || amount === null) amount = amountFromLines(all);
  if (amount === '' || (isNumeric(amount) && Number(amount) < 0)) {
    throw new WooError(400, 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.');
  }
  const remaining = remainingRefundCents(order);
  if (amount !== null && (!isNumeric(amount) || Number(amount) > remaining / 100)) throw cannotCreate('Invalid refund amount.');
  const amountCents = amount === null ? 0 : toCents(Number(amount));

  const refundId = ctx.store.postId();
  const lines = refundLines(ctx, order, byItemId);
  const taxLines = refundTaxLines(ctx, lines);
  const refundPayment = body.api_refund === undefined || body.api_refund === null ? true : booleanParam(body.api_refund);
  if (refundPayment) {
    const gateway = ctx.store.paymentMethods.find((m) => m.id === order.paymentMethod);
    if (!gateway) throw cannotCreate('The payment gateway for this order does not exist.');
    if (OFFLINE_GATEWAYS.has(gateway.id)) throw cannotCreate('The payment gateway for this order does not support automatic refunds.');
  }
  const refund: Refund = {
    id: refundId,
    reason: typeof body.reason === 'string' ? body.reason : '',
    amount: money(amountCents),
    createdMs: ctx.clock.now(),
    refundedPayment: refundPayment,
    refundedBy: 1,
    meta: [],
    lines,
    taxLines,
  };
  if (Array.isArray(body.meta_data)) upsertMeta(ctx.store, refund.meta, metaUpdates(body.meta_data));
  order.refunds.push(refund);
  const restock = body.api_restock === undefined || body.api_restock === null ? true : booleanParam(body.api_restock);
  if (restock) restockRefundedItems(ctx, order, byItemId);
  if (!(remaining - amountCents > 0)) transitionStatus(ctx, order, 'refunded');
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  ctx.emit('order', 'updated', order.id);
  return refund;
}

/** Deletes a refund of the order (see the file comment): no webhook, date_modified and stock untouched. */
export function deleteRefund(ctx: SimContext, order: Order, refund: Refund): WooRefundJson {
  const json = refundJson(ctx, order.id, refund);
  order.refunds = order.refunds.filter((r) => r !== refund);
  order.rev++;
  return json;
}

/** An order's refunds as WooCommerce lists them: newest first (date, then id). */
export function refundsNewestFirst(order: Order): Refund[] {
  return [...order.refunds].sort((a, b) => b.createdMs - a.createdMs || b.id - a.id);
}

// ---- routes -----------------------------------------------------------------------------------------------------

type Params = Record<string, string | undefined>;

/** 404 woocommerce_rest_shop_order_refund_invalid_id unless the id is a refund (or an order) somewhere in the store. */
function assertRefundIdExists(ctx: SimContext, refundId: number): void {
  if (ctx.store.orders.has(refundId)) return;
  for (const o of ctx.store.orders.values()) if (o.refunds.some((r) => r.id === refundId)) return;
  throw new WooError(404, 'woocommerce_rest_shop_order_refund_invalid_id', 'Invalid ID.');
}

/**
 * The refund a `…/refunds/<refund_id>` route names, with WooCommerce's errors in its order: an id that is no order and
 * no refund → 404 woocommerce_rest_shop_order_refund_invalid_id; an unknown order in the URL → 404
 * woocommerce_rest_invalid_order_id; a refund of another order (or an order id) → 404 woocommerce_rest_invalid_order_refund_id.
 */
function findRefund(ctx: SimContext, params: Params): { order: Order; refund: Refund } {
  const refundId = numericId(params.refund_id) ?? -1;
  assertRefundIdExists(ctx, refundId);
  const order = ctx.store.orders.get(numericId(params.id) ?? -1);
  if (!order) throw new WooError(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
  const refund = order.refunds.find((r) => r.id === refundId);
  if (!refund) throw new WooError(404, 'woocommerce_rest_invalid_order_refund_id', 'Invalid order refund ID.');
  return { order, refund };
}

export function registerRefundRoutes(app: FastifyInstance, ctx: SimContext): void {
  const R = `${API_PREFIX}/orders/:id/refunds`;
  app.get(R, async (request, reply) => {
    // Listing queries refunds by parent: an unknown order simply has none.
    const query = queryOf(request);
    const paging = pagingOf(query);
    const order = ctx.store.orders.get(numericId((request.params as Params).id) ?? -1);
    const refunds = order ? refundsNewestFirst(order) : [];
    const page = pageOf(ctx, request, reply, refunds, paging);
    return sendWoo(
      reply,
      200,
      page.map((r) => applyFields(refundJson(ctx, order?.id ?? 0, r), query._fields)),
    );
  });
  app.post(R, async (request, reply) => {
    const body = bodyOf(request);
    validateCreateParams(body);
    const order = ctx.store.orders.get(numericId((request.params as Params).id) ?? -1);
    if (!order) throw new WooError(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
    const refund = createRefund(ctx, order, body);
    // WC_REST_CRUD_Controller builds Location from the route pattern itself, order-id placeholder included.
    reply.header('Location', `${ctx.storeUrl()}${API_PREFIX}/orders/(?P<order_id>[\\d]+)/refunds/${refund.id}`);
    return sendWoo(reply, 201, refundJson(ctx, order.id, refund));
  });
  app.get(`${R}/:refund_id`, async (request, reply) => {
    const { order, refund } = findRefund(ctx, request.params as Params);
    return sendWoo(reply, 200, applyFields(refundJson(ctx, order.id, refund), queryOf(request)._fields));
  });
  app.delete(`${R}/:refund_id`, async (request, reply) => {
    const params = request.params as Params;
    const raw: unknown = queryOf(request).force ?? bodyOf(request).force;
    if (raw !== undefined && raw !== null && !isBooleanParam(raw))
      throw invalidParams({ force: { code: 'rest_invalid_type', message: 'force is not of type boolean.' } });
    // The route declares force with default true ("Required to be true, as resource does not support trashing").
    const force = raw === undefined || raw === null ? true : booleanParam(raw);
    assertRefundIdExists(ctx, numericId(params.refund_id) ?? -1);
    if (!force) throw new WooError(501, 'woocommerce_rest_trash_not_supported', 'The shop_order_refund does not support trashing.');
    // Deviation: WooCommerce deletes the object even when it then answers one of findRefund's 404s; the simulator does not.
    const { order, refund } = findRefund(ctx, params);
    return sendWoo(reply, 200, deleteRefund(ctx, order, refund));
  });
}
