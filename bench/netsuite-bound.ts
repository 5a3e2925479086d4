/**
 * The speed limit NetSuite sets: with C concurrent requests and every request holding its slot for its latency, the
 * account serves at most C slot-seconds per second. An order that needs Σ (calls × latency) slot-seconds can therefore
 * sync at most C / Σ orders per second:
 *
 *   bound = C / (Σ over routes of calls on that route × the mean latency configured for that route's kind ÷ orders)
 *
 * With one latency L for every request this is C / (k·L), k = NetSuite calls per order. The calls are the ones the
 * simulator counted (token endpoint excluded: it holds no slot); the latency is the one configured in the simulator
 * (simulators/netsuite/latency.ts: suiteql, create, read, update, delete), not the time measured, so the bound is
 * what the account could do, and achieved ÷ bound says how much of it the integration used.
 */
import { latencyFor, meanLatencyMs, operationOfRoute, type ResolvedLatency } from '../simulators/netsuite';

/** One route's share of an order's slot time. */
export interface RouteTerm {
  route: string;
  /** The kind of request the simulator gives its latency by; undefined = the default latency. */
  operation: string;
  calls: number;
  /** Mean configured latency of the route, in ms. */
  meanMs: number;
}

export interface NetSuiteBound {
  concurrency: number;
  orders: number;
  /** Routes, most slot time first. */
  terms: RouteTerm[];
  /** NetSuite calls per order: Σ calls ÷ orders. */
  callsPerOrder: number;
  /** Σ calls × mean latency ÷ orders, in seconds: the slot time one order needs. */
  slotSecondsPerOrder: number;
  /** C ÷ slotSecondsPerOrder, in orders per second (0 without orders). */
  ordersPerSecond: number;
}

/** The bound for `orders` orders that made the calls in `byRoute` (route key → count, token endpoint left out). */
export function netsuiteBound(byRoute: Record<string, number>, latency: ResolvedLatency, concurrency: number, orders: number): NetSuiteBound {
  const terms = Object.entries(byRoute)
    .map(([route, calls]) => {
      const operation = operationOfRoute(route);
      return { route, operation: operation ?? 'default', calls, meanMs: meanLatencyMs(latencyFor(latency, operation)) };
    })
    .sort((a, b) => b.calls * b.meanMs - a.calls * a.meanMs);
  const calls = terms.reduce((sum, t) => sum + t.calls, 0);
  const slotSeconds = terms.reduce((sum, t) => sum + (t.calls * t.meanMs) / 1000, 0);
  const slotSecondsPerOrder = orders > 0 ? slotSeconds / orders : 0;
  return {
    concurrency,
    orders,
    terms,
    callsPerOrder: orders > 0 ? calls / orders : 0,
    slotSecondsPerOrder,
    ordersPerSecond: slotSecondsPerOrder > 0 ? concurrency / slotSecondsPerOrder : 0,
  };
}

/** How the bound was computed, as lines: the formula with the measured calls and configured latencies filled in. */
export function explainBound(bound: NetSuiteBound): string[] {
  const sum = bound.terms.map((t) => `${t.calls} × ${(t.meanMs / 1000).toFixed(3)} s`).join(' + ');
  return [
    `bound = C / (Σ over routes of calls × mean configured latency ÷ orders)`,
    `      = ${bound.concurrency} / ((${sum || '0'}) ÷ ${bound.orders}) = ${bound.concurrency} / ${bound.slotSecondsPerOrder.toFixed(3)} s = ${bound.ordersPerSecond.toFixed(2)} orders/s`,
    ...bound.terms.map((t) => `        ${String(t.calls).padStart(6)} × ${String(Math.round(t.meanMs)).padStart(5)} ms  ${t.operation.padEnd(7)} ${t.route}`),
  ];
}
