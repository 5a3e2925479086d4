/**
 * The receiver's HTTP server: the webhook route, liveness and readiness, and the drain on close. Each delivery is
 * decided by ./decision (pure); this file answers, counts, logs, and makes an order delivery durable before its 200
 * (the webhook outbox, or signal-with-start when there is none or its database is down). See src/receiver.ts.
 */
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { orderWorkflowId, WEBHOOK_PATH } from '../api';
import type { StoreSettings } from '../config';
import { LIVENESS_PATH, READINESS_PATH, runChecks, type Checks } from '../health';
import type { WebhookMetrics } from '../metrics';
import type { StartOrder } from '../order-starter';
import type { WebhookOutbox } from '../outbox/webhook-outbox';
import { listeningUrl } from '../server-process';
import { decideDelivery } from './decision';
import { receiverCounters, type ReceiverStats } from './metrics';

/** Liveness path. */
export const HEALTH_PATH = '/healthz';
/** Default body limit: 1 MiB (an order with hundreds of lines stays well below). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** The listener's default backlog (see ReceiverOptions.listenBacklog). */
export const DEFAULT_LISTEN_BACKLOG = 4096;

export interface Receiver {
  /** The Fastify app (tests may use `app.inject`). */
  readonly app: FastifyInstance;
  /** Listens on host:port (0 = any free port) and returns the base URL, e.g. http://127.0.0.1:8080 (no trailing slash). */
  listen(host: string, port: number): Promise<string>;
  /**
   * Drains, within `drainTimeoutMs`: stops accepting connections, closes idle keep-alive connections at once, answers
   * the requests in flight (each answer closes its connection); requests still unanswered at the bound have their
   * connections closed. Then the outbox, when there is one: its drainer starts what is left within the rest of the
   * bound (at least 1 s) and stops. Safe to call twice.
   */
  close(): Promise<void>;
  /** A copy of the counters. */
  stats(): ReceiverStats;
}

export interface ReceiverOptions {
  /** The configured stores; a delivery is matched to one by `X-WC-Webhook-Source`. */
  stores: readonly StoreSettings[];
  /** Starts or reaches the order workflow (src/order-starter.ts): the outbox's drainer calls it, or the receiver itself. */
  startOrder: StartOrder;
  /**
   * Where an order delivery is made durable before its 200 (src/outbox/). listen() creates its table and starts its
   * drainer; close() stops it after the requests in flight, starting what is left within the drain bound. Default
   * none: each 200 waits for signal-with-start.
   */
  outbox?: WebhookOutbox;
  /** Where the receiver logs. Bodies, signatures and secrets are never logged. */
  logger: Logger;
  /** Largest accepted body, in bytes; larger → 413. Default 1 MiB (DEFAULT_BODY_LIMIT_BYTES). */
  bodyLimitBytes?: number;
  /**
   * Pending-connection queue of the listener. Default 4096 (DEFAULT_LISTEN_BACKLOG). Node's default, 511, overflows when a
   * flash sale's webhooks arrive while the process is busy: the kernel resets connections, WooCommerce counts failures
   * and disables the webhook after five.
   */
  listenBacklog?: number;
  /** Counts each delivery by what was done with it (Prometheus). Default: not counted beyond stats(). */
  metrics?: WebhookMetrics;
  /** Checks /readyz runs besides "not draining", e.g. `{ temporal: temporalCheck(connection) }`. Default none. */
  readiness?: Checks;
  /** How long close() waits for requests in flight before it closes their connections. Default 10 s (DEFAULT_DRAIN_MS). */
  drainTimeoutMs?: number;
}

/** The default bound of close(): well inside the pod's terminationGracePeriodSeconds (30 s). */
export const DEFAULT_DRAIN_MS = 10_000;

/** A header's first value, cut to 300 characters (header values of unauthenticated requests end up in logs). */
function header(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.slice(0, 300);
}

/** What a log line may say about a delivery: its IDs, topic and source — never the body or the signature. */
function deliveryContext(request: FastifyRequest): { deliveryId?: string; webhookId?: string; topic?: string; source?: string } {
  const context: { deliveryId?: string; webhookId?: string; topic?: string; source?: string } = {};
  const deliveryId = header(request, 'x-wc-webhook-delivery-id');
  const webhookId = header(request, 'x-wc-webhook-id');
  const topic = header(request, 'x-wc-webhook-topic');
  const source = header(request, 'x-wc-webhook-source');
  if (deliveryId !== undefined) context.deliveryId = deliveryId;
  if (webhookId !== undefined) context.webhookId = webhookId;
  if (topic !== undefined) context.topic = topic;
  if (source !== undefined) context.source = source;
  return context;
}

/** Creates the receiver (not yet listening). */
export function createReceiver(options: ReceiverOptions): Receiver {
  const { stores, startOrder, logger } = options;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const { outbox } = options;
  const { stats: counters, count } = receiverCounters(options.metrics);
  // The outbox's database going away (writes fail, deliveries are started directly) is logged once, and once when back.
  let outboxDown = false;
  const outboxFailed = (error: unknown): void => {
    counters.recordFailures++;
    const detail = error instanceof Error && error.message ? error.message : String(error);
    if (!outboxDown)
      logger.error({ scope: outbox?.scope, error: detail }, 'webhook outbox unavailable: deliveries are answered after their workflow is started');
    outboxDown = true;
  };
  const outboxWrote = (): void => {
    if (outboxDown) logger.info({ scope: outbox?.scope }, 'webhook outbox available again');
    outboxDown = false;
  };
  let closing = false;
  // Requests begun and not yet answered: close() waits for them (Fastify's own close may resolve before they finish).
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let closeOnce: Promise<void> | undefined;
  const app = Fastify({ logger: false, bodyLimit, return503OnClosing: true });

  // Every body is kept as the raw bytes: the signature is computed over exactly those, before any parsing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request) => {
    inFlight++;
    if (request.method === 'POST' && request.routeOptions.url === WEBHOOK_PATH) {
      counters.received++;
      logger.debug(deliveryContext(request), 'webhook delivery arriving');
    }
  });
  const finished = (): void => {
    inFlight--;
    if (inFlight === 0) drained?.();
  };
  app.addHook('onResponse', async () => finished());
  // While draining, every answer closes its connection: a keep-alive client must not hold the listener open.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onRequestAbort', async (request) => {
    finished();
    logger.warn(deliveryContext(request), 'request aborted before it was answered (the client closed the connection)');
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (statusCode === 413) {
      count('tooLarge');
      logger.warn({ ...deliveryContext(request), contentLength: header(request, 'content-length'), bodyLimit }, 'webhook body over the limit; answered 413');
      return reply.code(413).send({ error: 'payload too large' });
    }
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send({ error: 'bad request' });
    }
    logger.error({ ...deliveryContext(request), error: error instanceof Error ? error.message : String(error) }, 'webhook request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  // Liveness: the process answers. Readiness: Temporal answers and the receiver is not draining.
  const live = async (_request: FastifyRequest, reply: FastifyReply) => reply.code(200).header('cache-control', 'no-store').send({ status: 'ok' });
  app.get(HEALTH_PATH, live);
  app.get(LIVENESS_PATH, live);
  app.get(READINESS_PATH, async (_request, reply) => {
    const report = await runChecks({
      ...options.readiness,
      accepting: () => (closing ? { ok: false, detail: 'shutting down: draining requests in flight' } : { ok: true }),
    });
    return reply
      .code(report.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });

  app.post(WEBHOOK_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const context = deliveryContext(request);
    const decision = decideDelivery({ topic: context.topic, source: context.source, signature: header(request, 'x-wc-webhook-signature'), body: raw }, stores);

    switch (decision.kind) {
      case 'ping':
        count('pings');
        logger.info({ webhookId: decision.webhookId }, 'webhook ping');
        return reply.code(200).send({ status: 'ok' });
      case 'unknownStore':
        count('unknownStore');
        logger.warn(context, 'webhook from an unknown store; answered 401');
        return reply.code(401).send({ error: 'unknown store' });
      case 'badSignature':
        count('badSignature');
        logger.warn({ ...context, store: decision.store.name }, 'webhook signature does not verify; answered 401');
        return reply.code(401).send({ error: 'invalid signature' });
      case 'ignoredTopic':
        count('ignoredTopic');
        logger.debug({ ...context, store: decision.store.name }, 'webhook topic ignored');
        return reply.code(200).send({ ignored: decision.topic });
      case 'unreadableOrder':
        // 200, not 4xx: WooCommerce never retries, and counts every non-2xx towards disabling the webhook after 5.
        // The catch-up poller finds the order anyway; the error line tells the operator.
        count('unreadableOrder');
        logger.error(
          { ...context, store: decision.store.name, reason: decision.reason, ...(decision.code ? { payloadCode: decision.code } : {}) },
          'webhook without a readable order ID; nothing started',
        );
        return reply.code(200).send({ ignored: 'unreadable order' });
      case 'alreadySynced':
        count('alreadySynced');
        logger.info(
          { store: decision.store.name, orderId: decision.orderId, topic: decision.topic, deliveryId: context.deliveryId, why: decision.why },
          'order already settled; nothing started',
        );
        return reply.code(200).send({ ignored: decision.why });
      case 'start':
        break;
    }
    const { store, topic, orderId, context: orderContext } = decision;

    if (outbox) {
      // Durable first (committed in PostgreSQL), then the 200; the drainer starts the workflow.
      const recorded = await outbox.record({ store: store.name, orderId: orderId, topic, ...(orderContext ? { context: orderContext } : {}) }).then(
        () => true,
        (error: unknown) => (outboxFailed(error), false),
      );
      if (recorded) {
        outboxWrote();
        count('started');
        const workflowId = orderWorkflowId(store.name, orderId);
        logger.info(
          { store: store.name, orderId: orderId, topic, deliveryId: context.deliveryId, workflowId, via: 'outbox', ms: Math.round(reply.elapsedTime) },
          'webhook accepted',
        );
        return reply.code(200).send({ workflowId });
      }
    }

    try {
      const { workflowId } = await startOrder({
        store: store.name,
        orderId: orderId,
        source: topic,
        ...(orderContext ? { context: orderContext } : {}),
      });
      count('started');
      logger.info(
        { store: store.name, orderId: orderId, topic, deliveryId: context.deliveryId, workflowId, ms: Math.round(reply.elapsedTime) },
        'webhook accepted',
      );
      return reply.code(200).send({ workflowId });
    } catch (error) {
      // 503, not 200: the order was NOT started, and a 2xx would claim it was. WooCommerce does not retry, but the
      // failure is visible in its webhook log and ours, any retrying relay in front of us will retry, and repeated
      // failures disable the webhook — a loud signal that the integration is down. The catch-up poller starts the
      // order once Temporal is back.
      count('startFailures');
      logger.error(
        { store: store.name, orderId: orderId, topic, deliveryId: context.deliveryId, error: error instanceof Error ? error.message : String(error) },
        'could not start the order workflow; answered 503',
      );
      return reply.code(503).send({ error: 'could not start the order workflow' });
    }
  });

  return {
    app,
    async listen(host, port) {
      if (outbox) {
        await outbox.open();
        outbox.drain({
          startOrder,
          busy: () => inFlight > 0,
          started: (delivery) => {
            logger.debug(
              {
                store: delivery.store,
                orderId: delivery.orderId,
                topic: delivery.topic,
                workflowId: delivery.workflowId,
                waitedMs: Math.round(delivery.waitedMs),
              },
              'order workflow started from the webhook outbox',
            );
          },
        });
      }
      await app.listen({ host, port, backlog: options.listenBacklog ?? DEFAULT_LISTEN_BACKLOG });
      return listeningUrl(app.server);
    },
    close() {
      closeOnce ??= (async () => {
        const closeStarted = Date.now();
        closing = true;
        const server = app.server;
        const allAnswered = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
        const listenerClosed = app.close(); // stops accepting; Fastify closes the idle keep-alive connections
        server.closeIdleConnections();
        const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<'bound'>((resolve) => (timer = setTimeout(() => resolve('bound'), drainMs)));
        const outcome = await Promise.race([allAnswered.then(() => 'answered' as const), bound]);
        clearTimeout(timer);
        if (outcome === 'bound') {
          logger.warn({ inFlight, drainMs }, 'drain bound reached: closing the connections of requests still in flight');
          server.closeAllConnections();
        } else {
          server.closeIdleConnections(); // connections whose last answer has just been sent
        }
        await listenerClosed;
        // Then the outbox: what this process recorded is started within the rest of the bound (at least a second);
        // what is not stays in the outbox for the next receiver.
        await outbox?.close(Math.max(closeStarted + drainMs, Date.now() + 1_000));
      })();
      return closeOnce;
    },
    stats: () => ({ ...counters }),
  };
}
