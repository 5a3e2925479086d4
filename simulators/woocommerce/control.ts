/**
 * The control API in-process (`WooCommerceControl`); the same operations over HTTP on the control listener:
 * control-routes.ts. Input is validated with zod in both cases (control-schemas.ts).
 */
import type { SeedCatalog } from '../seed';
import { ControlInputError, parseControlInput } from '../shared/http';
import type { SimContext } from './context';
import {
  catalogSchema,
  checkoutSchema,
  emailsQuerySchema,
  extensionsSchema,
  faultsSchema,
  flushSchema,
  latencySchema,
  orderPatchSchema,
  statusSchema,
  stockSetSchema,
  webhookInputSchema,
  webhookPatchSchema,
  type CheckoutInput,
  type ControlWebhookInput,
} from './control-schemas';
import { WooError } from './errors';
import type { RestFaultControl, RestFaultKind, RestFaults } from './faults';
import type { Metrics, ServerTimings } from './metrics';
import { CheckoutError, placeCheckoutOrder } from './order-checkout';
import { noteJson, orderJson } from './order-json';
import { deleteOrder, restoreOrder, setOrderStatus } from './order-lifecycle';
import { updateOrder } from './orders';
import { emailsOf } from './emails';
import { loadCatalog } from './product-catalog';
import { productJson } from './product-json';
import { applyProductInput } from './product-writes';
import type { JsonObject } from './rest-util';
import { createRefund, deleteRefund, refundsNewestFirst } from './refunds';
import { refundJson } from './refund-json';
import type { WooNoteJson, WooOrderJson, WooProductJson, WooRefundJson, WooShipmentTrackingJson } from './rest-types';
import { shipmentTrackingJson } from './shipment-tracking';
import type { CustomerEmail, Order } from './store';
import type { DeliveryFaults } from './webhook-faults';
import type { DeliveryCounters, DeliveryLogEntry } from './webhook-log';
import type { WebhookManager } from './webhook-manager';
import { webhookJson } from './webhook-subscriptions';

// ---- the in-process control ---------------------------------------------------------------------------------------

export interface WooCommerceCounters {
  /** Vendor requests by route template, e.g. `GET /wp-json/wc/v3/orders/:id`; unmatched routes count as `GET (no route)`. */
  requestsByRoute: Record<string, number>;
  responsesByStatus: Record<string, number>;
  requestsTotal: number;
  deliveries: DeliveryCounters;
  /** Order notes created with customer_note true (each one e-mails the customer in real WooCommerce). */
  customerNotes: number;
  /** Vendor REST requests hit by an injected REST fault (`addFault`), by kind. */
  faultsInjected: Record<RestFaultKind, number>;
}

export interface WebhookView extends JsonObject {
  failure_count: number;
  ping: { success: boolean; status: number | null; error: string | null } | null;
}

export interface WooCommerceControl extends RestFaultControl {
  /** Replaces the catalog (products, variations, customers, tax rates, coupons, shipping/payment methods). Orders and webhooks stay. */
  seed(catalog: SeedCatalog): { products: number; variations: number; customers: number };
  /** Places an order as a storefront checkout would. Unknown SKU without `raw: true` → ControlInputError. */
  placeOrder(draft: CheckoutInput): WooOrderJson;
  /** An order's REST JSON. Unknown id → ControlInputError. */
  getOrder(id: number): WooOrderJson;
  /** Every order (trashed included), ascending id. */
  listOrders(): WooOrderJson[];
  /** Changes the status (stock rules apply; fires order.updated). */
  setOrderStatus(id: number, status: string, note?: string): WooOrderJson;
  /** Applies a REST-shaped update (`meta_data`, `status`, `billing`, …) exactly like `PUT /orders/<id>`. */
  updateOrder(id: number, patch: Record<string, unknown>): WooOrderJson;
  /** Trashes (or with force deletes) an order; fires order.deleted. */
  deleteOrder(id: number, force?: boolean): WooOrderJson;
  /** Untrashes an order; fires order.restored. */
  restoreOrder(id: number): WooOrderJson;
  /** Notes of an order, oldest first, each with `customer_note`. */
  orderNotes(id: number): WooNoteJson[];
  /**
   * Creates a refund exactly like `POST /orders/<id>/refunds` (same body, same rules: fires order.updated, a refund of
   * everything left sets `refunded`, `api_refund` defaults to true and fails for offline gateways such as cod, so pass
   * `api_refund: false` for a refund made "manually"). A WooCommerce error → ControlInputError.
   */
  createRefund(orderId: number, body: Record<string, unknown>): WooRefundJson;
  /** The order's refunds, newest first (all of them, unpaged). */
  listRefunds(orderId: number): WooRefundJson[];
  /** Deletes a refund like `DELETE /orders/<id>/refunds/<refund_id>?force=true`: no webhook, date_modified unchanged. */
  deleteRefund(orderId: number, refundId: number): WooRefundJson;
  /** Products and variations (REST JSON), ascending id. */
  listProducts(): WooProductJson[];
  /** A product or variation by SKU. Unknown SKU → ControlInputError. */
  getProductBySku(sku: string): WooProductJson;
  /** Sets the stock quantity of a SKU (manage_stock turned on; stock status recomputed; no webhook). */
  setStock(sku: string, quantity: number): WooProductJson;
  /** Creates a webhook subscription (sends the ping, awaited). */
  createWebhook(input: ControlWebhookInput): Promise<WebhookView>;
  listWebhooks(): WebhookView[];
  updateWebhook(id: number, patch: Partial<ControlWebhookInput>): WebhookView;
  deleteWebhook(id: number): WebhookView;
  /** Sets delivery fault injection; omitted fields keep their value. Returns the faults now in force. */
  setWebhookFaults(faults: Partial<DeliveryFaults>): DeliveryFaults;
  /** Resolves when no delivery is pending or in flight (runNow: send pending ones immediately). */
  flushDeliveries(options?: { runNow?: boolean; timeoutMs?: number }): Promise<void>;
  /** The delivery log (pings and deliveries), oldest first. */
  deliveries(filter?: { webhookId?: number; resourceId?: number; kind?: 'delivery' | 'ping' }): DeliveryLogEntry[];
  clearDeliveries(): void;
  counters(): WooCommerceCounters;
  /** Resets request counters, delivery counters, injected-fault counters and timings (the delivery log stays). */
  resetCounters(): void;
  serverTimings(): ServerTimings;
  /** Changes the artificial latency of the vendor API. */
  setLatency(latency: { fixedMs?: number; jitterMs?: number }): { fixedMs: number; jitterMs: number };
  /** Which optional extensions are active for the store. */
  extensions(): { shipmentTracking: boolean };
  /**
   * Activates or deactivates the Shipment Tracking extension: its routes under `/wp-json/wc-shipment-tracking/v3`
   * answer, or are `rest_no_route`. Items already added stay on the orders.
   */
  setShipmentTracking(enabled: boolean): void;
  /** The order's Shipment Tracking items (REST JSON), oldest first, whether or not the extension is active. Unknown id → ControlInputError. */
  shipmentTrackings(orderId: number): WooShipmentTrackingJson[];
  /**
   * E-mails the customers would have received, oldest first (of one order when given): `customer_completed_order`
   * when an order became completed (with its tracking numbers), `customer_note` for each note with customer_note true.
   */
  emails(orderId?: number): CustomerEmail[];
}

export function createControl(
  ctx: SimContext,
  manager: WebhookManager,
  metrics: Metrics,
  counts: { customerNotes: () => number; resetCustomerNotes: () => void },
  restFaults: RestFaults,
): WooCommerceControl {
  const findOrder = (id: number): Order => {
    const order = ctx.store.orders.get(id);
    if (!order) throw new ControlInputError(`unknown order ${id}`, [`id: no order ${id}`]);
    return order;
  };
  const asControlError = (error: unknown): never => {
    if (error instanceof CheckoutError) throw new ControlInputError(error.message, [error.message]);
    if (error instanceof WooError) throw new ControlInputError(`${error.code}: ${error.message}`, [error.message]);
    throw error;
  };
  const webhookView = (id: number): WebhookView => {
    const webhook = manager.get(id);
    if (!webhook) throw new ControlInputError(`unknown webhook ${id}`, [`id: no webhook ${id}`]);
    return { ...webhookJson(ctx, webhook), failure_count: webhook.failureCount, ping: webhook.ping };
  };
  const productBySku = (sku: string) => {
    const product = ctx.store.productBySku(sku);
    if (!product) throw new ControlInputError(`unknown SKU ${sku}`, [`sku: no product with SKU ${sku}`]);
    return product;
  };

  return {
    seed(catalog) {
      const parsed = parseControlInput(catalogSchema, catalog, 'catalog') as SeedCatalog;
      loadCatalog(ctx, parsed);
      const products = [...ctx.store.products.values()];
      return {
        products: products.filter((p) => p.type !== 'variation').length,
        variations: products.filter((p) => p.type === 'variation').length,
        customers: ctx.store.customers.size,
      };
    },
    placeOrder(draft) {
      const parsed = parseControlInput(checkoutSchema, draft, 'order draft');
      try {
        return orderJson(ctx, placeCheckoutOrder(ctx, parsed));
      } catch (error) {
        return asControlError(error);
      }
    },
    getOrder: (id) => orderJson(ctx, findOrder(id)),
    listOrders: () => [...ctx.store.orders.values()].sort((a, b) => a.id - b.id).map((o) => orderJson(ctx, o)),
    setOrderStatus(id, status, note) {
      const parsed = parseControlInput(statusSchema, { status, note });
      return orderJson(ctx, setOrderStatus(ctx, findOrder(id), parsed.status, parsed.note ?? ''));
    },
    updateOrder(id, patch) {
      const parsed = parseControlInput(orderPatchSchema, patch, 'order update');
      const order = findOrder(id);
      try {
        return orderJson(ctx, updateOrder(ctx, order, parsed));
      } catch (error) {
        return asControlError(error);
      }
    },
    deleteOrder(id, force = false) {
      try {
        return deleteOrder(ctx, findOrder(id), force);
      } catch (error) {
        return asControlError(error);
      }
    },
    restoreOrder: (id) => orderJson(ctx, restoreOrder(ctx, findOrder(id))),
    orderNotes: (id) => findOrder(id).notes.map((n) => noteJson(ctx, n)),
    createRefund(orderId, body) {
      const parsed = parseControlInput(orderPatchSchema, body, 'refund');
      const order = findOrder(orderId);
      try {
        return refundJson(ctx, order.id, createRefund(ctx, order, parsed));
      } catch (error) {
        return asControlError(error);
      }
    },
    listRefunds: (orderId) => {
      const order = findOrder(orderId);
      return refundsNewestFirst(order).map((r) => refundJson(ctx, order.id, r));
    },
    deleteRefund(orderId, refundId) {
      const order = findOrder(orderId);
      const refund = order.refunds.find((r) => r.id === refundId);
      if (!refund) throw new ControlInputError(`order ${orderId} has no refund ${refundId}`, [`refundId: no refund ${refundId} on order ${orderId}`]);
      return deleteRefund(ctx, order, refund);
    },
    listProducts: () => [...ctx.store.products.values()].sort((a, b) => a.id - b.id).map((p) => productJson(ctx, p)),
    getProductBySku: (sku) => productJson(ctx, productBySku(sku)),
    setStock(sku, quantity) {
      const parsed = parseControlInput(stockSetSchema, { sku, quantity });
      const product = productBySku(parsed.sku);
      applyProductInput(ctx, product, { manage_stock: true, stock_quantity: parsed.quantity });
      return productJson(ctx, product);
    },
    async createWebhook(input) {
      const parsed = parseControlInput(webhookInputSchema, input, 'webhook');
      const webhook = await manager.create(parsed);
      return webhookView(webhook.id);
    },
    listWebhooks: () => manager.list().map((w) => webhookView(w.id)),
    updateWebhook(id, patch) {
      const parsed = parseControlInput(webhookPatchSchema, patch, 'webhook update');
      const view = webhookView(id);
      manager.update(manager.get(view.id as number) as NonNullable<ReturnType<WebhookManager['get']>>, parsed);
      return webhookView(id);
    },
    deleteWebhook(id) {
      const view = webhookView(id);
      manager.remove(id);
      return view;
    },
    setWebhookFaults(faults) {
      const parsed = parseControlInput(faultsSchema, faults, 'faults');
      manager.faults = {
        dropFraction: parsed.dropFraction ?? manager.faults.dropFraction,
        duplicateFraction: parsed.duplicateFraction ?? manager.faults.duplicateFraction,
        duplicateCopies: parsed.duplicateCopies ?? manager.faults.duplicateCopies,
        extraDelayMs: parsed.extraDelayMs ?? manager.faults.extraDelayMs,
        delayFraction: parsed.delayFraction ?? manager.faults.delayFraction,
        delayMaxMs: parsed.delayMaxMs ?? manager.faults.delayMaxMs,
      };
      return { ...manager.faults };
    },
    flushDeliveries(options = {}) {
      const parsed = parseControlInput(flushSchema, options, 'flush options');
      return manager.flush(parsed);
    },
    deliveries: (filter = {}) => manager.deliveries(filter),
    clearDeliveries: () => manager.clearLog(),
    counters: () => ({
      requestsByRoute: { ...metrics.requestsByRoute },
      responsesByStatus: { ...metrics.responsesByStatus },
      requestsTotal: metrics.requestsTotal,
      deliveries: { ...manager.counters },
      customerNotes: counts.customerNotes(),
      faultsInjected: restFaults.injectedByKind(),
    }),
    resetCounters() {
      metrics.reset();
      manager.resetCounters();
      counts.resetCustomerNotes();
      restFaults.resetCounters();
    },
    serverTimings: () => metrics.timings(),
    addFault: (input) => restFaults.addFault(input),
    faults: () => restFaults.faults(),
    clearFaults: () => restFaults.clearFaults(),
    setLatency(latency) {
      const parsed = parseControlInput(latencySchema, latency, 'latency');
      if (parsed.fixedMs !== undefined) ctx.options.latency.fixedMs = parsed.fixedMs;
      if (parsed.jitterMs !== undefined) ctx.options.latency.jitterMs = parsed.jitterMs;
      return { ...ctx.options.latency };
    },
    extensions: () => ({ shipmentTracking: ctx.options.shipmentTracking }),
    setShipmentTracking(enabled) {
      ctx.options.shipmentTracking = parseControlInput(extensionsSchema, { shipmentTracking: enabled }, 'extensions').shipmentTracking;
    },
    shipmentTrackings: (orderId) => findOrder(orderId).shipmentTrackings.map(shipmentTrackingJson),
    emails(orderId) {
      const parsed = parseControlInput(emailsQuerySchema, { orderId }, 'emails filter');
      return emailsOf(ctx, parsed.orderId);
    },
  };
}
