/**
 * Refunds: `GET|POST /orders/<id>/refunds`, `GET /orders/<id>/refunds/<refund_id>`. A refund fires order.updated
 * (`woocommerce_order_refunded`); a refund of the whole remaining total sets the order to `refunded`. With
 * `api_restock` (default true in REST) the quantities of the refunded `line_items` go back into stock for products that
 * manage stock. `api_refund` is recorded as `refunded_payment` (the simulator has no gateway that could fail).
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { WooError } from './errors';
import { setOrderStatus } from './orders';
import { API_PREFIX, asBool, asInt, asObjectArray, asString, bodyOf, numericId, sendWoo, type JsonObject } from './rest-util';
import { recomputeStockStatus } from './stock';
import type { Order, Refund } from './store';
import { money, toCents } from './totals';

export function refundJson(ctx: SimContext, r: Refund): JsonObject {
  return {
    id: r.id,
    date_created: ctx.clock.local(r.createdMs),
    date_created_gmt: ctx.clock.gmt(r.createdMs),
    amount: r.amount,
    reason: r.reason,
    refunded_by: 1,
    refunded_payment: r.refundedPayment,
    meta_data: [],
    line_items: r.lineItems.map((l) => ({ id: l.itemId, quantity: -l.quantity, total: `-${l.refundTotal}` })),
  };
}

const refundError = (message: string): WooError => new WooError(500, 'woocommerce_rest_cannot_create_order_refund', message);

export function createRefund(ctx: SimContext, order: Order, body: JsonObject): Refund {
  const amountCents = toCents(asString(body.amount, '0'));
  if (!(amountCents > 0)) throw new WooError(400, 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.');
  const refunded = order.refunds.reduce((s, r) => s + toCents(r.amount), 0);
  const remaining = toCents(order.total) - refunded;
  if (amountCents > remaining) throw refundError('Invalid refund amount.');
  const lineItems = asObjectArray(body.line_items).map((l) => ({
    itemId: asInt(l.id) ?? 0,
    quantity: asInt(l.quantity) ?? 0,
    refundTotal: money(toCents(asString(l.refund_total, '0'))),
  }));
  for (const line of lineItems) {
    if (!order.lineItems.some((l) => l.id === line.itemId)) throw refundError('Invalid line item ID.');
  }
  const refund: Refund = {
    id: ctx.store.postId(),
    reason: asString(body.reason),
    amount: money(amountCents),
    createdMs: ctx.clock.now(),
    refundedPayment: asBool(body.api_refund) ?? true,
    lineItems,
  };
  if ((asBool(body.api_restock) ?? true) && ctx.options.manageStock) {
    for (const line of lineItems) {
      const item = order.lineItems.find((l) => l.id === line.itemId);
      const product = item ? ctx.store.products.get(item.variationId || item.productId) : undefined;
      if (!product || !product.manageStock || product.stockQuantity === null || line.quantity <= 0) continue;
      product.stockQuantity += line.quantity;
      recomputeStockStatus(product);
    }
  }
  order.refunds.push(refund);
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  if (amountCents === remaining) setOrderStatus(ctx, order, 'refunded', 'Order fully refunded.');
  ctx.emit('order', 'updated', order.id);
  return refund;
}

type Params = Record<string, string | undefined>;

export function registerRefundRoutes(app: FastifyInstance, ctx: SimContext): void {
  const R = `${API_PREFIX}/orders/:id/refunds`;
  const findOrder = (raw: string | undefined): Order => {
    const id = numericId(raw);
    const order = id === undefined ? undefined : ctx.store.orders.get(id);
    if (!order) throw new WooError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    return order;
  };
  app.get(R, async (request, reply) => {
    const order = findOrder((request.params as Params).id);
    return sendWoo(reply, 200, [...order.refunds].reverse().map((r) => refundJson(ctx, r)));
  });
  app.post(R, async (request, reply) => {
    const order = findOrder((request.params as Params).id);
    const refund = createRefund(ctx, order, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${API_PREFIX}/orders/${order.id}/refunds/${refund.id}`);
    return sendWoo(reply, 201, refundJson(ctx, refund));
  });
  app.get(`${R}/:refund_id`, async (request, reply) => {
    const params = request.params as Params;
    const order = findOrder(params.id);
    const refund = order.refunds.find((r) => r.id === numericId(params.refund_id));
    if (!refund) throw new WooError(404, 'woocommerce_rest_invalid_id', 'Invalid ID.');
    return sendWoo(reply, 200, refundJson(ctx, refund));
  });
}
