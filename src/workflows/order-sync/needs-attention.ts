/**
 * An order that needs a human: the SyncStatus and FailureType search attributes, the UI's current details and a
 * private order note say what failed and what to fix. The run waits for `retry` (resumes from the failed step, reading
 * again what a human may have changed), `skip` (closes as Skipped), or `orderChanged` (reads the order again); a
 * shipment that arrives meanwhile is still pushed. After the configured limit the run closes as Failed.
 */
import { ApplicationFailure, allHandlersFinished, condition, log, setCurrentDetails } from '@temporalio/workflow';
import type { Attention } from '../../api';
import { describeStateMarkdown } from '../../outcome';
import { OPERATOR_SKIP_RULE } from '../../woocommerce/order-meta';
import type { WooOrder } from '../../woocommerce/order';
import { recordOutcome } from './record-outcome';
import { StepNeedsAttention, type Next, type OrderRun } from './run';
import { alsoNeeded, pushShipments } from './shipments';

/** Puts the order in NeedsAttention and waits for a human's answer: `again` after a retry or a change, `close` after a skip. */
export async function needsAttention(run: OrderRun, attention: Attention): Promise<Next> {
  const { state, inbox } = run;
  state.status = 'NeedsAttention';
  state.attention = attention;
  inbox.retryRequested = false; // a retry sent before this failure is not an answer to it
  run.publish();
  await recordOutcome(run);
  log.warn('order needs attention', { failureType: attention.failureType, step: attention.step });

  const woke = await waitForHuman(run, attention);
  if (!woke) return await failAtLimit(run, attention);
  if (inbox.skipRequested !== undefined) {
    skipByOperator(run, inbox.skipRequested.reason, inbox.skipRequested.by);
    await recordOutcome(run);
    return 'close';
  }
  inbox.retryRequested = false;
  prepareRetry(run, attention);
  state.status = 'InProgress';
  state.attention = undefined;
  run.publish();
  return 'again';
}

/**
 * Waits for `retry`, `skip`, or a change to the order that matters, up to the NeedsAttention limit. Our own meta write
 * fires order.updated too: an order whose content did not change goes back to waiting. Returns false at the limit.
 */
async function waitForHuman(run: OrderRun, attention: Attention): Promise<boolean> {
  const { state, inbox } = run;
  const deadline = Date.parse(attention.since) + run.read.policy.needsAttentionLimitSeconds * 1000;
  for (;;) {
    const seen = inbox.changes;
    const woke = await condition(
      () =>
        inbox.retryRequested || inbox.skipRequested !== undefined || inbox.changes > seen || (inbox.shipping !== undefined && state.salesOrderId !== undefined),
      Math.max(0, deadline - Date.now()),
    );
    if (!woke) return false;
    if (inbox.retryRequested || inbox.skipRequested !== undefined) return true;
    if (inbox.shipping !== undefined && inbox.changes === seen) {
      await pushShipmentsWhileWaiting(run, attention);
      continue;
    }
    if (await orderChangedWhileWaiting(run, attention)) return true;
  }
}

/** A shipment while a human is needed for something else still reaches the customer; what it needs joins the attention. */
async function pushShipmentsWhileWaiting(run: OrderRun, attention: Attention): Promise<void> {
  const { state } = run;
  const shipped = await pushShipments(run);
  state.step = attention.step;
  const merged = shipped?.status === 'NeedsAttention' && state.attention ? alsoNeeded(state.attention, shipped.attention) : state.attention;
  if (merged !== state.attention) {
    state.attention = merged;
    run.publish();
    await recordOutcome(run);
  } else if (state.shipments?.length) setCurrentDetails(describeStateMarkdown(state));
}

/** Reads the order again after `orderChanged`: true when its content changed (the steps then run on what it says now). */
async function orderChangedWhileWaiting(run: OrderRun, attention: Attention): Promise<boolean> {
  const { store, orderId, state } = run;
  let read;
  try {
    read = await run.step('readOrder', () => run.woo.readOrder.executeWithOptions({ summary: `re-read WooCommerce order ${orderId}` }, [{ store, orderId }]));
  } catch (error) {
    if (!(error instanceof StepNeedsAttention)) throw error;
    state.step = attention.step;
    return false; // WooCommerce could not be read: keep waiting on what we know
  }
  state.step = attention.step;
  const order = run.read.order;
  if (!read.found || !order || fingerprint(read.order) !== fingerprint(order)) {
    run.forgetOrder(); // read it again and run the steps on what it says now
    return true;
  }
  run.read.order = read.order;
  return false;
}

/** What of an order matters to the sync: everything but its meta (our own writes) and its modification time. */
function fingerprint(o: WooOrder): string {
  return JSON.stringify({ ...o, meta_data: undefined, date_modified_gmt: undefined });
}

/** An operator's `skip`: the order closes as Skipped with their reason. */
function skipByOperator(run: OrderRun, reason: string, by: string | undefined): void {
  run.skip(OPERATOR_SKIP_RULE, reason, by);
  run.state.status = 'Skipped';
  run.state.attention = undefined;
  run.publish();
}

/** What a `retry` accepts before the steps run again. */
function prepareRetry(run: OrderRun, attention: Attention): void {
  if (attention.step === 'pushShipments') {
    // `retry` on a reverted fulfilment: the human told the customer; it is recorded as acknowledged.
    if (attention.failureType === 'FulfilmentReverted') run.shipments.acknowledge = run.shipments.reverted;
    run.forgetOrder();
  }
  if (run.lifecycle.follow) {
    // `retry` on a lifecycle problem: what a human did in NetSuite is accepted, and the order is read again.
    for (const p of run.lifecycle.problems) if (p.acknowledgeable) run.lifecycle.acknowledged.add(p.key);
    run.forgetOrder();
  }
}

/** Nobody fixed the order within the NeedsAttention limit: it closes as Failed. */
async function failAtLimit(run: OrderRun, attention: Attention): Promise<never> {
  run.state.status = 'Failed';
  run.publish();
  await recordOutcome(run);
  await condition(allHandlersFinished);
  throw ApplicationFailure.create({
    type: 'OrderSyncFailed',
    message: `Order ${run.orderId} needed attention for ${run.read.policy.needsAttentionLimitSeconds} s and was not fixed: ${attention.message}`,
    nonRetryable: true,
    details: [run.state],
  });
}
