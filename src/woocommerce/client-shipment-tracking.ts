/**
 * The WooCommerce client's endpoints of the Shipment Tracking extension (its own REST namespace, below /wp-json):
 * whether the store has it, the tracking numbers already on an order, and adding one.
 */
import { isNoRouteError } from './errors';
import { positiveId, SHIPMENT_TRACKING_NAMESPACE, type WooCallOptions, type WooHttp } from './client-http';

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

export interface WooShipmentTrackingEndpoints {
  /**
   * Whether the store has the Shipment Tracking extension: GET /wp-json/wc-shipment-tracking/v3 (the REST namespace
   * index) answers 200; a 404 means it is not installed.
   */
  hasShipmentTracking(options?: WooCallOptions): Promise<boolean>;
  /** GET /wp-json/wc-shipment-tracking/v3/orders/<id>/shipment-trackings: the tracking numbers already on the order. */
  listShipmentTrackings(orderId: number, options?: WooCallOptions): Promise<{ trackingNumber: string }[]>;
  /** POST …/orders/<id>/shipment-trackings: one tracking number (a known provider, or a custom one with its link). */
  addShipmentTracking(orderId: number, tracking: ShipmentTrackingInput, options?: WooCallOptions): Promise<void>;
}

export function shipmentTrackingEndpoints({ call, jsonArray }: WooHttp): WooShipmentTrackingEndpoints {
  return {
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
  };
}
