/** Request counters and server-side timings of the vendor API (a bounded ring buffer of samples). */
import { RingBuffer, summarizeTimings, type TimingSummary } from '../shared/timings';

export interface ServerTimingSample {
  /** `METHOD /route/template`, e.g. `GET /wp-json/wc/v3/orders/:id`. */
  route: string;
  statusCode: number;
  /** Server time from Fastify onRequest to onResponse, in ms (injected latency included). */
  ms: number;
  /** Artificial latency injected into this request, in ms. */
  injectedLatencyMs: number;
}

/** The shared timing summary (injected latency included), the simulator's own overhead, and the samples. */
export interface ServerTimings extends TimingSummary {
  /** Median of the simulator's own overhead: server time minus injected latency. */
  overheadMedianMs: number;
  /** The buffered samples, oldest first. */
  samples: ServerTimingSample[];
}

export class Metrics {
  requestsByRoute: Record<string, number> = {};
  responsesByStatus: Record<string, number> = {};
  requestsTotal = 0;
  private readonly buffer: RingBuffer<ServerTimingSample>;

  constructor(capacity: number) {
    this.buffer = new RingBuffer(capacity);
  }

  record(sample: ServerTimingSample): void {
    this.requestsTotal++;
    this.requestsByRoute[sample.route] = (this.requestsByRoute[sample.route] ?? 0) + 1;
    const status = String(sample.statusCode);
    this.responsesByStatus[status] = (this.responsesByStatus[status] ?? 0) + 1;
    this.buffer.push(sample);
  }

  samples(): ServerTimingSample[] {
    return this.buffer.toArray();
  }

  timings(): ServerTimings {
    const samples = this.samples();
    return {
      ...summarizeTimings(samples.map((s) => s.ms)),
      overheadMedianMs: summarizeTimings(samples.map((s) => s.ms - s.injectedLatencyMs)).medianMs,
      samples,
    };
  }

  reset(): void {
    this.requestsByRoute = {};
    this.responsesByStatus = {};
    this.requestsTotal = 0;
    this.buffer.clear();
  }
}
