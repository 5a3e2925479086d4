/**
 * PII at rest, on the real order path: a worker process with PAYLOAD_CODEC_KEYS syncs a WooCommerce order (its
 * history holds the order as read from WooCommerce: the customer's e-mail, name and address). The history fetched raw
 * from the server — `temporal workflow show --output json`, no codec — holds none of them, in plain text or base64;
 * the operator CLI with the same keys still reads the order's state; without the keys it cannot.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { resolveTemporalCli } from '../../dev/temporal-dev-server';
import { startSyncStack, type SyncStack } from '../../dev/sync-stack';
import { orderWorkflowId } from '../../src/api';
import { runCli } from '../../src/client';
import { codecDataConverter } from '../../src/codec/data-converter';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { secretForms } from '../codec/helpers';
import { uniqueStoreName } from '../order-sync/helpers';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal';

const execFileAsync = promisify(execFile);
const catalog = generateCatalog({ seed: 53 });
const CODEC_ENV = { PAYLOAD_CODEC_KEYS: `k2026:${randomBytes(32).toString('base64')}` };

describe('payloads encrypted at rest on the order path', () => {
  let temporal: TestTemporal;
  let stack: SyncStack;
  before(async () => {
    temporal = await useTestTemporal();
    // The stack's client (its receiver's starts, the test's queries) uses the same keys as the worker.
    const client = new Client({ connection: temporal.env.connection, namespace: temporal.namespace, dataConverter: codecDataConverter(CODEC_ENV)! });
    stack = await startSyncStack({
      temporal: { address: temporal.address, namespace: temporal.namespace, client, nativeConnection: temporal.env.nativeConnection },
      store: uniqueStoreName('pii'),
      catalog,
    });
  });
  after(async () => {
    await stack?.close();
    await temporal?.close();
  });

  it('a synced order: no e-mail, name or address in the raw history; the CLI with the keys reads it', { timeout: 180_000 }, async () => {
    const worker = stack.spawnWorker(CODEC_ENV);
    await worker.started;
    assert.equal(worker.logged('worker started')?.payloadCodec, 'AES-256-GCM');
    const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, undefined, 90_000);
    assert.equal(state.status, 'Synced', JSON.stringify(state));

    const pii = [order.billing.email, `${order.billing.first_name} ${order.billing.last_name}`, order.billing.last_name, order.billing.address_1].filter(
      (v) => v && v.length >= 4,
    );
    assert.ok(pii.length >= 3, `the order carries customer data to look for: ${JSON.stringify(pii)}`);

    const cli = await resolveTemporalCli();
    const { stdout: raw } = await execFileAsync(
      cli.path!,
      [
        'workflow',
        'show',
        '--workflow-id',
        orderWorkflowId(stack.store.name, order.id),
        '--output',
        'json',
        '--address',
        temporal.address,
        '--namespace',
        temporal.namespace,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    assert.match(raw, /WorkflowExecutionCompleted|EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED|workflowExecutionCompletedEventAttributes/);
    assert.ok(raw.includes(Buffer.from('binary/encrypted').toString('base64')), 'payloads carry the encrypted encoding');
    for (const value of pii) {
      assert.ok(!raw.includes(value), `"${value}" is in the raw history in plain text`);
      for (const form of secretForms(value)) assert.ok(!raw.includes(form), `"${value}" is in the raw history base64-encoded`);
    }

    // The operator's CLI, given the keys, reads the encrypted state; without them it cannot.
    const env = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, WOO_STORES: stack.store.name, TASK_QUEUE: stack.taskQueue };
    const lines: string[] = [];
    assert.equal(await runCli(['status', String(order.id), '--json'], (line) => lines.push(line), { ...env, ...CODEC_ENV }), 0, lines.join('\n'));
    const report = JSON.parse(lines.join('\n')) as { state?: { status?: string; salesOrderId?: string } };
    assert.equal(report.state?.status, 'Synced');
    assert.equal(report.state?.salesOrderId, state.salesOrderId);
    const without: string[] = [];
    const code = await runCli(['status', String(order.id), '--json'], (line) => without.push(line), env).catch((error: unknown) =>
      error instanceof Error ? error.message : String(error),
    );
    assert.notEqual(code, 0, 'without the keys the state cannot be read');

    worker.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
  });
});
