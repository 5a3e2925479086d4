/**
 * Server-side timings of a simulator's vendor API: a bounded ring buffer of samples and one summary shape, so a
 * benchmark reads both simulators the same way.
 */

export interface TimingSummary {
  count: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentile (q in [0, 1]) of an ascending array; 0 for an empty one. */
export function percentile(sortedAscending: ArrayLike<number>, q: number): number {
  const n = sortedAscending.length;
  if (n === 0) return 0;
  return sortedAscending[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] as number;
}

/** Count, median, p90, p99, max and mean of a list of durations in milliseconds. */
export function summarizeTimings(samplesMs: readonly number[]): TimingSummary {
  const n = samplesMs.length;
  const sorted = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const ms of samplesMs) sum += ms;
  const median = n === 0 ? 0 : n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  return {
    count: n,
    medianMs: median,
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: n === 0 ? 0 : (sorted[n - 1] as number),
    meanMs: n === 0 ? 0 : sum / n,
  };
}

/** Keeps the last `capacity` items, oldest first. */
export class RingBuffer<T> {
  private items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.capacity <= 0) return;
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  toArray(): T[] {
    if (this.items.length < this.capacity) return this.items.slice();
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  clear(): void {
    this.items = [];
    this.next = 0;
  }
}
