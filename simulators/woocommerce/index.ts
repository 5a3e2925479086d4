/**
 * WooCommerce simulator: a vendor-shaped REST v3 API (`/wp-json/wc/v3`, plus the Shipment Tracking extension's
 * `/wp-json/wc-shipment-tracking/v3` when enabled) and a separate control API, each on its own
 * Fastify listener on 127.0.0.1 (or `host`). See options.ts for every option and its default, control.ts for the control API.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHttpApp, installControlErrorHandling, listenOn, sleep, type ListenAddress } from '../shared/http';
import { createRng } from '../shared/rng';
import { Authenticator, routeKind } from './auth';
import { createSiteClock } from './clock';
import type { SimContext } from './context';
import { createControl, type WooCommerceControl } from './control';
import { registerControlRoutes } from './control-routes';
import { registerCustomerRoutes } from './customers';
import { invalidJson, noRoute, WooError } from './errors';
import { RestFaults } from './faults';
import { Metrics } from './metrics';
import { resolveOptions, type WooCommerceSimulatorOptions } from './options';
import { DRAFT_STATUSES } from './order-lifecycle';
import { registerOrderRoutes } from './orders';
import { loadCatalog } from './product-catalog';
import { registerVariationRoutes } from './product-variations';
import { registerProductRoutes } from './products';
import { registerRefundRoutes } from './refunds';
import { sendError } from './rest-util';
import { isShipmentTrackingIndex, isShipmentTrackingRoute, registerShipmentTrackingRoutes, TRACKING_ID_PARAM, TRACKING_ID_PATTERN } from './shipment-tracking';
import { Store } from './store';
import { WebhookManager } from './webhook-manager';
import { webhookPayloadBuilder } from './webhook-payload';
import { registerWebhookRoutes } from './webhooks';

export type { WooCommerceSimulatorOptions, WebhookDeliveryOptions, LatencyOptions, DeliveryMode } from './options';
export type { WooCommerceControl, WooCommerceCounters, WebhookView } from './control';
export type { CheckoutInput, ControlWebhookInput } from './control-schemas';
export type { DeliveryLogEntry, DeliveryCounters } from './webhook-log';
export type { DeliveryFaults } from './webhook-faults';
export type { ServerTimings, ServerTimingSample } from './metrics';
export type { RestFault, RestFaultKind } from './faults';
export { phpJsonEncode } from './php-json';
export type {
  WooOrderJson,
  WooLineItemJson,
  WooNoteJson,
  WooProductJson,
  WooRefundJson,
  WooRefundLineItemJson,
  WooRefundShippingLineJson,
  WooRefundFeeLineJson,
  WooShipmentTrackingJson,
} from './rest-types';
export type { CustomerEmail } from './store';

export interface WooCommerceSimulator {
  /** Store URL, e.g. http://127.0.0.1:PORT (no trailing slash); REST under `${url}/wp-json/wc/v3`. */
  url: string;
  /** Control API base URL (routes under `${controlUrl}/control/…`). */
  controlUrl: string;
  /** Read/write key. */
  consumerKey: string;
  consumerSecret: string;
  /** Read-only key. */
  readOnlyConsumerKey: string;
  readOnlyConsumerSecret: string;
  /** The control operations, in-process. */
  control: WooCommerceControl;
  close(): Promise<void>;
}

interface RequestTiming {
  start: bigint;
  injected: number;
}

function installVendorApi(app: FastifyInstance, ctx: SimContext, manager: WebhookManager, metrics: Metrics, auth: Authenticator, faults: RestFaults): void {
  // JSON bodies as WordPress reads them: an empty body is fine, malformed JSON is rest_invalid_json.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(invalidJson(error instanceof Error ? error.message : 'Syntax error'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    done(null, Object.fromEntries(new URLSearchParams(text)));
  });

  const timings = new WeakMap<FastifyRequest, RequestTiming>();
  const latencyRng = createRng(ctx.options.seed + 7919);
  app.addHook('onRequest', async (request, reply) => {
    const timing: RequestTiming = { start: process.hrtime.bigint(), injected: 0 };
    timings.set(request, timing);
    const { fixedMs, jitterMs } = ctx.options.latency;
    const delay = fixedMs + (jitterMs > 0 ? latencyRng.next() * jitterMs : 0);
    if (delay > 0) {
      timing.injected = delay;
      await sleep(delay);
    }
    const outcome = await faults.intercept(request, reply);
    if (outcome === 'gone') {
      // The client went away while the request was held: it is never processed nor answered.
      reply.hijack();
      return reply;
    }
    // A 5xx fault answered: no handler runs.
    if (outcome === 'answered') return reply;
    return undefined;
  });
  // Requests to a route of an extension that is not active: answered and counted like an unknown route.
  const inactiveRoute = new WeakSet<FastifyRequest>();
  app.addHook('preHandler', async (request) => {
    const template = request.routeOptions.url;
    if (!template) return;
    if (isShipmentTrackingRoute(template) && !ctx.options.shipmentTracking) {
      inactiveRoute.add(request);
      auth.authenticate(request);
      throw noRoute();
    }
    // WordPress routes match ids with (?P<id>[\d]+) (tracking ids with [a-fA-F0-9]{0,32}): any other value is no
    // route at all (after authentication).
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const badParam = Object.entries(params).some(
      ([name, value]) => value !== undefined && !(name === TRACKING_ID_PARAM ? TRACKING_ID_PATTERN : /^\d+$/).test(value),
    );
    if (badParam) {
      auth.authenticate(request);
      throw noRoute();
    }
    // A namespace index needs no key (a given key is still checked).
    if (isShipmentTrackingIndex(template)) {
      auth.authenticate(request);
      return;
    }
    auth.authorize(request, routeKind(request.method, template));
  });
  app.addHook('onResponse', async (request, reply) => {
    const timing = timings.get(request);
    const ms = timing ? Number(process.hrtime.bigint() - timing.start) / 1e6 : 0;
    const template = inactiveRoute.has(request) ? undefined : request.routeOptions.url;
    metrics.record({
      route: `${request.method} ${template ?? '(no route)'}`,
      statusCode: reply.statusCode,
      ms,
      injectedLatencyMs: timing?.injected ?? 0,
    });
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof WooError) return sendError(reply, error);
    const e = error as { statusCode?: number; message?: string; code?: string };
    if (e.statusCode === 413) return sendError(reply, new WooError(413, 'rest_request_too_large', e.message ?? 'Request entity too large.'));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendError(reply, invalidJson(e.message ?? 'Syntax error'));
    return sendError(reply, new WooError(500, 'internal_server_error', `There has been a critical error on this website. (${e.message ?? String(error)})`));
  });
  app.setNotFoundHandler(async (request, reply) => {
    // Authentication runs before dispatch in WordPress: a wrong secret is reported even for an unknown route.
    auth.authenticate(request);
    return sendError(reply, noRoute());
  });

  registerOrderRoutes(app, ctx);
  registerRefundRoutes(app, ctx);
  registerProductRoutes(app, ctx);
  registerVariationRoutes(app, ctx);
  registerCustomerRoutes(app, ctx);
  registerWebhookRoutes(app, ctx, manager);
  registerShipmentTrackingRoutes(app, ctx);
}

/** Starts both listeners. Every option is optional; see WooCommerceSimulatorOptions for defaults. */
export async function startWooCommerceSimulator(options: WooCommerceSimulatorOptions = {}): Promise<WooCommerceSimulator> {
  const resolved = resolveOptions(options);
  resolved.latency = { ...resolved.latency };
  const store = new Store();
  let storeUrl = '';
  let manager: WebhookManager | undefined;
  const ctx: SimContext = {
    store,
    options: resolved,
    clock: createSiteClock(resolved.timezone, resolved.clock),
    rng: createRng(resolved.seed ^ 0x5eed),
    storeUrl: () => storeUrl,
    emit: (resource, event, id) => manager?.enqueue(resource, event, id),
  };

  manager = new WebhookManager(ctx, webhookPayloadBuilder(ctx));
  const webhooks = manager;
  // Drafts never fire: filter events on draft orders before they reach the queue.
  ctx.emit = (resource, event, id) => {
    if (resource === 'order' && event !== 'deleted') {
      const order = store.orders.get(id);
      if (order && DRAFT_STATUSES.has(order.status)) return;
    }
    webhooks.enqueue(resource, event, id);
  };

  if (resolved.catalog) loadCatalog(ctx, resolved.catalog);

  const metrics = new Metrics(resolved.timingBufferSize);
  const faults = new RestFaults(ctx.rng);
  const auth = new Authenticator([
    { consumerKey: resolved.consumerKey, consumerSecret: resolved.consumerSecret, permissions: 'read_write' },
    { consumerKey: resolved.readOnlyConsumerKey, consumerSecret: resolved.readOnlyConsumerSecret, permissions: 'read' },
  ]);
  let customerNotesBaseline = 0;
  const countCustomerNotes = (): number => {
    let n = 0;
    for (const order of store.orders.values()) for (const note of order.notes) if (note.customerNote) n++;
    return n;
  };
  const control = createControl(
    ctx,
    webhooks,
    metrics,
    {
      customerNotes: () => countCustomerNotes() - customerNotesBaseline,
      resetCustomerNotes: () => {
        customerNotesBaseline = countCustomerNotes();
      },
    },
    faults,
  );

  const vendorApp = createHttpApp();
  installVendorApi(vendorApp, ctx, webhooks, metrics, auth, faults);
  const controlApp = createHttpApp();
  installControlErrorHandling(controlApp);
  registerControlRoutes(controlApp, ctx, control);

  const address: ListenAddress = { host: resolved.host, ...(resolved.advertiseHost !== undefined ? { advertiseHost: resolved.advertiseHost } : {}) };
  storeUrl = await listenOn(vendorApp, resolved.port, address);
  let controlUrl: string;
  try {
    controlUrl = await listenOn(controlApp, resolved.controlPort, address);
  } catch (error) {
    await vendorApp.close();
    throw error;
  }

  return {
    url: storeUrl,
    controlUrl,
    consumerKey: resolved.consumerKey,
    consumerSecret: resolved.consumerSecret,
    readOnlyConsumerKey: resolved.readOnlyConsumerKey,
    readOnlyConsumerSecret: resolved.readOnlyConsumerSecret,
    control,
    close: async () => {
      webhooks.close();
      faults.clearFaults();
      await Promise.all([vendorApp.close(), controlApp.close()]);
    },
  };
}
