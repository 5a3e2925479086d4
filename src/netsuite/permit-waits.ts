/**
 * Who is waiting for a NetSuite concurrency permit, and why a permit could not be had: a limiter wrapper that
 * remembers, per AbortSignal (an activity's cancellation signal is passed down to every request it makes), since when
 * its requests have waited and the last reason the limiter refused. The NetSuite activities read it to say, in their
 * heartbeat details and the order's current details, that a step is waiting for a permit rather than for NetSuite.
 */
import type { ConcurrencyLimiter } from './limiter';

export interface PermitWaits {
  /** The limiter to hand to the NetSuite client: the same permits, observed. */
  readonly limiter: ConcurrencyLimiter;
  /** Since when (epoch ms) a request made with `signal` has waited for a permit, or undefined when none waits. */
  waitingSince(signal: AbortSignal): number | undefined;
  /** Why the limiter last refused a request made with `signal` (e.g. its database is unreachable), or undefined. */
  refusal(signal: AbortSignal): { at: number; reason: string } | undefined;
}

export function trackPermitWaits(inner: ConcurrencyLimiter): PermitWaits {
  const waiting = new WeakMap<AbortSignal, number[]>();
  const refusals = new WeakMap<AbortSignal, { at: number; reason: string }>();
  return {
    limiter: {
      permits: inner.permits,
      close: () => inner.close(),
      async acquire(signal, rank) {
        if (!signal) return inner.acquire(signal, rank);
        const started = Date.now();
        const starts = waiting.get(signal) ?? [];
        starts.push(started);
        waiting.set(signal, starts);
        try {
          const release = await inner.acquire(signal, rank);
          refusals.delete(signal);
          return release;
        } catch (error) {
          if (!signal.aborted) refusals.set(signal, { at: Date.now(), reason: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          starts.splice(starts.indexOf(started), 1);
        }
      },
    },
    waitingSince: (signal) => {
      const starts = waiting.get(signal);
      return starts && starts.length > 0 ? Math.min(...starts) : undefined;
    },
    refusal: (signal) => refusals.get(signal),
  };
}
