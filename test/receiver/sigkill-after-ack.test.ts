/**
 * Nothing acknowledged is lost: a real receiver process (src/receiver.ts) acknowledges a burst of real, signed
 * deliveries from the WooCommerce simulator — delivered as a store's Action Scheduler sends them — and is SIGKILLed
 * before it could start a single workflow (Temporal is behind a TCP front that holds its bytes, so every start hangs).
 * A new receiver process starts every acknowledged order from the outbox, and each one ends Synced with exactly one
 * NetSuite sales order. No catch-up poll runs here: only what the first receiver made durable can bring them back.
 * (A receiver that answers 200 before the delivery is durable fails this test: its starts die with it.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSyncStack, type SyncStack } from '../../dev/sync-stack';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { orderWorkflowId } from '../../src/api';
import { salesOrdersWithExternalId, uniqueStoreName, workflowBundle } from '../order-sync/helpers';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const catalog = generateCatalog({ seed: 41 });
const ORDERS = 25;

describe('a receiver SIGKILLed right after acknowledging', () => {
  let temporal: TestTemporal;
  let stack: SyncStack;
  let front: TcpProxy;

  before(async () => {
    temporal = await useTestTemporal();
    stack = await startSyncStack({
      temporal: { address: temporal.address, namespace: temporal.namespace, client: temporal.env.client, nativeConnection: temporal.env.nativeConnection },
      store: uniqueStoreName('kill'),
      catalog,
    });
    // Only the processes under test receive deliveries and drain the outbox: the stack's in-process receiver stops.
    await stack.receiver.close();
    await stack.startWorkers({ workflowBundle: await workflowBundle() });
    const [host = '127.0.0.1', port = '7233'] = temporal.address.split(':');
    front = await startTcpProxy({ host, port: Number(port) });
  });
  after(async () => {
    await front?.close();
    await stack?.close();
    await temporal?.close();
  });

  it('loses no order: every acknowledged order ends with exactly one sales order', { timeout: 300_000 }, async () => {
    const first = stack.spawnReceiver({ TEMPORAL_ADDRESS: front.address });
    await first.started;
    assert.notEqual(first.logged('webhook receiver listening')?.outbox, 'off', 'the receiver runs with its outbox');
    const deliveryUrl = `${String(first.logged('webhook receiver listening')?.url)}/webhooks/woocommerce`;
    for (const hook of stack.woo.control.listWebhooks()) stack.woo.control.updateWebhook(Number(hook.id), { delivery_url: deliveryUrl });

    // From now on Temporal never hears from this receiver: it can acknowledge, and start nothing.
    front.hold();
    const orders = generateOrderDrafts(catalog, ORDERS).map((draft) => stack.woo.control.placeOrder({ ...draft, status: 'processing' }));
    await stack.woo.control.flushDeliveries({ runNow: true, timeoutMs: 120_000 });
    const acknowledged = new Set(
      stack.woo.control
        .deliveries({ kind: 'delivery' })
        .filter((d) => d.success && d.topic === 'order.created')
        .map((d) => d.resourceId),
    );
    assert.deepEqual([...acknowledged].sort(), orders.map((o) => o.id).sort(), 'every order.created delivery was acknowledged');
    for (const order of orders) {
      await assert.rejects(
        stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).describe(),
        { name: 'WorkflowNotFoundError' },
        `order ${order.id} not started before the kill`,
      );
    }

    first.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    await front.close(); // whatever it held never reaches Temporal

    const second = stack.spawnReceiver();
    await second.started;
    for (const hook of stack.woo.control.listWebhooks())
      stack.woo.control.updateWebhook(Number(hook.id), { delivery_url: `${String(second.logged('webhook receiver listening')?.url)}/webhooks/woocommerce` });
    for (const order of orders) {
      const state = await stack.waitForOrder(order.id, undefined, 120_000).catch((error: unknown) => {
        throw new Error(
          `order ${order.id} was acknowledged and never synced: ${String(error)}\nfirst receiver:\n${first.output().slice(-1500)}\nsecond receiver:\n${second.output().slice(-1500)}`,
        );
      });
      assert.equal(state.status, 'Synced', `order ${order.id}: ${JSON.stringify(state)}`);
      assert.equal(salesOrdersWithExternalId(stack, `woo-${stack.store.name}-${order.order_key}`).length, 1, `order ${order.id}: exactly one sales order`);
    }
    second.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.output().slice(-2000));
  });
});
