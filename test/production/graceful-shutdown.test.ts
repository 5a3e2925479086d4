/**
 * Graceful shutdown with real processes, as Kubernetes does it (SIGTERM, then SIGKILL after the grace period):
 * - the worker, SIGTERMed while a slow NetSuite create is in flight, stops polling, says "not ready", lets the create
 *   finish and report, and exits 0; the next worker finishes the order on that one sales order, with no second create;
 * - the webhook receiver, SIGTERMed while a delivery is still arriving, stops accepting, answers that delivery, exits 0;
 *   with idle keep-alive connections open as well, it closes them at once and exits within 5 s.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { orderWorkflowId } from '../../src/api';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { salesOrdersWithExternalId, startE2E, type E2E } from '../order-sync/helpers';
import { placeOrderCapturingDelivery } from '../order-sync/webhook-replay';
import { until } from '../helpers/until';
import { getJson, healthUrlOf } from './helpers';

const catalog = generateCatalog({ seed: 51 });
const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';
const CREATE_MS = 4000;

describe('graceful shutdown', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
  });
  after(async () => e2e?.close());

  it('SIGTERM during a slow NetSuite create: the create completes, the worker exits 0, the order has one sales order', { timeout: 180_000 }, async () => {
    const { stack } = e2e;
    const first = stack.spawnWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '30' });
    await first.started;
    const health = healthUrlOf(first);
    assert.equal((await getJson(`${health}/readyz`)).status, 200);

    // NetSuite stores the sales order at once and answers CREATE_MS later.
    stack.netsuite.control.addFault({ kind: 'slow-response', ms: CREATE_MS, count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    stack.netsuite.control.resetCounters();
    const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const externalId = `woo-${stack.store.name}-${order.order_key}`;
    await until(() => salesOrdersWithExternalId(stack, externalId).length === 1, 'NetSuite to receive the create');

    first.kill('SIGTERM');
    // While it drains, the pod is alive but not ready: Kubernetes sends it nothing new.
    let notReady: { status: number; body: unknown } | undefined;
    await until(async () => {
      const answer = await getJson(`${health}/readyz`).catch(() => undefined);
      if (answer && answer.status === 503) notReady = answer;
      return notReady !== undefined || first.child.exitCode !== null;
    }, 'readiness to fail during the drain');
    assert.ok(notReady, 'readyz answered 503 while the worker drained');
    assert.match(JSON.stringify(notReady.body), /worker is (STOPPING|DRAINING|DRAINED)/);

    assert.equal(await first.exited, 0, `the worker exits 0 after a graceful shutdown:\n${first.output().slice(-2000)}`);
    assert.ok(first.logged('worker stopped'), 'the worker logged its stop');

    // The create ran to completion on the stopping worker and its result is in the history.
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id));
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createSalesOrder');
    assert.equal(scheduled.length, 1);
    const completed = (history.events ?? []).filter(
      (e) => e.activityTaskCompletedEventAttributes && String(e.activityTaskCompletedEventAttributes.scheduledEventId) === String(scheduled[0]!.eventId),
    );
    assert.equal(completed.length, 1, 'createSalesOrder completed during the shutdown grace time');

    // The next worker finishes the order: Synced, one sales order, one create request in all.
    const second = stack.spawnWorker();
    await second.started;
    const state = await stack.waitForOrder(order.id, undefined, 90_000);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
    assert.equal(salesOrdersWithExternalId(stack, externalId).length, 1, 'exactly one sales order');
    const creates = stack.netsuite.control.requestLog().filter((r) => r.route === `POST ${SALES_ORDER_PATH}`);
    assert.equal(creates.length, 1, `one create request: ${JSON.stringify(creates.map((r) => r.status))}`);
    second.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('SIGTERM while a delivery is arriving: the receiver stops accepting, answers it 200, and exits 0', { timeout: 120_000 }, async () => {
    const { stack } = e2e;
    const { order, delivery } = await placeOrderCapturingDelivery(stack, { ...generateOrderDrafts(catalog, 2)[1]!, status: 'processing' });
    const receiver = stack.spawnReceiver({ LOG_LEVEL: 'debug' });
    await receiver.started;
    const url = new URL(String(receiver.logged('webhook receiver listening')?.url));
    assert.equal((await getJson(`${url.origin}/readyz`)).status, 200);

    // Half a delivery: headers and the first half of the body.
    const body = Buffer.from(delivery.rawBody, 'utf8');
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const head = [
      `POST /webhooks/woocommerce HTTP/1.1`,
      `Host: ${url.host}`,
      `Content-Type: application/json`,
      `Content-Length: ${body.length}`,
      'Connection: close',
    ];
    for (const [name, value] of Object.entries(delivery.headers)) if (/^x-wc-/i.test(name)) head.push(`${name}: ${value}`);
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    socket.write(body.subarray(0, Math.floor(body.length / 2)));
    await until(() => receiver.output().includes('webhook delivery arriving'), 'the receiver to start reading the delivery');

    receiver.kill('SIGTERM');
    await until(() => receiver.output().includes('draining requests in flight'), 'the receiver to start draining');
    // The listener no longer accepts connections.
    await assert.rejects(getJson(`${url.origin}/livez`), 'a new connection is refused while draining');

    // The rest of the body (no half-close: an HTTP client keeps its side open until the answer).
    socket.write(body.subarray(Math.floor(body.length / 2)));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 200 /, `the delivery in flight was answered: ${answer.slice(0, 200)}\n${receiver.output().slice(-3000)}`);
    assert.equal(await receiver.exited, 0, receiver.output().slice(-2000));
    assert.match(answer, new RegExp(orderWorkflowId(stack.store.name, order.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const description = await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe();
    assert.equal(description.status.name, 'RUNNING', 'the delivery started the order workflow');
    assert.equal(description.taskQueue, stack.taskQueue, 'on the task queue the workers serve (TASK_QUEUE)');
  });

  it('SIGTERM with idle keep-alive connections open: the receiver answers the delivery in flight and exits 0 within 5 s', { timeout: 120_000 }, async (t) => {
    const { stack } = e2e;
    const { order, delivery } = await placeOrderCapturingDelivery(stack, { ...generateOrderDrafts(catalog, 3)[2]!, status: 'processing' });
    const receiver = stack.spawnReceiver({ LOG_LEVEL: 'debug' });
    await receiver.started;
    const url = new URL(String(receiver.logged('webhook receiver listening')?.url));

    // Three keep-alive connections, each answered once and left open and idle (Node's client default keeps them 72 s).
    const idle = await Promise.all([0, 1, 2].map(() => openSocket(url)));
    for (const socket of idle) {
      socket.write(`GET /livez HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
      await until(() => socket.received().includes('"status":"ok"'), 'a keep-alive answer');
    }
    // And one delivery in flight: headers and half of its body.
    const body = Buffer.from(delivery.rawBody, 'utf8');
    const inFlight = await openSocket(url);
    const head = [
      `POST /webhooks/woocommerce HTTP/1.1`,
      `Host: ${url.host}`,
      `Content-Type: application/json`,
      `Content-Length: ${body.length}`,
      'Connection: keep-alive',
    ];
    for (const [name, value] of Object.entries(delivery.headers)) if (/^x-wc-/i.test(name)) head.push(`${name}: ${value}`);
    inFlight.write(`${head.join('\r\n')}\r\n\r\n`);
    inFlight.write(body.subarray(0, Math.floor(body.length / 2)));
    await until(() => receiver.output().includes('webhook delivery arriving'), 'the receiver to start reading the delivery');

    const signalled = Date.now();
    receiver.kill('SIGTERM');
    await until(() => receiver.output().includes('draining requests in flight'), 'the receiver to start draining');
    await Promise.all(idle.map((socket) => socket.ended)); // idle keep-alive connections are closed at once
    inFlight.write(body.subarray(Math.floor(body.length / 2)));
    await inFlight.ended; // answered, with "connection: close"
    const code = await receiver.exited;
    const drainMs = Date.now() - signalled;
    assert.equal(code, 0, receiver.output().slice(-2000));
    t.diagnostic(`the receiver exited ${drainMs} ms after SIGTERM`);
    assert.ok(drainMs < 5000, `exited ${drainMs} ms after SIGTERM (bound 5 s)`);
    assert.match(inFlight.received(), /^HTTP\/1\.1 200 /);
    assert.match(inFlight.received(), /\r\nconnection: close\r\n/i);
    assert.match(inFlight.received(), new RegExp(orderWorkflowId(stack.store.name, order.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});

/** A raw TCP connection to the receiver: what it received so far, and when the server closed it. */
async function openSocket(url: URL): Promise<{ write(data: string | Buffer): void; received(): string; ended: Promise<void> }> {
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { write: (data) => void socket.write(data), received: () => received, ended };
}
