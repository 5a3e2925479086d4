/** Request counters and server-side timings of the vendor API (a bounded ring buffer of samples). */

export interface ServerTimingSample {
  /** `METHOD /route/template`, e.g. `GET /wp-json/wc/v3/orders/:id`. */
  route: string;
  statusCode: number;
  /** Server time from Fastify onRequest to onResponse, in ms (injected latency included). */
  ms: number;
  /** Artificial latency injected into this request, in ms. */
  injectedLatencyMs: number;
}

export interface ServerTimings {
  count: number;
  /** Percentiles of the server time (ms), injected latency included. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Median of the simulator's own overhead: server time minus injected latency. */
  overheadP50Ms: number;
  /** The buffered samples, oldest first. */
  samples: ServerTimingSample[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export class Metrics {
  requestsByRoute: Record<string, number> = {};
  responsesByStatus: Record<string, number> = {};
  requestsTotal = 0;
  private buffer: ServerTimingSample[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  record(sample: ServerTimingSample): void {
    this.requestsTotal++;
    this.requestsByRoute[sample.route] = (this.requestsByRoute[sample.route] ?? 0) + 1;
    const status = String(sample.statusCode);
    this.responsesByStatus[status] = (this.responsesByStatus[status] ?? 0) + 1;
    if (this.capacity <= 0) return;
    if (this.buffer.length < this.capacity) this.buffer.push(sample);
    else this.buffer[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
  }

  samples(): ServerTimingSample[] {
    if (this.buffer.length < this.capacity) return this.buffer.slice();
    return [...this.buffer.slice(this.next), ...this.buffer.slice(0, this.next)];
  }

  timings(): ServerTimings {
    const samples = this.samples();
    const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
    const overhead = samples.map((s) => s.ms - s.injectedLatencyMs).sort((a, b) => a - b);
    return {
      count: samples.length,
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
      p99Ms: percentile(ms, 99),
      maxMs: ms.length ? (ms[ms.length - 1] as number) : 0,
      meanMs: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0,
      overheadP50Ms: percentile(overhead, 50),
      samples,
    };
  }

  reset(): void {
    this.requestsByRoute = {};
    this.responsesByStatus = {};
    this.requestsTotal = 0;
    this.buffer = [];
    this.next = 0;
  }
}
