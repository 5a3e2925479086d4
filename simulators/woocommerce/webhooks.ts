/**
 * The webhook routes (`/webhooks`, `/webhooks/<id>`): list, create (with the ping), get, update, delete (`force=true`
 * only: webhooks cannot be trashed). The subscriptions and their deliveries are webhook-manager.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { WooError } from './errors';
import { API_PREFIX, applyFields, asBool, asString, bodyOf, numericId, pageOf, pagingOf, queryOf, sendWoo, type JsonObject } from './rest-util';
import type { WebhookManager } from './webhook-manager';
import { isValidDeliveryUrl, isValidTopic, WEBHOOK_STATUSES, webhookJson, type Webhook, type WebhookInput, type WebhookStatus } from './webhook-subscriptions';

function restInput(body: JsonObject, creating: boolean): Partial<WebhookInput> {
  const input: Partial<WebhookInput> = {};
  if (creating && body.topic === undefined)
    throw new WooError(400, 'woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
  if (body.topic !== undefined) {
    const topic = asString(body.topic).toLowerCase();
    if (!isValidTopic(topic)) throw new WooError(400, 'woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
    input.topic = topic;
  }
  if (creating && body.delivery_url === undefined)
    throw new WooError(400, 'rest_missing_callback_param', 'Missing parameter(s): delivery_url', { params: ['delivery_url'] });
  if (body.delivery_url !== undefined) {
    const url = asString(body.delivery_url);
    if (!isValidDeliveryUrl(url)) {
      throw new WooError(
        400,
        'woocommerce_rest_shop_webhook_invalid_delivery_url',
        'Webhook delivery URL must be a valid URL starting with http:// or https://.',
      );
    }
    input.delivery_url = url;
  }
  if (body.status !== undefined) {
    const status = asString(body.status) as WebhookStatus;
    if (!WEBHOOK_STATUSES.includes(status)) {
      throw new WooError(400, 'rest_invalid_param', 'Invalid parameter(s): status', {
        params: { status: `status is not one of ${WEBHOOK_STATUSES.join(', ')}.` },
        details: { status: { code: 'rest_not_in_enum', message: `status is not one of ${WEBHOOK_STATUSES.join(', ')}.`, data: null } },
      });
    }
    input.status = status;
  }
  if (body.name !== undefined) input.name = asString(body.name);
  if (body.secret !== undefined) input.secret = asString(body.secret);
  return input;
}

export function registerWebhookRoutes(app: FastifyInstance, ctx: SimContext, manager: WebhookManager): void {
  const W = `${API_PREFIX}/webhooks`;
  const find = (raw: string | undefined, status: number): Webhook => {
    const id = numericId(raw);
    const webhook = id === undefined ? undefined : manager.get(id);
    if (!webhook) throw new WooError(status, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
    return webhook;
  };
  const idOf = (params: unknown): string | undefined => (params as Record<string, string | undefined>).id;

  app.get(W, async (request, reply) => {
    const query = queryOf(request);
    const paging = pagingOf(query);
    const items = manager
      .list()
      .filter((w) => !query.status || query.status === 'all' || w.status === query.status)
      .sort((a, b) => (query.order === 'asc' ? a.id - b.id : b.id - a.id));
    return sendWoo(
      reply,
      200,
      pageOf(ctx, request, reply, items, paging).map((w) => applyFields(webhookJson(ctx, w), query._fields)),
    );
  });
  app.post(W, async (request, reply) => {
    const input = restInput(bodyOf(request), true) as WebhookInput;
    const webhook = await manager.create(input);
    reply.header('Location', `${ctx.storeUrl()}${W}/${webhook.id}`);
    return sendWoo(reply, 201, webhookJson(ctx, webhook));
  });
  app.get(`${W}/:id`, async (request, reply) => sendWoo(reply, 200, applyFields(webhookJson(ctx, find(idOf(request.params), 404)), queryOf(request)._fields)));
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${W}/:id`,
    handler: async (request, reply) => {
      const webhook = find(idOf(request.params), 400);
      return sendWoo(reply, 200, webhookJson(ctx, manager.update(webhook, restInput(bodyOf(request), false))));
    },
  });
  app.delete(`${W}/:id`, async (request, reply) => {
    const webhook = find(idOf(request.params), 404);
    if (!(asBool(queryOf(request).force) ?? false)) {
      throw new WooError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    }
    const json = webhookJson(ctx, webhook);
    manager.remove(webhook.id);
    return sendWoo(reply, 200, json);
  });
}
