/**
 * The whole WooCommerce catalog, for the reconciliation: every simple product and every variation with its SKU and
 * stock. The WooCommerce client (src/woocommerce/client.ts) reads products by SKU only; listing the catalog takes
 * `GET /products?per_page=100&page=N` and, per variable product, `GET /products/<id>/variations?per_page=100&page=N`,
 * both with `_fields` so a page stays small.
 *
 * The listing goes through `WooListingReader`, one GET that returns a JSON array and the paging headers.
 * `createWooListingReader` is a small request helper of its own (HTTP Basic auth, like the client; failures classified
 * as WooCommerceError with the client's kinds; the axios error — which carries the Authorization header — never
 * escapes). Should the client gain the same `getListing` method, pass the client instead: nothing else changes.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { StoreSettings } from '../config';
import { restBaseUrl, MAX_PER_PAGE, type WooCallOptions } from '../woocommerce/client';
import { WooCommerceError, type WooCommerceErrorKind } from '../woocommerce/errors';
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

function classify(status: number, code: string | undefined): WooCommerceErrorKind {
  if (status === 404) return code !== undefined && code !== 'rest_no_route' ? 'not-found' : 'rejected';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

function errorFields(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return { ...(typeof body.code === 'string' ? { code: body.code } : {}), ...(typeof body.message === 'string' ? { message: body.message } : {}) };
  } catch {
    return {};
  }
}

/** A listing reader for one store (keep-alive connections, one request timeout, nothing retried here). */
export function createWooListingReader(store: StoreSettings, options: { timeoutMs?: number } = {}): WooListingReader {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const rest: AxiosInstance = axios.create({
    baseURL: restBaseUrl(store.url),
    timeout: timeoutMs,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    auth: { username: store.consumerKey, password: store.consumerSecret },
    headers: { Accept: 'application/json' },
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true },
  });
  return {
    async getListing(path, params, callOptions = {}) {
      const operation = `GET ${path}`;
      let response: AxiosResponse<string>;
      try {
        response = await rest.request<string>({ method: 'GET', url: path, params, ...(callOptions.signal ? { signal: callOptions.signal } : {}) });
      } catch (error) {
        // Only the error's code is read; the axios error (request headers, Basic auth) is dropped here.
        if (axios.isCancel(error) || (axios.isAxiosError(error) && error.code === 'ERR_CANCELED')) throw new WooCommerceError({ kind: 'cancelled', operation, detail: 'the call was cancelled' });
        const code = axios.isAxiosError(error) ? error.code : undefined;
        if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') throw new WooCommerceError({ kind: 'timeout', operation, detail: `no answer within ${timeoutMs} ms` });
        throw new WooCommerceError({ kind: 'network', operation, detail: code ?? 'connection failed' });
      }
      const text = typeof response.data === 'string' ? response.data : '';
      if (response.status < 200 || response.status >= 300) {
        const { code, message } = errorFields(text);
        throw new WooCommerceError({
          kind: classify(response.status, code),
          operation,
          status: response.status,
          ...(code !== undefined ? { code } : {}),
          detail: message ?? `HTTP ${response.status} without a WooCommerce error body`,
        });
      }
      let items: unknown;
      try {
        items = JSON.parse(text);
      } catch {
        throw new WooCommerceError({ kind: 'rejected', operation, detail: 'the answer is not JSON' });
      }
      if (!Array.isArray(items)) throw new WooCommerceError({ kind: 'rejected', operation, detail: 'the answer is not a JSON array' });
      const header = (name: string): number | undefined => {
        const raw: unknown = response.headers[name];
        const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
        return Number.isFinite(n) && n >= 0 ? n : undefined;
      };
      const total = header('x-wp-total') ?? items.length;
      return { items, total, totalPages: header('x-wp-totalpages') ?? (total > 0 ? 1 : 0) };
    },
  };
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
      throw new WooCommerceError({ kind: 'rejected', operation, detail: `item ${index} does not have the expected shape at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'}` });
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
export async function readWooCatalog(reader: WooListingReader, options: { signal?: AbortSignal; onProgress?: (requests: number) => void } = {}): Promise<WooCatalog> {
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
  let next = 0;
  let failed = false;
  const readVariations = async (): Promise<void> => {
    while (!failed && next < variableIds.length) {
      const parentId = variableIds[next++] as number;
      await walk(
        reader,
        `/products/${parentId}/variations`,
        (variations) => {
          for (const variation of variations) entries.push({ ...entryOf(variation), type: 'variation', parentId });
          progress();
        },
        options.signal,
      ).catch((error: unknown) => {
        failed = true; // the other readers stop after their current listing
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(VARIATION_READERS, variableIds.length) }, readVariations));
  return { entries, requests };
}
