/**
 * Orders over REST: creation (`POST /orders`, set_paid), updates (meta upsert, item edits — see order-edits.ts —, status
 * changes with their stock rules, set_paid), and the order routes (list — order-listing.ts —, get, create, update,
 * delete, batch, notes). The JSON is order-json.ts, statuses and trash / restore order-lifecycle.ts, the storefront
 * checkout order-checkout.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { notOneOf, WooError } from './errors';
import { applyLineInput, touchesTotals } from './order-edits';
import { encodedOrderJson, noteJson, orderJson } from './order-json';
import { addNote, blankOrder, deleteOrder, paymentComplete, recalculateTotals, transitionStatus } from './order-lifecycle';
import { listOrders } from './order-listing';
import { validateOrderBody, validateStatus } from './order-validation';
import {
  API_PREFIX,
  applyFields,
  asBool,
  asInt,
  asObjectArray,
  asString,
  BATCH_LIMIT,
  batchItemError,
  batchTooLarge,
  bodyOf,
  isObject,
  metaUpdates,
  numericId,
  queryOf,
  sendEncoded,
  sendWoo,
  type JsonObject,
} from './rest-util';
import { upsertMeta, type Address, type BillingAddress, type Order } from './store';

function invalidOrderId(status: number): WooError {
  return new WooError(status, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
}

function mergeAddress<T extends Address | BillingAddress>(target: T, input: unknown): void {
  if (!isObject(input)) return;
  const record = target as unknown as Record<string, string>;
  for (const key of Object.keys(record)) if (input[key] !== undefined) record[key] = asString(input[key]);
}

function applyScalarInput(ctx: SimContext, order: Order, body: JsonObject): void {
  if (body.customer_id !== undefined) {
    const id = asInt(body.customer_id) ?? 0;
    if (id !== 0 && !ctx.store.customers.has(id)) throw new WooError(400, 'woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.');
    order.customerId = id;
  }
  if (body.currency !== undefined) order.currency = asString(body.currency, order.currency);
  if (body.customer_note !== undefined) order.customerNote = asString(body.customer_note);
  if (body.payment_method !== undefined) order.paymentMethod = asString(body.payment_method);
  if (body.payment_method_title !== undefined) order.paymentMethodTitle = asString(body.payment_method_title);
  if (body.transaction_id !== undefined) order.transactionId = asString(body.transaction_id);
  if (body.parent_id !== undefined) order.parentId = asInt(body.parent_id) ?? 0;
  mergeAddress(order.billing, body.billing);
  mergeAddress(order.shipping, body.shipping);
  if (body.meta_data !== undefined) upsertMeta(ctx.store, order.meta, metaUpdates(body.meta_data));
}

/** `POST /orders`: computes totals, applies status and set_paid, fires order.created. */
export function createRestOrder(ctx: SimContext, body: JsonObject): Order {
  validateOrderBody(body);
  const order = blankOrder(ctx, asString(body.created_via, 'rest-api'));
  applyScalarInput(ctx, order, body);
  applyLineInput(ctx, order, body);
  recalculateTotals(ctx, order);
  ctx.store.orders.set(order.id, order);
  const status = body.status !== undefined ? validateStatus(body.status) : 'pending';
  if (status !== 'pending') transitionStatus(ctx, order, status);
  ctx.emit('order', 'created', order.id);
  if (asBool(body.set_paid)) {
    paymentComplete(ctx, order, asString(body.transaction_id));
    ctx.emit('order', 'updated', order.id);
  }
  order.rev++;
  return order;
}

/**
 * `PUT|PATCH /orders/<id>` (and control updates): meta upserted by key, addresses merged, items added / changed /
 * removed as order-edits.ts describes, totals recalculated when billing, shipping or any item list was sent, status
 * changed with its stock rules, set_paid. Always bumps date_modified and fires order.updated.
 */
export function updateOrder(ctx: SimContext, order: Order, body: JsonObject): Order {
  validateOrderBody(body);
  applyScalarInput(ctx, order, body);
  applyLineInput(ctx, order, body);
  if (touchesTotals(body)) recalculateTotals(ctx, order);
  if (body.status !== undefined) transitionStatus(ctx, order, validateStatus(body.status));
  if (asBool(body.set_paid)) paymentComplete(ctx, order, asString(body.transaction_id));
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  ctx.emit('order', 'updated', order.id);
  return order;
}

type Params = Record<string, string | undefined>;

export function registerOrderRoutes(app: FastifyInstance, ctx: SimContext): void {
  const O = `${API_PREFIX}/orders`;
  const find = (raw: string | undefined, status: number): Order => {
    const id = numericId(raw);
    const order = id === undefined ? undefined : ctx.store.orders.get(id);
    if (!order) throw invalidOrderId(status);
    return order;
  };

  app.get(O, async (request, reply) => sendEncoded(reply, 200, listOrders(ctx, request, reply)));
  app.post(O, async (request, reply) => {
    const order = createRestOrder(ctx, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${O}/${order.id}`);
    return sendWoo(reply, 201, orderJson(ctx, order));
  });
  app.post(`${O}/batch`, async (request, reply) => {
    const body = bodyOf(request);
    const create = asObjectArray(body.create);
    const update = asObjectArray(body.update);
    const del = Array.isArray(body.delete) ? body.delete : [];
    if (create.length + update.length + del.length > BATCH_LIMIT) throw batchTooLarge();
    const out: JsonObject = {};
    if (body.create !== undefined) {
      out.create = create.map((item) => {
        try {
          return orderJson(ctx, createRestOrder(ctx, item));
        } catch (error) {
          return batchItemError(0, error);
        }
      });
    }
    if (body.update !== undefined) {
      out.update = update.map((item) => {
        const id = asInt(item.id) ?? 0;
        try {
          return orderJson(ctx, updateOrder(ctx, find(String(id), 400), item));
        } catch (error) {
          return batchItemError(id, error);
        }
      });
    }
    if (body.delete !== undefined) {
      out.delete = del.map((raw) => {
        const id = asInt(isObject(raw) ? raw.id : raw) ?? 0;
        try {
          return deleteOrder(ctx, find(String(id), 400), true);
        } catch (error) {
          return batchItemError(id, error);
        }
      });
    }
    return sendWoo(reply, 200, out);
  });
  app.get(`${O}/:id`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const fields = queryOf(request)._fields;
    if (!fields) return sendEncoded(reply, 200, encodedOrderJson(ctx, order));
    return sendWoo(reply, 200, applyFields(orderJson(ctx, order), fields));
  });
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${O}/:id`,
    handler: async (request, reply) => sendWoo(reply, 200, orderJson(ctx, updateOrder(ctx, find((request.params as Params).id, 400), bodyOf(request)))),
  });
  app.delete(`${O}/:id`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    return sendWoo(reply, 200, deleteOrder(ctx, order, asBool(queryOf(request).force) ?? false));
  });

  app.get(`${O}/:id/notes`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const type = queryOf(request).type ?? 'any';
    if (type !== 'any' && type !== 'customer' && type !== 'internal') throw notOneOf('type', ['any', 'customer', 'internal']);
    const notes = order.notes
      .filter((n) => type === 'any' || (type === 'customer') === n.customerNote)
      .slice()
      .sort((a, b) => b.createdMs - a.createdMs || b.id - a.id);
    return sendWoo(
      reply,
      200,
      notes.map((n) => noteJson(ctx, n)),
    );
  });
  app.post(`${O}/:id/notes`, async (request, reply) => {
    const order = find((request.params as Params).id, 404);
    const body = bodyOf(request);
    if (typeof body.note !== 'string' || body.note === '') {
      throw new WooError(
        400,
        body.note === undefined ? 'rest_missing_callback_param' : 'woocommerce_rest_invalid_order_note',
        body.note === undefined ? 'Missing parameter(s): note' : 'Cannot create order note, please try again.',
        body.note === undefined ? { params: ['note'] } : {},
      );
    }
    const note = addNote(ctx, order, body.note, asBool(body.customer_note) ?? false, asBool(body.added_by_user) ?? false);
    reply.header('Location', `${ctx.storeUrl()}${O}/${order.id}/notes/${note.id}`);
    return sendWoo(reply, 201, noteJson(ctx, note));
  });
}
