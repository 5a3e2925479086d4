/**
 * One pass over the order's steps, reusing what is still valid: read the order (unless the last read is still good),
 * then either follow an order that has its sales order (follow-order.ts) or make its sales order — sync rules and
 * mapping → resolve items → match the customer → find an existing sales order → create it.
 */
import { patched } from '@temporalio/workflow';
import { LIFECYCLE_PATCH, matchKeyOf } from '../../api';
import type { CustomerKey, MatchCustomerResult, PlanResult } from '../../activities/contracts';
import { formatLifecycleRecord } from '../../lifecycle/types';
import type { WooOrder } from '../../woocommerce/order';
import { followOrder } from './follow-order';
import { StepNeedsAttention, type OrderRun, type Outcome } from './run';
import { shippedOrderMissing } from './shipments';

/** What the mapping planned for an order it syncs. */
type SalesOrderPlan = Extract<PlanResult, { kind: 'plan' }>;

/** One pass over the steps; a step that needs a human ends it with a NeedsAttention outcome. */
export async function syncOrder(run: OrderRun): Promise<Outcome> {
  try {
    const read = run.read.order ? { order: run.read.order } : await readOrder(run);
    if ('outcome' in read) return read.outcome;
    if (run.lifecycle.follow) return await followOrder(run, read.order, run.lifecycle.follow);
    return await makeSalesOrder(run, read.order);
  } catch (error) {
    if (error instanceof StepNeedsAttention) return { status: 'NeedsAttention', attention: error.attention };
    throw error;
  }
}

/**
 * Reads the order from WooCommerce (the truth; the webhook was only a trigger). An order that is gone, or whose meta
 * already names its sales order in a history from before the lifecycle steps, settles the pass at once; an order that
 * has its sales order is followed.
 */
async function readOrder(run: OrderRun): Promise<{ order: WooOrder } | { outcome: Outcome }> {
  const { store, orderId, state } = run;
  run.lifecycle.follow = undefined;
  run.read.changesAtRead = run.inbox.changes;
  const read = await run.step('readOrder', () => run.woo.readOrder.executeWithOptions({ summary: `read WooCommerce order ${orderId}` }, [{ store, orderId }]));
  run.read.policy = read.policy;
  run.read.gone = !read.found;
  if (!read.found) {
    const shipping = run.inbox.shipping ?? run.shipments.toRetry;
    if (shipping) return { outcome: await shippedOrderMissing(run, shipping) };
    return { outcome: run.skip('order-missing', `WooCommerce order ${orderId} no longer exists (deleted or trashed).`) };
  }
  const order = read.order;
  run.read.order = order;
  run.read.digest = read.digest;
  state.orderNumber = order.number;
  if (read.alreadySyncedSalesOrderId) {
    state.salesOrderId = read.alreadySyncedSalesOrderId;
    run.read.alreadyRecorded = true;
    if (!patched(LIFECYCLE_PATCH)) return { outcome: { status: 'Synced' } };
    const recorded = read.lifecycle ?? { applied: {}, acknowledged: [] };
    run.lifecycle.follow = {
      salesOrderId: read.alreadySyncedSalesOrderId,
      record: { ...recorded, acknowledged: [...new Set([...recorded.acknowledged, ...run.lifecycle.acknowledged])] },
    };
  }
  return { order };
}

/** Sync rules and mapping → items → customer → an existing sales order, else a new one. */
async function makeSalesOrder(run: OrderRun, order: WooOrder): Promise<Outcome> {
  const { state } = run;
  const plan = await planOrder(run, order);
  if (plan.kind === 'skip') return run.skip(plan.rule, plan.detail);
  state.externalId = plan.externalId;
  run.addWarnings(plan.warnings);
  run.found.matchKey = matchKeyOf(plan.customerKey);

  const items = await resolveItems(run, plan.itemKeys);
  const customer = await matchCustomer(run, order, plan.customerKey);
  state.customerId = customer.customerId;
  run.addWarnings(customer.warnings);

  const found = await findSalesOrder(run, order, plan);
  run.addWarnings(found.warnings);
  if (found.salesOrderId) {
    state.salesOrderId = found.salesOrderId;
    return { status: 'Synced' };
  }
  return await createSalesOrder(run, order, plan, customer.customerId, items);
}

/** Loads the mapping afresh, applies the sync rules, and plans the sales order. */
function planOrder(run: OrderRun, order: WooOrder): Promise<PlanResult> {
  const { store, orderId } = run;
  return run.step('mapOrder', () => run.woo.planOrder.executeWithOptions({ summary: `sync rules and mapping, order ${orderId}` }, [{ store, order }]));
}

/** Item key → NetSuite internal ID; reused while the plan's item keys are unchanged. */
async function resolveItems(run: OrderRun, itemKeys: string[]): Promise<Record<string, string>> {
  const { store, arrivedAt, found } = run;
  const keys = JSON.stringify(itemKeys);
  if (found.items?.keys !== keys) {
    const ids = await run.step('resolveItems', () =>
      run.netsuite.resolveItems.executeWithOptions({ summary: `resolve ${itemKeys.length} item(s) in NetSuite` }, [{ store, keys: itemKeys, arrivedAt }]),
    );
    found.items = { keys, ids };
  }
  return found.items.ids;
}

/** The NetSuite customer, matched (or created) by the plan's customer key; reused while the key is unchanged. */
async function matchCustomer(run: OrderRun, order: WooOrder, customerKey: CustomerKey): Promise<MatchCustomerResult> {
  const { store, arrivedAt, found } = run;
  const key = JSON.stringify(customerKey);
  if (found.customer?.key !== key) {
    const result = await run.step('matchCustomer', () =>
      run.netsuite.matchCustomer.executeWithOptions({ summary: `match customer by ${customerKey.kind}` }, [{ store, order, customerKey, arrivedAt }]),
    );
    found.customer = { key, result };
  }
  return found.customer.result;
}

/** Looks for a sales order with the plan's external ID or carrying the order key. */
function findSalesOrder(run: OrderRun, order: WooOrder, plan: SalesOrderPlan): Promise<{ salesOrderId?: string; warnings: string[] }> {
  const { arrivedAt } = run;
  return run.step('findSalesOrder', () =>
    run.netsuite.findSalesOrder.executeWithOptions({ summary: `find sales order ${plan.externalId}` }, [
      { externalId: plan.externalId, orderKey: order.order_key, orderKeyField: plan.orderKeyField, arrivedAt },
    ]),
  );
}

/** Creates the sales order, and notes what NetSuite heard of the order for the lifecycle meta. */
async function createSalesOrder(run: OrderRun, order: WooOrder, plan: SalesOrderPlan, customerId: string, items: Record<string, string>): Promise<Outcome> {
  const { store, arrivedAt, state } = run;
  const created = await run.step('createSalesOrder', () =>
    run.netsuite.createSalesOrder.executeWithOptions({ summary: `create sales order ${plan.externalId}` }, [
      { store, order, externalId: plan.externalId, customerId, items, customerKey: plan.customerKey, arrivedAt },
    ]),
  );
  state.salesOrderId = created.salesOrderId;
  // NetSuite refused the customer given (made inactive, merged) and it was matched again.
  if (created.customerId !== undefined) state.customerId = created.customerId;
  run.addWarnings(created.warnings);
  // What NetSuite heard: this order as it was read. A refund or cancellation already on it is followed by the
  // next run (started by our own meta write), so the digest is left out then.
  const settledAtCreate = order.refunds.length === 0 && order.status !== 'cancelled' && order.status !== 'trash';
  const digest = run.read.digest;
  if (digest !== undefined) run.lifecycle.meta = formatLifecycleRecord({ ...(settledAtCreate ? { digest } : {}), applied: {}, acknowledged: [] });
  return { status: 'Synced' };
}
