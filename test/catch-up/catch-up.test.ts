/**
 * The catch-up poller on the real dev server, against the simulated store with 30 % of its webhook deliveries dropped:
 * every order is synced after one poll, none twice; settled orders are left alone; the cursor lives in PostgreSQL and
 * the next poll (from a new process's point of view: a new store object) continues from it, minus the overlap; and
 * registered by `schedules apply`, the schedule itself runs the poller and the orders sync with no one starting it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduleIdOf, SCHEDULED_WORKFLOW_TYPES } from '../../src/api';
import { CATCH_UP_DEFAULTS, type CatchUpInput, type CatchUpResult } from '../../src/catch-up/types';
import { catchUpCursorName } from '../../src/catch-up/poll';
import { createPostgresCursorStore } from '../../src/state/cursor-store';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { cliEnv, isSynced, salesOrdersWithExternalId, startE2E, workflowBundle, type E2E } from '../order-sync/helpers';
import { runCli } from '../../src/client';

const ORDERS = 30;
const catalog = generateCatalog({ seed: 1 });

describe('catch-up poller', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ catalog, topics: ['order.created', 'order.updated'] });
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  const poll = (input: Omit<CatchUpInput, 'store'> = {}): Promise<CatchUpResult> =>
    e2e.stack.client.workflow.execute(SCHEDULED_WORKFLOW_TYPES['catch-up'], {
      taskQueue: e2e.stack.taskQueue,
      workflowId: `catch-up-test-${e2e.stack.store.name}-${Date.now()}`,
      args: [{ store: e2e.stack.store.name, ...input }],
    });

  it('with 30 % of webhooks dropped, one poll syncs every order exactly once', async () => {
    const { stack } = e2e;
    stack.woo.control.setWebhookFaults({ dropFraction: 0.3 });
    const drafts = generateOrderDrafts(catalog, ORDERS).map((d) => ({
      ...d,
      status: 'processing' as const,
      customerEmail: d.customerEmail ?? 'guest@example.com',
    }));
    const orders = drafts.map((draft) => stack.woo.control.placeOrder(draft));
    await stack.woo.control.flushDeliveries({ runNow: true });

    const delivered = new Set(
      stack.woo.control
        .deliveries({ kind: 'delivery' })
        .filter((d) => d.success)
        .map((d) => d.resourceId),
    );
    const missed = orders.filter((o) => !delivered.has(o.id));
    assert.ok(stack.woo.control.counters().deliveries.dropped > 0, 'the store dropped deliveries');
    assert.ok(missed.length > 0, 'some orders got no webhook at all (else this test proves nothing)');
    for (const order of orders.filter((o) => delivered.has(o.id))) await stack.waitForOrder(order.id, isSynced);
    for (const order of missed) assert.equal(await stack.orderState(order.id), undefined, `order ${order.id} has no workflow before the poll`);

    const result = await poll();
    assert.equal(result.listed, ORDERS);
    assert.equal(result.started, missed.length, 'only the orders without a sales order were started');
    assert.equal(result.settled, ORDERS - missed.length);
    for (const order of orders) await stack.waitForOrder(order.id, isSynced);

    for (const order of orders) {
      const state = await stack.orderState(order.id);
      assert.equal(salesOrdersWithExternalId(stack, state?.externalId ?? '').length, 1, `order ${order.id}: one sales order`);
    }
    const creates = Object.entries(stack.netsuite.control.counters().requestsByRoute).filter(([route]) =>
      /^POST \/services\/rest\/record\/v1\/salesorder$/i.test(route),
    );
    assert.equal(
      creates.reduce((sum, [, n]) => sum + n, 0),
      ORDERS,
      'one create request per order',
    );
  });

  it('keeps its cursor in PostgreSQL: the next poll starts where the last one began, minus the overlap', async () => {
    const { stack } = e2e;
    const first = await poll();
    const store = createPostgresCursorStore(stack.stateDatabaseUrl);
    try {
      assert.equal(await store.get(catchUpCursorName(stack.store.name)), first.cursor, 'the cursor outlives the poll');
    } finally {
      await store.close();
    }
    assert.equal(first.started, 0, 'every order in the window is settled now');

    stack.woo.control.setWebhookFaults({ dropFraction: 1 });
    const late = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1, 4242)[0]!, status: 'processing', customerEmail: 'late@example.com' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const second = await poll();
    assert.equal(Date.parse(second.since), Date.parse(first.cursor) - CATCH_UP_DEFAULTS.overlapMinutes * 60_000);
    assert.deepEqual(second.startedOrderIds, [late.id]);
    await stack.waitForOrder(late.id, isSynced);
  });

  it('registered with `schedules apply`, the poller runs on its own and syncs orders whose webhooks never came', async () => {
    const { stack } = e2e;
    const file = join(mkdtempSync(join(tmpdir(), 'catch-up-schedule-')), 'schedules.json');
    const off = { every: '1h', enabled: false };
    writeFileSync(file, JSON.stringify({ inventory: off, 'schema-drift': off, reconciliation: off, 'catch-up': { every: '2s' } }));
    const env = { ...cliEnv(e2e), SCHEDULES_FILE: file };
    stack.woo.control.setWebhookFaults({ dropFraction: 1 });
    const orders = generateOrderDrafts(catalog, 5, 777).map((d) =>
      stack.woo.control.placeOrder({ ...d, status: 'processing', customerEmail: d.customerEmail ?? 'guest@example.com' }),
    );
    await stack.woo.control.flushDeliveries({ runNow: true });
    assert.equal(
      stack.woo.control.deliveries({ kind: 'delivery' }).filter((d) => orders.some((o) => o.id === d.resourceId) && d.success).length,
      0,
      'no webhook reached the receiver',
    );
    try {
      assert.equal(await runCli(['schedules', 'apply'], () => {}, env), 0);
      for (const order of orders) await stack.waitForOrder(order.id, isSynced, 60_000);
      const description = await stack.client.schedule.getHandle(scheduleIdOf(`catch-up:${stack.store.name}`, stack.taskQueue)).describe();
      assert.ok(description.info.recentActions.length >= 1, 'the schedule started the poller');
    } finally {
      await stack.client.schedule.getHandle(scheduleIdOf(`catch-up:${stack.store.name}`, stack.taskQueue)).delete();
    }
  });

  it("turns our webhooks WooCommerce disabled back on, and leaves a paused one and another receiver's alone", async () => {
    const { stack } = e2e;
    stack.woo.control.setWebhookFaults({ dropFraction: 0 });
    const ours = stack.woo.control.listWebhooks().filter((w) => w.status === 'active');
    // What WooCommerce does after the 6th failed delivery in a row (a receiver restart during a sale is enough).
    for (const webhook of ours) stack.woo.control.updateWebhook(Number(webhook.id), { status: 'disabled' });
    const paused = await stack.woo.control.createWebhook({
      topic: 'order.updated',
      delivery_url: stack.webhookUrl,
      secret: 'paused-by-admin',
      name: 'paused by an admin',
    });
    stack.woo.control.updateWebhook(Number(paused.id), { status: 'paused' });
    const foreign = await stack.woo.control.createWebhook({
      topic: 'order.created',
      delivery_url: 'http://127.0.0.1:9/erp/hook',
      secret: 'another-integration',
      name: 'another integration',
    });
    stack.woo.control.updateWebhook(Number(foreign.id), { status: 'disabled' });

    const unheard = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1, 5151)[0]!, status: 'processing', customerEmail: 'unheard@example.com' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    assert.equal(await stack.orderState(unheard.id), undefined, 'a disabled webhook delivers nothing');

    const result = await poll();
    assert.deepEqual(
      result.webhooksReactivated?.map((w) => w.id).sort(),
      ours.map((w) => Number(w.id)).sort(),
      `every one of ours, and only ours, turned back on: ${JSON.stringify(result)}`,
    );
    assert.equal(result.webhooksUnchecked, undefined);
    await stack.waitForOrder(unheard.id, isSynced);
    const status = (id: unknown): string | undefined => stack.woo.control.listWebhooks().find((w) => w.id === id)?.status as string | undefined;
    for (const webhook of ours) assert.equal(status(webhook.id), 'active');
    assert.equal(status(paused.id), 'paused', "an admin's pause stands");
    assert.equal(status(foreign.id), 'disabled', "another integration's webhook is not ours to touch");

    const heard = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1, 5252)[0]!, status: 'processing', customerEmail: 'heard@example.com' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    assert.ok(
      stack.woo.control.deliveries({ resourceId: heard.id, kind: 'delivery' }).some((d) => d.success),
      'the next order is delivered by its webhook again',
    );
    await stack.waitForOrder(heard.id, isSynced);
    assert.equal((await poll()).webhooksReactivated, undefined, 'nothing to turn on the next time');
  });
});
