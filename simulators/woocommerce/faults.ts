/**
 * REST fault injection on the vendor REST API (paths under `/wp-json/`; the control API is never faulted). Two kinds:
 * - 'hang': hold the matching request before its handler runs, for `ms` or until the client goes away — then the
 *   request is never processed, as when a PHP worker is killed with its client. Tests use it to catch a client in the
 *   middle of a write (e.g. a stock batch) and crash it there, observing the moment through `holding` rather than
 *   guessing a time.
 * - '5xx': answer `status` (500, 502 or 503) with a WordPress-shaped JSON error instead of running the handler
 *   (nothing is processed), as when PHP dies with a fatal error or the site is in maintenance.
 * A fault hits either the next `count` matching requests (default 1) or, with `rate`, each matching request
 * independently with that probability (the simulator's seeded RNG), never exhausted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Rng } from '../shared/rng';
import { parseControlInput } from '../shared/http';
import { WooError } from './errors';
import { sendError } from './rest-util';

/** Only vendor REST requests are faulted: WordPress's REST API lives under /wp-json. */
const REST_ROOT = '/wp-json';

const routeSchema = z
  .object({ method: z.string().min(1).optional(), pathPrefix: z.string().startsWith('/', 'pathPrefix must start with /').optional() })
  .strict()
  .default({});
/** Matches the next `count` requests (default 1 when `rate` is not given either). */
const countSchema = z.number().int('count must be a whole number').min(1, 'count must be ≥ 1').optional();
/** Each matching request is hit with this probability (seeded RNG); the fault is never used up. */
const rateSchema = z.number().min(0, 'rate must be between 0 and 1').max(1, 'rate must be between 0 and 1').optional();

export const restFaultSchema = z
  .discriminatedUnion(
    'kind',
    [
      z
        .object({
          kind: z.literal('hang'),
          count: countSchema,
          rate: rateSchema,
          /** Hold this long, then process the request normally. Default: until the client goes away (never processed). */
          ms: z.number().int().min(1).optional(),
          route: routeSchema,
        })
        .strict(),
      z
        .object({
          kind: z.literal('5xx'),
          /** The status answered. Default 500. */
          status: z.union([z.literal(500), z.literal(502), z.literal(503)], { error: 'status must be 500, 502 or 503' }).default(500),
          count: countSchema,
          rate: rateSchema,
          route: routeSchema,
        })
        .strict(),
    ],
    { error: "kind must be 'hang' or '5xx'" },
  )
  .refine((f) => f.count === undefined || f.rate === undefined, {
    message: 'give exactly one of count (next N matching requests; default 1) or rate (0..1, each matching request independently)',
    path: ['count'],
  });

export type RestFaultKind = 'hang' | '5xx';

/** An injected REST fault and what it has done so far. */
export interface RestFault {
  id: number;
  kind: RestFaultKind;
  route: { method?: string; pathPrefix?: string };
  /** hang: hold this long, then process; absent = until the client goes away. */
  ms?: number;
  /** 5xx: the status answered. */
  status?: 500 | 502 | 503;
  /** Count faults: matches left (0 = spent). Absent on a rate fault. */
  remaining?: number;
  /** Rate faults: the probability each matching request is hit. */
  rate?: number;
  /** Requests it has hit. */
  matched: number;
  /** Requests it holds right now (hang). */
  holding: number;
}

/** The control operations of REST faults (part of WooCommerceControl). */
export interface RestFaultControl {
  /**
   * Adds a fault: `{kind: 'hang', count?|rate?, ms?, route?: {method?, pathPrefix?}}` or `{kind: '5xx', status?: 500|502|503,
   * count?|rate?, route?}` (pathPrefix below the store URL, e.g. `/wp-json/wc/v3/products/batch`; count defaults to 1).
   */
  addFault(input: z.input<typeof restFaultSchema>): RestFault;
  /** The faults, spent ones included, with `matched` and `holding`. */
  faults(): RestFault[];
  /** Removes every fault and lets the requests they hold proceed. */
  clearFaults(): { cleared: number; released: number };
}

/** What intercept() did: let the request proceed, answered it (5xx), or the client went away while it was held. */
export type InterceptOutcome = 'proceed' | 'answered' | 'gone';

const zeroInjected = (): Record<RestFaultKind, number> => ({ hang: 0, '5xx': 0 });

/** The WordPress-shaped error each 5xx status is answered with. */
function injectedError(status: 500 | 502 | 503): WooError {
  // PHP fatal error: WordPress's fatal-error handler (wp_die JSON handler) answers internal_server_error.
  if (status === 500) return new WooError(500, 'internal_server_error', 'There has been a critical error on this website.');
  // Maintenance mode (wp_maintenance): 503 with its well-known message.
  if (status === 503) return new WooError(503, 'service_unavailable', 'Briefly unavailable for scheduled maintenance. Check back in a minute.');
  // The web server in front of PHP got no valid answer.
  return new WooError(502, 'bad_gateway', 'Bad Gateway: the web server received an invalid response from PHP.');
}

export class RestFaults implements RestFaultControl {
  private list: RestFault[] = [];
  private nextId = 1;
  private readonly releases = new Set<() => void>();
  private injected = zeroInjected();

  /** `rng`: the simulator's seeded RNG (rate faults). */
  constructor(private readonly rng: Rng) {}

  addFault(input: z.input<typeof restFaultSchema>): RestFault {
    const parsed = parseControlInput(restFaultSchema, input, 'fault');
    const fault: RestFault = { id: this.nextId++, kind: parsed.kind, route: { ...parsed.route }, matched: 0, holding: 0 };
    if (parsed.rate !== undefined) fault.rate = parsed.rate;
    else fault.remaining = parsed.count ?? 1;
    if (parsed.kind === 'hang' && parsed.ms !== undefined) fault.ms = parsed.ms;
    if (parsed.kind === '5xx') fault.status = parsed.status;
    this.list.push(fault);
    return { ...fault, route: { ...fault.route } };
  }

  faults(): RestFault[] {
    return this.list.map((f) => ({ ...f, route: { ...f.route } }));
  }

  clearFaults(): { cleared: number; released: number } {
    const cleared = this.list.length;
    const released = this.releases.size;
    this.list = [];
    for (const release of [...this.releases]) release();
    return { cleared, released };
  }

  /** Requests hit by a fault, by kind, since the start or the last resetCounters(). */
  injectedByKind(): Record<RestFaultKind, number> {
    return { ...this.injected };
  }

  resetCounters(): void {
    this.injected = zeroInjected();
  }

  private match(method: string, path: string): RestFault | undefined {
    const lower = path.toLowerCase();
    if (lower !== REST_ROOT && !lower.startsWith(`${REST_ROOT}/`)) return undefined;
    for (const fault of this.list) {
      if (fault.remaining !== undefined && fault.remaining <= 0) continue;
      if (fault.route.method && fault.route.method.toUpperCase() !== method) continue;
      if (fault.route.pathPrefix && !lower.startsWith(fault.route.pathPrefix.toLowerCase())) continue;
      if (fault.rate !== undefined) {
        if (!this.rng.chance(fault.rate)) continue;
      } else if (fault.remaining !== undefined) {
        fault.remaining--;
      }
      fault.matched++;
      this.injected[fault.kind]++;
      return fault;
    }
    return undefined;
  }

  /**
   * Runs in the vendor API's onRequest hook, after the latency. A 5xx fault answers the request here ('answered': the
   * hook stops, no handler runs). A hang fault holds the request; 'gone' when the client went away while it was held
   * (the hook then hijacks the reply: nothing is processed or answered).
   */
  async intercept(request: FastifyRequest, reply: FastifyReply): Promise<InterceptOutcome> {
    if (this.list.length === 0) return 'proceed';
    const fault = this.match(request.method, request.url.split('?', 1)[0] ?? request.url);
    if (!fault) return 'proceed';
    if (fault.kind === '5xx') {
      sendError(reply, injectedError(fault.status ?? 500));
      return 'answered';
    }
    fault.holding++;
    try {
      const gone = await new Promise<boolean>((resolve) => {
        if (reply.raw.destroyed || reply.raw.writableFinished) return resolve(true);
        let timer: NodeJS.Timeout | undefined;
        const done = (gone: boolean): void => {
          if (timer) clearTimeout(timer);
          reply.raw.off('close', onClose);
          this.releases.delete(release);
          resolve(gone);
        };
        const onClose = (): void => done(true);
        const release = (): void => done(false);
        this.releases.add(release);
        // The response closing before it was written is the client going away.
        reply.raw.once('close', onClose);
        if (fault.ms !== undefined) timer = setTimeout(() => done(false), fault.ms);
      });
      return gone ? 'gone' : 'proceed';
    } finally {
      fault.holding--;
    }
  }
}
