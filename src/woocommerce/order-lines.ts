/**
 * A WooCommerce order reduced to what stock accounting needs — its status, its meta (sync state) and its lines' SKUs
 * and quantities — read with `_fields=id,status,meta_data,line_items` so listing a month of orders stays cheap.
 */
import { z } from 'zod';

/** The `_fields` of an order-lines listing. */
export const ORDER_LINES_FIELDS = ['id', 'status', 'meta_data', 'line_items'] as const;

export const wooOrderLinesSchema = z.object({
  id: z.number(),
  status: z.string(),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
  line_items: z
    .array(
      z.object({
        product_id: z.number().default(0),
        variation_id: z.number().default(0),
        quantity: z.number(),
        /** null when the product was deleted. */
        sku: z.string().nullable().default(null),
      }),
    )
    .default([]),
});

/** An order's id, status, meta and line SKUs/quantities. */
export type WooOrderLines = z.infer<typeof wooOrderLinesSchema>;
