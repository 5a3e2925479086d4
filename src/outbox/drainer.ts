/**
 * The outbox's drainer: takes acknowledged deliveries out of the table and starts (or reaches) their order workflows.
 *
 * One transaction per batch: claim rows (FOR UPDATE SKIP LOCKED), signal-with-start each one's workflow, delete the
 * rows whose start succeeded, commit. A row is deleted only after Temporal accepted its start, so a process killed at
 * any point leaves every unstarted row in the table (its transaction rolls back with its connection) for the next
 * claim — its own after a restart, or any receiver's of the scope once the takeover delay has passed. A row may be
 * started twice (killed after the start, before the commit): signal-with-start on the order's one workflow ID makes
 * that a second `orderChanged` signal, which the workflow treats like a repeated webhook.
 *
 * It wakes when a delivery is recorded, and sweeps every `sweepMs` for rows left by others. When starts fail (Temporal
 * unreachable) the rows stay, it says so once, and it backs off (1 s doubling to 15 s) before trying again.
 */
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { mapConcurrent } from '../inventory/map-concurrent';
import type { StartOrder } from '../order-starter';
import { claimDeliveries, deleteDeliveries, type ClaimedDelivery } from './outbox-table';
import { checkOut } from '../state/checked-out';

export interface DrainerOptions {
  /** A pool of its own (one connection: one transaction at a time). */
  pool: Pool;
  scope: string;
  /** This process's writer ID (its own rows are claimed at once). */
  recordedBy: string;
  startOrder: StartOrder;
  /** Rows of other writers are claimed once older than this. */
  takeoverAfterMs: number;
  /** Rows per transaction. */
  batchSize: number;
  /** Starts in flight at once within a batch. */
  concurrency: number;
  /** A start not answered within this is counted failed (its row stays; a late success only means a second signal). */
  startTimeoutMs: number;
  /** How often it looks for rows when nothing woke it. */
  sweepMs: number;
  logger: Logger;
  /** Told of each delivery whose workflow was started (after the commit that removed its row). */
  started?: (delivery: ClaimedDelivery & { workflowId: string }) => void;
  /** Told of each start that failed (the row stays). */
  failed?: (delivery: ClaimedDelivery, error: unknown) => void;
  /**
   * True while the process is answering deliveries: the drainer then waits (up to MAX_YIELD_MS per batch) before it
   * claims, so the answers to a burst do not share the event loop with the starts of the deliveries before them.
   */
  busy?: () => boolean;
}

interface BatchOutcome {
  claimed: number;
  failed: number;
  error?: unknown;
  /** The outbox's own database failed (connect, claim, delete or commit), not a start. */
  database?: boolean;
}

const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 15_000;
/** The longest a batch waits for the process to stop answering deliveries: starts are late, never starved. */
const MAX_YIELD_MS = 250;

const messageOf = (error: unknown): string => (error instanceof Error && error.message ? error.message : String(error));

/** `promise`, or a rejection after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OutboxDrainer {
  private readonly options: DrainerOptions;
  private running: Promise<void> | undefined;
  private woken = false;
  private wakeSleep: (() => void) | undefined;
  private stopping = false;
  /** While stopping: drain until nothing is left or this time passes. */
  private deadline = Number.POSITIVE_INFINITY;
  private failing = false;
  private backoffMs = BACKOFF_FIRST_MS;
  private active: PoolClient | undefined;

  constructor(options: DrainerOptions) {
    this.options = options;
  }

  /** Starts the loop (once). */
  start(): void {
    this.running ??= this.loop();
  }

  /** Something was recorded: claim now rather than at the next sweep. */
  wake(): void {
    this.woken = true;
    this.wakeSleep?.();
  }

  /**
   * Stops: drains what is left (its own rows, and rows past the takeover delay) until none is left, a start fails, or
   * `deadline` (epoch ms) passes. Resolves true when the loop has ended; false at the deadline, after closing the
   * connection of the batch still running — its transaction rolls back and its rows stay for the next receiver.
   */
  async stop(deadline: number): Promise<boolean> {
    this.stopping = true;
    this.deadline = deadline;
    this.wake();
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'bound'>((resolve) => (timer = setTimeout(() => resolve('bound'), Math.max(0, deadline - Date.now()))));
    const outcome = await Promise.race([this.running.then(() => 'done' as const), bound]);
    clearTimeout(timer);
    if (outcome === 'done') return true;
    this.options.logger.warn(
      { scope: this.options.scope },
      'webhook outbox: drain bound reached; the deliveries not yet started stay in the outbox for the next receiver',
    );
    void this.active?.end().catch(() => undefined);
    return false;
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.stopping && Date.now() >= this.deadline) return;
      this.woken = false;
      let outcome: BatchOutcome;
      try {
        outcome = await this.drainBatch();
      } catch (error) {
        outcome = { claimed: 0, failed: 1, error, database: true };
      }
      if (outcome.failed > 0) {
        this.reportFailure(outcome);
        if (this.stopping) return;
        await this.sleep(this.backoffMs, { wakeable: false }); // new deliveries do not hurry a retry; stop() does
        this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
        continue;
      }
      if (this.failing) {
        this.failing = false;
        this.options.logger.info({ scope: this.options.scope }, 'webhook outbox: draining again');
      }
      this.backoffMs = BACKOFF_FIRST_MS;
      if (outcome.claimed > 0) continue; // more may wait
      if (this.stopping) return;
      if (!this.woken) await this.sleep(this.options.sweepMs);
    }
  }

  private reportFailure(outcome: BatchOutcome): void {
    const detail = {
      scope: this.options.scope,
      ...(outcome.database ? {} : { failed: outcome.failed, claimed: outcome.claimed }),
      retryInMs: this.backoffMs,
      error: messageOf(outcome.error),
    };
    const message = outcome.database
      ? 'webhook outbox: its database does not answer; what it holds is started once it does'
      : 'webhook outbox: could not start order workflows; their deliveries stay in the outbox and are tried again';
    if (!this.failing) this.options.logger.error(detail, message);
    else this.options.logger.debug(detail, 'webhook outbox: still failing');
    this.failing = true;
  }

  /** Waits `ms`; wake() ends the wait early unless `wakeable` is false; stop() always does. */
  private sleep(ms: number, { wakeable = true }: { wakeable?: boolean } = {}): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = () => {
        if (!wakeable && !this.stopping) return;
        this.wakeSleep = undefined;
        done();
      };
      if ((wakeable && this.woken) || this.stopping) this.wakeSleep();
    });
  }

  /** Waits while the process answers deliveries, at most MAX_YIELD_MS (never while stopping). */
  private async yieldToAnswers(): Promise<void> {
    const busy = this.options.busy;
    if (!busy) return;
    const until = Date.now() + MAX_YIELD_MS;
    while (!this.stopping && busy() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** One transaction: claim, start, delete what started, commit. */
  private async drainBatch(): Promise<BatchOutcome> {
    const o = this.options;
    await this.yieldToAnswers();
    const { client, release } = await checkOut(o.pool);
    this.active = client;
    let broken = false;
    try {
      await client.query('BEGIN');
      const rows = await claimDeliveries(client, o.scope, o.recordedBy, o.takeoverAfterMs, o.batchSize);
      if (rows.length === 0) {
        await client.query('COMMIT');
        return { claimed: 0, failed: 0 };
      }
      // Each start's outcome, never a rejection: a failed start leaves its row, the others are still deleted.
      const results = await mapConcurrent(rows, o.concurrency, (row): Promise<PromiseSettledResult<{ workflowId: string }>> =>
        within(
          o.startOrder({ store: row.store, orderId: row.orderId, source: row.topic, ...(row.context ? { context: row.context } : {}) }),
          o.startTimeoutMs,
          'signal-with-start',
        ).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason: unknown) => ({ status: 'rejected', reason }),
        ),
      );
      const started: (ClaimedDelivery & { workflowId: string })[] = [];
      let failed = 0;
      let error: unknown;
      results.forEach((result, index) => {
        const row = rows[index] as ClaimedDelivery;
        if (result.status === 'fulfilled') started.push({ ...row, workflowId: result.value.workflowId });
        else {
          failed++;
          error ??= result.reason;
          o.failed?.(row, result.reason);
        }
      });
      await deleteDeliveries(
        client,
        started.map((row) => row.id),
      );
      await client.query('COMMIT');
      for (const row of started) o.started?.(row);
      return { claimed: rows.length, failed, error };
    } catch (error) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.active = undefined;
      release(broken);
    }
  }
}
