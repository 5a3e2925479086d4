/**
 * The WooCommerce client's product endpoints, for the inventory sync and the reconciliation: find products and
 * variations by SKU, write their stock in batches, and list any collection page by page (the catalog walk).
 */
import { WooCommerceError } from './errors';
import { MAX_PER_PAGE, pagingHeaders, positiveId, type WooCallOptions, type WooHttp } from './client-http';
import { STOCK_PRODUCT_FIELDS, wooStockProductSchema, type WooStockProduct, type WooStockUpdate, type WooStockUpdateResult } from './product';

/** WooCommerce's upper bound of items in one batch request (create + update + delete), else 413. */
export const MAX_BATCH_ITEMS = 100;

export interface WooProductEndpoints {
  /**
   * GET `path` (below /wp-json/wc/v3) with `params`: one page of any listing as raw JSON items, with X-WP-Total /
   * X-WP-TotalPages (the reconciliation walks the catalog with it).
   */
  getListing(path: string, params: Record<string, string>, options?: WooCallOptions): Promise<{ items: unknown[]; total: number; totalPages: number }>;
  /**
   * GET /products?sku=A,B,…&per_page=100&_fields=id,sku,type,parent_id,manage_stock,stock_quantity: the products and
   * variations with those exact SKUs (at most 100 SKUs per call; a SKU containing a comma cannot be asked for and is
   * refused). SKUs WooCommerce does not know are simply absent from the answer.
   */
  findProductsBySku(skus: readonly string[], options?: WooCallOptions): Promise<WooStockProduct[]>;
  /**
   * POST /products/batch {update: […]} — or, with `parentId`, POST /products/<parentId>/variations/batch — at most
   * 100 items. Per-item failures come back inside the 200 and are returned, not thrown.
   */
  updateStock(updates: readonly WooStockUpdate[], options?: WooCallOptions & { parentId?: number }): Promise<WooStockUpdateResult[]>;
}

/** One item of a batch answer: `{id, error: {code, message}}` is that item's failure; anything else its new state. */
function stockUpdateResult(value: unknown, fallbackId: number): WooStockUpdateResult {
  const item = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const id = typeof item.id === 'number' && item.id > 0 ? item.id : fallbackId;
  const error = item.error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as Record<string, unknown>;
    return {
      id,
      ok: false,
      code: typeof code === 'string' ? code : 'unknown',
      message: typeof message === 'string' ? message : 'WooCommerce refused this item',
    };
  }
  return { id, ok: true, stockQuantity: typeof item.stock_quantity === 'number' ? item.stock_quantity : null };
}

export function productEndpoints({ call, json, parsed, jsonArray }: WooHttp): WooProductEndpoints {
  return {
    async getListing(path, params, callOptions = {}) {
      const operation = `GET ${path}`;
      const { text, headers } = await call('GET', path, { params, signal: callOptions.signal });
      const items = jsonArray(operation, text);
      return { items, ...pagingHeaders(headers, items.length) };
    },

    async findProductsBySku(skus, callOptions = {}) {
      const operation = 'GET /products';
      if (skus.length === 0) return [];
      if (skus.length > MAX_PER_PAGE)
        throw new WooCommerceError({ kind: 'rejected', operation, detail: `at most ${MAX_PER_PAGE} SKUs per call, got ${skus.length}` });
      const bad = skus.find((sku) => sku.includes(',') || sku.trim() === '');
      if (bad !== undefined)
        throw new WooCommerceError({ kind: 'rejected', operation, detail: `SKU ${JSON.stringify(bad)} cannot be looked up in a comma-separated list` });
      const params = { sku: skus.join(','), per_page: String(MAX_PER_PAGE), _fields: STOCK_PRODUCT_FIELDS.join(',') };
      const { text } = await call('GET', '/products', { params, signal: callOptions.signal });
      return jsonArray(operation, text, 'products').map((value, index) => parsed(wooStockProductSchema, operation, value, `products[${index}]`));
    },

    async updateStock(updates, callOptions = {}) {
      const { parentId } = callOptions;
      if (parentId !== undefined) positiveId('POST /products/<parent>/variations/batch', parentId);
      const path = parentId === undefined ? '/products/batch' : `/products/${parentId}/variations/batch`;
      const operation = `POST ${path}`;
      if (updates.length === 0) return [];
      if (updates.length > MAX_BATCH_ITEMS)
        throw new WooCommerceError({ kind: 'rejected', operation, detail: `at most ${MAX_BATCH_ITEMS} items per batch, got ${updates.length}` });
      const { text } = await call('POST', path, { data: { update: updates.map((u) => ({ ...u })) }, signal: callOptions.signal });
      const body = json(operation, text) as { update?: unknown };
      const answered = Array.isArray(body?.update) ? (body.update as unknown[]) : [];
      // WooCommerce answers the items in the order sent; an item it did not answer is reported, never assumed written.
      return updates.map((update, index) =>
        index < answered.length
          ? stockUpdateResult(answered[index], update.id)
          : { id: update.id, ok: false as const, code: 'no_answer', message: 'WooCommerce did not answer for this item' },
      );
    },
  };
}
