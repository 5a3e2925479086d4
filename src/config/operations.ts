/** How a process is operated: the prebuilt workflow bundle, the health endpoints, Prometheus metrics and tracing. */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ConfigError, envValue, parseSettings, processEnv, settingsGroup } from './env';

/** How a process is operated: where its health endpoints and Prometheus metrics listen, and where traces go (zod over env). */
export const operationsSettingsSchema = settingsGroup(
  z.object({
    WORKFLOW_BUNDLE_PATH: envValue(z.string().min(1).optional()).describe(
      'The prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js; the image sets it). Unset: the worker bundles src/workflows at start.',
    ),
    HEALTH_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe("Interface of the worker's health endpoints (/livez, /readyz)."),
    HEALTH_PORT: envValue(z.coerce.number().int().min(0).max(65535).default(8081)).describe(
      "Port of the worker's health endpoints (0 = any free port). The receiver serves them on WEBHOOK_PORT.",
    ),
    METRICS_BIND_ADDRESS: envValue(z.string().default('0.0.0.0:9464')).describe(
      'host:port where Prometheus scrapes /metrics (the SDK\'s metrics and the integration\'s own). "off" turns metrics off.',
    ),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envValue(z.url().optional()).describe(
      'OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces. Set (or OTEL_EXPORTER_OTLP_ENDPOINT) to turn tracing on.',
    ),
    OTEL_EXPORTER_OTLP_ENDPOINT: envValue(z.url().optional()).describe('OTLP/HTTP base URL; traces go to <it>/v1/traces. Set to turn tracing on.'),
    OTEL_SERVICE_NAME: envValue(z.string().min(1).optional()).describe('service.name of the spans. Default woo-netsuite-sync-<process>.'),
  }),
  {
    title: 'Operations',
    description: 'How the worker and the receiver are operated: the prebuilt workflow bundle, the health endpoints, Prometheus metrics and tracing.',
  },
);

/** Where a process's traces go; absent → tracing off. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL, …/v1/traces (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT's). */
  tracesUrl: string;
  /** service.name of the spans (OTEL_SERVICE_NAME). */
  serviceName: string;
}

export interface OperationsSettings {
  /** Absolute path of the prebuilt workflow bundle, when one is set (WORKFLOW_BUNDLE_PATH). */
  workflowBundlePath: string | undefined;
  /** The worker's health endpoints' listener (HEALTH_HOST, HEALTH_PORT). */
  health: { host: string; port: number };
  /** host:port of the Prometheus endpoint; undefined → metrics off (METRICS_BIND_ADDRESS). */
  metricsBindAddress: string | undefined;
  tracing: TracingSettings | undefined;
}

/** Reads WORKFLOW_BUNDLE_PATH, HEALTH_*, METRICS_BIND_ADDRESS and the OTEL_* settings; `process` names the default service. */
export function loadOperationsSettings(process_: 'worker' | 'receiver', env: NodeJS.ProcessEnv = processEnv()): OperationsSettings {
  const settings = parseSettings(operationsSettingsSchema, env);
  const metrics = settings.METRICS_BIND_ADDRESS.toLowerCase() === 'off' ? undefined : settings.METRICS_BIND_ADDRESS;
  if (metrics !== undefined && !/^[^\s:]+:\d{1,5}$/.test(metrics) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(metrics)) {
    throw new ConfigError(`METRICS_BIND_ADDRESS=${metrics} is not host:port (e.g. 0.0.0.0:9464), nor "off"`);
  }
  const base = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  const workflowBundlePath = settings.WORKFLOW_BUNDLE_PATH ? resolvePath(process.cwd(), settings.WORKFLOW_BUNDLE_PATH) : undefined;
  if (workflowBundlePath !== undefined && process_ === 'worker' && !existsSync(workflowBundlePath)) {
    throw new ConfigError(
      `WORKFLOW_BUNDLE_PATH=${settings.WORKFLOW_BUNDLE_PATH} does not exist (${workflowBundlePath}): \`npm run build\` writes dist/workflow-bundle.js; unset it to bundle src/workflows at start`,
    );
  }
  return {
    workflowBundlePath,
    health: { host: settings.HEALTH_HOST, port: settings.HEALTH_PORT },
    metricsBindAddress: metrics,
    tracing: tracesUrl ? { tracesUrl, serviceName: settings.OTEL_SERVICE_NAME ?? `woo-netsuite-sync-${process_}` } : undefined,
  };
}
