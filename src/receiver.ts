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
 *
 * The parts, one idea each:
 *   src/receiver/decision.ts  what to do with one delivery (ping, unknown store, bad signature, ignored topic,
 *                             unreadable, already settled, start): a pure function
 *   src/receiver/server.ts    the HTTP server: routes, answers, the outbox or signal-with-start, the drain on close
 *   src/receiver/metrics.ts   the counters (stats()) and their Prometheus labels
 *   src/receiver/main.ts      the process's start-up
 * This file is the entry point (`node dist/src/receiver.js` in the image) and what the rest of the tree imports.
 */
import { exitOnBootFailure } from './boot';
import { main } from './receiver/main';

export { WEBHOOK_PATH } from './api';
export { ORDER_TOPICS, decideDelivery, type Delivery, type DeliveryDecision } from './receiver/decision';
export type { ReceiverStats } from './receiver/metrics';
export {
  createReceiver,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_DRAIN_MS,
  DEFAULT_LISTEN_BACKLOG,
  HEALTH_PATH,
  type Receiver,
  type ReceiverOptions,
} from './receiver/server';
export { main };

if (require.main === module) main().catch((error: unknown) => exitOnBootFailure('receiver', error));
