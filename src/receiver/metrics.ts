/**
 * The receiver's counters: `ReceiverStats` (what `Receiver.stats()` returns) and, for each delivery result, the label
 * it is counted under in Prometheus (src/metrics.ts `webhookMetrics`). The outbox counts its own (src/outbox/metrics.ts).
 */
import type { DeliveryResult, WebhookMetrics } from '../metrics';

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

/** A counter that is one delivery's result (every one but `received` and `recordFailures`). */
export type DeliveryCounter = Exclude<keyof ReceiverStats, 'received' | 'recordFailures'>;

/** The metric label of each counter (the outbox's own are counted by src/outbox/metrics.ts). */
export const DELIVERY_RESULTS: Record<DeliveryCounter, DeliveryResult> = {
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

export const zeroStats = (): ReceiverStats => ({
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

/** The receiver's counters, each delivery result also told to `metrics` when given. */
export interface ReceiverCounters {
  /** The counters themselves (stats() returns a copy). */
  readonly stats: ReceiverStats;
  /** Counts one delivery's result. */
  count(result: DeliveryCounter): void;
}

export function receiverCounters(metrics?: WebhookMetrics): ReceiverCounters {
  const stats = zeroStats();
  return {
    stats,
    count(result) {
      stats[result]++;
      metrics?.delivery(DELIVERY_RESULTS[result]);
    },
  };
}
