/**
 * The webhook outbox's Prometheus metrics, on the Runtime's meter (the receiver's /metrics):
 *
 *   woo_netsuite_sync_webhook_outbox_recorded          deliveries written to the outbox before their 200
 *   woo_netsuite_sync_webhook_outbox_record_failures   writes that failed (the delivery was then started directly)
 *   woo_netsuite_sync_webhook_outbox_wait (histogram, ms)  from the write to the order workflow's start; its _count
 *                                                       is the deliveries started from the outbox
 *   woo_netsuite_sync_webhook_outbox_start_failures    starts that failed (the row stays and is tried again)
 */
import type { MetricMeter } from '@temporalio/common';
import { METRIC_PREFIX } from '../metrics';

export interface OutboxMetrics {
  recorded(): void;
  recordFailed(): void;
  started(waitedMs: number): void;
  startFailed(): void;
}

export function outboxMetrics(meter: MetricMeter): OutboxMetrics {
  const recorded = meter.createCounter(
    `${METRIC_PREFIX}webhook_outbox_recorded`,
    undefined,
    'Webhook deliveries written to the outbox before they were acknowledged',
  );
  const recordFailures = meter.createCounter(
    `${METRIC_PREFIX}webhook_outbox_record_failures`,
    undefined,
    'Outbox writes that failed (the delivery was started directly instead)',
  );
  const wait = meter.createHistogram(
    `${METRIC_PREFIX}webhook_outbox_wait`,
    'int',
    'ms',
    'Time from writing a delivery to the outbox to starting its order workflow, in milliseconds',
  );
  const startFailures = meter.createCounter(
    `${METRIC_PREFIX}webhook_outbox_start_failures`,
    undefined,
    'Order workflow starts from the outbox that failed (the delivery stays and is tried again)',
  );
  return {
    recorded: () => recorded.add(1),
    recordFailed: () => recordFailures.add(1),
    started: (waitedMs) => wait.record(Math.max(0, Math.round(waitedMs))),
    startFailed: () => startFailures.add(1),
  };
}
