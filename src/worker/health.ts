/**
 * The worker process's health: what its /livez and /readyz (src/health.ts `startHealthServer`) report once both
 * workers of the replica are built.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { DatabaseProbe } from '../database-health';
import { temporalCheck, type HealthEndpoints } from '../health';

/**
 * Liveness: neither worker has failed or stopped on its own (draining during a graceful shutdown is still alive).
 * Readiness: both are polling and the Temporal frontend answers.
 */
export function workerHealth(
  workers: Readonly<Record<'orders' | 'netsuite', Pick<Worker, 'getState'>>>,
  connection: NativeConnection,
  databases: readonly DatabaseProbe[] = [],
): HealthEndpoints {
  const named = [
    ['orders', workers.orders],
    ['netsuite', workers.netsuite],
  ] as const;
  const state = (alive: readonly string[]) => () => {
    const bad = named.filter(([, w]) => !alive.includes(w.getState())).map(([name, w]) => `${name} worker is ${w.getState()}`);
    return bad.length === 0 ? { ok: true } : { ok: false, detail: bad.join('; ') };
  };
  return {
    liveness: { workers: state(['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED']) },
    readiness: {
      workers: state(['RUNNING']),
      temporal: temporalCheck(connection),
      ...Object.fromEntries(databases.map((probe) => [`database ${probe.name}`, () => probe.check()])),
    },
  };
}
