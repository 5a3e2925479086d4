/**
 * The latency model of the vendor API: which kind of request a request is (SuiteQL, create, read, update, delete),
 * the latency configured for that kind, and one seeded draw of it. governance.ts applies the delay while the request
 * holds its concurrency slot; a benchmark uses the same classification to say what latency a route was given.
 */
import type { Rng } from '../shared/rng';
import { SUITEQL_PATH } from './suiteql';
import type { NetSuiteOperation, ResolvedLatency, ResolvedLatencySpec } from './options';

const REST_ROOT = '/services/rest/';

/**
 * The kind of a vendor request, from its method and path (a raw path or a route template, query string ignored):
 * undefined for the token endpoint and anything outside /services/rest (they take the default latency).
 */
export function operationOf(method: string, path: string): NetSuiteOperation | undefined {
  const lower = (path.split('?', 1)[0] ?? path).toLowerCase();
  if (!lower.startsWith(REST_ROOT) || lower.startsWith(`${REST_ROOT}auth/`)) return undefined;
  switch (method.toUpperCase()) {
    case 'POST':
      return lower === SUITEQL_PATH.toLowerCase() ? 'suiteql' : 'create';
    case 'GET':
    case 'HEAD':
      return 'read';
    case 'PATCH':
    case 'PUT':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}

/**
 * The kind of a route key as the counters name it (`requestsByRoute`: "POST /services/rest/record/v1/salesOrder").
 */
export function operationOfRoute(route: string): NetSuiteOperation | undefined {
  const space = route.indexOf(' ');
  return space < 0 ? undefined : operationOf(route.slice(0, space), route.slice(space + 1));
}

/** The latency a request of this kind gets: its own when configured, else the default. */
export function latencyFor(latency: ResolvedLatency, operation: NetSuiteOperation | undefined): ResolvedLatencySpec {
  return (operation !== undefined ? latency.byOperation[operation] : undefined) ?? latency;
}

/** The mean of a latency, in ms: fixedMs + jitterMs / 2 (the spread is symmetric; a draw below 0 counts as 0). */
export function meanLatencyMs(spec: ResolvedLatencySpec): number {
  const { fixedMs, jitterMs, spreadMs } = spec;
  if (spreadMs <= fixedMs) return fixedMs + jitterMs / 2;
  // Part of the spread lies below 0 and is cut there: the mean of max(0, u), u uniform in [fixedMs − spreadMs, fixedMs + spreadMs].
  const high = fixedMs + spreadMs;
  const cutMean = (high * high) / (4 * spreadMs);
  return cutMean + jitterMs / 2;
}

/** One delay, in ms (≥ 0). Draws from the RNG only for a jitter or spread that is set, so a fixed latency draws nothing. */
export function drawLatencyMs(spec: ResolvedLatencySpec, rng: Rng): number {
  let delay = spec.fixedMs;
  if (spec.jitterMs > 0) delay += rng.next() * spec.jitterMs;
  if (spec.spreadMs > 0) delay += (rng.next() * 2 - 1) * spec.spreadMs;
  return Math.max(0, delay);
}
