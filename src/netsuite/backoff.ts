/**
 * Jittered exponential back-off for retrying NetSuite calls (429 without `Retry-After`, 5xx, timeouts).
 * Oracle's advice: growing delays, and never retry every thread at the same moment — hence the jitter.
 */

/** Options of `backoffDelayMs`. */
export interface BackoffOptions {
  /** Delay of the first attempt before jitter, in ms. Default 1000. */
  baseMs?: number;
  /** Cap of the exponential delay before jitter, in ms. Default 60000. */
  maxMs?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Default first delay: 1 s. */
export const DEFAULT_BACKOFF_BASE_MS = 1000;
/** Default cap of the exponential part: 60 s. */
export const DEFAULT_BACKOFF_MAX_MS = 60_000;

/**
 * Jittered exponential back-off: `min(maxMs, baseMs·2^(attempt−1))` times a random factor in [0.5, 1.5)
 * ("equal-spread" jitter, not "full" jitter), rounded to whole milliseconds. The result is therefore in
 * [0.5·capped, 1.5·capped): with the defaults, attempt 1 waits 0.5–1.5 s and attempts ≥ 7 wait 30–90 s.
 * `attempt` is 1 for the first retry; a non-integer or an attempt below 1 is a RangeError.
 * Defaults: baseMs 1000, maxMs 60000, random Math.random.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new RangeError(`baseMs and maxMs must be ≥ 0, got ${baseMs} and ${maxMs}`);
  const random = options.random ?? Math.random;
  // 2^1023 is the largest finite power of two; beyond that the cap applies anyway.
  const exponential = baseMs * 2 ** Math.min(attempt - 1, 1023);
  const capped = Math.min(maxMs, exponential);
  const factor = 0.5 + Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * factor);
}
