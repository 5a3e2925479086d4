/**
 * The WooCommerce REST v3 order, as the sync reads it: a zod schema of the fields the integration uses (money as the
 * strings WooCommerce sends, `price` as a number, `sku` null for a deleted product). Unknown fields are dropped, so
 * what enters a workflow history is only what the sync needs.
 */
import { z } from 'zod';

const money = z.string().describe('A decimal string with the store’s decimals, e.g. "10.50".');
const meta = z.object({ key: z.string(), value: z.unknown() });
const tax = z.object({ id: z.number(), total: z.string(), subtotal: z.string().optional() });

const address = z.object({
  first_name: z.string().default(''),
  last_name: z.string().default(''),
  company: z.string().default(''),
  address_1: z.string().default(''),
  address_2: z.string().default(''),
  city: z.string().default(''),
  state: z.string().default(''),
  postcode: z.string().default(''),
  country: z.string().default(''),
  phone: z.string().default(''),
});

export const wooLineItemSchema = z.object({
  id: z.number(),
  name: z.string(),
  product_id: z.number(),
  variation_id: z.number().default(0),
  quantity: z.number(),
  subtotal: money.describe('Line total before coupons, excluding tax.'),
  subtotal_tax: money.default('0'),
  total: money.describe('Line total after coupons, excluding tax.'),
  total_tax: money.default('0'),
  taxes: z.array(tax).default([]),
  sku: z.string().nullable().describe('null when the product was deleted.'),
  price: z.number().describe('The discounted unit price (a number, not a string).'),
});

export const wooOrderSchema = z.object({
  id: z.number(),
  number: z.string(),
  order_key: z.string(),
  status: z.string(),
  currency: z.string(),
  prices_include_tax: z.boolean().default(false),
  date_created_gmt: z.string().nullable().optional(),
  date_modified_gmt: z.string().nullable().optional(),
  created_via: z.string().default(''),
  customer_id: z.number().describe('0 = a guest order.'),
  customer_note: z.string().default(''),
  discount_total: money,
  discount_tax: money.default('0'),
  shipping_total: money,
  shipping_tax: money.default('0'),
  cart_tax: money.default('0'),
  total: money,
  total_tax: money.default('0'),
  billing: address.extend({ email: z.string().default('') }),
  shipping: address,
  payment_method: z.string().default(''),
  payment_method_title: z.string().default(''),
  transaction_id: z.string().default(''),
  meta_data: z.array(meta).default([]),
  line_items: z.array(wooLineItemSchema),
  tax_lines: z
    .array(
      z.object({
        id: z.number(),
        rate_code: z.string(),
        rate_id: z.number(),
        label: z.string(),
        compound: z.boolean(),
        tax_total: money,
        shipping_tax_total: money,
        rate_percent: z.number().optional(),
      }),
    )
    .default([]),
  shipping_lines: z
    .array(
      z.object({
        id: z.number(),
        method_title: z.string(),
        method_id: z.string(),
        instance_id: z.string().optional(),
        total: money,
        total_tax: money.default('0'),
      }),
    )
    .default([]),
  fee_lines: z
    .array(
      z.object({
        id: z.number(),
        name: z.string(),
        tax_class: z.string().default(''),
        tax_status: z.string().default(''),
        total: money,
        total_tax: money.default('0'),
      }),
    )
    .default([]),
  coupon_lines: z.array(z.object({ id: z.number(), code: z.string(), discount: money, discount_tax: money.default('0') })).default([]),
  refunds: z.array(z.object({ id: z.number(), reason: z.string().nullable().optional(), total: money })).default([]),
});

export type WooOrder = z.infer<typeof wooOrderSchema>;

/**
 * The WooCommerce order ID an order number names (a sales order's order-number field): WooCommerce's order number is
 * its ID unless a numbering plugin changes it. A positive integer, else undefined.
 */
export function orderIdFromNumber(orderNumber: string | undefined): number | undefined {
  if (orderNumber === undefined || !/^\d+$/.test(orderNumber)) return undefined;
  const id = Number(orderNumber);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
export type WooLineItem = z.infer<typeof wooLineItemSchema>;
