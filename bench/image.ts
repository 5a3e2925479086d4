/**
 * npm run bench:image — what the runtime image costs a cluster: its size, and the worker container's memory after it
 * synced N orders (default 100) against the simulators, each with its goal and ok/MISS.
 *
 * The image is `woo-netsuite-sync:local` (`npm run image:build`; built here when missing). The worker runs as the
 * manifests run it (dev/containers.ts: uid 1000, read-only root, --network host) against a real dev server, both
 * simulators and an embedded PostgreSQL; orders are started as the receiver starts them (signal-with-start). Memory is
 * the container's node process as the kernel counts it (/proc/<pid>/status): VmRSS after the orders, VmHWM its peak.
 *
 * Goals (deploy/README.md, "Image and memory"): image ≤ 420 MB — the Node base (~240 MB: Debian slim + the 120 MB
 * Node binary) plus production dependencies (~160 MB, a third of it Temporal's native core and protos), with ~5 % to
 * spare, so shipping dev dependencies or another platform's native libraries shows as a MISS; worker RSS ≤ 384 MiB —
 * three quarters of the 512 Mi the worker's manifest requests, leaving a burst room below the request before the
 * 1 Gi limit is ever near.
 *
 * Prints one line per figure on stderr and a last JSON line on stdout: {imageBytes, workerRssBytes, workerPeakRssBytes, orders, …}.
 */
import { parseArgs } from 'node:util';
import { containerMemory, containerRun, containerSuiteSkipReason, docker, IMAGE, readyOrExited, removeContainers } from '../dev/containers';
import { generateCatalog, generateOrderDrafts } from '../simulators/seed';
import { readOrderReport } from '../src/cli/order-commands';
import { createOrderStarter } from '../src/order-starter';
import { startBenchStack } from './bench-stack';

const MB = 1e6;
const MIB = 1024 * 1024;
const GOALS = { imageBytes: 420 * MB, workerRssBytes: 384 * MIB };

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100' } } });
const orders = Number(values.orders);
const err = (line: string): void => void process.stderr.write(`${line}\n`);
const verdict = (value: number, goal: number): string => (value <= goal ? 'ok' : 'MISS');

async function main(): Promise<void> {
  const skip = containerSuiteSkipReason();
  if (skip) throw new Error(`bench:image needs a container engine: ${skip}`);
  const imageBytes = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', IMAGE]));
  err(`image ${IMAGE}: ${(imageBytes / MB).toFixed(0)} MB (goal ≤ ${GOALS.imageBytes / MB} MB) ${verdict(imageBytes, GOALS.imageBytes)}`);

  const catalog = generateCatalog({ seed: 71 });
  const bench = await startBenchStack(catalog, { store: 'bench-image' });
  const { stack } = bench;
  try {
    const run = containerRun(stack, 'worker');
    const worker = stack.spawnWorker({}, run.how);
    await readyOrExited(worker, 'worker');
    const idle = await containerMemory(run.name);
    err(`worker container ready: RSS ${(idle.rss / MIB).toFixed(0)} MiB`);

    const start = createOrderStarter(stack.client, stack.taskQueue);
    const placed = generateOrderDrafts(catalog, orders).map((draft) => stack.woo.control.placeOrder({ ...draft, status: 'processing' }));
    const startedAt = Date.now();
    for (const order of placed) await start({ store: stack.store.name, orderId: order.id, source: 'bench' });
    const pending = new Set(placed.map((o) => o.id));
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const report = await readOrderReport(stack.client, stack.store.name, id);
        if (report?.state && ['Synced', 'Skipped', 'NeedsAttention', 'Failed'].includes(report.state.status) && report.state.outcomeRecorded)
          pending.delete(id);
      }
      if (Date.now() - startedAt > 600_000) throw new Error(`${pending.size} orders unfinished after 10 minutes`);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - startedAt) / 1000;
    const after = await containerMemory(run.name);
    err(`${orders} orders finished in ${seconds.toFixed(1)} s`);
    err(
      `worker RSS after ${orders} orders: ${(after.rss / MIB).toFixed(0)} MiB (goal ≤ ${GOALS.workerRssBytes / MIB} MiB) ${verdict(after.rss, GOALS.workerRssBytes)}; peak ${(after.peak / MIB).toFixed(0)} MiB`,
    );
    process.stdout.write(
      `${JSON.stringify({
        image: IMAGE,
        imageBytes,
        imageGoalBytes: GOALS.imageBytes,
        orders,
        seconds: Number(seconds.toFixed(1)),
        workerIdleRssBytes: idle.rss,
        workerRssBytes: after.rss,
        workerPeakRssBytes: after.peak,
        workerRssGoalBytes: GOALS.workerRssBytes,
      })}\n`,
    );
  } finally {
    await removeContainers();
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
