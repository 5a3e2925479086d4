/**
 * A WooCommerce refund (`GET /orders/<id>/refunds`), as the lifecycle sync reads it: the amount, and the order items it
 * gives money back for. Each refund line has its own ID; the order item it refunds is in its `_refunded_item_id` meta.
 * Amounts of refund lines are negative strings, as WooCommerce sends them. Unknown fields are dropped.
 */
import { z } from 'zod';

const meta = z.object({ key: z.string(), value: z.unknown() });
const money = z.string();

const refundLine = z.object({
  id: z.number(),
  name: z.string().optional(),
  product_id: z.number().optional(),
  sku: z.string().nullable().optional(),
  quantity: z.number().default(0).describe('Negative: the quantity given back.'),
  total: money.default('0').describe('Negative, after coupons, excluding tax.'),
  total_tax: money.default('0').describe('Negative: the tax refunded on the line, rounded to cents.'),
  meta_data: z.array(meta).default([]),
});

export const wooRefundSchema = z.object({
  id: z.number(),
  amount: money.describe('Positive: the whole amount refunded, tax included.'),
  reason: z.string().nullable().default(''),
  date_created_gmt: z.string().nullable().optional(),
  line_items: z.array(refundLine).default([]),
  shipping_lines: z.array(refundLine).default([]),
  fee_lines: z.array(refundLine).default([]),
});

export type WooRefund = z.infer<typeof wooRefundSchema>;
export type WooRefundLine = z.infer<typeof refundLine>;

/** The tax a refund gives back on its lines, in cents (positive). */
export function refundTaxCents(refund: WooRefund, toCents: (money: string) => number): number {
  return [...refund.line_items, ...refund.shipping_lines, ...refund.fee_lines].reduce((sum, line) => sum + Math.abs(toCents(line.total_tax)), 0);
}

/** The order item a refund line refunds: its `_refunded_item_id` meta, else (older shapes) the line's own ID. */
export function refundedItemId(line: WooRefundLine): number {
  const entry = line.meta_data.find((m) => m.key === '_refunded_item_id');
  const value = entry === undefined ? Number.NaN : Number(entry.value);
  return Number.isSafeInteger(value) && value > 0 ? value : line.id;
}
