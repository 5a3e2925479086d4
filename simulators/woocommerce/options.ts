/**
 * Options of the WooCommerce simulator, with their defaults. Every option is optional.
 */
import { createHash } from 'node:crypto';
import type { SeedCatalog } from '../seed';

export interface WebhookDeliveryOptions {
  /**
   * Delay between the event and the delivery, in ms. Default 50. Real WooCommerce delivers through Action Scheduler
   * (asynchronously, usually seconds later); the payload is built when the delivery runs.
   */
  delayMs?: number;
  /** An identical pending delivery (same webhook and resource) due within this window is not queued again. Default 600000 (600 s). */
  coalesceWindowMs?: number;
  /** Timeout of one delivery request, in ms. Default 60000 (WooCommerce's 60 s). */
  timeoutMs?: number;
  /** `woocommerce_max_webhook_delivery_failures`. Default 5: the webhook is disabled on the 7th consecutive failure. */
  maxFailures?: number;
  /**
   * Delivery mode 'action-scheduler' only: how many due deliveries one queue runner claims at a time
   * (`action_scheduler_queue_runner_batch_size`). Default 25.
   */
  batchSize?: number;
  /**
   * Delivery mode 'action-scheduler' only: how many queue runners may run at once
   * (`action_scheduler_queue_runner_concurrent_batches`). Default 1, Action Scheduler's own default: a store runs one
   * batch at a time unless a plugin or the owner raises it.
   */
  concurrentBatches?: number;
}

/**
 * How due webhook deliveries are sent.
 *
 * - 'action-scheduler' (the default) — as a WooCommerce store sends them: each delivery is an Action Scheduler action
 *   (`woocommerce_deliver_webhook_async`); a queue runner claims a batch of due actions (`batchSize`, oldest due first)
 *   and runs them one after another (PHP is synchronous: one request at a time per runner); when its batch is done it
 *   claims the next one. At most `concurrentBatches` runners run at once. So a flash sale's deliveries arrive in a
 *   steady stream, never thousands at the same instant (ActionScheduler_QueueRunner::run / do_batch).
 * - 'immediate' — every delivery is sent the moment it is due, all at once: the all-at-once stress of a burst, which no
 *   real store produces.
 */
export type DeliveryMode = 'action-scheduler' | 'immediate';

export interface LatencyOptions {
  /** Fixed delay added to every vendor-API request, in ms. Default 0. */
  fixedMs?: number;
  /** Random extra delay in [0, jitterMs] from the seeded RNG, in ms. Default 0. */
  jitterMs?: number;
}

export interface WooCommerceSimulatorOptions {
  /** Port of the vendor-shaped API (REST under /wp-json/wc/v3). Default 0 = any free port. */
  port?: number;
  /** Port of the control API. Default 0 = any free port. */
  controlPort?: number;
  /** Interface both listeners (store and control API) bind to. Default 127.0.0.1. */
  host?: string;
  /**
   * Host name in the URLs the simulator reports: the store URL (also `X-WC-Webhook-Source`), REST links, `Location`
   * headers. Default: the host, or 127.0.0.1 when the host is a wildcard (0.0.0.0).
   */
  advertiseHost?: string;
  /** Seed of the RNG (key derivation, latency jitter, delivery fault fractions). Default 1. */
  seed?: number;
  /** Read/write consumer key. Default `ck_` + 40 hex characters derived from the seed. */
  consumerKey?: string;
  /** Secret of the read/write key. Default `cs_` + 40 hex characters derived from the seed. */
  consumerSecret?: string;
  /** Read-only consumer key. Default `ck_` + 40 hex characters derived from the seed (different from consumerKey). */
  readOnlyConsumerKey?: string;
  /** Secret of the read-only key. Default `cs_` + 40 hex characters derived from the seed. */
  readOnlyConsumerSecret?: string;
  /** Catalog loaded at start (products, variations, customers, tax rates, coupons, shipping and payment methods). Default: none (empty store). */
  catalog?: SeedCatalog;
  /** Webhook delivery tuning. Defaults: delayMs 50, coalesceWindowMs 600000, timeoutMs 60000, maxFailures 5, batchSize 25, concurrentBatches 1. */
  webhookDelivery?: WebhookDeliveryOptions;
  /** How due deliveries are sent: 'action-scheduler' (default: in batches, as a store's queue runner does) or 'immediate' (all at once). See DeliveryMode. */
  delivery?: DeliveryMode;
  /** Artificial latency on the vendor API. Default fixedMs 0, jitterMs 0. */
  latency?: LatencyOptions;
  /** Store currency (ISO 4217). Default 'USD'. */
  currency?: string;
  /** Store option `woocommerce_manage_stock` (stock is reduced/restored by orders only when true). Default true. */
  manageStock?: boolean;
  /**
   * Site time zone (IANA name, WordPress "timezone_string"). Dates without `_gmt` are in this zone, and list filters
   * without `dates_are_gmt=true` are read in it. Default 'UTC'.
   */
  timezone?: string;
  /** Clock used for every timestamp, in epoch ms. Default `Date.now`. Tests can inject a controllable clock. */
  clock?: () => number;
  /** Size of the server-timing ring buffer. Default 10000 samples. */
  timingBufferSize?: number;
  /** Maximum number of delivery-log entries kept (oldest dropped first). Default 10000. */
  deliveryLogSize?: number;
  /**
   * The official *Shipment Tracking* extension is active: its REST routes answer under `/wp-json/wc-shipment-tracking/v3`
   * (shipment-tracking.ts) and completed-order e-mails list the order's tracking numbers. Off, every route under that
   * namespace is WordPress's 404 `rest_no_route`. Default false; switch at run time with
   * `control.setShipmentTracking(enabled)` or `PUT /control/extensions`.
   */
  shipmentTracking?: boolean;
}

export interface ResolvedOptions {
  port: number;
  controlPort: number;
  host: string;
  advertiseHost: string | undefined;
  seed: number;
  consumerKey: string;
  consumerSecret: string;
  readOnlyConsumerKey: string;
  readOnlyConsumerSecret: string;
  catalog: SeedCatalog | undefined;
  webhookDelivery: Required<WebhookDeliveryOptions>;
  delivery: DeliveryMode;
  latency: Required<LatencyOptions>;
  currency: string;
  manageStock: boolean;
  timezone: string;
  clock: () => number;
  timingBufferSize: number;
  deliveryLogSize: number;
  /** Mutable: the control API switches it at run time. */
  shipmentTracking: boolean;
}

function derivedHex(seed: number, label: string): string {
  return createHash('sha1').update(`woo-sim:${seed}:${label}`).digest('hex'); // 40 hex characters
}

/** A whole number ≥ 1, or the default when not given; anything else is refused, naming the option. */
function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`webhookDelivery.${name} must be a whole number ≥ 1 (got ${String(value)})`);
  return value;
}

const DELIVERY_MODES: readonly DeliveryMode[] = ['action-scheduler', 'immediate'];

export function resolveOptions(options: WooCommerceSimulatorOptions = {}): ResolvedOptions {
  const seed = options.seed ?? 1;
  const delivery = options.delivery ?? 'action-scheduler';
  if (!DELIVERY_MODES.includes(delivery)) throw new Error(`delivery must be one of ${DELIVERY_MODES.join(', ')} (got ${String(delivery)})`);
  return {
    port: options.port ?? 0,
    controlPort: options.controlPort ?? 0,
    host: options.host ?? '127.0.0.1',
    advertiseHost: options.advertiseHost,
    seed,
    consumerKey: options.consumerKey ?? `ck_${derivedHex(seed, 'rw-key')}`,
    consumerSecret: options.consumerSecret ?? `cs_${derivedHex(seed, 'rw-secret')}`,
    readOnlyConsumerKey: options.readOnlyConsumerKey ?? `ck_${derivedHex(seed, 'ro-key')}`,
    readOnlyConsumerSecret: options.readOnlyConsumerSecret ?? `cs_${derivedHex(seed, 'ro-secret')}`,
    catalog: options.catalog,
    webhookDelivery: {
      delayMs: options.webhookDelivery?.delayMs ?? 50,
      coalesceWindowMs: options.webhookDelivery?.coalesceWindowMs ?? 600_000,
      timeoutMs: options.webhookDelivery?.timeoutMs ?? 60_000,
      maxFailures: options.webhookDelivery?.maxFailures ?? 5,
      batchSize: positiveInteger('batchSize', options.webhookDelivery?.batchSize, 25),
      concurrentBatches: positiveInteger('concurrentBatches', options.webhookDelivery?.concurrentBatches, 1),
    },
    delivery,
    latency: { fixedMs: options.latency?.fixedMs ?? 0, jitterMs: options.latency?.jitterMs ?? 0 },
    currency: options.currency ?? 'USD',
    manageStock: options.manageStock ?? true,
    timezone: options.timezone ?? 'UTC',
    clock: options.clock ?? Date.now,
    timingBufferSize: options.timingBufferSize ?? 10_000,
    deliveryLogSize: options.deliveryLogSize ?? 10_000,
    shipmentTracking: options.shipmentTracking ?? false,
  };
}
