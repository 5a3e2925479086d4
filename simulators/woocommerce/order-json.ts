/**
 * The REST JSON of an order (`GET /orders/<id>`, list pages, webhook payloads) and of an order note, and the encoded
 * order JSON cached per order revision.
 */
import type { SimContext } from './context';
import { phpJsonEncode } from './php-json';
import type { WooLineItemJson, WooMetaJson, WooNoteJson, WooOrderJson } from './rest-types';
import { API_PREFIX } from './rest-util';
import type { LineItem, Order, OrderNote } from './store';
import { taxLineJson, toCents } from './totals';

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
