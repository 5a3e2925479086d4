/**
 * Group commit: concurrent writes share statements. The first write goes out at once; writes that arrive while
 * `maxInFlight` statements are running wait and go out together in the next one (at most `maxBatch` per statement).
 * At low load a write costs one round trip; in a burst, a thousand deliveries cost a handful of commits instead of a
 * thousand queued ones — which is what keeps the webhook's acknowledgement from queueing behind the burst.
 *
 * Each write resolves when the statement that carried it succeeded, and rejects with that statement's error.
 */

export interface GroupCommit<T> {
  write(item: T): Promise<void>;
  /** Writes waiting or in flight. */
  pending(): number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function groupCommit<T>(writeAll: (items: readonly T[]) => Promise<void>, options: { maxInFlight: number; maxBatch: number }): GroupCommit<T> {
  const queue: Waiting<T>[] = [];
  let inFlight = 0;
  let carried = 0;

  const pump = (): void => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      carried += batch.length;
      // writeAll may throw synchronously: turned into a rejection of this batch like any other failure.
      void Promise.resolve()
        .then(() => writeAll(batch.map((w) => w.item)))
        .then(
          () => {
            for (const waiting of batch) waiting.resolve();
          },
          (error: unknown) => {
            for (const waiting of batch) waiting.reject(error);
          },
        )
        .finally(() => {
          inFlight--;
          carried -= batch.length;
          pump();
        });
    }
  };

  return {
    write(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    pending: () => queue.length + carried,
  };
}
