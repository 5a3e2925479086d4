/**
 * Webhooks at work: the subscriptions (created with a ping, updated, removed), events handed to the delivery queue
 * (webhook-queue.ts: Action Scheduler batches or immediate), each due delivery sent signed (webhook-signing.ts) with a
 * PHP-compatible body (webhook-payload.ts, php-json.ts), failure counting (`failed_delivery()`), the delivery faults
 * (webhook-faults.ts), the delivery log and counters (webhook-log.ts).
 */
import type { SimContext, WebhookEvent, WebhookResource } from './context';
import { phpJsonEncode } from './php-json';
import { DEFAULT_DELIVERY_FAULTS, type DeliveryFaults } from './webhook-faults';
import { WebhookHttpClient } from './webhook-http';
import { DeliveryLog, zeroCounters, type DeliveryCounters, type DeliveryLogEntry, type DeliveryLogFilter } from './webhook-log';
import type { PayloadBuilder } from './webhook-payload';
import { DeliveryQueue, type PendingDelivery } from './webhook-queue';
import { deliveryHeaders, pingRequest } from './webhook-signing';
import { generateSecret, type Webhook, type WebhookInput } from './webhook-subscriptions';

const PING_TIMEOUT_MS = 5000;

export class WebhookManager {
  private readonly webhooks = new Map<number, Webhook>();
  private readonly http = new WebhookHttpClient();
  private readonly log: DeliveryLog;
  private readonly queue: DeliveryQueue;
  private nextId = 1;
  private closed = false;
  counters: DeliveryCounters = zeroCounters();
  faults: DeliveryFaults = { ...DEFAULT_DELIVERY_FAULTS };

  constructor(
    private readonly ctx: SimContext,
    private readonly buildPayload: PayloadBuilder,
  ) {
    this.log = new DeliveryLog(() => ctx.options.deliveryLogSize);
    this.queue = new DeliveryQueue(ctx, this, (entry) => this.run(entry));
  }

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
    this.queue.forgetWebhook(id);
    return webhook;
  }

  // ---- events and deliveries ----------------------------------------------------------------------------------

  /** An event happened: queue a delivery for each active webhook of the topic (coalesced, maybe dropped). */
  enqueue(resource: WebhookResource, event: WebhookEvent, id: number): void {
    this.queue.enqueue(this.webhooks.values(), resource, event, id);
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
    const { deliveryId, headers } = deliveryHeaders(webhook, entry.resource, entry.event, body, this.ctx.storeUrl(), this.ctx.options.clock());
    this.counters.attempted++;
    const result = await this.http.post(webhook.deliveryUrl, headers, body, this.ctx.options.webhookDelivery.timeoutMs);
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
    this.log.record(logged);
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

  /** WC_Webhook::deliver_ping() (the request: webhook-signing.ts); only 200 is success. */
  private async ping(webhook: Webhook): Promise<void> {
    const { body, headers } = pingRequest(webhook);
    this.counters.pings++;
    const result = await this.http.post(webhook.deliveryUrl, headers, body, PING_TIMEOUT_MS);
    const success = result.statusCode === 200;
    webhook.ping = { success, status: result.statusCode, error: result.error };
    this.log.record({
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

  // ---- log, counters, flush ---------------------------------------------------------------------------------------

  deliveries(filter: DeliveryLogFilter = {}): DeliveryLogEntry[] {
    return this.log.filter(filter);
  }

  clearLog(): void {
    this.log.clear();
  }

  resetCounters(): void {
    this.counters = zeroCounters();
  }

  pendingCount(): number {
    return this.queue.pendingCount();
  }

  /**
   * Resolves when no delivery is pending or in flight; `runNow` sends every pending delivery now instead of at its due
   * time. See DeliveryQueue.flush.
   */
  flush(options: { runNow?: boolean; timeoutMs?: number } = {}): Promise<void> {
    return this.queue.flush(options);
  }

  close(): void {
    this.closed = true;
    this.queue.close();
    this.http.close();
  }
}
