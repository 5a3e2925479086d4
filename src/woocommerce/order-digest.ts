/**
 * The digest of what of a WooCommerce order NetSuite must follow after its sales order exists: whether it is cancelled
 * or trashed, its lines, shipping, fees, coupons and refunds. Status changes that need no NetSuite work (processing →
 * completed), meta and notes are not part of it: our own meta and note writes fire `order.updated` too, and must not
 * start work again. The order workflow records the digest in the order's `_netsuite_lifecycle` meta once NetSuite has
 * heard everything; the webhook receiver and the catch-up poller start nothing while the order still matches it.
 */
import { createHash } from 'node:crypto';
import { parseLifecycleRecord } from '../lifecycle/types';
import type { WooOrder } from './order';
import { ORDER_META, orderMetaValue, settledReason } from './order-meta';

/** Statuses NetSuite must hear about; every other status is "open" for the digest. */
const FOLLOWED_STATUSES = new Set(['cancelled', 'trash']);

/** A short hex digest of the order's lifecycle view. */
export function lifecycleDigest(order: WooOrder): string {
  const view = {
    status: FOLLOWED_STATUSES.has(order.status) ? order.status : 'open',
    lines: order.line_items.map((l) => [l.id, l.product_id, l.variation_id, l.sku, l.quantity, l.subtotal, l.total]),
    shipping: order.shipping_lines.map((s) => [s.id, s.method_id, s.total]),
    fees: order.fee_lines.map((f) => [f.id, f.name, f.total]),
    discount: order.discount_total,
    tax: order.total_tax,
    refunds: order.refunds.map((r) => [r.id, r.total]).sort((a, b) => Number(a[0]) - Number(b[0])),
  };
  return createHash('sha256').update(JSON.stringify(view)).digest('hex').slice(0, 32);
}

/**
 * Why nothing should start for this order, or undefined when the order workflow must look at it: an operator skipped
 * it, it failed, or it names a sales order and NetSuite has heard everything it says (its digest is recorded).
 */
export function nothingToFollow(order: WooOrder): string | undefined {
  const settled = settledReason(order);
  if (settled === undefined || settled !== 'already synced') return settled;
  const record = parseLifecycleRecord(orderMetaValue(order, ORDER_META.lifecycle));
  return record.digest === lifecycleDigest(order) ? 'already synced, nothing changed since' : undefined;
}
