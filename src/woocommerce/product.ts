/**
 * The WooCommerce REST v3 product (and variation), as the inventory sync reads it: only the fields that decide a stock
 * write, requested with `_fields` so a 100-SKU page stays small. Variations come back from `GET /products?sku=…` too,
 * with `type: "variation"` and their parent's ID, which is the route their stock is written through.
 */
import { z } from 'zod';

/** The `_fields` the inventory sync asks for: exactly the keys of wooStockProductSchema. */
export const STOCK_PRODUCT_FIELDS = ['id', 'sku', 'type', 'parent_id', 'manage_stock', 'stock_quantity'] as const;

export const wooStockProductSchema = z.object({
  id: z.number(),
  sku: z
    .string()
    .nullable()
    .transform((sku) => sku ?? ''),
  /** simple | variable | grouped | external | variation (custom types pass through). */
  type: z.string(),
  /** The variable product of a variation; 0 otherwise. */
  parent_id: z.number().default(0),
  /** Variations may say "parent": their stock is the parent's. */
  manage_stock: z.union([z.boolean(), z.literal('parent')]).default(false),
  /** null when the product does not manage stock. */
  stock_quantity: z.number().nullable().default(null),
});

/** One product or variation, stock fields only. */
export type WooStockProduct = z.infer<typeof wooStockProductSchema>;

/** One item of a stock batch update: `{id, stock_quantity}`, and `manage_stock: true` when it was off. */
export interface WooStockUpdate {
  id: number;
  stock_quantity: number;
  manage_stock?: true;
}

/** What WooCommerce answered for one item of a batch (inside a 200): the new quantity, or its per-item error. */
export type WooStockUpdateResult = { id: number; ok: true; stockQuantity: number | null } | { id: number; ok: false; code: string; message: string };
