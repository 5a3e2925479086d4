/**
 * Prometheus metrics. The Temporal Runtime serves them at `http://<METRICS_BIND_ADDRESS>/metrics`: the SDK's own
 * (task slots, poll and schedule-to-start latencies, activity failures, sticky cache, …) and the integration's,
 * created on the Runtime's meter so one endpoint has both. The order workflow counts its outcomes itself
 * (src/workflows/order-metrics.ts, replay-safe); this module has the counters of the processes around it.
 *
 *   woo_netsuite_sync_orders{outcome}                      order workflows reaching Synced / Skipped / NeedsAttention / Failed
 *   woo_netsuite_sync_needs_attention{failure_type}        NeedsAttention by FailureType
 *   woo_netsuite_sync_netsuite_request_latency{api,method,status}   NetSuite HTTP latency, ms (histogram)
 *   woo_netsuite_sync_netsuite_rate_limited{api}           429 answers
 *   woo_netsuite_sync_netsuite_tokens_minted               access tokens minted
 *   woo_netsuite_sync_webhook_deliveries{result}           webhook deliveries by what the receiver did
 *   woo_netsuite_sync_webhook_signature_failures           deliveries refused for a missing or wrong signature
 */
import type { MetricMeter } from '@temporalio/common';
import { Runtime, type Logger as TemporalLogger } from '@temporalio/worker';
import type { NetSuiteObserver } from './netsuite/observer';

export const METRIC_PREFIX = 'woo_netsuite_sync_';

/**
 * Installs the process's Temporal Runtime: its logger and, with `metricsBindAddress`, the Prometheus endpoint.
 * Once per process, before any worker or metric is created.
 */
export function installRuntime(options: { logger: TemporalLogger; metricsBindAddress: string | undefined }): void {
  Runtime.install({
    logger: options.logger,
    ...(options.metricsBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } } : {}),
  });
}

/** The meter of the installed Runtime (a no-op meter when metrics are off). */
export const runtimeMeter = (): MetricMeter => Runtime.instance().metricMeter;

/** The NetSuite client's observer: latency histogram, 429 counter, token mints. */
export function netsuiteMetrics(meter: MetricMeter): NetSuiteObserver {
  const latency = meter.createHistogram(
    `${METRIC_PREFIX}netsuite_request_latency`,
    'int',
    'ms',
    'NetSuite HTTP request latency in milliseconds, by API family, method and status (or failure kind)',
  );
  const rateLimited = meter.createCounter(`${METRIC_PREFIX}netsuite_rate_limited`, undefined, 'NetSuite 429 answers');
  const minted = meter.createCounter(`${METRIC_PREFIX}netsuite_tokens_minted`, undefined, 'NetSuite access tokens minted');
  return {
    request(event) {
      latency.record(Math.max(0, Math.round(event.ms)), { api: event.api, method: event.method, status: event.status });
      if (event.status === '429') rateLimited.add(1, { api: event.api });
    },
    tokenMinted() {
      minted.add(1);
    },
  };
}

/** What the webhook receiver did with a delivery (ReceiverStats' keys, minus `received`). */
export type DeliveryResult =
  'ping' | 'started' | 'bad_signature' | 'unknown_store' | 'ignored_topic' | 'already_synced' | 'unreadable_order' | 'too_large' | 'start_failed';

export interface WebhookMetrics {
  delivery(result: DeliveryResult): void;
}

export function webhookMetrics(meter: MetricMeter): WebhookMetrics {
  const deliveries = meter.createCounter(`${METRIC_PREFIX}webhook_deliveries`, undefined, 'Webhook deliveries by what the receiver did with them');
  const badSignatures = meter.createCounter(
    `${METRIC_PREFIX}webhook_signature_failures`,
    undefined,
    'Webhook deliveries refused for a missing or wrong signature',
  );
  return {
    delivery(result) {
      deliveries.add(1, { result });
      if (result === 'bad_signature') badSignatures.add(1);
    },
  };
}
