/**
 * The whole WooCommerce catalog, for the reconciliation: every simple product and every variation with its SKU and
 * stock. The WooCommerce client (src/woocommerce/client.ts) reads products by SKU only; listing the catalog takes
 * `GET /products?per_page=100&page=N` and, per variable product, `GET /products/<id>/variations?per_page=100&page=N`,
 * both with `_fields` so a page stays small.
 *
 * The listing goes through `WooListingReader` — the WooCommerce client's `getListing`: one GET that returns a JSON
 * array and the paging headers, failures classified as WooCommerceError.
 */
import { mapConcurrent } from '../inventory/map-concurrent';
import { MAX_PER_PAGE, type WooCallOptions } from '../woocommerce/client-http';
import { WooCommerceError } from '../woocommerce/errors';
import { STOCK_PRODUCT_FIELDS, wooStockProductSchema, type WooStockProduct } from '../woocommerce/product';

/** One page of a WooCommerce listing. */
export interface WooListingPage {
  /** The JSON array WooCommerce answered. */
  items: unknown[];
  /** `X-WP-Total`. */
  total: number;
  /** `X-WP-TotalPages`. */
  totalPages: number;
}

/** One GET of a listing below `/wp-json/wc/v3`. */
export interface WooListingReader {
  /** GET `path` with `params`: the JSON array and the paging headers; a WooCommerceError otherwise. */
  getListing(path: string, params: Record<string, string>, options?: WooCallOptions): Promise<WooListingPage>;
}

/** Variable products whose variations are listed at the same time (WooCommerce core has no rate limit; hosts do). */
export const VARIATION_READERS = 4;

/** One sellable catalog entry: a simple product or a variation. */
export interface WooCatalogEntry {
  /** The product's (or variation's) ID. */
  id: number;
  /** '' when it has none. */
  sku: string;
  type: string;
  /** The variable product of a variation; 0 otherwise. */
  parentId: number;
  /** null when WooCommerce does not manage its stock. */
  stockQuantity: number | null;
}

/** What walking the catalog found. */
export interface WooCatalog {
  /** Simple products and variations, with or without a SKU. */
  entries: WooCatalogEntry[];
  /** Listing requests made. */
  requests: number;
}

function parseProducts(operation: string, items: unknown[]): WooStockProduct[] {
  return items.map((value, index) => {
    const result = wooStockProductSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new WooCommerceError({
        kind: 'rejected',
        operation,
        detail: `item ${index} does not have the expected shape at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'}`,
      });
    }
    return result.data;
  });
}

const entryOf = (p: WooStockProduct): WooCatalogEntry => ({
  id: p.id,
  sku: p.sku.trim(),
  type: p.type,
  parentId: p.parent_id,
  stockQuantity: p.manage_stock === false ? null : p.stock_quantity,
});

/**
 * Reads every page of `path` (100 per page, ascending IDs, so products created mid-walk append at the end) and hands
 * each page's products to `onPage`.
 */
async function walk(reader: WooListingReader, path: string, onPage: (products: WooStockProduct[]) => void, signal?: AbortSignal): Promise<void> {
  for (let page = 1; ; page++) {
    const params = { per_page: String(MAX_PER_PAGE), page: String(page), orderby: 'id', order: 'asc', _fields: STOCK_PRODUCT_FIELDS.join(',') };
    const answer = await reader.getListing(path, params, signal ? { signal } : {});
    onPage(parseProducts(`GET ${path}`, answer.items));
    if (page >= answer.totalPages || answer.items.length === 0) return;
  }
}

/**
 * Walks the whole catalog: products page by page, then the variations of each variable product (four products at a
 * time; a failed listing fails the walk, the activity's retry walks again). Grouped and external
 * products carry no stock and are left out, as are variable products themselves (their variations are the SKUs sold).
 * `onProgress` is called after every request (heartbeat there).
 */
export async function readWooCatalog(
  reader: WooListingReader,
  options: { signal?: AbortSignal; onProgress?: (requests: number) => void } = {},
): Promise<WooCatalog> {
  const entries: WooCatalogEntry[] = [];
  const variableIds: number[] = [];
  let requests = 0;
  const progress = (): void => {
    requests++;
    options.onProgress?.(requests);
  };
  await walk(
    reader,
    '/products',
    (products) => {
      for (const product of products) {
        if (product.type === 'variable') variableIds.push(product.id);
        else if (product.type === 'simple') entries.push(entryOf(product));
      }
      progress();
    },
    options.signal,
  );
  // Variations: one listing per variable product, VARIATION_READERS of them at a time.
  await mapConcurrent(variableIds, VARIATION_READERS, (parentId) =>
    walk(
      reader,
      `/products/${parentId}/variations`,
      (variations) => {
        for (const variation of variations) entries.push({ ...entryOf(variation), type: 'variation', parentId });
        progress();
      },
      options.signal,
    ),
  );
  return { entries, requests };
}
