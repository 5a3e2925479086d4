/**
 * REST fault injection: hold ("hang") the next matching vendor requests before their handler runs, for `ms` or until
 * the client goes away — then the request is never processed, as when a PHP worker is killed with its client. Tests
 * use it to catch a client in the middle of a write (e.g. a stock batch) and crash it there, observing the moment
 * through `holding` rather than guessing a time.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseControlInput } from '../shared/http';

export const restFaultSchema = z
  .object({
    kind: z.literal('hang'),
    /** Matches the next `count` requests (default 1). */
    count: z.number().int().min(1).default(1),
    /** Hold this long, then process the request normally. Default: until the client goes away (never processed). */
    ms: z.number().int().min(1).optional(),
    route: z
      .object({ method: z.string().min(1).optional(), pathPrefix: z.string().startsWith('/', 'pathPrefix must start with /').optional() })
      .strict()
      .default({}),
  })
  .strict();

/** An injected REST fault and what it has done so far. */
export interface RestFault {
  id: number;
  kind: 'hang';
  route: { method?: string; pathPrefix?: string };
  ms?: number;
  /** Matches left. */
  remaining: number;
  /** Requests it has matched. */
  matched: number;
  /** Requests it holds right now. */
  holding: number;
}

/** The control operations of REST faults (part of WooCommerceControl). */
export interface RestFaultControl {
  /** Adds a fault: `{kind: 'hang', count?, ms?, route?: {method?, pathPrefix?}}` (pathPrefix below the store URL, e.g. `/wp-json/wc/v3/products/batch`). */
  addFault(input: z.input<typeof restFaultSchema>): RestFault;
  /** The faults, spent ones included, with `matched` and `holding`. */
  faults(): RestFault[];
  /** Removes every fault and lets the requests they hold proceed. */
  clearFaults(): { cleared: number; released: number };
}

export class RestFaults implements RestFaultControl {
  private list: RestFault[] = [];
  private nextId = 1;
  private readonly releases = new Set<() => void>();

  addFault(input: z.input<typeof restFaultSchema>): RestFault {
    const parsed = parseControlInput(restFaultSchema, input, 'fault');
    const fault: RestFault = { id: this.nextId++, kind: parsed.kind, route: { ...parsed.route }, remaining: parsed.count, matched: 0, holding: 0 };
    if (parsed.ms !== undefined) fault.ms = parsed.ms;
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

  private match(method: string, path: string): RestFault | undefined {
    const lower = path.toLowerCase();
    for (const fault of this.list) {
      if (fault.remaining <= 0) continue;
      if (fault.route.method && fault.route.method.toUpperCase() !== method) continue;
      if (fault.route.pathPrefix && !lower.startsWith(fault.route.pathPrefix.toLowerCase())) continue;
      fault.remaining--;
      fault.matched++;
      return fault;
    }
    return undefined;
  }

  /**
   * Runs in the vendor API's onRequest hook, after the latency: holds a matching request. Returns true when the client
   * went away while held (the hook then hijacks the reply: nothing is processed or answered).
   */
  async intercept(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (this.list.length === 0) return false;
    const fault = this.match(request.method, request.url.split('?', 1)[0] ?? request.url);
    if (!fault) return false;
    fault.holding++;
    try {
      return await new Promise<boolean>((resolve) => {
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
    } finally {
      fault.holding--;
    }
  }
}
