/**
 * The operator CLI (src/client.ts `runCli`) against real workflows: sync, status, retry, skip and list, readable and
 * `--json`, with their exit codes. The stack subscribes no webhooks, so only the CLI starts order workflows here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId, type OrderSyncState } from '../../src/api';
import { readOrderReport } from '../../src/cli/order-commands';
import { EXIT, runCli } from '../../src/client';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import { cli, cliEnv, salesOrdersWithExternalId, startE2E, uniqueStoreName, workflowBundle, paidDraft, type E2E } from './helpers';

const catalog = generateCatalog({ seed: 7 });
const returning = catalog.customers.find((c) => c.inNetSuite)!;
const simpleSku = catalog.products.find((p) => p.type === 'simple')!.sku;
const TEST_TIMEOUT = 120_000;

const draft = (overrides: Parameters<typeof paidDraft>[1] = {}): OrderDraft =>
  paidDraft(catalog, { customerEmail: returning.email, lines: [{ sku: simpleSku, quantity: 1 }], ...overrides });

interface Report {
  store: string;
  orderId: number;
  workflowId: string;
  execution: string;
  state?: OrderSyncState;
}

describe('operator CLI', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('cli'), topics: [] });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  /** Places an order in the store; no webhook is subscribed, so nothing syncs it until the CLI says so. */
  const place = (overrides: Parameters<typeof draft>[0] = {}): { id: number; order_key: string } => e2e.stack.woo.control.placeOrder(draft(overrides));
  /** The CLI with this stack's environment plus `extra`. */
  const cliWith = async (argv: string[], extra: NodeJS.ProcessEnv): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await runCli(argv, (line) => lines.push(line), { ...cliEnv(e2e), ...extra });
    return { code, text: lines.join('\n') };
  };
  /** Polls `list` until it names the order (visibility is eventually consistent). */
  const listUntil = async (argv: string[], orderId: number): Promise<{ code: number; text: string }> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const result = await cli(e2e, argv);
      if (result.code !== 0 || result.text.includes(`"orderId":"${orderId}"`) || new RegExp(`\\s${orderId}\\s`).test(result.text)) return result;
      assert.ok(Date.now() < deadline, `list never showed order ${orderId}: ${result.text}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('sync starts the order workflow (exit 0); status then reports Synced, readable and --json (exit 0)', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const order = place();
    assert.equal(await stack.orderState(order.id), undefined, 'no workflow before sync');
    const before = await cli(e2e, ['status', String(order.id)]);
    assert.equal(before.code, EXIT.notFound);
    assert.match(before.text, new RegExp(`no sync workflow for order ${order.id}.*run: sync ${order.id}`));

    const sync = await cli(e2e, ['sync', String(order.id)]);
    assert.equal(sync.code, 0, sync.text);
    assert.equal(sync.text, `order ${order.id}: sync requested (workflow ${orderWorkflowId(stack.store.name, order.id)})`);
    const state = await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
    assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1);

    const readable = await cli(e2e, ['status', String(order.id)]);
    assert.equal(readable.code, 0, readable.text);
    assert.match(
      readable.text,
      new RegExp(`^order ${order.id} \\(store ${stack.store.name}\\) — workflow ${orderWorkflowId(stack.store.name, order.id)}, completed`),
    );
    assert.match(readable.text, new RegExp(`Synced: NetSuite sales order ${state.salesOrderId} \\(external ID woo-${stack.store.name}-`));
    assert.match(readable.text, new RegExp(`NetSuite customer: ${state.customerId}`));

    const json = await cli(e2e, ['status', String(order.id), '--json']);
    assert.equal(json.code, 0);
    const report = JSON.parse(json.text) as Report;
    assert.equal(report.execution, 'COMPLETED');
    assert.equal(report.workflowId, orderWorkflowId(stack.store.name, order.id));
    assert.equal(report.state?.status, 'Synced');
    assert.equal(report.state?.salesOrderId, state.salesOrderId);
  });

  it('sync --wait --json waits for the outcome and prints the report', { timeout: TEST_TIMEOUT }, async () => {
    const order = place();
    const result = await cli(e2e, ['sync', String(order.id), '--wait', '--json', '--timeout', '60']);
    assert.equal(result.code, 0, result.text);
    const report = JSON.parse(result.text) as Report;
    assert.equal(report.orderId, order.id);
    assert.equal(report.state?.status, 'Synced');
  });

  it(
    'status reads the run it described: a newer run started in between (a change to the order) does not make it wait for that run',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const order = place();
      assert.equal((await cli(e2e, ['sync', String(order.id)])).code, 0);
      const synced = await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
      const workflowId = orderWorkflowId(stack.store.name, order.id);
      // Right after the describe answers "completed", the order's next run starts — on a queue no worker polls, so it
      // stays running, as a change's run waiting in NeedsAttention would.
      let newer: string | undefined;
      const client = new Client({
        connection: stack.client.connection,
        namespace: stack.client.options.namespace,
        interceptors: {
          workflow: [
            {
              describe: async (input, next) => {
                const answer = await next(input);
                if (!newer)
                  newer = (await stack.client.workflow.start(ORDER_WORKFLOW_TYPE, { workflowId, taskQueue: `nobody-polls-${workflowId}`, args: [] }))
                    .firstExecutionRunId;
                return answer;
              },
            },
          ],
        },
      });
      try {
        const timeout = new Promise<'waited for the newer run'>((resolve) => setTimeout(resolve, 10_000, 'waited for the newer run').unref());
        const report = await Promise.race([readOrderReport(client, stack.store.name, order.id), timeout]);
        assert.notEqual(report, 'waited for the newer run');
        assert.ok(newer, 'the newer run was started');
        assert.equal(typeof report === 'object' && report?.execution, 'COMPLETED');
        assert.equal(typeof report === 'object' && report?.state?.salesOrderId, synced.salesOrderId);
      } finally {
        if (newer) await stack.client.workflow.getHandle(workflowId, newer).terminate('test over');
      }
    },
  );

  it(
    'a NeedsAttention order: status exits 5 with what to do; list --status NeedsAttention shows it (readable and --json); retry/skip of a Synced order exit 4',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const order = place({ lines: [{ sku: 'NOPE-CLI', quantity: 1, raw: true, name: 'Mystery', price: '2.00' }] });
      const waited = await cli(e2e, ['sync', String(order.id), '--wait']);
      assert.equal(waited.code, EXIT.needsAttention, waited.text);
      await stack.waitForOrder(order.id, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded);

      const status = await cli(e2e, ['status', String(order.id)]);
      assert.equal(status.code, EXIT.needsAttention);
      assert.match(status.text, /Needs attention: .*NOPE-CLI/);
      assert.match(status.text, /Failure type: UnknownSku \(step resolveItems\)/);
      assert.match(status.text, /To fix: .*aliases/);
      assert.match(status.text, new RegExp(`Then: retry ${order.id}  \\(or: skip ${order.id} --reason "…"\\)`));
      const json = await cli(e2e, ['status', String(order.id), '--json']);
      assert.equal(json.code, EXIT.needsAttention);
      assert.equal((JSON.parse(json.text) as Report).state?.attention?.failureType, 'UnknownSku');

      const listed = await listUntil(['list', '--status', 'NeedsAttention', '--store', stack.store.name, '--json'], order.id);
      assert.equal(listed.code, 0);
      const rows = JSON.parse(listed.text) as { store: string; orderId: string; status: string; failureType?: string; workflowId: string; execution: string }[];
      assert.deepEqual(
        rows.map((r) => [r.store, r.orderId, r.status, r.failureType, r.execution]),
        [[stack.store.name, String(order.id), 'NeedsAttention', 'UnknownSku', 'RUNNING']],
      );
      const table = await listUntil(['list', '--status', 'NeedsAttention', '--store', stack.store.name], order.id);
      const [header, row] = table.text.split('\n');
      assert.match(header!, /^STORE\s+ORDER\s+STATUS\s+FAILURE\s+SALES ORDER\s+STARTED$/);
      assert.match(row!, new RegExp(`^${stack.store.name}\\s+${order.id}\\s+NeedsAttention\\s+UnknownSku\\s+\\d{4}-`));
      const none = await cli(e2e, ['list', '--status', 'Failed', '--store', stack.store.name]);
      assert.equal(none.code, 0);
      assert.equal(none.text, `no orders with status Failed in store ${stack.store.name}`);

      // retry and skip need an order that waits for attention
      const syncedOrder = place();
      assert.equal((await cli(e2e, ['sync', String(syncedOrder.id), '--wait'])).code, 0);
      const retry = await cli(e2e, ['retry', String(syncedOrder.id)]);
      assert.equal(retry.code, EXIT.wrongState, retry.text);
      assert.match(retry.text, /is Synced, not waiting for attention: nothing to retry/);
      const skip = await cli(e2e, ['skip', String(syncedOrder.id), '--reason', 'late']);
      assert.equal(skip.code, EXIT.wrongState, skip.text);
      const retryJson = await cli(e2e, ['retry', String(syncedOrder.id), '--json']);
      assert.equal(retryJson.code, EXIT.wrongState);
      assert.equal((JSON.parse(retryJson.text) as { signalled: boolean }).signalled, false);
    },
  );

  it('an order without a workflow: status, retry and skip exit 3 (readable and --json)', { timeout: TEST_TIMEOUT }, async () => {
    const status = await cli(e2e, ['status', '999999']);
    assert.equal(status.code, EXIT.notFound);
    const json = await cli(e2e, ['status', '999999', '--json']);
    assert.equal(json.code, EXIT.notFound);
    assert.deepEqual(JSON.parse(json.text), { store: e2e.stack.store.name, orderId: 999999, found: false });
    assert.equal((await cli(e2e, ['retry', '999999'])).code, EXIT.notFound);
    assert.equal((await cli(e2e, ['skip', '999999', '--reason', 'x'])).code, EXIT.notFound);
  });

  it('bad usage exits 1 with the usage text', { timeout: TEST_TIMEOUT }, async () => {
    const cases: { argv: string[]; says: RegExp; env?: NodeJS.ProcessEnv }[] = [
      { argv: [], says: /^no command given\nusage: npm run cli -- / },
      { argv: ['frobnicate', '1'], says: /^unknown command "frobnicate"\nusage: npm run cli -- / },
      { argv: ['status', '1', '--verbose'], says: /^unknown option --verbose for status: it takes --store, --json, --env-file, --help/ },
      { argv: ['status'], says: /give the WooCommerce order ID/ },
      { argv: ['status', 'abc'], says: /give the WooCommerce order ID/ },
      { argv: ['retry', '-3'], says: /give the WooCommerce order ID/ },
      { argv: ['skip', '123'], says: /skip needs --reason/ },
      { argv: ['skip', '123', '--reason', '   '], says: /skip needs --reason/ },
      { argv: ['status', '123', '--store'], says: /--store needs a value/ },
      {
        argv: ['status', '123'],
        says: /--store is required: WOO_STORES names more than one store \(one,two\) and WOO_DEFAULT_STORE is not set/,
        env: { WOO_STORES: 'one,two' },
      },
    ];
    for (const { argv, says, env } of cases) {
      const result = await cliWith(argv, env ?? {});
      assert.equal(result.code, EXIT.usage, `${argv.join(' ')} → ${result.code}: ${result.text}`);
      assert.match(result.text, says, argv.join(' '));
      assert.match(result.text, /exit codes: 0 ok, 1 usage/, 'the usage text follows');
    }
  });

  it('an unreachable Temporal exits 2', { timeout: TEST_TIMEOUT }, async () => {
    const result = await cliWith(['status', '123'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    assert.equal(result.code, EXIT.unreachable, result.text);
    assert.match(result.text, /^Temporal at 127\.0\.0\.1:1 does not answer/);
  });
});
