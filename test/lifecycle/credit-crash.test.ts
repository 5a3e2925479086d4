/**
 * A refund of an order billed by cash sale, its webhook delivered five times, and the worker process killed with
 * SIGKILL after NetSuite accepted the cash refund but before the activity completed: the next worker finds the cash
 * refund by its external ID, and NetSuite holds exactly one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { until } from '../helpers/until';
import { startE2E, type E2E } from '../order-sync/helpers';
import { sendDelivery } from '../order-sync/webhook-replay';
import { bill, documents, fulfil, lastUpdateDelivery, lineIdOf, refund, syncedOrder, waitForChange } from './helpers';

const catalog = generateCatalog({ seed: 43 });
const SKU = sellableItems(catalog).find((s) => s.parentSku === undefined)!.sku;

describe('a worker killed after NetSuite accepted a cash refund', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { allowNegativeInventory: true } });
  });
  after(async () => e2e?.close());

  it('the next worker adopts it: exactly one cash refund, for the refunded amount', async () => {
    const { stack } = e2e;
    const firstWorker = stack.spawnWorker();
    await firstWorker.started;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU, quantity: 3 }]);
    await fulfil(stack, salesOrderId);
    const cashSale = await bill(stack, salesOrderId, 'cashSale');

    // NetSuite stores the cash refund at once, but its answer never reaches this worker.
    stack.netsuite.control.addFault({ kind: 'slow-response', ms: 120_000, count: 1, route: { method: 'POST', pathPrefix: `/services/rest/record/v1/cashSale/${cashSale.id}/!transform` } });
    const made = await refund(stack, order.id, { amount: '4.10', line_items: [{ id: lineIdOf(order, SKU), quantity: 1, refund_total: '4.10' }] });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await stack.woo.control.flushDeliveries({ runNow: true });
    const delivery = lastUpdateDelivery(stack, order.id);
    const answers = await Promise.all([1, 2, 3, 4].map(() => sendDelivery(stack.webhookUrl, delivery)));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);

    await until(async () => (await documents(stack, salesOrderId)).some((d) => d.type === 'cashRefund'), 'NetSuite to store the cash refund');
    firstWorker.kill('SIGKILL');
    assert.equal(await firstWorker.exited, 'SIGKILL');
    const secondWorker = stack.spawnWorker();
    await secondWorker.started;

    const credits = await waitForChange(stack, order.id, 'credit', 120_000);
    assert.equal(credits.length, 1, JSON.stringify(credits));
    const credit = credits[0]!;
    assert.equal(credit.resolvedDuplicate, true, 'the retried step found the cash refund by its external ID');
    await stack.woo.control.flushDeliveries({ runNow: true });
    await stack.waitForOrder(order.id);
    const refunds = (await documents(stack, salesOrderId)).filter((d) => d.type === 'cashRefund');
    assert.equal(refunds.length, 1, JSON.stringify(refunds));
    assert.equal(refunds[0]!.total, 4.1);
    assert.equal(credit.netsuite.id, refunds[0]!.id);
    secondWorker.kill('SIGTERM');
    await secondWorker.exited;
  });
});
