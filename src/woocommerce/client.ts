/**
 * The WooCommerce REST v3 client the activities use: read an order, upsert order meta, add a private note, list orders
 * for the catch-up poller; for the inventory sync, list orders' lines, find products by SKU and write stock in
 * batches. Every failure becomes a WooCommerceError (errors.ts), classified once, in the HTTP core (client-http.ts).
 *
 * Authentication is HTTP Basic with the consumer key and secret. Real WooCommerce accepts Basic auth only over HTTPS
 * (over plain HTTP it demands OAuth 1.0a): configure real stores with an `https://` URL. The simulator treats its
 * plain-HTTP loopback as HTTPS.
 *
 * The endpoints, by what they touch: orders, their notes and refunds (client-orders.ts); products and stock
 * (client-products.ts); the Shipment Tracking extension (client-shipment-tracking.ts); webhooks (client-webhooks.ts).
 */
import type { StoreSettings } from '../config';
import { createWooHttp, type WooClientOptions } from './client-http';
import { orderEndpoints, type WooOrderEndpoints } from './client-orders';
import { productEndpoints, type WooProductEndpoints } from './client-products';
import { shipmentTrackingEndpoints, type WooShipmentTrackingEndpoints } from './client-shipment-tracking';
import { webhookEndpoints, type WooWebhookEndpoints } from './client-webhooks';

export interface WooClient extends WooOrderEndpoints, WooShipmentTrackingEndpoints, WooProductEndpoints, WooWebhookEndpoints {
  /** The configured store name. */
  readonly store: string;
}

/** A client for one store. Connections are kept alive; nothing is retried here (the activities' retry policy does that). */
export function createWooClient(store: StoreSettings, options: WooClientOptions = {}): WooClient {
  const http = createWooHttp(store, options);
  return {
    store: store.name,
    ...orderEndpoints(http),
    ...shipmentTrackingEndpoints(http),
    ...productEndpoints(http),
    ...webhookEndpoints(http),
  };
}
