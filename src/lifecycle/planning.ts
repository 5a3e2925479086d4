/**
 * What the lifecycle planners (plan.ts and the refund, cancellation and edit planners beside it) share: planLifecycle's
 * input, and the plan being built — its actions, problems and refunds already applied — with the sales order's lines
 * in line order and the sales order's name for messages. Pure.
 */
import type { Mapping } from '../mapping/schema';
import type { WooOrder } from '../woocommerce/order';
import type { WooRefund } from '../woocommerce/refund';
import type { LifecycleAction, LifecyclePlan, LifecycleProblem, LifecycleRecord, SalesOrderLine, SalesOrderState } from './types';

export interface PlanLifecycleInput {
  store: string;
  order: WooOrder;
  refunds: readonly WooRefund[];
  salesOrder: SalesOrderState;
  mapping: Mapping;
  /** Item key of each order line (itemKeys) → NetSuite internal ID. */
  items: ReadonlyMap<string, string>;
  /** External ID → internal ID of the mapping's fee, tax and refund items given by external ID. */
  refs: ReadonlyMap<string, string>;
  record: LifecycleRecord;
}

/** A plan under construction. */
export interface Planning {
  readonly input: PlanLifecycleInput;
  /** The sales order's lines, by line number. */
  readonly lines: readonly SalesOrderLine[];
  /** The sales order as messages name it: `NetSuite sales order <tranId> (internal ID <id>)`. */
  readonly soName: string;
  readonly actions: LifecycleAction[];
  /** WooCommerce refund ID → how it was applied (credit, by hand, cancelled…): nothing more to do for it. */
  readonly alreadyApplied: Record<string, string>;
  /** Raises a problem unless a human acknowledged it; returns true when it was raised. */
  problem(p: LifecycleProblem): boolean;
  /** The plan as it stands. */
  plan(): LifecyclePlan;
}

export function startPlanning(input: PlanLifecycleInput): Planning {
  const { salesOrder: so, record } = input;
  const acknowledged = new Set(record.acknowledged);
  const actions: LifecycleAction[] = [];
  const problems: LifecycleProblem[] = [];
  const alreadyApplied: Record<string, string> = {};
  return {
    input,
    lines: [...so.lines].sort((a, b) => a.line - b.line),
    soName: `NetSuite sales order ${so.tranId ?? so.id} (internal ID ${so.id})`,
    actions,
    alreadyApplied,
    problem(p) {
      if (p.acknowledgeable && acknowledged.has(p.key)) return false;
      problems.push(p);
      return true;
    },
    plan: () => ({ actions, problems, alreadyApplied }),
  };
}
