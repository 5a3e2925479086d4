/**
 * A bounded-concurrency map: the inventory sync reads a page's products and sends its batches a few at a time, so a
 * page costs about one WooCommerce round trip per few requests instead of one per request, without flooding the store.
 */

/**
 * Runs `task` over `items` with at most `limit` running at once; the results are in input order. The first failure
 * rejects the whole map (tasks already started finish on their own; none is started after it).
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
