/**
 * Webhooks: subscriptions, the ping on creation, the asynchronous delivery queue with WooCommerce's coalescing, signed
 * deliveries with a PHP-compatible body, failure counting (`failed_delivery()`), fault injection and the delivery log.
 *
 * Queue model (Action Scheduler): an event enqueues a delivery for (webhook, resource id) due after `delayMs` (+ the
 * injected extra delay, and for a delivery picked by the delay fault a random extra delay). If a delivery for the same webhook and resource is already pending and due within the
 * coalescing window, nothing new is queued. The payload is built when the delivery runs, from the resource's current
 * state. Failed deliveries are never retried.
 *
 * Sending (options.delivery): in 'action-scheduler' mode a due delivery waits for a queue runner; a runner claims up
 * to `batchSize` due deliveries (oldest due first), sends them one after another, then claims the next batch, and at
 * most `concurrentBatches` runners run at once — as ActionScheduler_QueueRunner::run and do_batch do. A delivery
 * stays pending (and so coalesces later events) until its runner starts it. In 'immediate' mode every delivery is
 * sent the moment it is due, none waiting for another's answer: one is started per turn of the event loop, so the
 * simulator reads answers between sends and a delivery's duration is the receiver's, not the time the simulator spent
 * starting a thousand others before it could read the first answer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { SimContext, WebhookEvent, WebhookResource } from './context';
import { WooError } from './errors';
import { phpJsonEncode } from './php-json';
import { API_PREFIX, applyFields, asBool, asString, bodyOf, numericId, pageOf, pagingOf, queryOf, sendWoo, type JsonObject } from './rest-util';

export const WOO_VERSION = '9.4.2';
export const WP_VERSION = '6.7.1';
export const HOOKSHOT_USER_AGENT = `WooCommerce/${WOO_VERSION} Hookshot (WordPress/${WP_VERSION})`;
const PING_TIMEOUT_MS = 5000;

export type WebhookStatus = 'active' | 'paused' | 'disabled';
const STATUSES: readonly WebhookStatus[] = ['active', 'paused', 'disabled'];
const RESOURCES = ['order', 'product', 'customer', 'coupon'];
const EVENTS = ['created', 'updated', 'deleted', 'restored'];

const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post', 'woocommerce_delete_order'],
  'order.restored': ['untrashed_post'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post', 'woocommerce_delete_product', 'woocommerce_delete_product_variation'],
  'product.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
};

export interface Webhook {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  secret: string;
  createdMs: number;
  modifiedMs: number;
  /** WooCommerce's `failure_count`: consecutive failed deliveries. */
  failureCount: number;
  /** Result of the ping sent on creation. */
  ping: { success: boolean; status: number | null; error: string | null } | null;
}

export interface WebhookInput {
  topic: string;
  delivery_url: string;
  name?: string;
  status?: WebhookStatus;
  /** Default: a random 50-character password, as WooCommerce generates. */
  secret?: string;
}

export interface DeliveryFaults {
  /** Fraction of deliveries silently never sent (0..1), decided when queued. Default 0. */
  dropFraction: number;
  /** Fraction of deliveries sent more than once (0..1), decided when the delivery runs. Default 0. */
  duplicateFraction: number;
  /** How many times in total a duplicated delivery is sent (≥ 2); the copies follow the first one by one. Default 2. */
  duplicateCopies: number;
  /** Extra delay added to every delivery's due time, in ms. Default 0. */
  extraDelayMs: number;
  /**
   * Fraction of deliveries (0..1), decided when queued, made due a further uniform(0, delayMaxMs) ms later, so they
   * may arrive after deliveries queued after them (out of order). No effect while delayMaxMs is 0. Default 0.
   */
  delayFraction: number;
  /** Upper bound of the random delay of a delivery picked by `delayFraction`, in ms. Default 0. */
  delayMaxMs: number;
}

export interface DeliveryLogEntry {
  /** 'ping' = the request sent on creation; 'delivery' = an event delivery. */
  kind: 'delivery' | 'ping';
  webhookId: number;
  topic: string;
  resourceId: number | null;
  deliveryId: string | null;
  url: string;
  /** true for the extra copies of a duplicated delivery (every copy after the first). */
  duplicate: boolean;
  /** Only on a delivery picked by the delay fault: the random extra delay it was given, in ms. */
  delayedMs?: number;
  requestHeaders: Record<string, string>;
  /** The exact request body (ASCII, as signed). */
  rawBody: string;
  /** HTTP status, or null when the request failed (timeout, connection error). */
  statusCode: number | null;
  error: string | null;
  success: boolean;
  durationMs: number;
  /** ISO 8601 time of the attempt. */
  at: string;
}

export interface DeliveryCounters {
  /** Delivery requests sent (duplicates included; pings excluded). */
  attempted: number;
  succeeded: number;
  failed: number;
  /** Deliveries dropped by fault injection (never sent). */
  dropped: number;
  /** Extra copies sent by the duplicate fault (a delivery sent N times in total counts N − 1). */
  duplicated: number;
  /** Deliveries given a random extra delay by the delay fault (`delayFraction`). */
  delayed: number;
  /** Events not queued because an identical delivery was pending. */
  coalesced: number;
  /** Due deliveries not sent because the webhook was no longer active (paused, disabled, deleted) or the resource is a draft. */
  skipped: number;
  pings: number;
}

export type PayloadBuilder = (resource: WebhookResource, event: WebhookEvent, id: number) => { skip: true } | { skip: false; body: unknown };

interface PendingDelivery {
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

interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const zeroCounters = (): DeliveryCounters => ({
  attempted: 0,
  succeeded: 0,
  failed: 0,
  dropped: 0,
  duplicated: 0,
  delayed: 0,
  coalesced: 0,
  skipped: 0,
  pings: 0,
});

export const DEFAULT_DELIVERY_FAULTS: Readonly<DeliveryFaults> = {
  dropFraction: 0,
  duplicateFraction: 0,
  duplicateCopies: 2,
  extraDelayMs: 0,
  delayFraction: 0,
  delayMaxMs: 0,
};

/** WooCommerce's default secret: wp_generate_password(50, true, true). */
function generateSecret(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|';
  const bytes = randomBytes(50);
  let out = '';
  for (const byte of bytes) out += chars[byte % chars.length];
  return out;
}

export function isValidTopic(topic: string): boolean {
  const [resource, event, ...rest] = topic.split('.');
  return rest.length === 0 && !!resource && !!event && RESOURCES.includes(resource) && EVENTS.includes(event);
}

export function isValidDeliveryUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

export class WebhookManager {
  private readonly webhooks = new Map<number, Webhook>();
  private readonly pending = new Map<string, PendingDelivery>();
  private readonly requests = new Set<http.ClientRequest>();
  private readonly log: DeliveryLogEntry[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  /** Keys of pending deliveries in a queue runner's current batch. */
  private readonly claimed = new Set<string>();
  /** Queue runners running ('action-scheduler' mode). */
  private runners = 0;
  private nextId = 1;
  private inflight = 0;
  private closed = false;
  /** 'immediate' mode: due deliveries not started yet (still pending, so they still coalesce). */
  private readonly sendQueue: string[] = [];
  counters: DeliveryCounters = zeroCounters();
  faults: DeliveryFaults = { ...DEFAULT_DELIVERY_FAULTS };

  constructor(
    private readonly ctx: SimContext,
    private readonly buildPayload: PayloadBuilder,
  ) {}

  // ---- subscriptions -------------------------------------------------------------------------------------------

  list(): Webhook[] {
    return [...this.webhooks.values()];
  }

  get(id: number): Webhook | undefined {
    return this.webhooks.get(id);
  }

  /** Creates a subscription and sends the ping (awaited, 5 s timeout); creation succeeds whatever the ping's result. */
  async create(input: WebhookInput): Promise<Webhook> {
    const now = this.ctx.clock.now();
    const webhook: Webhook = {
      id: this.nextId++,
      name: input.name ?? `Webhook created on ${new Date(now).toUTCString()}`,
      status: input.status ?? 'active',
      topic: input.topic.toLowerCase(),
      deliveryUrl: input.delivery_url,
      secret: input.secret ?? generateSecret(),
      createdMs: now,
      modifiedMs: now,
      failureCount: 0,
      ping: null,
    };
    this.webhooks.set(webhook.id, webhook);
    await this.ping(webhook);
    return webhook;
  }

  /** Updates fields; setting status back to active resets the failure count. */
  update(webhook: Webhook, input: Partial<WebhookInput>): Webhook {
    if (input.name !== undefined) webhook.name = input.name;
    if (input.topic !== undefined) webhook.topic = input.topic.toLowerCase();
    if (input.delivery_url !== undefined) webhook.deliveryUrl = input.delivery_url;
    if (input.secret !== undefined) webhook.secret = input.secret;
    if (input.status !== undefined) {
      if (input.status === 'active' && webhook.status !== 'active') webhook.failureCount = 0;
      webhook.status = input.status;
    }
    webhook.modifiedMs = this.ctx.clock.now();
    return webhook;
  }

  remove(id: number): Webhook | undefined {
    const webhook = this.webhooks.get(id);
    if (!webhook) return undefined;
    this.webhooks.delete(id);
    for (const [key, entry] of this.pending) {
      if (entry.webhookId === id) {
        clearTimeout(entry.timer);
        this.pending.delete(key);
      }
    }
    this.checkIdle();
    return webhook;
  }

  json(w: Webhook): JsonObject {
    const [resource = '', event = ''] = w.topic.split('.');
    const url = this.ctx.storeUrl();
    return {
      id: w.id,
      name: w.name,
      status: w.status,
      topic: w.topic,
      resource,
      event,
      hooks: HOOKS[w.topic] ?? [],
      delivery_url: w.deliveryUrl,
      secret: w.secret,
      date_created: this.ctx.clock.local(w.createdMs),
      date_created_gmt: this.ctx.clock.gmt(w.createdMs),
      date_modified: this.ctx.clock.local(w.modifiedMs),
      date_modified_gmt: this.ctx.clock.gmt(w.modifiedMs),
      _links: { self: [{ href: `${url}${API_PREFIX}/webhooks/${w.id}` }], collection: [{ href: `${url}${API_PREFIX}/webhooks` }] },
    };
  }

  // ---- events and the queue -----------------------------------------------------------------------------------

  /** An event happened: queue a delivery for each active webhook of the topic (coalesced, maybe dropped). */
  enqueue(resource: WebhookResource, event: WebhookEvent, id: number): void {
    if (this.closed) return;
    const topic = `${resource}.${event}`;
    for (const webhook of this.webhooks.values()) {
      if (webhook.status !== 'active' || webhook.topic !== topic) continue;
      const key = `${webhook.id}:${id}`;
      const now = Date.now();
      const existing = this.pending.get(key);
      // wc_webhook_execute_queue: a new action is queued only when none is pending or the pending one is due 600 s or more from now.
      if (existing && existing.dueAt < now + this.ctx.options.webhookDelivery.coalesceWindowMs) {
        this.counters.coalesced++;
        continue;
      }
      if (this.faults.dropFraction > 0 && this.ctx.rng.chance(this.faults.dropFraction)) {
        this.counters.dropped++;
        continue;
      }
      let delay = this.ctx.options.webhookDelivery.delayMs + this.faults.extraDelayMs;
      // The delay fault: this delivery is due up to delayMaxMs later, so deliveries queued after it may arrive first.
      let delayedMs: number | undefined;
      if (this.faults.delayFraction > 0 && this.faults.delayMaxMs > 0 && this.ctx.rng.chance(this.faults.delayFraction)) {
        this.counters.delayed++;
        delayedMs = this.ctx.rng.next() * this.faults.delayMaxMs;
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
            await this.run(entry);
          } catch {
            // a failed delivery is counted and logged by deliver(); nothing else to do
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
    void this.run(entry)
      .catch(() => undefined)
      .finally(() => {
        this.inflight--;
        this.checkIdle();
      });
  }

  private async run(entry: PendingDelivery): Promise<void> {
    const webhook = this.webhooks.get(entry.webhookId);
    if (!webhook || webhook.status !== 'active' || this.closed) {
      this.counters.skipped++;
      return;
    }
    const payload = this.buildPayload(entry.resource, entry.event, entry.resourceId);
    if (payload.skip) {
      this.counters.skipped++;
      return;
    }
    const body = phpJsonEncode(payload.body);
    const duplicate = this.faults.duplicateFraction > 0 && this.ctx.rng.chance(this.faults.duplicateFraction);
    const copies = duplicate ? this.faults.duplicateCopies : 1;
    await this.deliver(webhook, entry, body, false);
    // The extra copies of a duplicated delivery, one after the other, each one an attempt of its own.
    for (let copy = 2; copy <= copies && !this.closed; copy++) {
      this.counters.duplicated++;
      await this.deliver(webhook, entry, body, true);
    }
  }

  private async deliver(webhook: Webhook, entry: PendingDelivery, body: string, duplicate: boolean): Promise<void> {
    const second = Math.floor(this.ctx.options.clock() / 1000);
    // wp_hash( $this->get_id() . strtotime( 'now' ) ): same webhook, same second → same id. Not unique.
    const deliveryId = createHmac('md5', 'woo-sim-wp-hash-salt').update(`${webhook.id}${second}`).digest('hex');
    const signature = createHmac('sha256', webhook.secret).update(body, 'utf8').digest('base64');
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': HOOKSHOT_USER_AGENT,
      'X-WC-Webhook-Source': `${this.ctx.storeUrl()}/`,
      'X-WC-Webhook-Topic': webhook.topic,
      'X-WC-Webhook-Resource': entry.resource,
      'X-WC-Webhook-Event': entry.event,
      'X-WC-Webhook-Signature': signature,
      'X-WC-Webhook-ID': String(webhook.id),
      'X-WC-Webhook-Delivery-ID': deliveryId,
    };
    this.counters.attempted++;
    const result = await this.post(webhook.deliveryUrl, headers, body, this.ctx.options.webhookDelivery.timeoutMs);
    const success = result.statusCode !== null && result.statusCode >= 200 && result.statusCode <= 302;
    if (success) {
      this.counters.succeeded++;
      webhook.failureCount = 0;
    } else {
      this.counters.failed++;
      this.failedDelivery(webhook);
    }
    const logged: DeliveryLogEntry = {
      kind: 'delivery',
      webhookId: webhook.id,
      topic: webhook.topic,
      resourceId: entry.resourceId,
      deliveryId,
      url: webhook.deliveryUrl,
      duplicate,
      requestHeaders: headers,
      rawBody: body,
      statusCode: result.statusCode,
      error: result.error,
      success,
      durationMs: result.durationMs,
      at: new Date().toISOString(),
    };
    if (entry.delayedMs !== undefined) logged.delayedMs = entry.delayedMs;
    this.record(logged);
  }

  /** WC_Webhook::failed_delivery(): the check comes before the increment, so with 5 the 7th failure disables. */
  private failedDelivery(webhook: Webhook): void {
    if (webhook.failureCount > this.ctx.options.webhookDelivery.maxFailures) {
      webhook.status = 'disabled';
      webhook.modifiedMs = this.ctx.clock.now();
    } else {
      webhook.failureCount++;
    }
  }

  /**
   * WC_Webhook::deliver_ping(): form body `webhook_id=<id>`, the same Hookshot User-Agent as deliveries, no X-WC
   * headers, no signature; only 200 is success.
   */
  private async ping(webhook: Webhook): Promise<void> {
    const body = `webhook_id=${webhook.id}`;
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': HOOKSHOT_USER_AGENT,
    };
    this.counters.pings++;
    const result = await this.post(webhook.deliveryUrl, headers, body, PING_TIMEOUT_MS);
    const success = result.statusCode === 200;
    webhook.ping = { success, status: result.statusCode, error: result.error };
    this.record({
      kind: 'ping',
      webhookId: webhook.id,
      topic: webhook.topic,
      resourceId: null,
      deliveryId: null,
      url: webhook.deliveryUrl,
      duplicate: false,
      requestHeaders: headers,
      rawBody: body,
      statusCode: result.statusCode,
      error: result.error,
      success,
      durationMs: result.durationMs,
      at: new Date().toISOString(),
    });
  }

  /** One POST; never follows redirects (node:http does not), aborts after timeoutMs in total. */
  private post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    const started = performance.now();
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (statusCode: number | null, error: string | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ statusCode, error, durationMs: performance.now() - started });
      };
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        settled = true;
        resolve({ statusCode: null, error: `invalid URL ${url}`, durationMs: 0 });
        return;
      }
      const payload = Buffer.from(body, 'utf8');
      const transport = parsed.protocol === 'https:' ? https : http;
      const request = transport.request(parsed, {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      });
      this.requests.add(request);
      const timer = setTimeout(() => {
        request.destroy(new Error(`timeout after ${timeoutMs} ms`));
      }, timeoutMs);
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => finish(response.statusCode ?? null, null));
        response.on('error', () => finish(response.statusCode ?? null, null));
      });
      request.on('error', (error) => finish(null, error.message));
      request.on('close', () => {
        this.requests.delete(request);
        finish(null, 'connection closed');
      });
      request.end(payload);
    });
  }

  private record(entry: DeliveryLogEntry): void {
    this.log.push(entry);
    const max = this.ctx.options.deliveryLogSize;
    if (this.log.length > max) this.log.splice(0, this.log.length - max);
  }

  deliveries(filter: { webhookId?: number; resourceId?: number; kind?: 'delivery' | 'ping' } = {}): DeliveryLogEntry[] {
    return this.log.filter(
      (e) =>
        (filter.webhookId === undefined || e.webhookId === filter.webhookId) &&
        (filter.resourceId === undefined || e.resourceId === filter.resourceId) &&
        (filter.kind === undefined || e.kind === filter.kind),
    );
  }

  clearLog(): void {
    this.log.length = 0;
  }

  resetCounters(): void {
    this.counters = zeroCounters();
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
    for (const request of this.requests) request.destroy();
    this.requests.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

// ---- REST routes ------------------------------------------------------------------------------------------------

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
    if (!STATUSES.includes(status)) {
      throw new WooError(400, 'rest_invalid_param', 'Invalid parameter(s): status', {
        params: { status: `status is not one of ${STATUSES.join(', ')}.` },
        details: { status: { code: 'rest_not_in_enum', message: `status is not one of ${STATUSES.join(', ')}.`, data: null } },
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
      pageOf(ctx, request, reply, items, paging).map((w) => applyFields(manager.json(w), query._fields)),
    );
  });
  app.post(W, async (request, reply) => {
    const input = restInput(bodyOf(request), true) as WebhookInput;
    const webhook = await manager.create(input);
    reply.header('Location', `${ctx.storeUrl()}${W}/${webhook.id}`);
    return sendWoo(reply, 201, manager.json(webhook));
  });
  app.get(`${W}/:id`, async (request, reply) => sendWoo(reply, 200, applyFields(manager.json(find(idOf(request.params), 404)), queryOf(request)._fields)));
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${W}/:id`,
    handler: async (request, reply) => {
      const webhook = find(idOf(request.params), 400);
      return sendWoo(reply, 200, manager.json(manager.update(webhook, restInput(bodyOf(request), false))));
    },
  });
  app.delete(`${W}/:id`, async (request, reply) => {
    const webhook = find(idOf(request.params), 404);
    if (!(asBool(queryOf(request).force) ?? false)) {
      throw new WooError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    }
    const json = manager.json(webhook);
    manager.remove(webhook.id);
    return sendWoo(reply, 200, json);
  });
}
