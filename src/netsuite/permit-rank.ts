/**
 * Which waiting request gets the next NetSuite permit: the one whose order has waited longest. A request's rank is the
 * time its order arrived (the order workflow's start, passed by the order's NetSuite activities); a request made
 * outside an order (inventory, drift, reconciliation, lifecycle reads) ranks by the time it asked. Lower goes first.
 *
 * The rank travels with the activity's async context rather than through every NetSuite call's options, so the
 * client's token mints and SuiteQL page walks inherit it too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const rankOfContext = new AsyncLocalStorage<number>();

/** Runs `run` with its NetSuite requests ranked at `arrivedAt` (epoch ms); unranked when undefined. */
export function withPermitRank<T>(arrivedAt: number | undefined, run: () => Promise<T>): Promise<T> {
  return arrivedAt === undefined || !Number.isFinite(arrivedAt) ? run() : rankOfContext.run(arrivedAt, run);
}

/** The rank of a request made now: its order's arrival, else now. */
export function currentPermitRank(): number {
  return rankOfContext.getStore() ?? Date.now();
}

/** Inserts `item` into `queue` (ascending rank; equal ranks keep their arrival order) and returns the queue. */
export function insertByRank<T extends { rank: number }>(queue: T[], item: T): T[] {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (queue[mid]!.rank <= item.rank) low = mid + 1;
    else high = mid;
  }
  queue.splice(low, 0, item);
  return queue;
}
