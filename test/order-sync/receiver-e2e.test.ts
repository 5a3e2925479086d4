/**
 * The webhook receiver in the whole integration, on the real Temporal dev server: what it refuses, what it ignores,
 * and that it keeps serving. "No workflow" is checked by describing the order's workflow ID on the server.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { orderWorkflowId } from '../../src/api';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/receiver';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { wooClient } from '../../simulators/woocommerce/test-support';
import { placeOrder, salesOrdersWithExternalId, startE2E, workflowBundle, type E2E } from './helpers';
import { placeOrderCapturingDelivery, sendDelivery, signedDelivery } from './webhook-replay';

const catalog = generateCatalog({ seed: 26 });
const ORDER_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'];

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

describe('the webhook receiver end to end', () => {
  let e2e: E2E;
  const lines: LogLine[] = [];
  const rawLog: string[] = [];
  let drafts: ReturnType<typeof generateOrderDrafts>;

  before(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void (rawLog.push(line), lines.push(JSON.parse(line) as LogLine)) });
    e2e = await startE2E({ catalog, logger, topics: [...ORDER_TOPICS, 'product.updated'] });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
    drafts = generateOrderDrafts(catalog, 4).map((d) => ({ ...d, status: 'processing' as const }));
  });
  after(async () => e2e?.close());

  const noWorkflow = async (id: number): Promise<void> => {
    await assert.rejects(e2e.stack.client.workflow.getHandle(orderWorkflowId(e2e.stack.store.name, id)).describe(), { name: 'WorkflowNotFoundError' });
  };

  it('answers the store’s creation pings and a hand-sent ping with 200', async () => {
    const { stack } = e2e;
    const pings = stack.woo.control.deliveries({ kind: 'ping' });
    assert.equal(pings.length, ORDER_TOPICS.length + 1, 'one ping per webhook the stack created');
    for (const ping of pings) assert.equal(ping.statusCode, 200);
    const response = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=77' });
    assert.equal(response.status, 200);
    assert.ok(stack.receiver.stats().pings >= pings.length + 1);
  });

  it('answers a bad or missing signature with 401 and starts no workflow; the same bytes correctly signed start it', async () => {
    const { stack } = e2e;
    const { order, delivery } = await placeOrderCapturingDelivery(stack, drafts[0]!);
    const forged = createHmac('sha256', 'not-the-store-secret').update(delivery.rawBody, 'utf8').digest('base64');
    const before = stack.receiver.stats();

    assert.equal((await sendDelivery(stack.webhookUrl, delivery, { 'X-WC-Webhook-Signature': forged })).status, 401);
    const unsigned = { ...delivery, headers: Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== 'X-WC-Webhook-Signature')) };
    assert.equal((await sendDelivery(stack.webhookUrl, unsigned)).status, 401);
    assert.equal(stack.receiver.stats().badSignature - before.badSignature, 2);
    assert.equal(stack.receiver.stats().started, before.started);
    await noWorkflow(order.id);
    assert.ok(
      lines.some((l) => l.level === 40 && /signature does not verify/.test(l.msg)),
      'the refusal is logged',
    );
    assert.ok(!rawLog.some((line) => line.includes(forged) || line.includes(stack.store.webhookSecret)), 'no signature or secret in the log');

    const genuine = await sendDelivery(stack.webhookUrl, delivery);
    assert.equal(genuine.status, 200);
    const state = await stack.waitForOrder(order.id);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
    assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1);
  });

  it('answers a real product.updated delivery with 200 and starts no workflow', async () => {
    const { stack } = e2e;
    const product = stack.woo.control.listProducts().find((p) => p.type === 'simple')!;
    const before = stack.receiver.stats();
    stack.woo.control.clearDeliveries();
    const updated = await wooClient(stack.woo).request('PUT', `/products/${product.id}`, { description: 'now with more cocoa' });
    assert.equal(updated.status, 200);
    await stack.woo.control.flushDeliveries({ runNow: true });

    const sent = stack.woo.control.deliveries({ kind: 'delivery', resourceId: product.id });
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.topic, 'product.updated');
    assert.equal(sent[0]!.statusCode, 200);
    assert.equal(stack.receiver.stats().ignoredTopic - before.ignoredTopic, 1);
    assert.equal(stack.receiver.stats().started, before.started);
    await noWorkflow(product.id);
  });

  it('answers an oversize delivery with 413 and starts no workflow', async () => {
    const { stack } = e2e;
    const { order, delivery } = await placeOrderCapturingDelivery(stack, drafts[1]!);
    const padded = `${delivery.rawBody.slice(0, -1)},"padding":"${'x'.repeat(DEFAULT_BODY_LIMIT_BYTES)}"}`;
    const before = stack.receiver.stats();
    const answer = await sendDelivery(stack.webhookUrl, signedDelivery(stack, 'order.created', padded));
    assert.equal(answer.status, 413);
    assert.equal(stack.receiver.stats().tooLarge - before.tooLarge, 1);
    await noWorkflow(order.id);
    assert.ok(lines.some((l) => l.level === 40 && /over the limit/.test(l.msg)));
  });

  it('answers malformed JSON with 200, logs it at error, and keeps serving', async () => {
    const { stack } = e2e;
    const before = stack.receiver.stats();
    const answer = await sendDelivery(stack.webhookUrl, signedDelivery(stack, 'order.created', '{"id": 4242, "status": "processing",'));
    assert.equal(answer.status, 200);
    assert.equal(stack.receiver.stats().unreadableOrder - before.unreadableOrder, 1);
    const logged = lines.find((l) => l.level === 50 && /without a readable order ID/.test(l.msg));
    assert.ok(logged, 'an error line tells the operator');
    assert.equal(logged.reason, 'the body is not valid JSON');
    await noWorkflow(4242);

    // Still serving: health, and a real order placed now syncs through its webhook.
    assert.equal((await fetch(stack.webhookUrl.replace('/webhooks/woocommerce', '/healthz'))).status, 200);
    const order = await placeOrder(stack, drafts[2]!);
    const state = await stack.waitForOrder(order.id);
    assert.equal(state.status, 'Synced', JSON.stringify(state));
  });
});
