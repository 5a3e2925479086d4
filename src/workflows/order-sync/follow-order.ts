/**
 * Following an order that has its sales order: nothing to do while the order matches what NetSuite last heard; else
 * read the refunds, plan the NetSuite changes (close lines of a cancelled order, reduce lines or credit the bill for a
 * refund, update an edited order — src/lifecycle/plan.ts), apply each as its own step, and leave what NetSuite now
 * knows for recordOutcome. What it cannot do by itself needs attention; `retry` acknowledges what a human did.
 */
import type { WooRefund } from '../../woocommerce/refund';
import type { PlanOrderChangesResult } from '../../activities/contracts';
import { formatLifecycleRecord, type LifecycleProblem, type LifecycleRecord } from '../../lifecycle/types';
import type { WooOrder } from '../../woocommerce/order';
import { ORDER_META, orderMetaValue } from '../../woocommerce/order-meta';
import type { OrderRun, Outcome } from './run';

/** One lifecycle pass over an order that has its sales order. */
export async function followOrder(run: OrderRun, order: WooOrder, follow: { salesOrderId: string; record: LifecycleRecord }): Promise<Outcome> {
  run.lifecycle.problems = [];
  if (follow.record.digest !== undefined && follow.record.digest === run.read.digest) return { status: 'Synced' };
  const refunds = await readRefunds(run, order, follow.record);
  const planned = await planChanges(run, order, refunds, follow);
  if (planned.salesOrder.externalId) run.state.externalId = planned.salesOrder.externalId;
  const record: LifecycleRecord = { ...follow.record, applied: { ...follow.record.applied, ...planned.plan.alreadyApplied } };
  try {
    await applyChanges(run, planned, record);
  } finally {
    // Whatever was applied is recorded, even when a later change needs a human.
    noteRecord(run, order, follow, record, planned.plan.problems);
  }
  return problemsOutcome(planned.plan.problems);
}

/** The order's refunds, when it has any or NetSuite has heard of some. */
async function readRefunds(run: OrderRun, order: WooOrder, record: LifecycleRecord): Promise<WooRefund[]> {
  const { store, orderId } = run;
  return order.refunds.length > 0 || Object.keys(record.applied).length > 0
    ? await run.step('readRefunds', () =>
        run.woo.readRefunds.executeWithOptions({ summary: `read the refunds of WooCommerce order ${orderId}` }, [{ store, orderId }]),
      )
    : [];
}

/** Compares the order with its sales order and plans the NetSuite changes. */
function planChanges(
  run: OrderRun,
  order: WooOrder,
  refunds: WooRefund[],
  follow: { salesOrderId: string; record: LifecycleRecord },
): Promise<PlanOrderChangesResult> {
  const { store, orderId } = run;
  return run.step('planChanges', () =>
    run.netsuite.planOrderChanges.executeWithOptions({ summary: `compare order ${orderId} with NetSuite sales order ${follow.salesOrderId}` }, [
      { store, order, refunds, salesOrderId: follow.salesOrderId, record: follow.record },
    ]),
  );
}

/** Applies each planned change as its own step, noting it in the state and in `record`. */
async function applyChanges(run: OrderRun, planned: PlanOrderChangesResult, record: LifecycleRecord): Promise<void> {
  for (const action of planned.plan.actions) {
    const applied = await run.step('applyChange', () =>
      run.netsuite.applyOrderChange.executeWithOptions({ summary: action.describe.slice(0, 200) }, [{ action }]),
    );
    (run.state.changes ??= []).push({
      at: new Date().toISOString(),
      kind: action.kind,
      describe: action.describe,
      netsuite: applied.netsuite,
      ...(applied.resolvedDuplicate ? { resolvedDuplicate: true } : {}),
    });
    if (action.kind === 'credit') record.applied[String(action.refundId)] = `${applied.netsuite.type}:${applied.netsuite.id}`;
    if (action.kind === 'updateSalesOrder') for (const id of action.refundIds) record.applied[String(id)] = 'reduced';
  }
}

/** What NetSuite now knows: the lifecycle meta recordOutcome writes (when it changed), and the run's record. */
function noteRecord(
  run: OrderRun,
  order: WooOrder,
  follow: { salesOrderId: string; record: LifecycleRecord },
  record: LifecycleRecord,
  problems: LifecycleProblem[],
): void {
  run.lifecycle.problems = problems;
  if (problems.length === 0) record.digest = run.read.digest;
  else delete record.digest;
  const value = formatLifecycleRecord(record);
  if (value !== orderMetaValue(order, ORDER_META.lifecycle)) {
    run.lifecycle.meta = value;
    run.read.alreadyRecorded = false;
  }
  follow.record = record;
}

/** Synced when nothing needs a human; else one NeedsAttention that names every problem. */
function problemsOutcome(problems: LifecycleProblem[]): Outcome {
  const [first, ...more] = problems;
  if (first === undefined) return { status: 'Synced' };
  return {
    status: 'NeedsAttention',
    attention: {
      failureType: first.failureType,
      step: 'planChanges',
      message: [first, ...more].map((p) => p.message).join(' Also: '),
      fix: [first, ...more].map((p) => p.fix).join(' '),
      since: new Date().toISOString(),
    },
  };
}
