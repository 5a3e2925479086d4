/**
 * The order workflow's own Prometheus counters, on the workflow's metric meter: the SDK emits them once per real
 * transition and stays silent while a history replays, so a worker restart never counts an order twice.
 * They reach the worker's /metrics endpoint (src/metrics.ts) with the SDK's namespace / task_queue / workflow_type tags.
 */
import { metricMeter } from '@temporalio/workflow';

const orders = metricMeter.createCounter(
  'woo_netsuite_sync_orders',
  undefined,
  'Order workflows reaching an outcome, by outcome (Synced, Skipped, NeedsAttention, Failed)',
);
const needsAttention = metricMeter.createCounter('woo_netsuite_sync_needs_attention', undefined, 'Orders put in NeedsAttention, by FailureType');

/** Counts an order reaching `status` (call on the transition, not on every publish). */
export function countOutcome(status: string, failureType: string | undefined): void {
  if (status === 'InProgress') return;
  orders.add(1, { outcome: status });
  if (status === 'NeedsAttention') needsAttention.add(1, { failure_type: failureType ?? 'Unknown' });
}
