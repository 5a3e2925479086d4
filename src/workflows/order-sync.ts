/**
 * The order workflow: one WooCommerce order becomes exactly one NetSuite sales order, or waits, visibly, for a human.
 *
 * read the order (the webhook is only a trigger) → sync rules and mapping → resolve items → match the customer →
 * find an existing sales order → create it → record the outcome in WooCommerce (order-sync/sync-pass.ts).
 *
 * A failure that would fail the same way again puts the order in NeedsAttention: the SyncStatus and FailureType search
 * attributes, the UI's current details and a private order note say what failed and what to fix. The workflow waits
 * for `retry` (re-reads the mapping, resumes from the failed step), `skip` (closes as Skipped), or `orderChanged`
 * (reads the order again); after the configured limit it closes as Failed (order-sync/needs-attention.ts). Every
 * NetSuite call runs on the NetSuite task queue, whose concurrency is capped across all workers.
 *
 * Once the sales order exists, a later run (started by a webhook, the catch-up poller or `sync` for an order whose
 * content changed since NetSuite last heard of it) follows the order: it reads the refunds, plans the NetSuite changes
 * (close lines of a cancelled order, reduce lines or credit the bill for a refund, update an edited order — see
 * src/lifecycle/plan.ts), applies each as its own step, and records what NetSuite now knows in the order's meta. What
 * it cannot do by itself needs attention, like any other failure; `retry` acknowledges what a human did in NetSuite
 * (order-sync/follow-order.ts). NetSuite's shipments reach the customer after each pass, and while the order waits for
 * a human (order-sync/shipments.ts).
 *
 * Everything the run knows lives in one OrderRun (order-sync/run.ts).
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { OrderSyncInput, OrderSyncState } from '../api';
import { needsAttention } from './order-sync/needs-attention';
import { recordOutcome } from './order-sync/record-outcome';
import { OrderRun, type Next } from './order-sync/run';
import { pushShipmentsAfterPass } from './order-sync/shipments';
import { syncOrder } from './order-sync/sync-pass';

export async function orderSyncWorkflow(input: OrderSyncInput): Promise<OrderSyncState> {
  const run = new OrderRun(input);
  run.publish();
  for (;;) {
    const changesBefore = run.inbox.changes;
    const outcome = await pushShipmentsAfterPass(run, await syncOrder(run));
    const next: Next =
      outcome.status === 'Synced'
        ? await synced(run)
        : outcome.status === 'Skipped'
          ? await skipped(run, changesBefore)
          : await needsAttention(run, outcome.attention);
    if (next === 'close') break;
  }
  await condition(allHandlersFinished);
  return run.state;
}

/** The order has its sales order: the outcome is recorded, and a change signalled meanwhile is looked at before the run closes. */
async function synced(run: OrderRun): Promise<Next> {
  run.state.status = 'Synced';
  run.state.attention = undefined;
  run.publish();
  if (run.read.alreadyRecorded) run.state.outcomeRecorded = true;
  else await recordOutcome(run);
  // A change signalled while this pass ran (a refund webhook, say) is looked at before the run closes.
  return readAgainIfChanged(run);
}

/** A sync rule skipped the order: unless it changed while we looked at it, the outcome is recorded and the run closes. */
async function skipped(run: OrderRun, changesBefore: number): Promise<Next> {
  if (run.inbox.changes > changesBefore) {
    run.forgetOrder(); // the order changed while we looked at it: read it again before skipping
    return 'again';
  }
  run.state.status = 'Skipped';
  run.publish();
  await recordOutcome(run);
  // A change signalled while the outcome was written (a refund, a payment) is looked at before the run closes.
  return readAgainIfChanged(run);
}

function readAgainIfChanged(run: OrderRun): Next {
  if (!run.changedSinceRead()) return 'close';
  run.forgetOrder();
  return 'again';
}
