/**
 * NetSuite's shipments reach the customer whatever else the order is waiting for: the newest shipping state the
 * fulfilment sync sent (`shipmentsChanged`) is pushed to the WooCommerce order (src/activities/shipment-activities.ts)
 * after a pass, or while the order waits for a human. A pushed fulfilment NetSuite took back, or a shipment of an order
 * WooCommerce no longer has, needs a human.
 */
import type { Attention } from '../../api';
import { describeReverted } from '../../fulfilment/plan';
import { parseFulfilmentRecord, type SalesOrderShipping } from '../../fulfilment/types';
import { ORDER_META, orderMetaValue } from '../../woocommerce/order-meta';
import { StepNeedsAttention, type OrderRun, type Outcome } from './run';

/** After a pass: a shipping state waiting to be pushed is pushed once the sales order exists; what it needs joins the outcome. */
export async function pushShipmentsAfterPass(run: OrderRun, outcome: Outcome): Promise<Outcome> {
  if (outcome.status === 'Skipped' || run.state.salesOrderId === undefined || (run.inbox.shipping ?? run.shipments.toRetry) === undefined) return outcome;
  const shipped = await pushShipments(run);
  if (shipped?.status !== 'NeedsAttention') return outcome;
  return outcome.status === 'NeedsAttention' ? { ...outcome, attention: alsoNeeded(outcome.attention, shipped.attention) } : shipped;
}

/**
 * Pushes the pending shipping state to the WooCommerce order. Returns a NeedsAttention outcome when NetSuite took back
 * a pushed fulfilment or the push itself needs a human.
 */
export async function pushShipments(run: OrderRun): Promise<Outcome | undefined> {
  const { store, orderId, inbox, shipments } = run;
  const shipping = inbox.shipping ?? shipments.toRetry;
  const current = run.read.order;
  if (!shipping || !current) return undefined;
  inbox.shipping = undefined;
  shipments.toRetry = undefined;
  const record = shipments.record ?? parseFulfilmentRecord(orderMetaValue(current, ORDER_META.fulfilments));
  const acknowledge = shipments.acknowledge;
  let pushed;
  try {
    pushed = await run.step('pushShipments', () =>
      run.shipper.pushShipments.executeWithOptions(
        { summary: `push the shipments of NetSuite sales order ${shipping.tranId ?? shipping.salesOrderId} to WooCommerce order ${orderId}` },
        [{ store, orderId, order: { orderKey: current.order_key, status: current.status }, record, shipping, acknowledge }],
      ),
    );
  } catch (error) {
    if (!(error instanceof StepNeedsAttention)) throw error;
    shipments.toRetry = shipping;
    return { status: 'NeedsAttention', attention: error.attention };
  }
  shipments.acknowledge = [];
  shipments.record = pushed.record;
  if (pushed.completed) run.read.order = { ...current, status: 'completed' };
  if (pushed.events.length > 0) (run.state.shipments ??= []).push(...pushed.events);
  shipments.reverted = pushed.reverted.map((r) => r.fulfilment.id);
  if (pushed.reverted.length === 0) return undefined;
  shipments.toRetry = shipping;
  return {
    status: 'NeedsAttention',
    attention: {
      failureType: 'FulfilmentReverted',
      step: 'pushShipments',
      message: `${describeReverted(pushed.reverted, shipping.tranId ?? shipping.salesOrderId)} The customer was already told; nothing was taken back in WooCommerce.`,
      fix: 'Tell the customer what changed (a new shipment is pushed when NetSuite ships again), then send "retry" to accept it.',
      since: new Date().toISOString(),
    },
  };
}

/** NetSuite shipped a fulfilment of an order WooCommerce no longer has: the customer was not told; a human must. */
export async function shippedOrderMissing(run: OrderRun, shipping: SalesOrderShipping): Promise<Outcome> {
  const { store, orderId } = run;
  // Kept for `retry`: an order restored in WooCommerce then gets its shipment.
  run.inbox.shipping = undefined;
  run.shipments.toRetry = shipping;
  // Claimed, so the fulfilment sync does not raise it again on every run of its overlap window.
  await run.step('pushShipments', () =>
    run.shipper.claimShipments.executeWithOptions({ summary: `note that order ${orderId} is gone: its shipments are not sent again` }, [
      { store, orderId, shipping },
    ]),
  );
  const shipped = shipping.fulfilments.filter((f) => f.shipped);
  const numbers = shipped.flatMap((f) => f.packages.map((p) => p.trackingNumber));
  return {
    status: 'NeedsAttention',
    attention: {
      failureType: 'ShippedOrderMissing',
      step: 'pushShipments',
      message:
        `NetSuite sales order ${shipping.tranId ?? shipping.salesOrderId} shipped (${shipped.map((f) => f.tranId).join(', ') || 'no shipped fulfilment'}` +
        `${numbers.length > 0 ? `, tracking ${numbers.join(', ')}` : ''}), but WooCommerce order ${orderId} no longer exists: the customer was not told.`,
      fix: 'Tell the customer another way (or restore the order in WooCommerce and send "retry"), then send "skip" with what you did.',
      since: new Date().toISOString(),
    },
  };
}

/** One attention that says both what was already needed and what the shipment push needs. */
export function alsoNeeded(first: Attention, more: Attention): Attention {
  if (first.message.includes(more.message)) return first;
  return { ...first, message: `${first.message} Also: ${more.message}`, fix: `${first.fix} ${more.fix}` };
}
