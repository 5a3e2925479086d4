/**
 * A cap on in-flight NetSuite requests. Every NetSuite HTTP request (and, when configured, every token request)
 * holds one permit for its whole duration. `createProcessLimiter` caps one process; the PostgreSQL limiter
 * (postgres-limiter.ts) caps all worker replicas together.
 */
import { insertByRank } from './permit-rank';

/** Gives back a permit. Calling it twice is harmless. */
export type ReleasePermit = () => void;

export interface ConcurrencyLimiter {
  /**
   * Waits for a permit. Rejects when `signal` aborts while waiting (nothing is held then). Waiting requests are served
   * lowest `rank` first (permit-rank.ts: the order that arrived first), equal ranks in the order they asked; default now.
   */
  acquire(signal?: AbortSignal, rank?: number): Promise<ReleasePermit>;
  /** The number of permits the limiter hands out at most at once (cluster-wide for a shared limiter). */
  readonly permits: number;
  /** Releases resources (connections). Outstanding permits are released. */
  close(): Promise<void>;
}

/** The detail of a request refused a permit, with the limiter's reason (e.g. its database is unreachable). */
export function noPermit(error: unknown, what?: string): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `No concurrency permit could be acquired${what ? ` ${what}` : ''}: ${reason}.`;
}

/** A semaphore for one process, serving the lowest rank first: the cap holds only while a single worker replica calls NetSuite. */
export function createProcessLimiter(permits: number): ConcurrencyLimiter {
  if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, got ${permits}`);
  let available = permits;
  const waiters: { rank: number; grant: () => void }[] = [];
  const makeRelease = (): ReleasePermit => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
      if (next) next.grant();
      else available++;
    };
  };
  return {
    permits,
    acquire(signal?: AbortSignal, rank = Date.now()): Promise<ReleasePermit> {
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
      if (available > 0) {
        available--;
        return Promise.resolve(makeRelease());
      }
      return new Promise<ReleasePermit>((resolve, reject) => {
        const waiter = {
          rank,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(makeRelease());
          },
        };
        const onAbort = (): void => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        insertByRank(waiters, waiter);
      });
    },
    async close(): Promise<void> {
      waiters.length = 0;
    },
  };
}
