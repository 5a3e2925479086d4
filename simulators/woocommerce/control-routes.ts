/**
 * The control API over HTTP, on the control listener under `/control/...` (JSON; bad input → 400
 * `{"error","issues"}`; no auth): each route parses its input and calls the in-process control (control.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { generateCatalog, type SeedCatalog } from '../seed';
import { parseControlInput } from '../shared/http';
import type { SimContext } from './context';
import type { WooCommerceControl } from './control';
import {
  deliveriesQuerySchema,
  emailsQuerySchema,
  extensionsSchema,
  generateSchema,
  orderIdSchema,
  statusSchema,
  stockSetSchema,
  type CheckoutInput,
  type ControlWebhookInput,
} from './control-schemas';
import type { restFaultSchema } from './faults';
import type { DeliveryFaults } from './webhook-faults';

type Params = Record<string, string | undefined>;
const idParam = (params: unknown, name = 'id'): number => parseControlInput(orderIdSchema, (params as Params)[name], `path parameter ${name}`);

export function registerControlRoutes(app: FastifyInstance, ctx: SimContext, control: WooCommerceControl): void {
  const C = '/control';
  app.get(`${C}/info`, async () => ({
    url: ctx.storeUrl(),
    restBase: `${ctx.storeUrl()}/wp-json/wc/v3`,
    consumerKey: ctx.options.consumerKey,
    consumerSecret: ctx.options.consumerSecret,
    readOnlyConsumerKey: ctx.options.readOnlyConsumerKey,
    readOnlyConsumerSecret: ctx.options.readOnlyConsumerSecret,
    manageStock: ctx.options.manageStock,
    currency: ctx.options.currency,
    timezone: ctx.options.timezone,
  }));
  app.post(`${C}/seed`, async (request) => {
    const body = request.body;
    if (body && typeof body === 'object' && 'generate' in body) {
      const parsed = parseControlInput(generateSchema, body);
      return control.seed(generateCatalog(parsed.generate));
    }
    return control.seed(body as SeedCatalog);
  });

  app.post(`${C}/orders`, async (request, reply) => reply.code(201).send(control.placeOrder(request.body as CheckoutInput)));
  app.get(`${C}/orders`, async () => control.listOrders());
  app.get(`${C}/orders/:id`, async (request) => control.getOrder(idParam(request.params)));
  app.patch(`${C}/orders/:id`, async (request) => control.updateOrder(idParam(request.params), request.body as Record<string, unknown>));
  app.delete(`${C}/orders/:id`, async (request) => {
    const force = (request.query as Params).force;
    return control.deleteOrder(idParam(request.params), force === 'true' || force === '1');
  });
  app.post(`${C}/orders/:id/status`, async (request) => {
    const id = idParam(request.params);
    const body = parseControlInput(statusSchema, request.body);
    return control.setOrderStatus(id, body.status, body.note);
  });
  app.post(`${C}/orders/:id/restore`, async (request) => control.restoreOrder(idParam(request.params)));
  app.get(`${C}/orders/:id/notes`, async (request) => control.orderNotes(idParam(request.params)));
  app.get(`${C}/orders/:id/refunds`, async (request) => control.listRefunds(idParam(request.params)));
  app.post(`${C}/orders/:id/refunds`, async (request, reply) =>
    reply.code(201).send(control.createRefund(idParam(request.params), (request.body ?? {}) as Record<string, unknown>)),
  );
  app.delete(`${C}/orders/:id/refunds/:refundId`, async (request) => control.deleteRefund(idParam(request.params), idParam(request.params, 'refundId')));
  app.get(`${C}/orders/:id/shipment-trackings`, async (request) => control.shipmentTrackings(idParam(request.params)));
  app.get(`${C}/emails`, async (request) => control.emails(parseControlInput(emailsQuerySchema, request.query, 'query').orderId));
  app.get(`${C}/extensions`, async () => control.extensions());
  app.put(`${C}/extensions`, async (request) => {
    const body = parseControlInput(extensionsSchema, request.body);
    control.setShipmentTracking(body.shipmentTracking);
    return control.extensions();
  });

  app.get(`${C}/products`, async (request) => {
    const sku = (request.query as Params).sku;
    return sku ? [control.getProductBySku(sku)] : control.listProducts();
  });
  app.post(`${C}/stock`, async (request) => {
    const body = parseControlInput(stockSetSchema, request.body);
    return control.setStock(body.sku, body.quantity);
  });

  app.get(`${C}/webhooks`, async () => control.listWebhooks());
  app.post(`${C}/webhooks`, async (request, reply) => reply.code(201).send(await control.createWebhook(request.body as ControlWebhookInput)));
  app.put(`${C}/webhooks/faults`, async (request) => control.setWebhookFaults(request.body as Partial<DeliveryFaults>));
  app.post(`${C}/webhooks/flush`, async (request) => {
    await control.flushDeliveries((request.body ?? {}) as { runNow?: boolean; timeoutMs?: number });
    return { pending: 0 };
  });
  app.patch(`${C}/webhooks/:id`, async (request) => control.updateWebhook(idParam(request.params), request.body as Partial<ControlWebhookInput>));
  app.delete(`${C}/webhooks/:id`, async (request) => control.deleteWebhook(idParam(request.params)));
  app.get(`${C}/deliveries`, async (request) => control.deliveries(parseControlInput(deliveriesQuerySchema, request.query, 'query')));
  app.delete(`${C}/deliveries`, async () => {
    control.clearDeliveries();
    return { cleared: true };
  });

  app.get(`${C}/counters`, async () => control.counters());
  app.post(`${C}/counters/reset`, async () => {
    control.resetCounters();
    return control.counters();
  });
  app.get(`${C}/timings`, async () => control.serverTimings());
  app.put(`${C}/latency`, async (request) => control.setLatency(request.body as { fixedMs?: number; jitterMs?: number }));
  app.get(`${C}/faults`, async () => control.faults());
  app.post(`${C}/faults`, async (request) => control.addFault(request.body as z.input<typeof restFaultSchema>));
  app.delete(`${C}/faults`, async () => control.clearFaults());
}
