/**
 * A worker that cannot do its job says why, through the real entry point (`src/worker.ts`):
 * - at boot, every failure names its first cause and the clean-up never replaces it: an unreachable limiter database
 *   (exit 78, the URL without its password), a health port in use, a workflow bundle that is not there, an unreachable
 *   Temporal;
 * - after boot, the limiter's database going away fails /readyz with the cause, is logged, and an order's NetSuite step
 *   waiting for it says so in the order's current details; when it is back, the order syncs;
 * - a step waiting for a permit while all are busy says so in its heartbeat details and, past the threshold, in the
 *   order's current details.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../dev/postgres';
import { freePort } from '../../dev/temporal-dev-server';
import { orderWorkflowId } from '../../src/api';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { currentDetails, startE2E, type E2E } from '../order-sync/helpers';
import { until } from '../helpers/until';
import { getJson, healthUrlOf } from './helpers';

const catalog = generateCatalog({ seed: 53 });
const EX_CONFIG = 78;
const DB_PASSWORD_PATTERN = /postgres:\/\/postgres:[0-9a-f]{36}@/;

describe('a worker that cannot boot names the first cause', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog });
  });
  after(async () => e2e?.close());

  it('an unreachable limiter database: exit 78, the URL named without its password', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const worker = e2e.stack.spawnWorker({
      NETSUITE_LIMITER_URL: `postgres://sync:pg-password-never-printed@127.0.0.1:${port}/limits`,
      STATE_DATABASE_URL: '',
    });
    assert.equal(await worker.exited, EX_CONFIG, worker.output());
    assert.match(
      worker.output(),
      new RegExp(
        `^worker refused to boot: database unreachable — the PostgreSQL of NETSUITE_LIMITER_URL and STATE_DATABASE_URL \\(postgres://\\*\\*\\*@127\\.0\\.0\\.1:${port}/limits\\) does not answer: connect ECONNREFUSED`,
        'm',
      ),
    );
    assert.ok(!worker.output().includes('pg-password-never-printed'), 'the password is never printed');
  });

  it('a health port in use: the message names the port, and no clean-up error hides it', { timeout: 60_000 }, async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const worker = e2e.stack.spawnWorker({ HEALTH_PORT: String(port) });
      assert.equal(await worker.exited, 1, worker.output());
      assert.match(
        worker.output(),
        new RegExp(
          `^worker failed to start: the health endpoint \\(HEALTH_HOST, HEALTH_PORT\\) cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use by another process \\(EADDRINUSE\\)$`,
          'm',
        ),
      );
      assert.doesNotMatch(worker.output(), /Cannot close connection/);
    } finally {
      taken.close();
    }
  });

  it('a workflow bundle that is not there: exit 78, WORKFLOW_BUNDLE_PATH named', { timeout: 60_000 }, async () => {
    const worker = e2e.stack.spawnWorker({ WORKFLOW_BUNDLE_PATH: '/nonexistent/workflow-bundle.js' });
    assert.equal(await worker.exited, EX_CONFIG, worker.output());
    assert.match(worker.output(), /^worker refused to boot: WORKFLOW_BUNDLE_PATH=\/nonexistent\/workflow-bundle\.js does not exist/m);
  });

  it('an unreachable Temporal: exit 1, the address named', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const worker = e2e.stack.spawnWorker({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    assert.equal(await worker.exited, 1, worker.output());
    assert.match(worker.output(), new RegExp(`^worker failed to start: Temporal at 127\\.0\\.0\\.1:${port} cannot be reached: `, 'm'));
    assert.doesNotMatch(worker.output(), /Cannot close connection/);
  });
});

describe('a worker whose database goes away says so', () => {
  let e2e: E2E;
  let database: EmbeddedPostgres;
  before(async () => {
    database = await startEmbeddedPostgres();
    e2e = await startE2E({ catalog, database });
  });
  after(async () => {
    await e2e?.close();
    await database?.stop();
  });

  it(
    '/readyz fails naming it, the cause is logged, the order waiting for it says why, and it syncs once the database is back',
    { timeout: 180_000 },
    async () => {
      const { stack } = e2e;
      const worker = stack.spawnWorker({ NETSUITE_PERMIT_WAIT_REPORT_SECONDS: '2' });
      await worker.started;
      const health = healthUrlOf(worker);
      assert.equal((await getJson(`${health}/readyz`)).status, 200);

      await database.halt();
      const notReady = await getJson(`${health}/readyz`);
      assert.equal(notReady.status, 503);
      assert.match(
        JSON.stringify(notReady.body),
        new RegExp(
          `the PostgreSQL of NETSUITE_LIMITER_URL and STATE_DATABASE_URL \\(postgres://\\*\\*\\*@127\\.0\\.0\\.1:${database.port}/postgres\\) does not answer`,
        ),
      );
      await until(() => worker.logged('database unreachable: /readyz fails, NetSuite calls wait for it') !== undefined, 'the worker to log the lost database');

      const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
      await stack.woo.control.flushDeliveries({ runNow: true });
      const waiting = await stack.waitForOrder(order.id, (state) => state.delay !== undefined, 60_000);
      assert.equal(waiting.status, 'InProgress');
      assert.match(waiting.delay?.reason ?? '', /the PostgreSQL concurrency limiter is unavailable: .*ECONNREFUSED/);
      assert.match(
        await currentDetails(stack, order.id),
        new RegExp(
          `^### In progress — ${waiting.step}, waiting for NetSuite\\n\\n- \\*\\*Waiting for NetSuite since:\\*\\* .*: the PostgreSQL concurrency limiter is unavailable`,
        ),
      );

      await database.resume();
      const synced = await stack.waitForOrder(order.id, undefined, 90_000);
      assert.equal(synced.status, 'Synced', JSON.stringify(synced));
      assert.equal(synced.delay, undefined, 'the delay is cleared once the step is done');
      await until(async () => (await getJson(`${health}/readyz`)).status === 200, 'readiness to come back');
      await until(() => worker.logged('database reachable again') !== undefined, 'the worker to log the database back');
      assert.ok(!worker.output().match(DB_PASSWORD_PATTERN), 'the database password is never logged');
      worker.kill('SIGTERM');
      assert.equal(await worker.exited, 0);
    },
  );
});

describe('a NetSuite step waiting for a busy permit says so', () => {
  let e2e: E2E;
  before(async () => {
    // One permit, and a NetSuite that takes 10 s for the first create: the second order's steps queue behind it.
    e2e = await startE2E({ catalog, permits: 1, netsuite: { concurrencyLimit: 1 } });
  });
  after(async () => e2e?.close());

  it('in its heartbeat details while it waits, and in the order current details past the threshold', { timeout: 180_000 }, async () => {
    const { stack } = e2e;
    stack.netsuite.control.addFault({
      kind: 'slow-response',
      ms: 10_000,
      count: 1,
      route: { method: 'POST', pathPrefix: '/services/rest/record/v1/salesOrder' },
    });
    const worker = stack.spawnWorker({ NETSUITE_PERMIT_WAIT_REPORT_SECONDS: '2' });
    await worker.started;
    const [firstDraft, secondDraft] = generateOrderDrafts(catalog, 2);
    const first = stack.woo.control.placeOrder({ ...firstDraft!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    await until(() => stack.netsuite.control.listRecords('salesOrder').length === 1, 'the first order to reach its (slow) create');
    const second = stack.woo.control.placeOrder({ ...secondDraft!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });

    // The second order's NetSuite step waits for the one permit the slow create holds.
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, second.id));
    let beat: unknown;
    await until(async () => {
      // A 200 means the delivery is durable (the receiver's outbox); the workflow starts a moment later.
      const described = await handle.describe().catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      const pending = described?.raw.pendingActivities ?? [];
      const payload = pending[0]?.heartbeatDetails?.payloads?.[0];
      beat = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
      return (beat as { waitingForNetSuitePermit?: unknown } | undefined)?.waitingForNetSuitePermit !== undefined;
    }, 'a heartbeat that says the step waits for a permit');
    assert.equal((beat as { waitingForNetSuitePermit: { permits: number } }).waitingForNetSuitePermit.permits, 1);

    const waiting = await stack.waitForOrder(second.id, (state) => state.delay !== undefined, 30_000);
    assert.match(waiting.delay?.reason ?? '', /^all 1 of the account's NetSuite concurrency permits are in use; this request has waited \d+ s for one$/);
    for (const order of [first, second]) assert.equal((await stack.waitForOrder(order.id, undefined, 90_000)).status, 'Synced');
    worker.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
  });
});
