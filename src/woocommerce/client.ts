/**
 * The WooCommerce REST v3 client the activities use: read an order, upsert order meta, add a private note, list orders
 * for the catch-up poller; for the inventory sync, list orders' lines, find products by SKU and write stock in
 * batches. Every failure becomes a WooCommerceError (errors.ts), classified once, here.
 *
 * Authentication is HTTP Basic with the consumer key and secret. Real WooCommerce accepts Basic auth only over HTTPS
 * (over plain HTTP it demands OAuth 1.0a): configure real stores with an `https://` URL. The simulator treats its
 * plain-HTTP loopback as HTTPS.
 *
 * The axios error of a failed call is never rethrown nor attached as a cause: it carries the request headers, and with
 * them the Authorization header.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StoreSettings } from '../config';
import { isNoRouteError, WooCommerceError, type WooCommerceErrorKind } from './errors';
import { wooRefundSchema, type WooRefund } from './refund';
import { wooOrderSchema, type WooOrder } from './order';
import { ORDER_LINES_FIELDS, wooOrderLinesSchema, type WooOrderLines } from './order-lines';
import { STOCK_PRODUCT_FIELDS, wooStockProductSchema, type WooStockProduct, type WooStockUpdate, type WooStockUpdateResult } from './product';

/** Options of one call. */
export interface WooCallOptions {
  /** Aborts the call; the error is then a WooCommerceError of kind `cancelled`. */
  signal?: AbortSignal;
}

/** One page of `GET /orders`. */
export interface WooOrderQuery {
  /** Statuses to include, e.g. ['processing', 'on-hold']. Default: WooCommerce's `any` (all but trash and drafts). */
  status?: string[];
  /**
   * Only orders modified strictly after this instant (ISO 8601; a value without an offset is read as UTC). Sent as
   * UTC whole seconds, rounded down, with `dates_are_gmt=true`: a poller may see an order once more, never once less.
   */
  modifiedAfter?: string;
  /** 1-based page. Default 1. */
  page?: number;
  /** Orders per page, 1..100 (WooCommerce's maximum). Default 10 (WooCommerce's default). */
  perPage?: number;
  /** Sort key. Default WooCommerce's `date`. */
  orderby?: 'modified' | 'date' | 'id';
  /** Sort direction. Default WooCommerce's `desc`. */
  order?: 'asc' | 'desc';
}

/** One page of orders and WooCommerce's paging headers. */
export interface WooOrderPage {
  orders: WooOrder[];
  /** `X-WP-Total`: orders matching the query, over all pages. */
  total: number;
  /** `X-WP-TotalPages`. */
  totalPages: number;
}

export interface WooClient {
  /** The configured store name. */
  readonly store: string;
  /** GET /wp-json/wc/v3/orders/<id>, parsed with wooOrderSchema; undefined when WooCommerce says the order does not exist. */
  getOrder(orderId: number, options?: WooCallOptions): Promise<WooOrder | undefined>;
  /** PUT /orders/<id> {"meta_data":[…]}: upserts each key; keys not sent are left untouched. */
  updateOrderMeta(orderId: number, entries: { key: string; value: string }[], options?: WooCallOptions): Promise<void>;
  /**
   * POST /orders/<id>/notes with `customer_note: false`: ALWAYS a private note. The only customer note this product
   * writes is the shipment note, through addShipmentNote, and only when the mapping says `fulfilment.notifyCustomer`.
   */
  addPrivateNote(orderId: number, note: string, options?: WooCallOptions): Promise<void>;
  /** POST /orders/<id>/notes: the shipment note; a customer note (WooCommerce e-mails it) only when `customerNote` is true. */
  addShipmentNote(orderId: number, note: string, shipment: { customerNote: boolean }, options?: WooCallOptions): Promise<void>;
  /** GET /orders/<id>/notes?type=any: the order's notes, newest first. */
  listOrderNotes(orderId: number, options?: WooCallOptions): Promise<{ id: number; note: string; customerNote: boolean }[]>;
  /** PUT /orders/<id> with meta entries (upserted by key) and, when given, a new status, in one request. */
  updateOrder(orderId: number, update: { status?: string; meta: { key: string; value: string }[] }, options?: WooCallOptions): Promise<void>;
  /**
   * Whether the store has the Shipment Tracking extension: GET /wp-json/wc-shipment-tracking/v3 (the REST namespace
   * index) answers 200; a 404 means it is not installed.
   */
  hasShipmentTracking(options?: WooCallOptions): Promise<boolean>;
  /** GET /wp-json/wc-shipment-tracking/v3/orders/<id>/shipment-trackings: the tracking numbers already on the order. */
  listShipmentTrackings(orderId: number, options?: WooCallOptions): Promise<{ trackingNumber: string }[]>;
  /** POST …/orders/<id>/shipment-trackings: one tracking number (a known provider, or a custom one with its link). */
  addShipmentTracking(orderId: number, tracking: ShipmentTrackingInput, options?: WooCallOptions): Promise<void>;
  /** GET /orders/<id>/refunds?per_page=100: the order's refunds (newest first), parsed with wooRefundSchema. */
  listRefunds(orderId: number, options?: WooCallOptions): Promise<WooRefund[]>;
  /** GET /orders?…: one page, with X-WP-Total / X-WP-TotalPages. */
  listOrders(query: WooOrderQuery, options?: WooCallOptions): Promise<WooOrderPage>;
  /**
   * GET `path` (below /wp-json/wc/v3) with `params`: one page of any listing as raw JSON items, with X-WP-Total /
   * X-WP-TotalPages (the reconciliation walks the catalog with it).
   */
  getListing(path: string, params: Record<string, string>, options?: WooCallOptions): Promise<{ items: unknown[]; total: number; totalPages: number }>;
  /**
   * GET /orders?…&_fields=id,status,meta_data,line_items: one page of orders reduced to their status, meta and line
   * SKUs/quantities (stock accounting), with X-WP-Total / X-WP-TotalPages.
   */
  listOrderLines(query: WooOrderQuery, options?: WooCallOptions): Promise<{ orders: WooOrderLines[]; total: number; totalPages: number }>;
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
  /** GET /webhooks?status=<status>&per_page=100: the store's webhooks in that status (first page; a store has a handful). */
  listWebhooks(status: WooWebhook['status'], options?: WooCallOptions): Promise<WooWebhook[]>;
  /** PUT /webhooks/<id> {"status":"active"}: delivers again (WooCommerce disables a webhook after its 6th failure in a row). */
  activateWebhook(webhookId: number, options?: WooCallOptions): Promise<void>;
}

/** A webhook as GET /webhooks lists it (the fields this product reads). */
export interface WooWebhook {
  id: number;
  topic: string;
  status: 'active' | 'paused' | 'disabled';
  deliveryUrl: string;
}

/** A tracking number for the Shipment Tracking extension. */
export interface ShipmentTrackingInput {
  trackingNumber: string;
  /** One of the extension's providers (e.g. UPS), when no custom link is given. */
  provider?: string;
  /** A provider of our own, with its link (the mapping's URL template filled in). */
  custom?: { provider: string; link: string };
  /** YYYY-MM-DD. */
  dateShipped?: string;
}

/** The Shipment Tracking extension's REST namespace, below /wp-json. */
export const SHIPMENT_TRACKING_NAMESPACE = 'wc-shipment-tracking/v3';

/** Options of createWooClient. */
export interface WooClientOptions {
  /** Timeout of one request, in ms. Default 30000. */
  timeoutMs?: number;
  /** Debug line per request (operation, status, ms; never credentials). Default: no logging. */
  logger?: Logger;
}

/** WooCommerce's upper bound of `per_page`. */
export const MAX_PER_PAGE = 100;
/** WooCommerce's upper bound of items in one batch request (create + update + delete), else 413. */
export const MAX_BATCH_ITEMS = 100;

interface ErrorBody {
  code?: string;
  message?: string;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function errorBody(text: string): ErrorBody {
  const parsed = parseJson(text);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return {};
  const { code, message } = parsed.value as Record<string, unknown>;
  return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

/** Classifies a non-2xx answer. */
function kindOfStatus(status: number, code: string | undefined): WooCommerceErrorKind {
  if (status === 404) return code !== undefined && code !== 'rest_no_route' ? 'not-found' : 'rejected';
  if (status === 400 && code !== undefined && code.endsWith('_invalid_id')) return 'not-found';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

function statusError(operation: string, response: AxiosResponse<string>): WooCommerceError {
  const { status } = response;
  const body = errorBody(typeof response.data === 'string' ? response.data : '');
  let detail = body.message ?? `HTTP ${status} without a WooCommerce error body`;
  if (status >= 300 && status < 400) {
    detail = `redirected${typeof response.headers.location === 'string' ? ` to ${response.headers.location}` : ''}: check the store URL (https, www)`;
  } else if (status === 404 && (body.code === undefined || body.code === 'rest_no_route')) {
    detail = `${detail} — no such REST route: is WooCommerce active and the store URL right?`;
  }
  return new WooCommerceError({ kind: kindOfStatus(status, body.code), operation, status, ...(body.code !== undefined ? { code: body.code } : {}), detail });
}

/** Turns a thrown axios (or other) error into a WooCommerceError without keeping anything of the request. */
function transportError(operation: string, error: unknown, timeoutMs: number): WooCommerceError {
  if (axios.isCancel(error) || (axios.isAxiosError(error) && error.code === 'ERR_CANCELED')) {
    return new WooCommerceError({ kind: 'cancelled', operation, detail: 'the call was cancelled' });
  }
  if (axios.isAxiosError(error)) {
    if (error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED') {
      return new WooCommerceError({ kind: 'timeout', operation, detail: `no answer within ${timeoutMs} ms` });
    }
    return new WooCommerceError({ kind: 'network', operation, detail: `${error.code ?? 'connection failed'}: ${error.message}` });
  }
  return new WooCommerceError({ kind: 'network', operation, detail: error instanceof Error ? error.message : 'request failed' });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return `${path || '(root)'}: ${issue.message}`;
}

/** `modifiedAfter` as WooCommerce reads it best with dates_are_gmt=true: UTC, whole seconds, no offset. */
function gmtSeconds(operation: string, iso: string): string {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso.trim());
  const ms = Date.parse(hasOffset ? iso : `${iso.trim()}Z`);
  if (Number.isNaN(ms)) throw new WooCommerceError({ kind: 'rejected', operation, detail: `modifiedAfter is not an ISO 8601 date: ${iso}` });
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

const wooWebhookSchema = z.object({
  id: z.number().int().positive(),
  topic: z.string(),
  status: z.enum(['active', 'paused', 'disabled']),
  delivery_url: z.string(),
});

function positiveId(operation: string, orderId: number): void {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) {
    throw new WooCommerceError({ kind: 'rejected', operation, detail: `order ID must be a positive integer, got ${orderId}` });
  }
}

/** The query parameters of an order listing (shared by listOrders and listOrderLines). */
function orderListParams(operation: string, query: WooOrderQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.perPage !== undefined) {
    if (!Number.isInteger(query.perPage) || query.perPage < 1 || query.perPage > MAX_PER_PAGE) {
      throw new WooCommerceError({ kind: 'rejected', operation, detail: `perPage must be an integer from 1 to ${MAX_PER_PAGE}, got ${query.perPage}` });
    }
    params.per_page = String(query.perPage);
  }
  if (query.page !== undefined) {
    if (!Number.isInteger(query.page) || query.page < 1)
      throw new WooCommerceError({ kind: 'rejected', operation, detail: `page must be a positive integer, got ${query.page}` });
    params.page = String(query.page);
  }
  if (query.status !== undefined && query.status.length > 0) params.status = query.status.join(',');
  if (query.modifiedAfter !== undefined) {
    params.modified_after = gmtSeconds(operation, query.modifiedAfter);
    params.dates_are_gmt = 'true';
  }
  if (query.orderby !== undefined) params.orderby = query.orderby;
  if (query.order !== undefined) params.order = query.order;
  return params;
}

/** X-WP-Total / X-WP-TotalPages of a listing, with fallbacks when a proxy dropped them. */
function pagingHeaders(headers: AxiosResponse['headers'], count: number): { total: number; totalPages: number } {
  const header = (name: string): number | undefined => {
    const raw: unknown = headers[name];
    const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const total = header('x-wp-total') ?? count;
  return { total, totalPages: header('x-wp-totalpages') ?? (total > 0 ? 1 : 0) };
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

/** The REST base of a store URL: `https://shop.example.com/` → `https://shop.example.com/wp-json/wc/v3`. */
export function restBaseUrl(storeUrl: string): string {
  return `${storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`;
}

/** A client for one store. Connections are kept alive; nothing is retried here (the activities' retry policy does that). */
export function createWooClient(store: StoreSettings, options: WooClientOptions = {}): WooClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const logger = options.logger?.child({ store: store.name });
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

  const extensionBase = `${store.url.replace(/\/+$/, '')}/wp-json/${SHIPMENT_TRACKING_NAMESPACE}`;

  /**
   * Sends one request; returns the 2xx body text, throws a WooCommerceError otherwise. `path` is below /wc/v3, or with
   * `extension` below the Shipment Tracking namespace (the operation then names the namespace).
   */
  async function call(
    method: Method,
    path: string,
    init: { params?: Record<string, string>; data?: unknown; signal?: AbortSignal | undefined; extension?: boolean },
  ): Promise<{ text: string; headers: AxiosResponse['headers'] }> {
    const operation = init.extension ? `${method} /${SHIPMENT_TRACKING_NAMESPACE}${path}` : `${method} ${path}`;
    const started = performance.now();
    let response: AxiosResponse<string>;
    try {
      response = await rest.request<string>({
        method,
        url: path,
        ...(init.extension ? { baseURL: extensionBase } : {}),
        ...(init.params ? { params: init.params } : {}),
        ...(init.data !== undefined ? { data: init.data } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (error) {
      const failure = transportError(operation, error, timeoutMs);
      logger?.debug({ operation, kind: failure.kind, ms: Math.round(performance.now() - started) }, 'woocommerce call failed');
      throw failure;
    }
    logger?.debug({ operation, status: response.status, ms: Math.round(performance.now() - started) }, 'woocommerce call');
    if (response.status < 200 || response.status >= 300) throw statusError(operation, response);
    return { text: typeof response.data === 'string' ? response.data : '', headers: response.headers };
  }

  function json(operation: string, text: string): unknown {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new WooCommerceError({ kind: 'rejected', operation, detail: 'the answer is not JSON' });
    return parsed.value;
  }

  /** `value` parsed with `schema`, or a `rejected` error naming `what` and the first offending path. */
  function parsed<S extends z.ZodType>(schema: S, operation: string, value: unknown, what: string): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new WooCommerceError({ kind: 'rejected', operation, detail: `${what} does not have the expected shape at ${firstIssue(result.error)}` });
    }
    return result.data;
  }

  /** A listing's JSON array (`of` names its items in the error when the answer is something else). */
  function jsonArray(operation: string, text: string, of?: string): unknown[] {
    const body = json(operation, text);
    if (!Array.isArray(body)) throw new WooCommerceError({ kind: 'rejected', operation, detail: `the answer is not a JSON array${of ? ` of ${of}` : ''}` });
    return body;
  }

  return {
    store: store.name,

    async getOrder(orderId, callOptions = {}) {
      const operation = `GET /orders/${orderId}`;
      positiveId(operation, orderId);
      try {
        const { text } = await call('GET', `/orders/${orderId}`, { signal: callOptions.signal });
        return parsed(wooOrderSchema, operation, json(operation, text), `order ${orderId}`);
      } catch (error) {
        if (error instanceof WooCommerceError && error.kind === 'not-found') return undefined;
        throw error;
      }
    },

    async updateOrderMeta(orderId, entries, callOptions = {}) {
      positiveId(`PUT /orders/${orderId}`, orderId);
      await call('PUT', `/orders/${orderId}`, {
        data: { meta_data: entries.map(({ key, value }) => ({ key, value })) },
        signal: callOptions.signal,
      });
    },

    async addPrivateNote(orderId, note, callOptions = {}) {
      positiveId(`POST /orders/${orderId}/notes`, orderId);
      // customer_note is a literal false: this client never e-mails a shopper.
      await call('POST', `/orders/${orderId}/notes`, { data: { note, customer_note: false }, signal: callOptions.signal });
    },

    async addShipmentNote(orderId, note, shipment, callOptions = {}) {
      positiveId(`POST /orders/${orderId}/notes`, orderId);
      await call('POST', `/orders/${orderId}/notes`, { data: { note, customer_note: shipment.customerNote }, signal: callOptions.signal });
    },

    async listOrderNotes(orderId, callOptions = {}) {
      const operation = `GET /orders/${orderId}/notes`;
      positiveId(operation, orderId);
      const { text } = await call('GET', `/orders/${orderId}/notes`, { params: { type: 'any' }, signal: callOptions.signal });
      return jsonArray(operation, text, 'notes').map((value) => {
        const note = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
        return { id: Number(note.id ?? 0), note: typeof note.note === 'string' ? note.note : '', customerNote: note.customer_note === true };
      });
    },

    async updateOrder(orderId, update, callOptions = {}) {
      positiveId(`PUT /orders/${orderId}`, orderId);
      await call('PUT', `/orders/${orderId}`, {
        data: { ...(update.status !== undefined ? { status: update.status } : {}), meta_data: update.meta.map(({ key, value }) => ({ key, value })) },
        signal: callOptions.signal,
      });
    },

    async hasShipmentTracking(callOptions = {}) {
      try {
        await call('GET', '', { signal: callOptions.signal, extension: true });
        return true;
      } catch (error) {
        if (isNoRouteError(error)) return false;
        throw error;
      }
    },

    async listShipmentTrackings(orderId, callOptions = {}) {
      const operation = `GET /${SHIPMENT_TRACKING_NAMESPACE}/orders/${orderId}/shipment-trackings`;
      positiveId(operation, orderId);
      const { text } = await call('GET', `/orders/${orderId}/shipment-trackings`, { signal: callOptions.signal, extension: true });
      return jsonArray(operation, text, 'shipment trackings').flatMap((value) => {
        const number = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).tracking_number : undefined;
        return typeof number === 'string' ? [{ trackingNumber: number }] : [];
      });
    },

    async addShipmentTracking(orderId, tracking, callOptions = {}) {
      positiveId(`POST /${SHIPMENT_TRACKING_NAMESPACE}/orders/${orderId}/shipment-trackings`, orderId);
      const data = {
        tracking_number: tracking.trackingNumber,
        ...(tracking.custom
          ? { custom_tracking_provider: tracking.custom.provider, custom_tracking_link: tracking.custom.link }
          : tracking.provider !== undefined
            ? { tracking_provider: tracking.provider }
            : {}),
        ...(tracking.dateShipped !== undefined ? { date_shipped: tracking.dateShipped } : {}),
      };
      await call('POST', `/orders/${orderId}/shipment-trackings`, { data, signal: callOptions.signal, extension: true });
    },

    async listRefunds(orderId, callOptions = {}) {
      const operation = `GET /orders/${orderId}/refunds`;
      positiveId(operation, orderId);
      const { text } = await call('GET', `/orders/${orderId}/refunds`, { params: { per_page: String(MAX_PER_PAGE) }, signal: callOptions.signal });
      return jsonArray(operation, text, 'refunds').map((value, index) => parsed(wooRefundSchema, operation, value, `refunds[${index}]`));
    },

    async listOrders(query, callOptions = {}) {
      const operation = 'GET /orders';
      const { text, headers } = await call('GET', '/orders', { params: orderListParams(operation, query), signal: callOptions.signal });
      const orders = jsonArray(operation, text, 'orders').map((value, index) => parsed(wooOrderSchema, operation, value, `orders[${index}]`));
      return { orders, ...pagingHeaders(headers, orders.length) };
    },

    async getListing(path, params, callOptions = {}) {
      const operation = `GET ${path}`;
      const { text, headers } = await call('GET', path, { params, signal: callOptions.signal });
      const items = jsonArray(operation, text);
      return { items, ...pagingHeaders(headers, items.length) };
    },

    async listOrderLines(query, callOptions = {}) {
      const operation = 'GET /orders';
      const params = { ...orderListParams(operation, query), _fields: ORDER_LINES_FIELDS.join(',') };
      const { text, headers } = await call('GET', '/orders', { params, signal: callOptions.signal });
      const orders = jsonArray(operation, text, 'orders').map((value, index) => parsed(wooOrderLinesSchema, operation, value, `orders[${index}]`));
      return { orders, ...pagingHeaders(headers, orders.length) };
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

    async listWebhooks(status, callOptions = {}) {
      const operation = 'GET /webhooks';
      const { text } = await call('GET', '/webhooks', {
        params: { status, per_page: String(MAX_PER_PAGE), _fields: 'id,topic,status,delivery_url' },
        signal: callOptions.signal,
      });
      return jsonArray(operation, text, 'webhooks').map((value, index) => {
        const webhook = parsed(wooWebhookSchema, operation, value, `webhooks[${index}]`);
        return { id: webhook.id, topic: webhook.topic, status: webhook.status, deliveryUrl: webhook.delivery_url };
      });
    },

    async activateWebhook(webhookId, callOptions = {}) {
      await call('PUT', `/webhooks/${webhookId}`, { data: { status: 'active' }, signal: callOptions.signal });
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
