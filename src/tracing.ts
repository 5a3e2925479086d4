/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or _TRACES_ENDPOINT).
 *
 * The SDK's OpenTelemetryPlugin (@temporalio/interceptors-opentelemetry) puts one trace through the whole path:
 * the receiver's signal-with-start, the workflow's task, each activity — the plugin carries the context in Temporal
 * headers. Workflow spans leave the sandbox through the plugin's `exporter` sink; everything else goes through the
 * tracer provider registered here. Spans are batched and exported over OTLP/HTTP.
 *
 * The production image prebuilds the workflow bundle, so the workflow interceptors are compiled in at build time
 * (WORKFLOW_INTERCEPTOR_MODULES); a worker on that bundle with tracing off registers a sink that drops the spans.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { TracingSettings } from './config';

/** The workflow interceptor module the plugin adds; a prebuilt bundle must include it (scripts/build-workflow-bundle.ts). */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

export interface Tracing {
  /** Give it to Worker.create and new Client (`plugins`). */
  plugin: OpenTelemetryPlugin;
  /** Flushes the spans still batched and stops exporting. */
  shutdown(): Promise<void>;
}

/** Starts exporting spans to `settings.tracesUrl` and registers the global tracer provider the activity spans use. */
export function startTracing(settings: TracingSettings): Tracing {
  const resource = new Resource({ 'service.name': settings.serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }), { scheduledDelayMillis: 1000 });
  // The Node provider registers an AsyncLocalStorage context manager and the W3C propagator: without them the active
  // span is never seen, the interceptors inject nothing into Temporal headers, and every span starts its own trace.
  const provider = new NodeTracerProvider({ resource });
  provider.addSpanProcessor(spanProcessor);
  provider.register();
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor }),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

/**
 * What a worker on a prebuilt bundle needs when tracing is off: the bundle's workflow interceptors call the `exporter`
 * sink, which then drops what it is given.
 */
export function silentWorkflowExporter(): Pick<WorkerOptions, 'sinks'> {
  return { sinks: { exporter: makeWorkflowExporter(new NoopSpanProcessor(), new Resource({})) } };
}
