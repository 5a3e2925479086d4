/**
 * Plans the NetSuite changes that follow a WooCommerce order after its sales order exists, by comparing the order
 * (and its refunds) with what NetSuite holds. Pure and deterministic; every planned action is idempotent.
 *
 * - Trashed → a problem naming the sales order (restoring the order clears it); nothing is closed automatically.
 * - Cancelled → close the lines still open (`isClosed`); what was already shipped or billed is a problem saying what to
 *   do (cancellation-plan.ts).
 * - Refunds (one per WooCommerce refund, never twice): the sales order billed → a credit transformed from the bill
 *   (invoice → credit memo, cash sale → cash refund) whose external ID is derived from the refund ID; not billed → the
 *   refunded lines reduced (an amount on no line: a negative line of the refund item). Refunds of shipped, unbilled
 *   goods, deleted refunds and refund lines that name no order item are problems (refund-plan.ts).
 * - Edits (lines, quantities, prices, fees, shipping cost) → the sales order updated, line by line, or the whole item
 *   sublist replaced when lines were added or removed; once anything is fulfilled or billed, a problem naming the diff
 *   (edit-plan.ts, which also applies the reductions of unbilled refunds).
 * Sales order lines are the order's lines in order (then fees, then the tax line), as buildSalesOrder makes them.
 */
import { planCancellation } from './cancellation-plan';
import { planEdits } from './edit-plan';
import { startPlanning, type PlanLifecycleInput } from './planning';
import { planDeletedRefunds, planRefunds } from './refund-plan';
import type { LifecyclePlan } from './types';

export function planLifecycle(input: PlanLifecycleInput): LifecyclePlan {
  const planning = startPlanning(input);
  const { order } = input;

  if (order.status === 'trash') {
    planning.problem({
      key: 'trashed',
      failureType: 'OrderTrashedAfterSync',
      message: `WooCommerce order ${order.number} was moved to the trash after it became ${planning.soName}; nothing was changed in NetSuite.`,
      fix: 'Restore the order in WooCommerce (that clears this), or close the sales order in NetSuite yourself and send "retry" to acknowledge.',
      acknowledgeable: true,
    });
    return planning.plan();
  }

  planDeletedRefunds(planning);
  const reductions = planRefunds(planning);
  if (order.status === 'cancelled') planCancellation(planning);
  else planEdits(planning, reductions);
  return planning.plan();
}
