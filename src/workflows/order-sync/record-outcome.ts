/**
 * Writing the outcome to the WooCommerce order: the sync status (and sales order, and lifecycle) meta and a private
 * note. Best effort: the sales order exists either way, and a failed write becomes a warning.
 */
import { patched } from '@temporalio/workflow';
import { ORDER_GONE_PATCH } from '../../api';
import { describeState } from '../../outcome';
import { OPERATOR_SKIP_RULE, ORDER_META, SKIPPED_BY_OPERATOR, orderMetaValue } from '../../woocommerce/order-meta';
import { StepNeedsAttention, type OrderRun } from './run';

/** Writes the outcome to the order (meta + private note), unless there is nothing new to say or nowhere to say it. */
export async function recordOutcome(run: OrderRun): Promise<void> {
  const { store, orderId, state } = run;
  const { order } = run.read;
  const lifecycleMeta = run.lifecycle.meta;
  if (state.status === 'InProgress') return;
  // Writing to an order WooCommerce no longer has fails ("Invalid ID") and says nothing: the state holds the outcome.
  if (run.read.gone && patched(ORDER_GONE_PATCH)) {
    state.outcomeRecorded = true;
    return;
  }
  const status = state.status;
  // An operator's skip is sticky: later webhooks must not sync the order (planOrder honours this meta value).
  const metaStatus = state.skipped?.rule === OPERATOR_SKIP_RULE ? SKIPPED_BY_OPERATOR : status;
  const previous = state.step;
  // A meta write fires order.updated; never write what the order already says (that would loop through the webhook).
  const metaChanged =
    !order ||
    orderMetaValue(order, ORDER_META.syncStatus) !== metaStatus ||
    (state.salesOrderId !== undefined && orderMetaValue(order, ORDER_META.salesOrderId) !== state.salesOrderId) ||
    (lifecycleMeta !== undefined && orderMetaValue(order, ORDER_META.lifecycle) !== lifecycleMeta);
  if (!metaChanged && status === 'Skipped') {
    state.outcomeRecorded = true;
    return;
  }
  try {
    await run.step('recordOutcome', () =>
      run.woo.recordOutcome.executeWithOptions({ summary: `record ${status} on WooCommerce order ${orderId}` }, [
        {
          store,
          orderId,
          status: metaStatus,
          note: describeState(state),
          writeMeta: metaChanged,
          ...(state.salesOrderId ? { salesOrderId: state.salesOrderId } : {}),
          ...(metaStatus === SKIPPED_BY_OPERATOR && state.skipped ? { skipReason: state.skipped.detail } : {}),
          ...(lifecycleMeta !== undefined && metaChanged ? { lifecycle: lifecycleMeta } : {}),
        },
      ]),
    );
    state.outcomeRecorded = true;
  } catch (error) {
    if (!(error instanceof StepNeedsAttention)) throw error;
    run.addWarnings([`Could not record the outcome in WooCommerce: ${error.attention.message}`]);
    state.step = previous;
  }
}
