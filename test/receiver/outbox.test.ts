/**
 * The receiver's webhook outbox on a real PostgreSQL: the 200 comes once the delivery is committed, not once its
 * workflow is started; the drainer starts it and removes it; a start that fails keeps it; rows of a receiver that died
 * are taken over, within their scope only; the outbox's database going away falls back to starting directly; close()
 * starts what is left; a receiver whose outbox database does not answer refuses to boot. `startOrder` stands in for
 * Temporal here (as in receiver.test.ts); the process test with the real dev server is sigkill-after-ack.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { localPostgres, type LocalPostgres } from '../../dev/postgres';
import type { StoreSettings } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { StartOrderRequest } from '../../src/order-starter';
import { createWebhookOutbox, OUTBOX_TABLE, type WebhookOutbox, type WebhookOutboxOptions } from '../../src/outbox/webhook-outbox';
import { createReceiver, WEBHOOK_PATH, type Receiver } from '../../src/receiver';
import { webhookSignature } from '../../src/woocommerce/signature';
import { until } from '../helpers/until';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

type LogLine = Record<string, unknown> & { level: number; msg: string };

const SECRET = 'whsec-outbox-7f3a9c1e';
const store: StoreSettings = { name: 'main', url: 'https://shop.example.com/', consumerKey: 'ck_x', consumerSecret: 'cs_x', webhookSecret: SECRET };
const lines: LogLine[] = [];
const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });

let database: LocalPostgres;
const opened: { receivers: Receiver[]; outboxes: WebhookOutbox[] } = { receivers: [], outboxes: [] };

/** A Temporal stand-in: records each start; `gate` (when set) makes starts wait; `failing` makes them throw. */
function fakeTemporal() {
  const calls: StartOrderRequest[] = [];
  const fake = {
    calls,
    failing: false,
    gate: undefined as Promise<void> | undefined,
    /** Starts asked for, including those still waiting at the gate. */
    asked: 0,
    async startOrder(request: StartOrderRequest): Promise<{ workflowId: string; runId: string }> {
      fake.asked++;
      if (fake.gate) await fake.gate;
      if (fake.failing) throw new Error('14 UNAVAILABLE: No connection established');
      calls.push(request);
      return { workflowId: `woo-order:${request.store}:${request.orderId}`, runId: 'run-1' };
    },
  };
  return fake;
}

function outboxOn(url: string, scope: string, extra: Partial<WebhookOutboxOptions> = {}): WebhookOutbox {
  const outbox = createWebhookOutbox({ databaseUrl: url, scope, logger, sweepMs: 100, ...extra });
  opened.outboxes.push(outbox);
  return outbox;
}

async function receiverWith(
  outbox: WebhookOutbox,
  temporal: ReturnType<typeof fakeTemporal>,
  drainTimeoutMs = 5_000,
): Promise<{ receiver: Receiver; url: string }> {
  const receiver = createReceiver({ stores: [store], startOrder: temporal.startOrder, outbox, logger, drainTimeoutMs });
  opened.receivers.push(receiver);
  const url = `${await receiver.listen('127.0.0.1', 0)}${WEBHOOK_PATH}`;
  return { receiver, url };
}

/** An order delivery signed as WooCommerce signs it. */
function deliver(url: string, orderId: number, topic = 'order.created'): Promise<Response> {
  const body = JSON.stringify({ id: orderId, status: 'processing' });
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': store.url,
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-signature': webhookSignature(Buffer.from(body), SECRET),
    },
    body,
  });
}

/** The rows of a scope as PostgreSQL holds them, read on a connection of the test's own. */
async function rowsOf(scope: string): Promise<{ order_id: string; topic: string }[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<{ order_id: string; topic: string }>(`SELECT order_id::text, topic FROM ${OUTBOX_TABLE} WHERE scope = $1 ORDER BY id`, [scope]))
      .rows;
  } finally {
    await client.end();
  }
}

const newScope = (): string => `test/outbox-${randomUUID().slice(0, 8)}`;

/** The database URL through `proxy`. */
function through(proxy: TcpProxy): string {
  const url = new URL(database.url);
  url.host = proxy.address;
  return url.toString();
}

before(async () => {
  database = await localPostgres();
});

after(async () => {
  for (const receiver of opened.receivers) await receiver.close();
  for (const outbox of opened.outboxes) await outbox.close(Date.now());
  await database.stop();
});

describe('the webhook outbox', () => {
  test('the 200 comes once the delivery is committed, before its workflow is started; the drainer starts it and removes the row', async () => {
    const scope = newScope();
    const temporal = fakeTemporal();
    let open: () => void = () => undefined;
    temporal.gate = new Promise<void>((resolve) => (open = resolve));
    const { receiver, url } = await receiverWith(outboxOn(database.url, scope), temporal);

    const answer = await deliver(url, 501);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { workflowId: 'woo-order:main:501' });
    assert.deepEqual(await rowsOf(scope), [{ order_id: '501', topic: 'order.created' }], 'durable before the answer');
    assert.deepEqual(temporal.calls, [], 'Temporal has not answered yet');
    assert.equal(receiver.stats().started, 1, 'counted when answered: durable, so certain to be started');

    open();
    await until(async () => (await rowsOf(scope)).length === 0, 'the drainer to start the order and remove its row');
    assert.deepEqual(temporal.calls, [{ store: 'main', orderId: 501, source: 'order.created' }]);
    assert.ok(lines.some((l) => l.msg === 'order workflow started from the webhook outbox' && l.orderId === 501 && typeof l.waitedMs === 'number'));
    assert.ok(lines.some((l) => l.msg === 'webhook accepted' && l.orderId === 501 && l.via === 'outbox'));
  });

  test('a start that fails keeps its row, is said once, and is tried again until Temporal answers', async () => {
    const scope = newScope();
    const temporal = fakeTemporal();
    temporal.failing = true;
    const { receiver, url } = await receiverWith(outboxOn(database.url, scope), temporal);
    for (const id of [601, 602, 603]) assert.equal((await deliver(url, id)).status, 200);
    await until(() => lines.some((l) => l.msg.startsWith('webhook outbox: could not start order workflows') && l.scope === scope), 'the failure to be logged');
    assert.equal((await rowsOf(scope)).length, 3, 'nothing lost while Temporal does not answer');
    assert.equal(lines.filter((l) => l.level === 50 && l.scope === scope).length, 1, 'said once');

    temporal.failing = false;
    await until(async () => (await rowsOf(scope)).length === 0, 'the rows to be started once Temporal answers', 30_000);
    assert.deepEqual(temporal.calls.map((c) => c.orderId).sort(), [601, 602, 603]);
    assert.equal(receiver.stats().startFailures, 0, 'the deliveries were acknowledged: durable');
    assert.ok(lines.some((l) => l.msg === 'webhook outbox: draining again' && l.scope === scope));
  });

  test("a dead receiver's rows are taken over by another receiver of its scope, never by one of another scope", async () => {
    const scope = newScope();
    // The dead one: it recorded and answered, and never started anything.
    const dead = outboxOn(database.url, scope);
    await dead.open();
    await dead.record({ store: 'main', orderId: 701, topic: 'order.created' });
    await dead.record({ store: 'main', orderId: 702, topic: 'order.updated' });

    const elsewhere = fakeTemporal();
    await receiverWith(outboxOn(database.url, newScope(), { takeoverAfterMs: 0 }), elsewhere);
    const heir = fakeTemporal();
    await receiverWith(outboxOn(database.url, scope, { takeoverAfterMs: 300 }), heir);
    await until(async () => (await rowsOf(scope)).length === 0, 'the rows to be taken over');
    assert.deepEqual(
      heir.calls.map((c) => [c.orderId, c.source]),
      [
        [701, 'order.created'],
        [702, 'order.updated'],
      ],
    );
    assert.deepEqual(elsewhere.calls, [], 'another deployment never starts them');
  });

  test("the outbox's database going away: deliveries are started first and answered after (503 when Temporal fails too); back, the outbox is used again", async () => {
    const scope = newScope();
    const [host, port] = [new URL(database.url).hostname, Number(new URL(database.url).port)];
    const proxy = await startTcpProxy({ host, port });
    try {
      const temporal = fakeTemporal();
      const { receiver, url } = await receiverWith(outboxOn(through(proxy), scope), temporal);
      assert.equal((await deliver(url, 801)).status, 200);
      await until(() => temporal.calls.length === 1, 'the first delivery to be started from the outbox');

      proxy.cut();
      assert.equal((await deliver(url, 802)).status, 200, 'answered once started directly');
      assert.deepEqual(
        temporal.calls.map((c) => c.orderId),
        [801, 802],
      );
      assert.equal(receiver.stats().recordFailures, 1);
      temporal.failing = true;
      assert.equal((await deliver(url, 803)).status, 503, 'neither durable nor started: not acknowledged');
      assert.equal(receiver.stats().startFailures, 1);
      const down = lines.filter((l) => l.msg.startsWith('webhook outbox unavailable') && l.scope === scope);
      assert.equal(down.length, 1, 'said once');
      assert.equal(down[0]?.level, 50);

      temporal.failing = false;
      proxy.forward();
      assert.equal((await deliver(url, 804)).status, 200);
      assert.ok(
        lines.some((l) => l.msg === 'webhook outbox available again' && l.scope === scope),
        'the outbox takes deliveries again',
      );
      assert.equal(receiver.stats().recordFailures, 2, 'two writes failed while it was away');
      await until(() => temporal.calls.some((c) => c.orderId === 804), 'the last delivery to be started from the outbox');
      const password = decodeURIComponent(new URL(database.url).password);
      if (password) assert.ok(!JSON.stringify(lines).includes(password), 'the database password is never logged');
    } finally {
      await proxy.close();
    }
  });

  test("the outbox's database lost while the drainer holds a connection (a start in flight): the process lives on, the row is kept and started once the database is back", async () => {
    const scope = newScope();
    const [host, port] = [new URL(database.url).hostname, Number(new URL(database.url).port)];
    const proxy = await startTcpProxy({ host, port });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const temporal = fakeTemporal();
      let open = (): void => undefined;
      temporal.gate = new Promise<void>((resolve) => (open = resolve));
      const { receiver, url } = await receiverWith(outboxOn(through(proxy), scope), temporal);
      assert.equal((await deliver(url, 811)).status, 200, 'committed to the outbox');
      await until(() => temporal.asked === 1, 'the drainer to start the delivery, its transaction open');

      proxy.cut(); // the drainer's checked-out connection dies between its queries
      await new Promise((resolve) => setTimeout(resolve, 200));
      temporal.gate = undefined;
      open();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(uncaught, [], "a lost connection is not an unhandled 'error' event (it would end the process)");

      proxy.forward();
      await until(() => temporal.calls.filter((c) => c.orderId === 811).length >= 2, 'the kept row to be started again once the database is back');
      await until(async () => (await rowsOf(scope)).length === 0, 'the row to be deleted once started');
      assert.equal((await deliver(url, 812)).status, 200, 'the receiver still answers');
      await receiver.close();
    } finally {
      process.off('uncaughtException', onUncaught);
      await proxy.close();
    }
  });

  test('close() starts what the outbox still holds before it resolves', async () => {
    const scope = newScope();
    const temporal = fakeTemporal();
    temporal.failing = true;
    const { receiver, url } = await receiverWith(outboxOn(database.url, scope), temporal);
    for (const id of [901, 902]) assert.equal((await deliver(url, id)).status, 200);
    await until(() => lines.some((l) => l.msg.startsWith('webhook outbox: could not start') && l.scope === scope), 'the drainer to back off');
    temporal.failing = false;
    await receiver.close();
    assert.deepEqual((await rowsOf(scope)).length, 0, 'nothing left behind');
    assert.deepEqual(temporal.calls.map((c) => c.orderId).sort(), [901, 902]);
  });

  test('a receiver process whose outbox database does not answer refuses to boot (exit 78), naming it without the password', async () => {
    // A port nothing listens on: taken, then released.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'receiver.ts')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        WOO_STORES: 'main',
        WOO_MAIN_URL: 'https://shop.example.com',
        WOO_MAIN_CONSUMER_KEY: 'ck_0123456789abcdef',
        WOO_MAIN_CONSUMER_SECRET: 'cs_secret_never_printed_1234',
        WOO_MAIN_WEBHOOK_SECRET: 'whsec_never_printed_5678',
        NETSUITE_ENVIRONMENT: 'sandbox',
        NS_SANDBOX_ACCOUNT_ID: '1234567_SB1',
        STATE_DATABASE_URL: `postgres://sync:Db-pa55w0rd@127.0.0.1:${port}/sync`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 78, output);
    assert.match(
      output,
      new RegExp(
        `receiver refused to boot: database unreachable — the PostgreSQL of STATE_DATABASE_URL \\(postgres://\\*\\*\\*@127\\.0\\.0\\.1:${port}/sync\\) does not answer`,
      ),
    );
    assert.doesNotMatch(output, /Db-pa55w0rd|webhook receiver listening/);
  });
});
