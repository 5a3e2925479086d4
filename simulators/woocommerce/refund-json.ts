/**
 * The REST JSON of a refund (WC_REST_Order_Refunds_V2_Controller::get_formatted_item_data + get_order_item_data), key
 * order as WooCommerce's:
 *   {id, date_created, date_created_gmt, amount, reason, refunded_by, refunded_payment, meta_data,
 *    line_items, shipping_lines, tax_lines, fee_lines, _links{self, collection, up}}
 * A refund line is a copy of the refunded order item with its own item id and the meta `_refunded_item_id` (the
 * original item's id, a string, as read back from the database). Amounts are negative: `total` and (product lines)
 * `subtotal` are minus the request's `refund_total`, `taxes[]` minus its `refund_tax`, `total_tax` the sum of those
 * rounded to cents; product lines carry `quantity` = minus the refunded quantity and `price` = total ÷ quantity.
 * WooCommerce does not echo `refund_total` back (its schema lists it, edit context, but nothing fills it).
 * Fee lines keep the original fee's `amount` (positive): WooCommerce only negates the copy's total.
 */
import type { SimContext } from './context';
import type { WooItemMetaJson, WooRefundFeeLineJson, WooRefundJson, WooRefundLineItemJson, WooRefundShippingLineJson, WooTaxJson } from './rest-types';
import { API_PREFIX } from './rest-util';
import type { Refund, RefundLine } from './store';
import { money, taxLineJson } from './totals';

/** Minus an amount in cents, with the store's decimals ("0.00" rather than "-0.00"). */
export const negativeMoney = (cents: number): string => (cents === 0 ? '0.00' : money(-cents));

/** Minus a raw tax amount, as wc_format_decimal writes it (up to four decimals, no trailing zeros). */
const negativeRaw = (amount: number): string => String(Number((-amount).toFixed(4)) || 0);

/** The refunded tax of a line, each rate rounded to cents first (wc_round_tax_total). */
export const lineTaxCents = (line: RefundLine): number => line.taxes.reduce((sum, t) => sum + Math.round(t.amount * 100), 0);

function refundedItemMeta(line: RefundLine): WooItemMetaJson[] {
  const value = String(line.refundedItemId);
  return [{ id: line.metaId, key: '_refunded_item_id', value, display_key: '_refunded_item_id', display_value: value }];
}

function taxesJson(line: RefundLine, withSubtotal: boolean): WooTaxJson[] {
  return line.taxes.map((t) => ({ id: t.rateId, total: negativeRaw(t.amount), subtotal: withSubtotal ? negativeRaw(t.amount) : '' }));
}

function productLineJson(ctx: SimContext, line: RefundLine & { type: 'line_item' }): WooRefundLineItemJson {
  const item = line.item;
  const total = negativeMoney(line.totalCents);
  const tax = negativeMoney(lineTaxCents(line));
  return {
    id: line.id,
    name: item.name,
    product_id: item.productId,
    variation_id: item.variationId,
    quantity: line.quantity === 0 ? 0 : -line.quantity,
    tax_class: item.taxClass,
    subtotal: total,
    subtotal_tax: tax,
    total,
    total_tax: tax,
    taxes: taxesJson(line, true),
    meta_data: refundedItemMeta(line),
    sku: item.sku,
    price: line.quantity ? Number((line.totalCents / 100 / line.quantity).toFixed(6)) : 0,
    image: { id: '', src: '' },
    parent_name: item.variationId ? (ctx.store.products.get(item.productId)?.name ?? null) : null,
  };
}

function shippingLineJson(line: RefundLine & { type: 'shipping' }): WooRefundShippingLineJson {
  return {
    id: line.id,
    method_title: line.item.methodTitle,
    method_id: line.item.methodId,
    instance_id: line.item.instanceId,
    total: negativeMoney(line.totalCents),
    total_tax: negativeMoney(lineTaxCents(line)),
    taxes: taxesJson(line, false),
    meta_data: refundedItemMeta(line),
  };
}

function feeLineJson(line: RefundLine & { type: 'fee' }): WooRefundFeeLineJson {
  return {
    id: line.id,
    name: line.item.name,
    tax_class: line.item.taxClass,
    tax_status: line.item.taxStatus,
    amount: line.item.total,
    total: negativeMoney(line.totalCents),
    total_tax: negativeMoney(lineTaxCents(line)),
    taxes: taxesJson(line, false),
    meta_data: refundedItemMeta(line),
  };
}

export function refundJson(ctx: SimContext, orderId: number, r: Refund): WooRefundJson {
  const base = `${ctx.storeUrl()}${API_PREFIX}/orders/${orderId}`;
  const lineItems: WooRefundLineItemJson[] = [];
  const shippingLines: WooRefundShippingLineJson[] = [];
  const feeLines: WooRefundFeeLineJson[] = [];
  for (const line of r.lines) {
    if (line.type === 'line_item') lineItems.push(productLineJson(ctx, line));
    else if (line.type === 'shipping') shippingLines.push(shippingLineJson(line));
    else feeLines.push(feeLineJson(line));
  }
  return {
    id: r.id,
    date_created: ctx.clock.local(r.createdMs),
    date_created_gmt: ctx.clock.gmt(r.createdMs),
    amount: r.amount,
    reason: r.reason,
    refunded_by: r.refundedBy,
    refunded_payment: r.refundedPayment,
    meta_data: r.meta.map((m) => ({ id: m.id, key: m.key, value: m.value })),
    line_items: lineItems,
    shipping_lines: shippingLines,
    tax_lines: r.taxLines.map(taxLineJson),
    fee_lines: feeLines,
    _links: {
      self: [{ href: `${base}/refunds/${r.id}` }],
      collection: [{ href: `${base}/refunds` }],
      up: [{ href: base }],
    },
  };
}
