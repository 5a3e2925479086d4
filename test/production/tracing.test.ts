/**
 * OpenTelemetry tracing, turned on by configuration alone (OTEL_EXPORTER_OTLP_ENDPOINT): a receiver process and a
 * worker process export their spans over OTLP/HTTP to a collector on 127.0.0.1, and one webhook delivery yields one
 * trace — the receiver's signal-with-start, the workflow run, and the activities down to the NetSuite create.
 * Without the setting nothing is exported.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { startE2E, type E2E } from '../order-sync/helpers';
import { sendDelivery, signedDelivery } from '../order-sync/webhook-replay';
import { until } from '../helpers/until';

const catalog = generateCatalog({ seed: 57 });

interface ExportedSpan {
  service: string;
  name: string;
  traceId: string;
}

/** An OTLP/HTTP (JSON) traces endpoint: keeps every span it is sent, with its resource's service.name. */
async function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans?: {
            resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
            scopeSpans?: { spans?: { name: string; traceId: string }[] }[];
          }[];
        };
        for (const resourceSpans of parsed.resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resourceSpans.scopeSpans ?? [])
            for (const span of scope.spans ?? []) spans.push({ service, name: span.name, traceId: span.traceId });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry tracing by configuration', () => {
  let e2e: E2E;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  before(async () => {
    [e2e, collector] = await Promise.all([startE2E({ catalog, topics: [] }), startCollector()]);
  });
  after(async () => {
    await e2e?.close();
    await collector?.close();
  });

  it('one delivery → one trace across the receiver and the worker, down to the NetSuite create', { timeout: 180_000 }, async () => {
    const { stack } = e2e;
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    const worker = stack.spawnWorker(tracing);
    const receiver = stack.spawnReceiver(tracing);
    await Promise.all([worker.started, receiver.started]);
    assert.equal(worker.logged('worker started')?.tracing, 'on');

    const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    const answer = await sendDelivery(
      `${String(receiver.logged('webhook receiver listening')?.url)}/webhooks/woocommerce`,
      signedDelivery(stack, 'order.created', JSON.stringify(order)),
    );
    assert.equal(answer.status, 200);
    assert.equal((await stack.waitForOrder(order.id, undefined, 120_000)).status, 'Synced');

    const start = () => collector.spans.find((s) => s.service === 'woo-netsuite-sync-receiver' && /^SignalWithStartWorkflow:orderSyncWorkflow$/.test(s.name));
    const expected = [
      'woo-netsuite-sync-receiver SignalWithStartWorkflow:orderSyncWorkflow',
      'woo-netsuite-sync-worker RunWorkflow:orderSyncWorkflow',
      'woo-netsuite-sync-worker RunActivity:matchCustomer',
      'woo-netsuite-sync-worker RunActivity:createSalesOrder',
    ];
    const namesInTrace = (): Set<string> => {
      const first = start();
      return new Set(collector.spans.filter((s) => first !== undefined && s.traceId === first.traceId).map((s) => `${s.service} ${s.name}`));
    };
    // Each process exports in batches as its spans end (a workflow task's span after the activities it scheduled):
    // wait for every expected span, not for the first that happens to arrive.
    await until(() => expected.every((name) => namesInTrace().has(name)), 'the spans of the delivery to reach the collector', 20_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}; spans seen: ${collector.spans.map((s) => `${s.service} ${s.name} ${s.traceId.slice(0, 8)}`).join(', ')}`);
      },
    );
    const names = namesInTrace();
    for (const name of expected) assert.ok(names.has(name), `${name} is in the trace: ${[...names].join(', ')}`);

    worker.kill('SIGTERM');
    receiver.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
    assert.equal(await receiver.exited, 0);
  });

  it('without an OTLP endpoint nothing is exported', { timeout: 120_000 }, async () => {
    const { stack } = e2e;
    const before = collector.spans.length;
    const worker = stack.spawnWorker();
    await worker.started;
    assert.equal(worker.logged('worker started')?.tracing, 'off');
    const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 2)[1]!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    await stack.client.workflow.start('orderSyncWorkflow', {
      workflowId: `woo-order:${stack.store.name}:${order.id}`,
      taskQueue: stack.taskQueue,
      args: [{ store: stack.store.name, orderId: order.id }],
    });
    assert.equal((await stack.waitForOrder(order.id, undefined, 120_000)).status, 'Synced');
    worker.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
    assert.equal(collector.spans.length, before, 'no span reached the collector');
  });
});
