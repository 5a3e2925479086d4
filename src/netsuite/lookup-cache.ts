/**
 * What NetSuite answered to a look-up, kept for a while by the worker process so a returning customer or a repeated SKU
 * costs no request: item match key → internal ID, customer match key → the matched customer. Every entry is a hint,
 * never the truth: a sales order NetSuite refuses because of a cached ID (the item or customer was made inactive,
 * merged, deleted) has its look-ups made again, once, before the order needs a human (netsuite-activities.ts). Entries
 * expire after `ttlMs`, which bounds how long a change NetSuite does not refuse (an item renamed and its name given to
 * another) can go unseen; the oldest entries go first when `maxEntries` is reached.
 */

export interface LookupCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  readonly size: number;
}

export interface LookupCacheOptions {
  /** How long an answer is used, in ms; 0 turns the cache off (every look-up asks NetSuite). */
  ttlMs: number;
  /** Entries kept at most. Default 50,000. */
  maxEntries?: number;
  /** The clock (tests). Default Date.now. */
  now?: () => number;
}

export function createLookupCache<V>(options: LookupCacheOptions): LookupCache<V> {
  const { ttlMs } = options;
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      if (ttlMs <= 0) return;
      entries.delete(key); // re-inserted last: the Map's order is the age order eviction follows
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * Registers `answer` as the look-up of `key` in flight, so another asker waits for it instead of asking again; the
 * entry goes when the answer settles. `answer` must not reject (map a failure to a value the waiters understand).
 */
export function shareWhileInFlight<V>(inFlight: Map<string, Promise<V>>, key: string, answer: Promise<V>): void {
  inFlight.set(key, answer);
  void answer.then(() => inFlight.get(key) === answer && inFlight.delete(key));
}
