/**
 * How `npm run bench:orders` prints a burst: the common figures every phase shows (orders, wall time, NetSuite requests
 * by route, webhooks, slots, event loop, CPU), where a sampled order waits, and a figure with its goal and ok/MISS.
 */
import type { BurstResult } from './order-burst';
import type { WaitBreakdown } from './wait-breakdown';

export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** "ok  " or "MISS". */
export const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISS');

/** One figure with its goal: `  ok   name   value   (goal …; how it was measured)`. */
export function goalLine(ok: boolean, name: string, value: string, goal: string, how = ''): string {
  return `  ${mark(ok)} ${name.padEnd(34)} ${value}   (goal ${goal}${how ? `; ${how}` : ''})`;
}

/** A figure without a goal, aligned with goalLine's. */
export function infoLine(name: string, value: string): string {
  return `       ${name.padEnd(34)} ${value}`;
}

export function printBreakdown(result: BurstResult): void {
  const b = result.breakdown;
  if (!b) return;
  console.log(
    `  where a sampled order waits (${b.sampled} histories; median / p90 ms; ${b.workflowTasksPerOrder} workflow tasks per order; workflow ${fmtMs(b.workflowMs.medianMs)} median):`,
  );
  printSteps(b);
}

/** Where the slowest of the first orders placed waited (one history). */
export function printSlowestFirst(result: BurstResult): void {
  const { slowest, slowestOrderId, count, maxMs, slowestStartedAfterMs } = result.firstOrders;
  if (!slowest || slowestOrderId === undefined) return;
  const start = slowestStartedAfterMs === undefined ? '' : `; its workflow started ${fmtMs(slowestStartedAfterMs)} after its first webhook`;
  console.log(
    `  the slowest of the first ${count} orders placed: order ${slowestOrderId}, ${fmtMs(maxMs)} webhook → sales order${start}; its steps (ms; a step run more than once shows median / p90):`,
  );
  printSteps(slowest);
}

function printSteps(b: WaitBreakdown): void {
  for (const s of b.steps) {
    console.log(
      `    ${s.step.padEnd(18)} queued ${String(s.queued.medianMs).padStart(7)} / ${String(s.queued.p90Ms).padStart(7)}   running ${String(s.running.medianMs).padStart(6)} / ${String(s.running.p90Ms).padStart(6)}${s.retries ? `   retries ${s.retries}` : ''}`,
    );
  }
}

export function printCommon(result: BurstResult): void {
  console.log(
    `  orders synced            ${result.synced}/${result.orders}${result.stalled ? '  (STALLED: orders were lost; partial figures)' : result.timedOut ? '  (TIMED OUT: partial figures)' : ''}; placed in ${fmtMs(result.placementMs)}; workflow runs ${result.workflowRuns}`,
  );
  console.log(
    `  wall time                ${fmtMs(result.wallMs)} to the last sales order (${result.ordersPerSecond} orders/s); ${fmtMs(result.closedWallMs)} to the last workflow closed (${result.closedOrdersPerSecond} orders/s); the store's last delivery answered after ${fmtMs(result.deliveryWallMs)}`,
  );
  console.log(
    `  NetSuite requests        ${result.netsuite.requests} (token endpoint excluded; ${result.netsuite.tokensMinted} token(s) minted), peak concurrency ${result.netsuite.peakConcurrency}; server time p50 ${result.netsuite.serverMedianMs} ms, p99 ${result.netsuite.serverP99Ms} ms; slots busy ${Math.round(result.netsuite.utilization * 100)}%`,
  );
  for (const [route, n] of Object.entries(result.netsuite.byRoute).sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(6)}  ${route}`);
  console.log(`  receiver                 ${result.receiver ? JSON.stringify(result.receiver) : '(its own process: counters not read)'}`);
  if (result.ack.failed > 0 || result.neverReached > 0) {
    console.log(
      `  WEBHOOKS FAILED          ${result.ack.failed} deliveries failed ${JSON.stringify(result.deliveryErrors)}; ${result.neverReached} order(s) never reached the receiver`,
    );
  }
  console.log(
    `  webhooks                 ${result.ack.count} deliveries, ack p50 ${fmtMs(result.ack.p50Ms)}, p99 ${fmtMs(result.ack.p99Ms)}, max ${fmtMs(result.ack.maxMs)}; at the end: ${result.webhooks.map((w) => `${w.topic} ${w.status} (failures ${w.failureCount})`).join(', ')}`,
  );
  console.log(
    `  NetSuite slots           first request ${fmtMs(result.slots.rampMs)} after the first placement; from then on ${Math.round(result.slots.steadyUtilization * 100)}% busy (share of time with 0…C in flight: ${result.slots.share.join(' ')})`,
  );
  console.log(`  event loop (this process) lag p50 ${result.eventLoop.p50Ms} ms, p99 ${result.eventLoop.p99Ms} ms, max ${result.eventLoop.maxMs} ms`);
  const roles = Object.keys(result.cpu.secondsByRole).length > 0 ? `; by role ${JSON.stringify(result.cpu.secondsByRole)}` : '';
  console.log(
    `  CPU                      machine busy ${Math.round(result.cpu.machineBusy * 100)}% of ${result.cpu.cores} cores; CPU seconds ${JSON.stringify(result.cpu.secondsByProcess)}${roles}; load ${result.cpu.loadAverage.join(' ')}`,
  );
}
