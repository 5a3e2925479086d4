/**
 * The body of a delivery, built when the delivery runs from the resource's current state: `{id}` for a deletion, else
 * the resource's REST JSON; for a resource that no longer exists the REST 404 error body (what `get_endpoint_data`
 * would give). A draft order's delivery is skipped.
 */
import type { SimContext, WebhookEvent, WebhookResource } from './context';
import { WooError } from './errors';
import { orderJson } from './order-json';
import { DRAFT_STATUSES } from './order-lifecycle';
import { productJson } from './product-json';

export type PayloadBuilder = (resource: WebhookResource, event: WebhookEvent, id: number) => { skip: true } | { skip: false; body: unknown };

/** The payloads of the simulator's resources (orders; products and variations). */
export function webhookPayloadBuilder(ctx: SimContext): PayloadBuilder {
  const { store } = ctx;
  return (resource, event, id) => {
    if (event === 'deleted') return { skip: false, body: { id } };
    if (resource === 'order') {
      const order = store.orders.get(id);
      if (!order) return { skip: false, body: new WooError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.').toJSON() };
      if (DRAFT_STATUSES.has(order.status)) return { skip: true };
      return { skip: false, body: orderJson(ctx, order) };
    }
    const product = store.products.get(id);
    if (!product) return { skip: false, body: new WooError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.').toJSON() };
    return { skip: false, body: productJson(ctx, product) };
  };
}
