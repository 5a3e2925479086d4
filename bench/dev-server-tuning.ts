/**
 * Dynamic config the benchmark gives its Temporal dev server (`--dynamic-config-value k=v`), each for throughput:
 * - `system.enableActivityEagerExecution`: a workflow task that schedules an activity on its own task queue may get
 *   the activity task back in its completion response (no trip through matching) when the worker has a free slot;
 * - `matching.numTaskqueue{Read,Write}Partitions` = 1: one partition per task queue (the default 4 makes polls and
 *   tasks meet through partition forwarding, which only pays off with many pollers).
 */
export const BENCH_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'system.enableActivityEagerExecution': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};
