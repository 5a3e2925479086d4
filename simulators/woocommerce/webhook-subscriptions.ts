/**
 * Webhook subscriptions: what a webhook is (topic, delivery URL, secret, status, failure count, the ping's result), the
 * topics and URLs WooCommerce accepts, the secret it generates and the REST JSON of a webhook.
 */
import { randomBytes } from 'node:crypto';
import type { SimContext } from './context';
import { API_PREFIX, type JsonObject } from './rest-util';

export type WebhookStatus = 'active' | 'paused' | 'disabled';
export const WEBHOOK_STATUSES: readonly WebhookStatus[] = ['active', 'paused', 'disabled'];
const RESOURCES = ['order', 'product', 'customer', 'coupon'];
const EVENTS = ['created', 'updated', 'deleted', 'restored'];

/** The WordPress hooks behind each topic (the JSON's `hooks`). */
const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post', 'woocommerce_delete_order'],
  'order.restored': ['untrashed_post'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post', 'woocommerce_delete_product', 'woocommerce_delete_product_variation'],
  'product.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
};

export interface Webhook {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  secret: string;
  createdMs: number;
  modifiedMs: number;
  /** WooCommerce's `failure_count`: consecutive failed deliveries. */
  failureCount: number;
  /** Result of the ping sent on creation. */
  ping: { success: boolean; status: number | null; error: string | null } | null;
}

export interface WebhookInput {
  topic: string;
  delivery_url: string;
  name?: string;
  status?: WebhookStatus;
  /** Default: a random 50-character password, as WooCommerce generates. */
  secret?: string;
}
/** WooCommerce's default secret: wp_generate_password(50, true, true). */
export function generateSecret(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|';
  const bytes = randomBytes(50);
  let out = '';
  for (const byte of bytes) out += chars[byte % chars.length];
  return out;
}

export function isValidTopic(topic: string): boolean {
  const [resource, event, ...rest] = topic.split('.');
  return rest.length === 0 && !!resource && !!event && RESOURCES.includes(resource) && EVENTS.includes(event);
}

export function isValidDeliveryUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}
/** The REST JSON of a webhook. */
export function webhookJson(ctx: SimContext, w: Webhook): JsonObject {
  const [resource = '', event = ''] = w.topic.split('.');
  const url = ctx.storeUrl();
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    topic: w.topic,
    resource,
    event,
    hooks: HOOKS[w.topic] ?? [],
    delivery_url: w.deliveryUrl,
    secret: w.secret,
    date_created: ctx.clock.local(w.createdMs),
    date_created_gmt: ctx.clock.gmt(w.createdMs),
    date_modified: ctx.clock.local(w.modifiedMs),
    date_modified_gmt: ctx.clock.gmt(w.modifiedMs),
    _links: { self: [{ href: `${url}${API_PREFIX}/webhooks/${w.id}` }], collection: [{ href: `${url}${API_PREFIX}/webhooks` }] },
  };
}
