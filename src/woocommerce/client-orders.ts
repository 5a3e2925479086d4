/**
 * The WooCommerce client's order endpoints: read an order, upsert its meta (and status), add and list its notes, list
 * its refunds; list orders for the catch-up poller, and orders reduced to their lines for the inventory sync.
 */
import { WooCommerceError } from './errors';
import { MAX_PER_PAGE, pagingHeaders, positiveId, type WooCallOptions, type WooHttp } from './client-http';
import { wooRefundSchema, type WooRefund } from './refund';
import { wooOrderSchema, type WooOrder } from './order';
import { ORDER_LINES_FIELDS, wooOrderLinesSchema, type WooOrderLines } from './order-lines';

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

export interface WooOrderEndpoints {
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
  /** GET /orders/<id>/refunds?per_page=100: the order's refunds (newest first), parsed with wooRefundSchema. */
  listRefunds(orderId: number, options?: WooCallOptions): Promise<WooRefund[]>;
  /** GET /orders?…: one page, with X-WP-Total / X-WP-TotalPages. */
  listOrders(query: WooOrderQuery, options?: WooCallOptions): Promise<WooOrderPage>;
  /**
   * GET /orders?…&_fields=id,status,meta_data,line_items: one page of orders reduced to their status, meta and line
   * SKUs/quantities (stock accounting), with X-WP-Total / X-WP-TotalPages.
   */
  listOrderLines(query: WooOrderQuery, options?: WooCallOptions): Promise<{ orders: WooOrderLines[]; total: number; totalPages: number }>;
}

/** `modifiedAfter` as WooCommerce reads it best with dates_are_gmt=true: UTC, whole seconds, no offset. */
function gmtSeconds(operation: string, iso: string): string {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso.trim());
  const ms = Date.parse(hasOffset ? iso : `${iso.trim()}Z`);
  if (Number.isNaN(ms)) throw new WooCommerceError({ kind: 'rejected', operation, detail: `modifiedAfter is not an ISO 8601 date: ${iso}` });
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
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

export function orderEndpoints({ call, json, parsed, jsonArray }: WooHttp): WooOrderEndpoints {
  return {
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

    async listOrderLines(query, callOptions = {}) {
      const operation = 'GET /orders';
      const params = { ...orderListParams(operation, query), _fields: ORDER_LINES_FIELDS.join(',') };
      const { text, headers } = await call('GET', '/orders', { params, signal: callOptions.signal });
      const orders = jsonArray(operation, text, 'orders').map((value, index) => parsed(wooOrderLinesSchema, operation, value, `orders[${index}]`));
      return { orders, ...pagingHeaders(headers, orders.length) };
    },
  };
}
