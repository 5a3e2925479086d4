/**
 * REST edits of an order's items (`POST /orders`, `PUT|PATCH /orders/<id>`, batch updates, control updates), following
 * WC_REST_Orders_Controller (wc/v3) prepare_object_for_database → set_item → prepare_line_items / prepare_shipping_lines
 * / prepare_fee_lines, and calculate_coupons:
 *
 *  - `line_items`, `shipping_lines` and `fee_lines` entries are applied in order. An entry REMOVES an item when one of
 *    `product_id`, `method_id`, `method_title`, `name`, `code` is present and null, or when `quantity` is 0
 *    (`item_is_null()` / `0 === $item['quantity']`): the item with that `id` is removed whatever its type; an unknown or
 *    missing id is silently ignored (WC_Abstract_Order::remove_item returns false). Removing a line does not give its
 *    stock back.
 *  - Otherwise an entry with a non-empty `id` UPDATES that item (id not on the order → 400 woocommerce_rest_invalid_item_id)
 *    and an entry without one ADDS an item (product line: a product reference is required; shipping line: `method_id`;
 *    fee line: `name`).
 *  - Updating a product line sets what is sent: `quantity`, `name`, `subtotal` (`total` when no subtotal), `tax_class`,
 *    `meta_data`, and another product when `sku` / `product_id` / `variation_id` names a different one. WooCommerce does
 *    NOT re-price a line whose quantity changes: without `subtotal` the line keeps its subtotal and total (its unit
 *    price changes), so a client that changes a quantity sends the new `subtotal` and `total` too (WooCommerce's own
 *    mobile apps do). Stock already taken by the line is moved to the new quantity (wc_maybe_adjust_line_item_product_stock;
 *    the simulator does this only for orders whose stock was reduced).
 *  - Updating a shipping line sets `method_id`, `method_title`, `instance_id`, `total`; a fee line `name`, `tax_class`,
 *    `tax_status`, `total`.
 *  - `coupon_lines`, when present, REPLACES the order's coupons with the listed codes (new coupon items); an entry with
 *    an `id` → 400 woocommerce_rest_coupon_item_id_readonly, no code → 400 woocommerce_rest_invalid_coupon.
 *  - Everything is validated before anything changes (WooCommerce may leave earlier item updates saved when a later
 *    entry fails; the simulator changes nothing).
 *
 * Deviation: a line's `total` is not stored apart from its subtotal — line total = subtotal − coupon discounts, recomputed
 * with the order totals.
 */
import type { SimContext } from './context';
import { WooError } from './errors';
import { couponFor, findItem, newCouponLine, productReference, removeItem, restLine } from './order-items';
import { asInt, asObjectArray, asString, metaUpdates, type JsonObject } from './rest-util';
import { recomputeStockStatus } from './stock';
import { upsertMeta, type FeeLine, type LineItem, type Order, type ShippingLine } from './store';
import { toCents } from './totals';

type Group = 'line_items' | 'shipping_lines' | 'fee_lines';
const GROUP_TYPE = { line_items: 'line_item', shipping_lines: 'shipping', fee_lines: 'fee' } as const;
const NULL_MEANS_REMOVE = ['product_id', 'method_id', 'method_title', 'name', 'code'];

/** The request keys whose presence makes WooCommerce recalculate the order totals (`calculate_totals( true )`). */
const TOTALS_KEYS = ['billing', 'shipping', 'line_items', 'shipping_lines', 'fee_lines', 'coupon_lines'];

export function touchesTotals(body: JsonObject): boolean {
  return TOTALS_KEYS.some((key) => body[key] !== undefined && body[key] !== null);
}

const nonEmpty = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && value !== 0 && value !== '0' && value !== false;

function isRemoval(input: JsonObject): boolean {
  return (
    NULL_MEANS_REMOVE.some((key) => key in input && input[key] === null) ||
    (input.quantity !== undefined && input.quantity !== null && asInt(input.quantity) === 0)
  );
}

function entries(body: JsonObject, group: Group): JsonObject[] {
  return Array.isArray(body[group]) ? asObjectArray(body[group]) : [];
}

const invalidItemId = (): WooError => new WooError(400, 'woocommerce_rest_invalid_item_id', 'Order item ID provided is not associated with order.');

/** Checks every entry against the order as it is, so that a bad entry changes nothing. */
function validate(ctx: SimContext, order: Order, body: JsonObject): void {
  for (const group of ['line_items', 'shipping_lines', 'fee_lines'] as const) {
    for (const input of entries(body, group)) {
      if (isRemoval(input)) continue;
      if (nonEmpty(input.id)) {
        const found = findItem(order, asInt(input.id) ?? -1);
        if (!found || found.type !== GROUP_TYPE[group]) throw invalidItemId();
        continue;
      }
      if (group === 'line_items') {
        const product = productReference(ctx, input);
        if (product === null) throw new WooError(400, 'woocommerce_rest_required_product_reference', 'Product ID or SKU is required.');
        if (!product) throw new WooError(400, 'woocommerce_rest_invalid_product_id', 'Product ID provided is not associated with any product.');
      } else if (group === 'shipping_lines' && !nonEmpty(input.method_id)) {
        throw new WooError(400, 'woocommerce_rest_invalid_shipping_item', 'Shipping method ID is required.');
      } else if (group === 'fee_lines' && !nonEmpty(input.name)) {
        throw new WooError(400, 'woocommerce_rest_invalid_fee_item', 'Fee name is required.');
      }
    }
  }
  if (Array.isArray(body.coupon_lines)) {
    const codes = new Set<string>();
    for (const input of asObjectArray(body.coupon_lines)) {
      if (nonEmpty(input.id)) throw new WooError(400, 'woocommerce_rest_coupon_item_id_readonly', 'Coupon item ID is readonly.');
      if (!nonEmpty(input.code)) throw new WooError(400, 'woocommerce_rest_invalid_coupon', 'Coupon code is required.');
      const code = couponFor(ctx, asString(input.code)).code.toLowerCase();
      if (codes.has(code)) throw new WooError(400, 'woocommerce_rest_invalid_coupon', 'Coupon code already applied!');
      codes.add(code);
    }
  }
}

/** wc_maybe_adjust_line_item_product_stock: moves the stock a line took to its (new) quantity. */
function adjustLineStock(ctx: SimContext, order: Order, line: LineItem): void {
  if (!ctx.options.manageStock || !order.stockReduced) return;
  const product = ctx.store.products.get(line.variationId || line.productId);
  if (!product || !product.manageStock || product.stockQuantity === null) return;
  const diff = line.quantity - line.restockedRefunded - line.reducedStock;
  if (diff === 0) return;
  product.stockQuantity -= diff;
  recomputeStockStatus(product);
  line.reducedStock = line.quantity - line.restockedRefunded;
}

function updateProductLine(ctx: SimContext, order: Order, line: LineItem, input: JsonObject): void {
  const subtotalCents = Math.round(Number(line.unitPrice) * 100 * line.quantity);
  const product = productReference(ctx, input);
  const current = line.variationId || line.productId;
  if (product && product.id !== current) {
    const variation = product.type === 'variation';
    line.productId = variation ? product.parentId : product.id;
    line.variationId = variation ? product.id : 0;
    line.name = product.name;
    line.taxClass = product.taxClass;
    line.sku = product.sku || null;
  }
  if (typeof input.name === 'string') line.name = input.name;
  if (typeof input.tax_class === 'string') line.taxClass = input.tax_class;
  const quantity = asInt(input.quantity);
  if (quantity !== undefined) line.quantity = quantity;
  const subtotal = input.subtotal ?? input.total;
  if (subtotal !== undefined && subtotal !== null) line.unitPrice = String(toCents(asString(subtotal)) / 100 / line.quantity);
  else if (quantity !== undefined) line.unitPrice = String(subtotalCents / 100 / line.quantity);
  if (input.meta_data !== undefined) upsertMeta(ctx.store, line.meta, metaUpdates(input.meta_data));
  adjustLineStock(ctx, order, line);
}

function updateShippingLine(line: ShippingLine, input: JsonObject): void {
  if (input.method_id !== undefined) line.methodId = asString(input.method_id);
  if (input.method_title !== undefined) line.methodTitle = asString(input.method_title);
  if (input.instance_id !== undefined) line.instanceId = asString(input.instance_id);
  if (input.total !== undefined) line.total = asString(input.total, '0');
}

function updateFeeLine(line: FeeLine, input: JsonObject): void {
  if (input.name !== undefined) line.name = asString(input.name);
  if (input.tax_class !== undefined) line.taxClass = asString(input.tax_class);
  if (input.tax_status !== undefined) line.taxStatus = input.tax_status === 'none' ? 'none' : 'taxable';
  if (input.total !== undefined) line.total = asString(input.total, '0');
}

function addItem(ctx: SimContext, order: Order, group: Group, input: JsonObject): void {
  if (group === 'line_items') {
    order.lineItems.push(restLine(ctx, input));
  } else if (group === 'shipping_lines') {
    order.shippingLines.push({
      id: ctx.store.itemId(),
      methodId: asString(input.method_id),
      methodTitle: asString(input.method_title),
      instanceId: asString(input.instance_id, '0'),
      total: asString(input.total, '0'),
      totalTax: '0.00',
      taxes: [],
    });
  } else {
    order.feeLines.push({
      id: ctx.store.itemId(),
      name: asString(input.name),
      taxClass: asString(input.tax_class),
      taxStatus: input.tax_status === 'none' ? 'none' : 'taxable',
      total: asString(input.total, '0'),
      totalTax: '0.00',
      taxes: [],
    });
  }
}

/**
 * Applies the item input of a REST order body (see the file comment). Validates first; changes nothing on error.
 * Totals are not recalculated here (see touchesTotals).
 */
export function applyLineInput(ctx: SimContext, order: Order, body: JsonObject): void {
  validate(ctx, order, body);
  for (const group of ['line_items', 'shipping_lines', 'fee_lines'] as const) {
    for (const input of entries(body, group)) {
      if (isRemoval(input)) {
        if (nonEmpty(input.id)) removeItem(order, asInt(input.id) ?? -1);
        continue;
      }
      if (!nonEmpty(input.id)) {
        addItem(ctx, order, group, input);
        continue;
      }
      const found = findItem(order, asInt(input.id) ?? -1);
      if (found?.type === 'line_item') updateProductLine(ctx, order, found.item, input);
      else if (found?.type === 'shipping') updateShippingLine(found.item, input);
      else if (found?.type === 'fee') updateFeeLine(found.item, input);
    }
  }
  if (Array.isArray(body.coupon_lines)) {
    order.couponLines = asObjectArray(body.coupon_lines).map((input) => newCouponLine(ctx.store.itemId(), couponFor(ctx, asString(input.code))));
  }
}
