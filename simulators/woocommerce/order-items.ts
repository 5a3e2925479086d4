/**
 * Order items as WooCommerce builds them: product lines (from a product, from REST input, or raw lines whose product
 * the store does not know), coupon lines, the product a REST item refers to (WC_REST_Orders_V2_Controller::
 * get_product_id), and finding / removing an item by id whatever its type (WC_Abstract_Order::get_item / remove_item).
 */
import type { SimContext } from './context';
import { WooError } from './errors';
import type { CheckoutLine } from './order-checkout';
import { activePrice } from './product-json';
import { asInt, asString, metaUpdates, type JsonObject } from './rest-util';
import { upsertMeta, type CouponLine, type FeeLine, type LineItem, type Order, type Product, type ShippingLine } from './store';
import { toCents } from './totals';

export function lineFromProduct(ctx: SimContext, product: Product, quantity: number): LineItem {
  const variation = product.type === 'variation';
  return {
    id: ctx.store.itemId(),
    name: product.name,
    productId: variation ? product.parentId : product.id,
    variationId: variation ? product.id : 0,
    quantity,
    taxClass: product.taxClass,
    unitPrice: activePrice(product) || '0.00',
    subtotal: '0.00',
    subtotalTax: '0.00',
    total: '0.00',
    totalTax: '0.00',
    taxes: [],
    meta: variation ? product.attributes.map((a) => ({ id: ctx.store.metaId(), key: a.name.toLowerCase(), value: a.option ?? '' })) : [],
    sku: product.sku || null,
    reducedStock: 0,
    restockedRefunded: 0,
  };
}

/** A line whose product does not exist in the store (product_id 0), keeping the given SKU. */
export function rawLine(ctx: SimContext, line: CheckoutLine): LineItem {
  return {
    id: ctx.store.itemId(),
    name: line.name ?? `Unknown product ${line.sku}`,
    productId: 0,
    variationId: 0,
    quantity: line.quantity,
    taxClass: '',
    unitPrice: line.price ?? '10.00',
    subtotal: '0.00',
    subtotalTax: '0.00',
    total: '0.00',
    totalTax: '0.00',
    taxes: [],
    meta: [],
    sku: line.sku,
    reducedStock: 0,
    restockedRefunded: 0,
  };
}

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && value !== 0 && value !== '0';

/**
 * The product a REST line refers to, in WooCommerce's order of preference: a non-empty `sku`, else `product_id` (when
 * no `variation_id`), else `variation_id`. `null` when the input names no product; `undefined` when it names one the
 * store does not have.
 */
export function productReference(ctx: SimContext, input: JsonObject): Product | undefined | null {
  if (given(input.sku)) return ctx.store.productBySku(asString(input.sku));
  if (given(input.product_id) && !given(input.variation_id)) return ctx.store.products.get(asInt(input.product_id) ?? 0);
  if (given(input.variation_id)) return ctx.store.products.get(asInt(input.variation_id) ?? 0);
  return null;
}

/** A new product line from REST input (`POST /orders` or an added line of `PUT /orders/<id>`). */
export function restLine(ctx: SimContext, input: JsonObject): LineItem {
  const quantity = asInt(input.quantity) ?? 1;
  const product = productReference(ctx, input);
  if (product === null) throw new WooError(400, 'woocommerce_rest_required_product_reference', 'Product ID or SKU is required.');
  if (!product) throw new WooError(400, 'woocommerce_rest_invalid_product_id', 'Product ID provided is not associated with any product.');
  const line = lineFromProduct(ctx, product, quantity);
  if (typeof input.name === 'string') line.name = input.name;
  const subtotal = input.subtotal ?? input.total;
  if (subtotal !== undefined && subtotal !== null && quantity !== 0) line.unitPrice = String(toCents(asString(subtotal)) / 100 / quantity);
  if (input.meta_data !== undefined) upsertMeta(ctx.store, line.meta, metaUpdates(input.meta_data));
  return line;
}

/** A coupon line as WooCommerce adds it to an order; its discount is filled in by the totals. */
export function newCouponLine(id: number, coupon: { code: string; discountType: string; amount: string }): CouponLine {
  return {
    id,
    code: coupon.code.toLowerCase(),
    discount: '0.00',
    discountTax: '0.00',
    discountType: coupon.discountType,
    nominalAmount: Number(coupon.amount),
    freeShipping: false,
  };
}

export function couponFor(ctx: SimContext, code: string): { code: string; discountType: string; amount: string } {
  const coupon = ctx.store.coupons.find((c) => c.code.toLowerCase() === code.toLowerCase());
  if (!coupon) throw new WooError(400, 'woocommerce_rest_invalid_coupon', `Coupon "${code}" does not exist!`);
  return coupon;
}

/** An order item by id, whatever its type (product, shipping, fee or coupon line). */
export type AnyItem =
  { type: 'line_item'; item: LineItem } | { type: 'shipping'; item: ShippingLine } | { type: 'fee'; item: FeeLine } | { type: 'coupon'; item: CouponLine };

export function findItem(order: Order, id: number): AnyItem | undefined {
  const line = order.lineItems.find((l) => l.id === id);
  if (line) return { type: 'line_item', item: line };
  const shipping = order.shippingLines.find((l) => l.id === id);
  if (shipping) return { type: 'shipping', item: shipping };
  const fee = order.feeLines.find((l) => l.id === id);
  if (fee) return { type: 'fee', item: fee };
  const coupon = order.couponLines.find((l) => l.id === id);
  if (coupon) return { type: 'coupon', item: coupon };
  return undefined;
}

/** WC_Abstract_Order::remove_item: removes the item with that id from whichever list holds it; false if none does. */
export function removeItem(order: Order, id: number): boolean {
  const lists: { id: number }[][] = [order.lineItems, order.shippingLines, order.feeLines, order.couponLines];
  for (const list of lists) {
    const index = list.findIndex((l) => l.id === id);
    if (index >= 0) {
      list.splice(index, 1);
      return true;
    }
  }
  return false;
}
