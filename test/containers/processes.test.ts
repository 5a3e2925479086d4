/**
 * The image's processes as containers (`docker run --network host`, uid 1000, read-only root filesystem, every
 * capability dropped — as the Kubernetes manifests run them) against the real dev server, both simulators and
 * PostgreSQL on this machine: the worker container syncs a real order and answers /readyz, the CLI container starts
 * and reports it, the receiver container accepts a signed webhook; `docker stop` lets the receiver answer what is in
 * flight and lets the worker finish a slow NetSuite create, each exiting 0 within its manifest's grace period.
 * Skipped, saying why, only where no container engine can start.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { WorkerProcess } from '../../dev/sync-stack';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { orderWorkflowId } from '../../src/api';
import { until } from '../helpers/until';
import { cli, isSynced, salesOrdersWithExternalId, startE2E, type E2E } from '../order-sync/helpers';
import { sendDelivery, signedDelivery } from '../order-sync/webhook-replay';
import { getJson, healthUrlOf } from '../production/helpers';
import { containerRun, containerSuiteSkipReason, manifest, readyOrExited, removeContainers, stopContainer } from '../../dev/containers';

const catalog = generateCatalog({ seed: 61 });
const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';
const skip = containerSuiteSkipReason();
const worker = manifest('worker');
const receiver = manifest('receiver');
/** The manifests' shutdown settings, so the containers drain as they would in the cluster. */
const WORKER_ENV = { WORKER_SHUTDOWN_GRACE_SECONDS: worker.env('WORKER_SHUTDOWN_GRACE_SECONDS') };
const RECEIVER_ENV = { WEBHOOK_DRAIN_SECONDS: receiver.env('WEBHOOK_DRAIN_SECONDS') };

describe('the image as containers: worker, receiver and CLI', { skip, timeout: 600_000 }, () => {
  let e2e: E2E;
  let drafts: ReturnType<typeof generateOrderDrafts>;
  let workerContainer: { name: string; proc: WorkerProcess };
  let receiverContainer: { name: string; proc: WorkerProcess; url: string };
  before(async () => {
    e2e = await startE2E({ catalog, topics: [] });
    drafts = generateOrderDrafts(catalog, 6);
  });
  after(async () => {
    await removeContainers();
    await e2e?.close();
  });

  /** Runs the operator CLI from the image: its exit code and what it printed. */
  const cliContainer = async (argv: string[]): Promise<{ code: number | string; text: string }> => {
    const run = containerRun(e2e.stack, 'cli', {}, ['node', 'dist/src/client.js', ...argv]);
    const proc = e2e.stack.spawnWorker({}, run.how);
    const code = await proc.exited;
    return { code, text: proc.output() };
  };
  const place = (index: number) => e2e.stack.woo.control.placeOrder({ ...drafts[index]!, status: 'processing' });
  const externalIdOf = (order: { order_key: string }) => `woo-${e2e.stack.store.name}-${order.order_key}`;

  it('the worker container becomes ready; the CLI container starts an order, the worker syncs it, and `status` reports it', async () => {
    const { stack } = e2e;
    const run = containerRun(stack, 'worker', WORKER_ENV);
    workerContainer = { name: run.name, proc: stack.spawnWorker(WORKER_ENV, run.how) };
    await readyOrExited(workerContainer.proc, 'worker');
    assert.equal(workerContainer.proc.logged('worker started')?.workflowBundle, '/app/dist/workflow-bundle.js', 'the prebuilt bundle of the image');
    assert.deepEqual(await getJson(`${healthUrlOf(workerContainer.proc)}/readyz`), {
      status: 200,
      body: { status: 'ok', checks: { workers: { ok: true }, temporal: { ok: true }, 'database NETSUITE_LIMITER_URL and STATE_DATABASE_URL': { ok: true } } },
    });

    const order = place(0);
    const sync = await cliContainer(['sync', String(order.id), '--store', stack.store.name]);
    assert.equal(sync.code, 0, sync.text);
    assert.match(sync.text, new RegExp(`order ${order.id}: sync requested \\(workflow ${orderWorkflowId(stack.store.name, order.id)}\\)`));
    const state = await stack.waitForOrder(order.id, isSynced, 120_000);
    assert.equal(state.status, 'Synced');
    assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order)).length, 1);

    const status = await cliContainer(['status', String(order.id), '--store', stack.store.name]);
    assert.equal(status.code, 0, status.text);
    assert.match(status.text, new RegExp(`Synced: NetSuite sales order ${state.salesOrderId} `));
  });

  it('the receiver container accepts a signed webhook (the order syncs) and refuses a wrong signature', async () => {
    const { stack } = e2e;
    const run = containerRun(stack, 'receiver', RECEIVER_ENV, ['node', 'dist/src/receiver.js']);
    const proc = stack.spawnReceiver(RECEIVER_ENV, run.how);
    await readyOrExited(proc, 'receiver');
    receiverContainer = { name: run.name, proc, url: `${String(proc.logged('webhook receiver listening')?.url)}/webhooks/woocommerce` };

    const order = place(1);
    const delivery = signedDelivery(stack, 'order.created', JSON.stringify(order));
    assert.equal((await sendDelivery(receiverContainer.url, delivery, { 'X-WC-Webhook-Signature': 'bm90IGl0' })).status, 401);
    assert.equal((await sendDelivery(receiverContainer.url, delivery)).status, 200);
    assert.equal((await stack.waitForOrder(order.id, isSynced, 120_000)).status, 'Synced');
    assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order)).length, 1);
  });

  it('docker stop of the receiver: the deliveries in flight are answered and started, then it exits 0 within its grace period', async () => {
    const { stack } = e2e;
    const orders = [place(2), place(3), place(4)];
    // Each delivery's headers and half its body are sent; the rest follows once the receiver has been told to stop.
    const url = new URL(receiverContainer.url);
    const pending = orders.map((order) => {
      const delivery = signedDelivery(stack, 'order.created', JSON.stringify(order));
      const body = Buffer.from(delivery.rawBody, 'utf8');
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...delivery.headers, 'Content-Length': String(body.length) },
      });
      const answered = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      req.write(body.subarray(0, Math.floor(body.length / 2)));
      return { req, rest: body.subarray(Math.floor(body.length / 2)), answered };
    });
    // Their headers are in: the receiver counts them in flight from there (Fastify's onRequest).
    await Promise.all(
      pending.map(
        (p) => new Promise((resolve) => p.req.once('socket', (socket) => (socket.connecting ? socket.once('connect', resolve) : resolve(undefined)))),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));

    const stopped = stopContainer(receiverContainer.name, receiver.graceSeconds);
    await until(async () => (await getJson(`${url.origin}/readyz`).catch(() => ({ status: 0 }))).status !== 200, 'the receiver to stop being ready');
    for (const p of pending) p.req.end(p.rest);
    assert.deepEqual(await Promise.all(pending.map((p) => p.answered)), [200, 200, 200], 'every delivery in flight is answered 200');
    const { ms } = await stopped;
    assert.equal(await receiverContainer.proc.exited, 0, receiverContainer.proc.output().slice(-2000));
    assert.ok(ms < receiver.graceSeconds * 1000, `stopped in ${ms} ms, within the ${receiver.graceSeconds} s grace period`);
    // Acknowledged means started: each order's workflow exists though no receiver runs any more, and syncs.
    for (const order of orders) {
      await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe();
      assert.equal((await stack.waitForOrder(order.id, isSynced, 120_000)).status, 'Synced');
    }
  });

  it('docker stop of the worker during a slow NetSuite create: the create completes, it exits 0 within its grace period, one sales order', async () => {
    const { stack } = e2e;
    // NetSuite stores the sales order at once and answers 8 s later: the SIGTERM comes while the create is in flight.
    stack.netsuite.control.addFault({ kind: 'slow-response', ms: 8_000, count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    stack.netsuite.control.resetCounters();
    const order = place(5);
    const workflowId = orderWorkflowId(stack.store.name, order.id);
    const sync = await cli(e2e, ['sync', String(order.id)]);
    assert.equal(sync.code, 0, sync.text);
    await until(() => salesOrdersWithExternalId(stack, externalIdOf(order)).length === 1, 'NetSuite to store the sales order', 60_000);

    const { ms } = await stopContainer(workerContainer.name, worker.graceSeconds);
    assert.equal(await workerContainer.proc.exited, 0, workerContainer.proc.output().slice(-3000));
    assert.ok(ms < worker.graceSeconds * 1000, `stopped in ${ms} ms, within the ${worker.graceSeconds} s grace period`);
    assert.ok(ms > 3_000, `the worker waited for the create in flight (${ms} ms)`);
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = new Map(
      (history.events ?? [])
        .filter((e) => e.activityTaskScheduledEventAttributes)
        .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType?.name]),
    );
    const completed = (history.events ?? [])
      .filter((e) => e.activityTaskCompletedEventAttributes)
      .map((e) => scheduled.get(String(e.activityTaskCompletedEventAttributes!.scheduledEventId)));
    assert.ok(completed.includes('createSalesOrder'), `the create completed before the worker exited: ${completed.join(', ')}`);

    // Another worker takes the order on from there: Synced, one sales order, one create.
    const next = containerRun(stack, 'worker', WORKER_ENV);
    workerContainer = { name: next.name, proc: stack.spawnWorker(WORKER_ENV, next.how) };
    await readyOrExited(workerContainer.proc, 'worker');
    assert.equal((await stack.waitForOrder(order.id, isSynced, 120_000)).status, 'Synced');
    assert.equal(salesOrdersWithExternalId(stack, externalIdOf(order)).length, 1, 'exactly one sales order');
    assert.equal(stack.netsuite.control.requestLog().filter((r) => r.route === `POST ${SALES_ORDER_PATH}`).length, 1, 'one create request');
    await stopContainer(workerContainer.name, worker.graceSeconds);
    assert.equal(await workerContainer.proc.exited, 0);
  });
});
