/**
 * The webhook outbox: where the receiver makes an order delivery durable before it answers 200, so the answer never
 * waits for Temporal. `record` commits a row (group commit: a burst's deliveries share statements); the drainer
 * starts each row's order workflow and deletes the row once Temporal accepted the start (see drainer.ts for why that
 * loses nothing when the process is killed at any point).
 *
 * Two pools on the state database (STATE_DATABASE_URL, default NETSUITE_LIMITER_URL): two connections for the writes
 * (short connect and query timeouts, so a database that is down makes `record` fail within seconds and the receiver
 * falls back to starting the workflow itself), one for the drainer's transactions (PostgreSQL ends a transaction idle
 * for a minute, so a drainer stuck on a start cannot hold rows for longer).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { StartOrder } from '../order-starter';
import { OutboxDrainer } from './drainer';
import { groupCommit } from './group-commit';
import type { OutboxMetrics } from './metrics';
import { countDeliveries, createOutboxTable, insertDeliveries, type ClaimedDelivery, type OutboxDelivery } from './outbox-table';

export type { OutboxDelivery, ClaimedDelivery } from './outbox-table';
export { OUTBOX_TABLE } from './outbox-table';

/** The scope of a deployment's rows: the Temporal namespace and task queue its order workflows run on. */
export const outboxScope = (namespace: string, taskQueue: string): string => `${namespace}/${taskQueue}`;

/** Rows of another receiver process are taken over once this old. */
export const DEFAULT_TAKEOVER_AFTER_MS = 5_000;

export interface WebhookOutboxOptions {
  /** The state database (a postgres:// URL; it holds a password: never log it). */
  databaseUrl: string;
  /** outboxScope(namespace, taskQueue). */
  scope: string;
  logger: Logger;
  metrics?: OutboxMetrics;
  /** Default 5 s (DEFAULT_TAKEOVER_AFTER_MS). */
  takeoverAfterMs?: number;
  /** How often the drainer looks for rows left by others when nothing woke it. Default 1 s. */
  sweepMs?: number;
  /** Rows per drain transaction. Default 100. */
  batchSize?: number;
  /** Signal-with-starts in flight at once. Default 16. */
  startConcurrency?: number;
  /** A start not answered within this counts as failed (the row stays). Default 10 s. */
  startTimeoutMs?: number;
}

/** What the drainer calls: how to start an order, and whom to tell. */
export interface OutboxHandler {
  startOrder: StartOrder;
  started?: (delivery: ClaimedDelivery & { workflowId: string }) => void;
  /** True while deliveries are being answered: the drainer lets them go first (a little while at most). */
  busy?: () => boolean;
}

export interface WebhookOutbox {
  readonly scope: string;
  /** Creates the table when missing (call before the first record; once is enough, later calls wait for the first). */
  open(): Promise<void>;
  /** Resolves once the delivery is committed; rejects when the database does not take it. */
  record(delivery: OutboxDelivery): Promise<void>;
  /** Starts the drainer (once). */
  drain(handler: OutboxHandler): void;
  /** Rows of this scope waiting to be started (any receiver's). */
  pending(): Promise<number>;
  /**
   * Stops the drainer after it has started what is left, or at `deadline` (epoch ms; default 10 s from now), and
   * closes the pools. Rows not started stay for the next receiver.
   */
  close(deadline?: number): Promise<void>;
}

export function createWebhookOutbox(options: WebhookOutboxOptions): WebhookOutbox {
  const recordedBy = randomUUID();
  const writes = new Pool({ connectionString: options.databaseUrl, max: 2, connectionTimeoutMillis: 3_000, query_timeout: 5_000, idleTimeoutMillis: 30_000 });
  const drains = new Pool({
    connectionString: options.databaseUrl,
    max: 1,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    options: '-c idle_in_transaction_session_timeout=60000',
  });
  // An idle connection dropped (the database restarted): the next query reconnects; never a crash.
  writes.on('error', () => undefined);
  drains.on('error', () => undefined);
  let drainer: OutboxDrainer | undefined;
  let opened: Promise<void> | undefined;
  let closed: Promise<void> | undefined;

  const commits = groupCommit<OutboxDelivery>((batch) => insertDeliveries(writes, options.scope, recordedBy, batch), { maxInFlight: 2, maxBatch: 500 });

  return {
    scope: options.scope,
    open() {
      opened ??= createOutboxTable(writes).catch((error: unknown) => {
        opened = undefined; // tried again on the next call
        throw error;
      });
      return opened;
    },
    async record(delivery) {
      try {
        await commits.write(delivery);
      } catch (error) {
        options.metrics?.recordFailed();
        throw error;
      }
      options.metrics?.recorded();
      drainer?.wake();
    },
    drain(handler) {
      if (drainer || closed) return;
      drainer = new OutboxDrainer({
        pool: drains,
        scope: options.scope,
        recordedBy,
        startOrder: handler.startOrder,
        takeoverAfterMs: options.takeoverAfterMs ?? DEFAULT_TAKEOVER_AFTER_MS,
        batchSize: options.batchSize ?? 100,
        concurrency: options.startConcurrency ?? 16,
        startTimeoutMs: options.startTimeoutMs ?? 10_000,
        sweepMs: options.sweepMs ?? 1_000,
        logger: options.logger,
        started: (delivery) => {
          options.metrics?.started(delivery.waitedMs);
          handler.started?.(delivery);
        },
        failed: () => options.metrics?.startFailed(),
        ...(handler.busy ? { busy: handler.busy } : {}),
      });
      drainer.start();
    },
    pending: () => countDeliveries(writes, options.scope),
    close(deadline = Date.now() + 10_000) {
      closed ??= (async () => {
        const finished = drainer ? await drainer.stop(deadline) : true;
        await writes.end().catch(() => undefined);
        // A batch cut off at the deadline still holds its (closed) connection until its start times out: not awaited.
        if (finished) await drains.end().catch(() => undefined);
        else void drains.end().catch(() => undefined);
      })();
      return closed;
    },
  };
}
