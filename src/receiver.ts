/**
 * The webhook receiver: an HTTP endpoint WooCommerce delivers order webhooks to. It verifies the signature over the
 * raw bytes, reads nothing but the order ID, and makes sure the order workflow is started (or reached) with
 * signal-with-start. It never calls NetSuite and never trusts the payload beyond "order N changed": the workflow reads
 * the order itself.
 *
 *   POST /webhooks/woocommerce   deliveries and the creation ping
 *   GET  /livez                  liveness: 200 while the process answers (/healthz is the same)
 *   GET  /readyz                 readiness: 200 while Temporal answers and the receiver is not draining, else 503
 *
 * **The 200 never waits for Temporal, and never comes before the delivery is durable.** WooCommerce never retries a
 * delivery, so a 200 is a promise: this order will be started. With a state database (STATE_DATABASE_URL, default
 * NETSUITE_LIMITER_URL — the PostgreSQL the workers already use) a verified order delivery is written to the webhook
 * outbox (src/outbox/) and committed before the 200; the outbox's drainer then signal-with-starts the workflow and
 * deletes the row only once Temporal accepted the start. A receiver killed at any moment after a 200 therefore leaves
 * the row, and the next receiver — itself restarted, or any other replica after DEFAULT_TAKEOVER_AFTER_MS — starts
 * it. In a burst the writes share commits (group commit), so the answer costs one PostgreSQL round trip, not a place
 * in Temporal's queue. When the outbox's database does not take a write (down), the delivery falls back to what it
 * did before the outbox: signal-with-start first, 200 after (503 if that fails too). Without any database the
 * receiver always does that, and says so at start.
 *
 * Why an outbox and not "answer at once and let the catch-up poller recover": the poller lists only orders in the
 * sync statuses and only every few minutes, so an acknowledged `order.deleted`, a cancellation or a refund of an
 * order outside them would wait for, or never reach, a poll. Durable-before-ack needs no such argument: every
 * acknowledged delivery is a row, or its workflow has been started. The poller stays what it was: the net for
 * deliveries WooCommerce never sent.
 *
 * Run it with `tsx src/receiver.ts` (see `main`): settings from the environment (WOO_STORES and WOO_<NAME>_*, WEBHOOK_HOST,
 * WEBHOOK_PORT, WEBHOOK_BODY_LIMIT_BYTES, WEBHOOK_DRAIN_SECONDS, STATE_DATABASE_URL / NETSUITE_LIMITER_URL, TEMPORAL_*,
 * and the NetSuite settings, checked by the environment guard).
 */
import { orderWorkflowId, WEBHOOK_PATH } from './api';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Closers, exitOnBootFailure, listenFailure } from './boot';
import {
  ConfigError,
  displayUrl,
  findStoreBySource,
  checkNetSuiteEnvironment,
  loadOperationsSettings,
  loadProcessSettings,
  loadReceiverSettings,
  loadStoreSettings,
  loadWorkerSettings,
  stateDatabaseUrl,
  type StoreSettings,
} from './config';
import { databaseProbe, requireReachable } from './database-health';
import { LIVENESS_PATH, READINESS_PATH, runChecks, temporalCheck, type Checks } from './health';
import { createLogger, temporalLogger } from './logger';
import { installRuntime, runtimeMeter, webhookMetrics, type DeliveryResult, type WebhookMetrics } from './metrics';
import { createOrderStarter, type OrderContext, type StartOrder } from './order-starter';
import { orderContextOf } from './outcome';
import { outboxMetrics } from './outbox/metrics';
import { createWebhookOutbox, outboxScope, type WebhookOutbox } from './outbox/webhook-outbox';
import { codecDataConverter } from './codec/data-converter';
import { connectTemporalClient, loadTemporalConnectionSettings } from './temporal-connection';
import { startTracing } from './tracing';
import { listeningUrl, untilStopSignal } from './server-process';
import { settledReason } from './woocommerce/order-meta';
import { nothingToFollow } from './woocommerce/order-digest';
import { wooOrderSchema } from './woocommerce/order';
import { verifyWebhookSignature } from './woocommerce/signature';

export { WEBHOOK_PATH };
/** Liveness path. */
export const HEALTH_PATH = '/healthz';
/** Default body limit: 1 MiB (an order with hundreds of lines stays well below). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** The listener's default backlog (see ReceiverOptions.listenBacklog). */
export const DEFAULT_LISTEN_BACKLOG = 4096;

/** Topics that start (or reach) the order workflow. */
export const ORDER_TOPICS: ReadonlySet<string> = new Set(['order.created', 'order.updated', 'order.restored', 'order.deleted']);

/** Counters since the receiver was created. */
export interface ReceiverStats {
  /** Every POST to the webhook path (pings, rejected and oversize requests included). */
  received: number;
  /** Creation pings (`webhook_id=N`, no X-WC headers), answered 200. */
  pings: number;
  /**
   * Order deliveries answered 200 because their workflow is started or certain to be: committed to the webhook
   * outbox (its drainer starts the workflow moments later; see src/outbox/metrics.ts for its own counters), or
   * started or reached directly (no outbox, or its database down). One result per delivery, counted when answered.
   */
  started: number;
  /** Outbox writes that failed (its database down): the delivery was started directly instead (and counted as that). */
  recordFailures: number;
  /** Signature missing or wrong: 401. */
  badSignature: number;
  /** `X-WC-Webhook-Source` missing or not a configured store: 401. */
  unknownStore: number;
  /** Correctly signed, topic not an order topic: 200, nothing started. */
  ignoredTopic: number;
  /**
   * The payload names the NetSuite sales order and NetSuite has heard everything it says (its `_netsuite_lifecycle`
   * digest matches: our own meta write fired order.updated), or its sync status is Failed / SkippedByOperator: 200,
   * nothing started.
   */
  alreadySynced: number;
  /** Correctly signed order delivery without a readable order ID (malformed JSON, no id): 200, logged at error. */
  unreadableOrder: number;
  /** Body over the limit: 413. */
  tooLarge: number;
  /** The delivery could not be made durable: no outbox (or its write failed) and startOrder threw (Temporal unreachable): 503. */
  startFailures: number;
}

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

/** The metric label of each counter (the outbox's own are counted by src/outbox/metrics.ts). */
const DELIVERY_RESULTS: Record<Exclude<keyof ReceiverStats, 'received' | 'recordFailures'>, DeliveryResult> = {
  pings: 'ping',
  started: 'started',
  badSignature: 'bad_signature',
  unknownStore: 'unknown_store',
  ignoredTopic: 'ignored_topic',
  alreadySynced: 'already_synced',
  unreadableOrder: 'unreadable_order',
  tooLarge: 'too_large',
  startFailures: 'start_failed',
};

const zeroStats = (): ReceiverStats => ({
  received: 0,
  pings: 0,
  started: 0,
  recordFailures: 0,
  badSignature: 0,
  unknownStore: 0,
  ignoredTopic: 0,
  alreadySynced: 0,
  unreadableOrder: 0,
  tooLarge: 0,
  startFailures: 0,
});

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

/** A creation ping: form body `webhook_id=N` and none of the X-WC headers. */
function isPing(request: FastifyRequest, raw: Buffer): boolean {
  if (header(request, 'x-wc-webhook-topic') !== undefined || header(request, 'x-wc-webhook-source') !== undefined) return false;
  if (header(request, 'x-wc-webhook-signature') !== undefined) return false;
  return /^webhook_id=\d+$/.test(raw.toString('latin1').trim());
}

type OrderPayload =
  { ok: true; orderId: number; settled: string | undefined; context: OrderContext | undefined } | { ok: false; reason: string; code?: string };

/** The order ID (a positive integer `id`) and whether the payload already names a NetSuite sales order. */
function readOrderPayload(raw: Buffer): OrderPayload {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'the body is not a JSON object' };
  const record = body as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    // WooCommerce sends the REST error body when the resource vanished before the delivery ran: keep its code.
    const code = typeof record.code === 'string' ? record.code.slice(0, 100) : undefined;
    return { ok: false, reason: 'the body has no positive integer id', ...(code !== undefined ? { code } : {}) };
  }
  // The payload is the order as WooCommerce built it when the delivery ran. Its meta says whether it is settled (an
  // operator's skip, Failed); one that names its sales order is read as a whole — when it reads, its lifecycle digest
  // says whether NetSuite already heard everything it says. Anything else (a new order, order.deleted's bare ID) is
  // looked at, without the cost of reading the whole order: the answer to a burst of new orders waits for nothing.
  const meta = Array.isArray(record.meta_data)
    ? record.meta_data.filter(
        (m): m is { key: string; value: unknown } => typeof m === 'object' && m !== null && typeof (m as { key?: unknown }).key === 'string',
      )
    : [];
  const settled = settledReason({ meta_data: meta });
  const context = orderContextOf(record);
  if (settled !== 'already synced') return { ok: true, orderId: id, settled, context };
  const order = wooOrderSchema.safeParse(record);
  return { ok: true, orderId: id, settled: order.success ? nothingToFollow(order.data) : undefined, context };
}

/** Creates the receiver (not yet listening). */
export function createReceiver(options: ReceiverOptions): Receiver {
  const { stores, startOrder, logger } = options;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const { outbox } = options;
  const counters = zeroStats();
  const count = (key: keyof typeof DELIVERY_RESULTS): void => {
    counters[key]++;
    options.metrics?.delivery(DELIVERY_RESULTS[key]);
  };
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

    if (isPing(request, raw)) {
      count('pings');
      logger.info({ webhookId: raw.toString('latin1').trim().slice('webhook_id='.length) }, 'webhook ping');
      return reply.code(200).send({ status: 'ok' });
    }

    const store = findStoreBySource(stores, context.source);
    if (store === undefined) {
      count('unknownStore');
      logger.warn(context, 'webhook from an unknown store; answered 401');
      return reply.code(401).send({ error: 'unknown store' });
    }
    if (!verifyWebhookSignature(raw, header(request, 'x-wc-webhook-signature'), store.webhookSecret)) {
      count('badSignature');
      logger.warn({ ...context, store: store.name }, 'webhook signature does not verify; answered 401');
      return reply.code(401).send({ error: 'invalid signature' });
    }

    const topic = context.topic ?? '';
    if (!ORDER_TOPICS.has(topic)) {
      count('ignoredTopic');
      logger.debug({ ...context, store: store.name }, 'webhook topic ignored');
      return reply.code(200).send({ ignored: topic });
    }

    const payload = readOrderPayload(raw);
    if (!payload.ok) {
      // 200, not 4xx: WooCommerce never retries, and counts every non-2xx towards disabling the webhook after 5.
      // The catch-up poller finds the order anyway; the error line tells the operator.
      count('unreadableOrder');
      logger.error(
        { ...context, store: store.name, reason: payload.reason, ...(payload.code ? { payloadCode: payload.code } : {}) },
        'webhook without a readable order ID; nothing started',
      );
      return reply.code(200).send({ ignored: 'unreadable order' });
    }
    if (payload.settled) {
      // Our own meta write (sales-order ID and lifecycle digest, Failed, SkippedByOperator) fires order.updated: do not start the workflow again for it.
      count('alreadySynced');
      logger.info(
        { store: store.name, orderId: payload.orderId, topic, deliveryId: context.deliveryId, why: payload.settled },
        'order already settled; nothing started',
      );
      return reply.code(200).send({ ignored: payload.settled });
    }

    if (outbox) {
      // Durable first (committed in PostgreSQL), then the 200; the drainer starts the workflow.
      const recorded = await outbox
        .record({ store: store.name, orderId: payload.orderId, topic, ...(payload.context ? { context: payload.context } : {}) })
        .then(
          () => true,
          (error: unknown) => (outboxFailed(error), false),
        );
      if (recorded) {
        outboxWrote();
        count('started');
        const workflowId = orderWorkflowId(store.name, payload.orderId);
        logger.info(
          { store: store.name, orderId: payload.orderId, topic, deliveryId: context.deliveryId, workflowId, via: 'outbox', ms: Math.round(reply.elapsedTime) },
          'webhook accepted',
        );
        return reply.code(200).send({ workflowId });
      }
    }

    try {
      const { workflowId } = await startOrder({
        store: store.name,
        orderId: payload.orderId,
        source: topic,
        ...(payload.context ? { context: payload.context } : {}),
      });
      count('started');
      logger.info(
        { store: store.name, orderId: payload.orderId, topic, deliveryId: context.deliveryId, workflowId, ms: Math.round(reply.elapsedTime) },
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
        { store: store.name, orderId: payload.orderId, topic, deliveryId: context.deliveryId, error: error instanceof Error ? error.message : String(error) },
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

/**
 * The receiver process: reads the settings (and runs the NetSuite environment guard — environment, account ID and host,
 * no credentials — so a cross-wired deployment refuses to boot even though the receiver never calls NetSuite), checks
 * the outbox's database, connects to Temporal, listens, and on SIGTERM or SIGINT stops accepting, answers the requests
 * in flight, starts what its outbox still holds (within the drain bound) and closes the Temporal connection. A refused
 * configuration (a database that does not answer included) prints its message to stderr and exits 78; any other boot
 * failure names its cause and exits 1.
 */
export async function main(): Promise<void> {
  const processSettings = loadProcessSettings();
  const temporal = loadTemporalConnectionSettings();
  const stores = loadStoreSettings();
  const receiverSettings = loadReceiverSettings();
  const operations = loadOperationsSettings('receiver');
  // The orders task queue the workers serve (TASK_QUEUE): the workflows it starts must land there.
  const taskQueue = loadWorkerSettings().taskQueue;
  const dataConverter = codecDataConverter();
  const netsuite = checkNetSuiteEnvironment();

  const outboxDatabase = stateDatabaseUrl();

  const logger = createLogger({ level: processSettings.LOG_LEVEL, name: 'receiver' });
  for (const warning of netsuite.warnings) logger.warn(warning);
  const closers = new Closers(logger);
  try {
    // The outbox's database must answer at boot, like the worker's (exit 78 naming it, never the password).
    const outboxVariable = (process.env.STATE_DATABASE_URL ?? '').trim() ? 'STATE_DATABASE_URL' : 'NETSUITE_LIMITER_URL';
    if (outboxDatabase) {
      const probe = databaseProbe({ name: outboxVariable, url: outboxDatabase }, logger);
      try {
        await requireReachable([probe]);
      } finally {
        await probe.close();
      }
    } else {
      logger.warn(
        'no STATE_DATABASE_URL or NETSUITE_LIMITER_URL: without the webhook outbox each delivery is answered only after its workflow is started, so answers queue behind a burst',
      );
    }
    installRuntime({ logger: temporalLogger(logger), metricsBindAddress: operations.metricsBindAddress });
    const tracing = operations.tracing ? startTracing(operations.tracing) : undefined;
    if (tracing) closers.add('tracing', () => tracing.shutdown());
    const client = await connectTemporalClient(temporal, {
      ...(tracing ? { plugins: [tracing.plugin] } : {}),
      ...(dataConverter ? { dataConverter } : {}),
    });
    closers.add('Temporal connection', () => client.connection.close());
    let outbox: WebhookOutbox | undefined;
    if (outboxDatabase) {
      const created = createWebhookOutbox({
        databaseUrl: outboxDatabase,
        scope: outboxScope(client.options.namespace, taskQueue),
        logger,
        metrics: outboxMetrics(runtimeMeter()),
      });
      closers.add('webhook outbox', () => created.close());
      await created.open().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError(`the webhook outbox's table cannot be created in the PostgreSQL of ${outboxVariable} (${displayUrl(outboxDatabase)}): ${reason}`);
      });
      outbox = created;
    }
    const receiver = createReceiver({
      stores,
      startOrder: createOrderStarter(client, taskQueue),
      ...(outbox ? { outbox } : {}),
      logger,
      bodyLimitBytes: receiverSettings.bodyLimitBytes,
      drainTimeoutMs: receiverSettings.drainSeconds * 1000,
      metrics: webhookMetrics(runtimeMeter()),
      readiness: { temporal: temporalCheck(client.connection) },
    });
    const url = await receiver.listen(receiverSettings.host, receiverSettings.port).catch((error: unknown) => {
      throw listenFailure('the webhook receiver (WEBHOOK_HOST, WEBHOOK_PORT)', receiverSettings.host, receiverSettings.port, error);
    });
    closers.add('webhook listener', () => receiver.close());
    logger.info(
      {
        url,
        path: WEBHOOK_PATH,
        stores: stores.map((s) => ({ name: s.name, url: s.url })),
        temporal: temporal.describe(),
        taskQueue,
        outbox: outbox ? { database: displayUrl(outboxDatabase ?? ''), scope: outbox.scope } : 'off',
        drainSeconds: receiverSettings.drainSeconds,
        metrics: operations.metricsBindAddress ?? 'off',
        tracing: tracing ? 'on' : 'off',
      },
      'webhook receiver listening',
    );

    await untilStopSignal(async (signal) => {
      logger.info({ signal }, 'webhook receiver stopping: draining requests in flight');
      await closers.closeAll();
      logger.info({ stats: receiver.stats() }, 'webhook receiver stopped');
    });
  } finally {
    await closers.closeAll();
  }
}

if (require.main === module) main().catch((error: unknown) => exitOnBootFailure('receiver', error));
