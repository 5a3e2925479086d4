/**
 * The image's processes, run as the image runs them: code compiled by the build (`tsc` into dist/ and the prebuilt
 * workflow bundle), `node dist/src/worker.js` with WORKFLOW_BUNDLE_PATH and `node dist/src/receiver.js`. Both become
 * ready (connected to Temporal), and each one's /metrics carries the SDK's metrics and the integration's own: orders by
 * outcome, NeedsAttention by FailureType, NetSuite latency, 429s and token mints, webhook signature failures.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../dev/temporal-dev-server';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { startE2E, type E2E } from '../order-sync/helpers';
import { sendDelivery, signedDelivery } from '../order-sync/webhook-replay';
import { until } from '../helpers/until';
import { buildImageLayout, getJson, healthUrlOf, metricSum, type BuiltLayout } from './helpers';

const catalog = generateCatalog({ seed: 55 });
const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';

describe('the built worker and receiver: bundle, health and metrics', () => {
  let e2e: E2E;
  let built: BuiltLayout;
  before(async () => {
    [e2e, built] = await Promise.all([startE2E({ catalog, topics: [] }), buildImageLayout()]);
  });
  after(async () => {
    await e2e?.close();
    if (built) rmSync(built.dir, { recursive: true, force: true });
  });

  it('ready on the prebuilt bundle; /metrics has the SDK metrics and every integration counter', { timeout: 240_000 }, async () => {
    const { stack } = e2e;
    const [workerMetrics, receiverMetrics] = [await freePort(), await freePort()];
    const worker = stack.spawnWorker(
      { WORKFLOW_BUNDLE_PATH: built.bundlePath, METRICS_BIND_ADDRESS: `127.0.0.1:${workerMetrics}` },
      { command: ['dist/src/worker.js'], cwd: built.dir },
    );
    const receiver = stack.spawnReceiver({ METRICS_BIND_ADDRESS: `127.0.0.1:${receiverMetrics}` }, { command: ['dist/src/receiver.js'], cwd: built.dir });
    await Promise.all([worker.started, receiver.started]);
    assert.equal(worker.logged('worker started')?.workflowBundle, built.bundlePath, 'the worker loaded the prebuilt bundle');
    const webhook = String(receiver.logged('webhook receiver listening')?.url);
    assert.deepEqual(await getJson(`${healthUrlOf(worker)}/readyz`), {
      status: 200,
      body: { status: 'ok', checks: { workers: { ok: true }, temporal: { ok: true }, 'database NETSUITE_LIMITER_URL and STATE_DATABASE_URL': { ok: true } } },
    });
    assert.equal((await getJson(`${healthUrlOf(worker)}/livez`)).status, 200);
    assert.deepEqual(await getJson(`${webhook}/readyz`), { status: 200, body: { status: 'ok', checks: { temporal: { ok: true }, accepting: { ok: true } } } });

    // One order syncs through a 429; one needs attention (unknown SKU); one delivery has a wrong signature.
    stack.netsuite.control.addFault({ kind: '429', count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    const [first, second] = generateOrderDrafts(catalog, 2);
    const good = stack.woo.control.placeOrder({ ...first!, status: 'processing' });
    const unknown = stack.woo.control.placeOrder({
      ...second!,
      status: 'processing',
      lines: [{ sku: 'NOPE-METRICS', quantity: 1, raw: true, name: 'Mystery', price: '2.00' }],
    });
    const url = `${webhook}/webhooks/woocommerce`;
    for (const order of [good, unknown]) assert.equal((await sendDelivery(url, signedDelivery(stack, 'order.created', JSON.stringify(order)))).status, 200);
    assert.equal((await sendDelivery(url, signedDelivery(stack, 'order.created', JSON.stringify(good)), { 'X-WC-Webhook-Signature': 'bm90IGl0' })).status, 401);
    const synced = await stack.waitForOrder(good.id, undefined, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nworker:\n${worker.output().slice(-3000)}\nreceiver:\n${receiver.output().slice(-1500)}`);
    });
    assert.equal(synced.status, 'Synced');
    assert.equal(
      (await stack.waitForOrder(unknown.id, (s) => s.status === 'NeedsAttention' && s.outcomeRecorded, 120_000)).attention?.failureType,
      'UnknownSku',
    );

    const scrape = async (port: number): Promise<string> => String((await getJson(`http://127.0.0.1:${port}/metrics`)).body);
    let text = '';
    await until(async () => {
      text = await scrape(workerMetrics);
      return metricSum(text, 'woo_netsuite_sync_orders', { outcome: 'Synced' }) >= 1 && metricSum(text, 'woo_netsuite_sync_needs_attention') >= 1;
    }, 'the order counters to reach /metrics');
    const ours = text
      .split('\n')
      .filter((line) => line.startsWith('woo_netsuite_sync_'))
      .join('\n');
    assert.equal(metricSum(text, 'woo_netsuite_sync_orders', { outcome: 'Synced', workflowType: 'orderSyncWorkflow' }), 1, ours);
    assert.equal(metricSum(text, 'woo_netsuite_sync_orders', { outcome: 'NeedsAttention' }), 1);
    assert.equal(metricSum(text, 'woo_netsuite_sync_needs_attention', { failure_type: 'UnknownSku' }), 1);
    assert.equal(metricSum(text, 'woo_netsuite_sync_netsuite_rate_limited', { api: 'record' }), 1);
    assert.ok(metricSum(text, 'woo_netsuite_sync_netsuite_tokens_minted') >= 1, 'token mints are counted');
    assert.equal(metricSum(text, 'woo_netsuite_sync_netsuite_request_latency_count', { api: 'record', method: 'POST', status: '429' }), 1);
    assert.ok(
      metricSum(text, 'woo_netsuite_sync_netsuite_request_latency_count', { api: 'suiteql', method: 'POST', status: '200' }) >= 1,
      'SuiteQL latency is recorded',
    );
    // The SDK's own metrics, on the same endpoint.
    assert.ok(metricSum(text, 'temporal_activity_execution_latency_count') >= 1, 'SDK activity latency');
    assert.ok(metricSum(text, 'temporal_workflow_completed') >= 1, 'SDK workflow completions');
    assert.ok(!Number.isNaN(metricSum(text, 'temporal_worker_task_slots_available')), 'SDK slot gauges');

    const received = await scrape(receiverMetrics);
    assert.equal(metricSum(received, 'woo_netsuite_sync_webhook_signature_failures'), 1);
    assert.equal(metricSum(received, 'woo_netsuite_sync_webhook_deliveries', { result: 'bad_signature' }), 1);
    assert.equal(metricSum(received, 'woo_netsuite_sync_webhook_deliveries', { result: 'started' }), 2);

    worker.kill('SIGTERM');
    receiver.kill('SIGTERM');
    assert.equal(await worker.exited, 0, worker.output().slice(-2000));
    assert.equal(await receiver.exited, 0, receiver.output().slice(-2000));
  });
});
