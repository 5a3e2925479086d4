/**
 * A refund of a billed order (by invoice, then by cash sale), its webhook delivered five times, and the worker process
 * killed with SIGKILL after NetSuite accepted the credit but before the activity completed: the next worker finds the
 * credit by its external ID, and NetSuite holds exactly one, for exactly the refunded amount.
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

const CASES = [
  { billAs: 'invoice', credit: 'creditMemo', amount: '6.35' },
  { billAs: 'cashSale', credit: 'cashRefund', amount: '4.10' },
] as const;

describe('a worker killed after NetSuite accepted the credit of a refund', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { allowNegativeInventory: true } });
  });
  after(async () => e2e?.close());

  for (const { billAs, credit: creditType, amount } of CASES)
    it(`billed by ${billAs}: the next worker adopts the ${creditType}, exactly one, for the refunded amount`, async () => {
      const { stack } = e2e;
      const firstWorker = stack.spawnWorker();
      await firstWorker.started;
      const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU, quantity: 3 }]);
      await fulfil(stack, salesOrderId);
      const billed = await bill(stack, salesOrderId, billAs);

      // NetSuite stores the credit at once, but its answer never reaches this worker.
      stack.netsuite.control.addFault({
        kind: 'slow-response',
        ms: 120_000,
        count: 1,
        route: { method: 'POST', pathPrefix: `/services/rest/record/v1/${billAs}/${billed.id}/!transform` },
      });
      const made = await refund(stack, order.id, { amount, line_items: [{ id: lineIdOf(order, SKU), quantity: 1, refund_total: amount }] });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await stack.woo.control.flushDeliveries({ runNow: true });
      const delivery = lastUpdateDelivery(stack, order.id);
      const answers = await Promise.all([1, 2, 3, 4].map(() => sendDelivery(stack.webhookUrl, delivery)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200],
      );

      await until(async () => (await documents(stack, salesOrderId)).some((d) => d.type === creditType), `NetSuite to store the ${creditType}`);
      firstWorker.kill('SIGKILL');
      assert.equal(await firstWorker.exited, 'SIGKILL');
      const secondWorker = stack.spawnWorker();
      await secondWorker.started;

      const applied = await waitForChange(stack, order.id, 'credit', 120_000);
      assert.equal(applied.length, 1, JSON.stringify(applied));
      const credit = applied[0]!;
      assert.equal(credit.resolvedDuplicate, true, `the retried step found the ${creditType} by its external ID`);
      await stack.woo.control.flushDeliveries({ runNow: true });
      await stack.waitForOrder(order.id);
      const credits = (await documents(stack, salesOrderId)).filter((d) => d.type === creditType);
      assert.equal(credits.length, 1, JSON.stringify(credits));
      assert.equal(credits[0]!.total, Number(amount));
      assert.equal(credit.netsuite.id, credits[0]!.id);
      secondWorker.kill('SIGTERM');
      await secondWorker.exited;
    });
});
