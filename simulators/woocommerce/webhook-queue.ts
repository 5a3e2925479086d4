/**
 * The delivery queue, as WooCommerce's Action Scheduler runs it.
 *
 * An event enqueues a delivery for (webhook, resource id) due after `delayMs` (+ the injected extra delay, and for a
 * delivery picked by the delay fault a random extra delay). If a delivery for the same webhook and resource is already
 * pending and due within the coalescing window, nothing new is queued. The payload is built when the delivery runs,
 * from the resource's current state. Failed deliveries are never retried.
 *
 * Sending (options.delivery): in 'action-scheduler' mode a due delivery waits for a queue runner; a runner claims up
 * to `batchSize` due deliveries (oldest due first), sends them one after another, then claims the next batch, and at
 * most `concurrentBatches` runners run at once — as ActionScheduler_QueueRunner::run and do_batch do. A delivery
 * stays pending (and so coalesces later events) until its runner starts it. In 'immediate' mode every delivery is
 * sent the moment it is due, none waiting for another's answer: one is started per turn of the event loop, so the
 * simulator reads answers between sends and a delivery's duration is the receiver's, not the time the simulator spent
 * starting a thousand others before it could read the first answer.
 */
import type { SimContext, WebhookEvent, WebhookResource } from './context';
import type { DeliveryFaults } from './webhook-faults';
import type { DeliveryCounters } from './webhook-log';
import type { Webhook } from './webhook-subscriptions';

/** A queued delivery of one webhook for one resource. */
export interface PendingDelivery {
  webhookId: number;
  resourceId: number;
  resource: WebhookResource;
  event: WebhookEvent;
  dueAt: number;
  timer: NodeJS.Timeout;
  /** Due (its time came, or flush ran it now): a queue runner may claim it. */
  ready: boolean;
  /** The random extra delay given by the delay fault, when picked. */
  delayedMs?: number;
}

/** Where the queue counts coalesced, dropped and delayed deliveries and reads the faults in force (either may be replaced at any time). */
export interface DeliveryQueueHost {
  readonly counters: DeliveryCounters;
  readonly faults: DeliveryFaults;
}

/** Sends one delivery; a rejection is ignored (the sender counts and logs its failures). */
export type SendDelivery = (entry: PendingDelivery) => Promise<void>;

export class DeliveryQueue {
  private readonly pending = new Map<string, PendingDelivery>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Keys of pending deliveries in a queue runner's current batch. */
  private readonly claimed = new Set<string>();
  /** Queue runners running ('action-scheduler' mode). */
  private runners = 0;
  private inflight = 0;
  private closed = false;
  /** 'immediate' mode: due deliveries not started yet (still pending, so they still coalesce). */
  private readonly sendQueue: string[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly host: DeliveryQueueHost,
    private readonly send: SendDelivery,
  ) {}

  /** An event happened: queue a delivery for each active webhook of the topic (coalesced, maybe dropped). */
  enqueue(webhooks: Iterable<Webhook>, resource: WebhookResource, event: WebhookEvent, id: number): void {
    if (this.closed) return;
    const topic = `${resource}.${event}`;
    for (const webhook of webhooks) {
      if (webhook.status !== 'active' || webhook.topic !== topic) continue;
      const key = `${webhook.id}:${id}`;
      const now = Date.now();
      const existing = this.pending.get(key);
      // wc_webhook_execute_queue: a new action is queued only when none is pending or the pending one is due 600 s or more from now.
      if (existing && existing.dueAt < now + this.ctx.options.webhookDelivery.coalesceWindowMs) {
        this.host.counters.coalesced++;
        continue;
      }
      if (this.host.faults.dropFraction > 0 && this.ctx.rng.chance(this.host.faults.dropFraction)) {
        this.host.counters.dropped++;
        continue;
      }
      let delay = this.ctx.options.webhookDelivery.delayMs + this.host.faults.extraDelayMs;
      // The delay fault: this delivery is due up to delayMaxMs later, so deliveries queued after it may arrive first.
      let delayedMs: number | undefined;
      if (this.host.faults.delayFraction > 0 && this.host.faults.delayMaxMs > 0 && this.ctx.rng.chance(this.host.faults.delayFraction)) {
        this.host.counters.delayed++;
        delayedMs = this.ctx.rng.next() * this.host.faults.delayMaxMs;
        delay += delayedMs;
      }
      const entry: PendingDelivery = {
        webhookId: webhook.id,
        resourceId: id,
        resource,
        event,
        dueAt: now + delay,
        timer: setTimeout(() => this.becameDue(key), delay),
        ready: false,
      };
      if (delayedMs !== undefined) entry.delayedMs = delayedMs;
      this.pending.set(key, entry);
    }
  }

  /** A pending delivery's time has come: sent now ('immediate'), or left to the queue runners ('action-scheduler'). */
  private becameDue(key: string): void {
    if (this.ctx.options.delivery === 'immediate') {
      this.sendSoon(key);
      return;
    }
    const entry = this.pending.get(key);
    if (!entry) return;
    entry.ready = true;
    this.startRunners();
  }

  /** Due deliveries no runner has claimed yet, oldest due first. */
  private unclaimedDue(): [string, PendingDelivery][] {
    return [...this.pending].filter(([key, entry]) => entry.ready && !this.claimed.has(key)).sort(([, a], [, b]) => a.dueAt - b.dueAt);
  }

  /** Starts queue runners while there is unclaimed due work and fewer than `concurrentBatches` run. */
  private startRunners(): void {
    const { concurrentBatches } = this.ctx.options.webhookDelivery;
    while (!this.closed && this.runners < concurrentBatches && this.unclaimedDue().length > 0) {
      this.runners++;
      void this.runQueue().finally(() => {
        this.runners--;
        this.checkIdle();
      });
    }
  }

  /**
   * One queue runner: claims a batch of due deliveries, sends them one after another, and claims the next batch
   * when this one is done, until nothing due is left. A delivery removed meanwhile (webhook deleted, simulator closed)
   * is passed over; one that became pending again under the same key is sent if it is due.
   */
  private async runQueue(): Promise<void> {
    const { batchSize } = this.ctx.options.webhookDelivery;
    for (;;) {
      const batch = this.unclaimedDue()
        .slice(0, batchSize)
        .map(([key]) => key);
      if (batch.length === 0 || this.closed) return;
      for (const key of batch) this.claimed.add(key);
      try {
        for (const key of batch) {
          const entry = this.pending.get(key);
          if (!entry || !entry.ready || this.closed) continue;
          this.pending.delete(key);
          clearTimeout(entry.timer);
          this.inflight++;
          try {
            await this.send(entry);
          } catch {
            // a failed delivery is counted and logged by its sender; nothing else to do
          } finally {
            this.inflight--;
          }
        }
      } finally {
        for (const key of batch) this.claimed.delete(key);
      }
    }
  }

  /** 'immediate' mode: starts the delivery on a coming turn of the event loop, one delivery per turn, in the order due. */
  private sendSoon(key: string): void {
    this.sendQueue.push(key);
    if (this.sendQueue.length > 1) return;
    const next = (): void => {
      const due = this.sendQueue[0];
      if (due === undefined || this.closed) {
        this.sendQueue.length = 0;
        return;
      }
      this.runDue(due);
      this.sendQueue.shift();
      if (this.sendQueue.length > 0) setImmediate(next);
    };
    setImmediate(next);
  }

  private runDue(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    this.inflight++;
    void this.send(entry)
      .catch(() => undefined)
      .finally(() => {
        this.inflight--;
        this.checkIdle();
      });
  }

  /** Forgets the pending deliveries of a webhook (deleted). */
  forgetWebhook(webhookId: number): void {
    for (const [key, entry] of this.pending) {
      if (entry.webhookId === webhookId) {
        clearTimeout(entry.timer);
        this.pending.delete(key);
      }
    }
    this.checkIdle();
  }

  pendingCount(): number {
    return this.pending.size + this.inflight;
  }

  private checkIdle(): void {
    if (this.pending.size === 0 && this.inflight === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /**
   * Resolves when no delivery is pending or in flight (deliveries delayed by the delay fault included: without
   * `runNow` it waits for their due time). `runNow` makes every pending delivery due now instead of waiting for its
   * due time, in order of due time: sent at once ('immediate'), or handed to the queue runners ('action-scheduler').
   * Rejects after `timeoutMs` (default 30000).
   */
  flush(options: { runNow?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (options.runNow) {
      for (const [key, entry] of [...this.pending].sort(([, a], [, b]) => a.dueAt - b.dueAt)) {
        clearTimeout(entry.timer);
        if (this.ctx.options.delivery === 'immediate') this.sendSoon(key);
        else entry.ready = true;
      }
      if (this.ctx.options.delivery !== 'immediate') this.startRunners();
    }
    if (this.pending.size === 0 && this.inflight === 0) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.idleWaiters.indexOf(done);
        if (index >= 0) this.idleWaiters.splice(index, 1);
        reject(new Error(`deliveries still pending after ${timeoutMs} ms (${this.pendingCount()} left)`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  close(): void {
    this.closed = true;
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
