/**
 * What happens to an order once WooCommerce shows its sales order, as the plan drew it: the customer cancels it; the
 * store refunds one unit (not restocked), before NetSuite billed it or after NetSuite shipped and invoiced it; the store
 * adds a unit to a line before it ships; NetSuite's warehouse ships it in full or in part with a tracking number.
 * Applied through the simulators' control APIs — the store's admin and NetSuite's warehouse, not the integration.
 */
import type { SyncStack } from '../dev/sync-stack';
import { ORDER_META, orderMetaValue } from '../src/woocommerce/order-meta';
import type { PlacedOrder } from './checks';

/** Applies the planned change to an order whose sales order WooCommerce names; false while it names none yet. */
export function applyAfterSync(stack: SyncStack, order: PlacedOrder, seed: number): boolean {
  const woo = stack.woo.control.getOrder(order.id);
  const salesOrderId = orderMetaValue(woo, ORDER_META.salesOrderId);
  if (!salesOrderId) return false;
  const plan = order.planned.afterSync;
  switch (plan) {
    case 'cancel':
      stack.woo.control.setOrderStatus(order.id, 'cancelled');
      break;
    case 'refund':
    case 'refund-invoiced': {
      if (plan === 'refund-invoiced') {
        order.shipped = ship(stack, salesOrderId, order.id, seed, false);
        stack.netsuite.control.billSalesOrder(salesOrderId, { as: 'invoice' });
      }
      const line = woo.line_items.find((l) => l.quantity >= 2 && l.sku)!;
      const unit = (Number(line.subtotal) / line.quantity).toFixed(2);
      stack.woo.control.createRefund(order.id, {
        amount: unit,
        reason: 'chaos: one unit returned',
        api_refund: false,
        api_restock: false,
        line_items: [{ id: line.id, quantity: 1, refund_total: unit }],
      });
      order.refundedSku = line.sku!;
      break;
    }
    case 'edit': {
      const line = woo.line_items.find((l) => l.sku)!;
      const unit = Number(line.subtotal) / line.quantity;
      const quantity = line.quantity + 1;
      stack.woo.control.updateOrder(order.id, {
        line_items: [{ id: line.id, quantity, subtotal: (unit * quantity).toFixed(2), total: (unit * quantity).toFixed(2) }],
      });
      order.editedSku = line.sku!;
      break;
    }
    case 'fulfil':
    case 'fulfil-part': {
      const units = woo.line_items.reduce((sum, l) => sum + l.quantity, 0);
      order.shipped = ship(stack, salesOrderId, order.id, seed, plan === 'fulfil-part' && units > 1);
      break;
    }
    case 'none':
      break;
  }
  order.applied = plan;
  return true;
}

/** NetSuite's warehouse ships the sales order — everything, or one unit of its first line — in one UPS package. */
function ship(stack: SyncStack, salesOrderId: string, orderId: number, seed: number, part: boolean): NonNullable<PlacedOrder['shipped']> {
  const trackingNumber = `1ZCHAOS${seed}X${orderId}`;
  stack.netsuite.control.fulfilSalesOrder(salesOrderId, {
    ...(part ? { lines: [{ line: 1, quantity: 1 }] } : {}),
    packages: [{ trackingNumber, carrier: 'UPS' }],
  });
  return { trackingNumbers: [trackingNumber], full: !part };
}
