/**
 * Governance of the vendor API: the account concurrency limit (429 when full), the latency (per kind of request, see
 * latency.ts), injected faults (5xx, 429, hang, slow-response), the permission switch, the counters and server-side
 * timings a benchmark reads, and a log of recent requests with their times.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRng, type Rng } from '../shared/rng';
import { ERROR_CONTENT_TYPE, json, nsErrorBody } from './errors';
import { canonicalRecordType } from './schema';
import { drawLatencyMs, latencyFor, operationOf } from './latency';
import type { ResolvedLatency } from './options';
import { RingBuffer, summarizeTimings, type TimingSummary as SharedTimingSummary } from '../shared/timings';

export interface FaultRoute {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path prefix to match, case-insensitive, e.g. `/services/rest/record/v1/salesOrder` (any non-token path when absent). */
  pathPrefix?: string;
}

export type FaultKind = '5xx' | '429' | 'hang' | 'slow-response';
const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'hang', 'slow-response'];
const zeroFaultsByKind = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

export interface Fault {
  id: number;
  /**
   * '5xx': answer `status` instead of processing. '429': answer 429 CONCURRENCY_LIMIT_EXCEEDED (with the configured
   * Retry-After) as if the account were full. 'hang': hold the request, then process it (or never). 'slow-response':
   * process the request (the write is committed), then hold the answer `ms` (or until the client goes away).
   */
  kind: FaultKind;
  /** Status of a 5xx fault. Default 500. */
  status: 500 | 502 | 503;
  /** Remaining number of matching requests to hit; undefined = use `rate` forever. */
  remaining?: number;
  /** Fraction of matching requests to hit (seeded RNG). */
  rate?: number;
  route: FaultRoute;
  /**
   * Hang: hold for this many ms, then process the request normally; undefined = hold until the client goes away.
   * Slow-response: hold the answer this many ms after the handler ran (released early when the client goes away).
   */
  ms?: number;
  /**
   * 429 only: the Retry-After (seconds) of the answers this fault produces, overriding the governance-wide
   * `retryAfterSeconds`; null = send no Retry-After header; absent = use the governance-wide setting.
   */
  retryAfterSeconds?: number | null;
}

/** One vendor request as the simulator saw it (`control.requestLog()`, `GET /control/requests`). */
export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The route key used by `requestsByRoute`, e.g. `POST /services/rest/record/v1/salesOrder`. */
  route: string;
  /** HTTP status answered. */
  status: number;
  /** Epoch milliseconds (fractional) when the request arrived. */
  receivedAt: number;
  /** Epoch milliseconds (fractional) when the answer was finished. */
  answeredAt: number;
  /** The query string without `?` (e.g. `limit=1000&offset=0`), when there was one. */
  query?: string;
  /** The SuiteQL text (`q`) of a SuiteQL request, as sent: lets a test tell SuiteQL pages apart. */
  suiteQl?: string;
}

export interface Counters {
  inFlight: number;
  peakConcurrency: number;
  http429: number;
  requestsTotal: number;
  requestsByRoute: Record<string, number>;
  statusCounts: Record<string, number>;
  tokensMinted: number;
  /** Requests hit by an injected fault, every kind together. */
  faultsInjected: number;
  /** Requests hit by an injected fault, by kind (every kind present, 0 when none). */
  faultsByKind: Record<FaultKind, number>;
}

/** The shared timing summary, plus (on request) every kept sample in milliseconds, oldest first. */
export interface TimingSummary extends SharedTimingSummary {
  /** Only from `control.serverTimings()` or `GET /control/timings?samples=true`. */
  samplesMs?: number[];
}

export interface GovernanceSettings {
  concurrencyLimit: number;
  retryAfterSeconds: number | undefined;
  /** The default latency and, optionally, one per kind of request (latency.ts). */
  latency: ResolvedLatency;
}

interface RequestState {
  start: bigint;
  /** Epoch ms (fractional) of arrival. */
  receivedAt: number;
  slot: boolean;
  /** Set by a slow-response fault: hold the answer this long after the handler ran. */
  holdAnswerMs?: number;
}

/** Epoch milliseconds with sub-millisecond precision. */
const nowMs = (): number => performance.timeOrigin + performance.now();

export interface GovernanceInstallOptions {
  isTokenRoute: (path: string) => boolean;
  countTokenRequests: boolean;
}

export class Governance {
  private rng: Rng;
  private inFlight = 0;
  private peak = 0;
  private http429 = 0;
  private requestsTotal = 0;
  private faultsInjected = 0;
  private faultsByKind = zeroFaultsByKind();
  tokensMinted = 0;
  private byRoute = new Map<string, number>();
  private byStatus = new Map<number, number>();
  private faults: Fault[] = [];
  private nextFaultId = 1;
  private readonly denied = new Set<string>();
  private readonly timings: RingBuffer<number>;
  private readonly requests: RingBuffer<RequestLogEntry>;
  private readonly states = new WeakMap<FastifyRequest, RequestState>();

  constructor(
    readonly settings: GovernanceSettings,
    seed: number,
    timingBufferSize: number,
  ) {
    this.rng = createRng(seed);
    this.timings = new RingBuffer<number>(Math.max(1, timingBufferSize));
    this.requests = new RingBuffer<RequestLogEntry>(Math.max(1, timingBufferSize));
  }

  // ---------- faults and permissions ----------

  addFault(fault: Omit<Fault, 'id'>): Fault {
    const added = { ...fault, id: this.nextFaultId++ };
    this.faults.push(added);
    return added;
  }

  clearFaults(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  listFaults(): Fault[] {
    return this.faults.map((f) => ({ ...f, route: { ...f.route } }));
  }

  setPermission(recordType: string, operation: string, allowed: boolean): void {
    const key = `${recordType.toLowerCase()}:${operation}`;
    if (allowed) this.denied.delete(key);
    else this.denied.add(key);
  }

  isDenied(recordType: string, operation: string): boolean {
    return this.denied.size > 0 && this.denied.has(`${recordType.toLowerCase()}:${operation}`);
  }

  deniedPermissions(): string[] {
    return [...this.denied];
  }

  private matchFault(method: string, path: string, isToken: boolean): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    const lowerPath = path.toLowerCase();
    for (const fault of this.faults) {
      if (fault.route.method && fault.route.method.toUpperCase() !== method) continue;
      if (fault.route.pathPrefix ? !lowerPath.startsWith(fault.route.pathPrefix.toLowerCase()) : isToken) continue;
      if (fault.remaining !== undefined) {
        fault.remaining--;
        if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
        return fault;
      }
      if (fault.rate !== undefined && this.rng.chance(fault.rate)) return fault;
    }
    return undefined;
  }

  // ---------- counters and timings ----------

  counters(): Counters {
    return {
      inFlight: this.inFlight,
      peakConcurrency: this.peak,
      http429: this.http429,
      requestsTotal: this.requestsTotal,
      requestsByRoute: Object.fromEntries(this.byRoute),
      statusCounts: Object.fromEntries([...this.byStatus].map(([k, v]) => [String(k), v])),
      tokensMinted: this.tokensMinted,
      faultsInjected: this.faultsInjected,
      faultsByKind: { ...this.faultsByKind },
    };
  }

  resetCounters(): void {
    this.peak = this.inFlight;
    this.http429 = 0;
    this.requestsTotal = 0;
    this.faultsInjected = 0;
    this.faultsByKind = zeroFaultsByKind();
    this.tokensMinted = 0;
    this.byRoute = new Map();
    this.byStatus = new Map();
    this.timings.clear();
    this.requests.clear();
  }

  /** Recent vendor requests (as many as timings are kept), oldest first. Cleared by resetCounters(). */
  requestLog(): RequestLogEntry[] {
    return this.requests.toArray().map((entry) => ({ ...entry }));
  }

  serverTimings(includeSamples: boolean): TimingSummary {
    const samples = this.timings.toArray();
    const summary: TimingSummary = summarizeTimings(samples);
    if (includeSamples) summary.samplesMs = samples;
    return summary;
  }

  private recordTiming(ms: number): void {
    this.timings.push(ms);
  }

  // ---------- hooks ----------

  private release(state: RequestState): void {
    if (state.slot) {
      state.slot = false;
      this.inFlight--;
    }
  }

  private routeKey(request: FastifyRequest): string {
    const template = request.routeOptions.url;
    if (!template) return `${request.method} (no route)`;
    const params = request.params as Record<string, string> | undefined;
    const type = params?.type;
    const resolved = type === undefined ? template : template.replace(':type', canonicalRecordType(type) ?? type);
    return `${request.method} ${resolved}`;
  }

  /** `retryAfterSeconds`: a 429 fault's own Retry-After (null = none); undefined = the governance-wide setting. */
  private send429(reply: FastifyReply, retryAfterSeconds?: number | null): FastifyReply {
    this.http429++;
    const retryAfter = retryAfterSeconds === undefined ? this.settings.retryAfterSeconds : retryAfterSeconds;
    if (retryAfter !== undefined && retryAfter !== null) reply.header('retry-after', String(retryAfter));
    return reply
      .code(429)
      .header('content-type', ERROR_CONTENT_TYPE)
      .send(json(nsErrorBody(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.')));
  }

  /** Adds the governance hooks to the vendor app: they run before routing's handlers and the auth check. */
  install(app: FastifyInstance, options: GovernanceInstallOptions): void {
    app.addHook('onRequest', async (request, reply) => {
      const state: RequestState = { start: process.hrtime.bigint(), receivedAt: nowMs(), slot: false };
      this.states.set(request, state);
      this.requestsTotal++;
      const key = this.routeKey(request);
      this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
      const path = request.url.split('?', 1)[0] ?? request.url;
      const isToken = options.isTokenRoute(path);
      if (!isToken || options.countTokenRequests) {
        if (this.inFlight >= this.settings.concurrencyLimit) return this.send429(reply);
        this.inFlight++;
        state.slot = true;
        if (this.inFlight > this.peak) this.peak = this.inFlight;
        reply.raw.once('close', () => this.release(state));
      }
      const delay = drawLatencyMs(latencyFor(this.settings.latency, operationOf(request.method, path)), this.rng);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const fault = this.matchFault(request.method, path, isToken);
      if (!fault) return;
      this.faultsInjected++;
      this.faultsByKind[fault.kind]++;
      if (fault.kind === '429') return this.send429(reply, fault.retryAfterSeconds);
      if (fault.kind === 'slow-response') {
        state.holdAnswerMs = fault.ms ?? 0;
        return undefined;
      }
      if (fault.kind === '5xx') {
        const code = fault.status === 503 ? 'SERVICE_UNAVAILABLE' : fault.status === 502 ? 'BAD_GATEWAY' : 'UNEXPECTED_ERROR';
        return reply
          .code(fault.status)
          .header('content-type', ERROR_CONTENT_TYPE)
          .send(json(nsErrorBody(fault.status, code, 'An unexpected error occurred. Error ID: sim-injected-fault')));
      }
      const closed = await new Promise<boolean>((resolve) => {
        if (reply.raw.destroyed || reply.raw.writableFinished) return resolve(true);
        const timer = fault.ms !== undefined ? setTimeout(() => resolve(false), fault.ms) : undefined;
        // With `ms`, the request waits the full time even when the client left (NetSuite finishes what a client gave up on).
        if (timer === undefined) reply.raw.once('close', () => resolve(true));
      });
      if (closed && fault.ms === undefined) {
        // The client gave up: nothing to answer, and the request is never processed.
        this.release(state);
        reply.hijack();
        return reply;
      }
      return undefined;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const state = this.states.get(request);
      const ms = state?.holdAnswerMs;
      if (state === undefined || ms === undefined) return payload;
      state.holdAnswerMs = undefined;
      // The handler has run (a create is committed); only the answer waits.
      await new Promise<void>((resolve) => {
        if (reply.raw.destroyed) return resolve();
        const done = (): void => {
          clearTimeout(timer);
          reply.raw.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        reply.raw.once('close', done);
      });
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      const state = this.states.get(request);
      if (!state) return;
      this.release(state);
      this.byStatus.set(reply.statusCode, (this.byStatus.get(reply.statusCode) ?? 0) + 1);
      this.recordTiming(Number(process.hrtime.bigint() - state.start) / 1e6);
      const path = request.url.split('?', 1)[0] ?? request.url;
      const entry: RequestLogEntry = {
        method: request.method,
        path,
        route: this.routeKey(request),
        status: reply.statusCode,
        receivedAt: state.receivedAt,
        answeredAt: nowMs(),
      };
      const queryAt = request.url.indexOf('?');
      if (queryAt >= 0) entry.query = request.url.slice(queryAt + 1);
      const q = (request.body as { q?: unknown } | undefined)?.q;
      if (typeof q === 'string' && path.toLowerCase().endsWith('/query/v1/suiteql')) entry.suiteQl = q;
      this.requests.push(entry);
    });
  }
}
