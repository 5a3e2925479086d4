/**
 * E-mails WooCommerce would send the customer, recorded (never sent) so tests can assert them:
 *  - "Completed order" (WC_Email_Customer_Completed_Order) whenever an order's status becomes `completed`, by any path
 *    (REST create / update / batch, checkout, control). While the Shipment Tracking extension is active it adds the
 *    order's tracking items to customer e-mails: `trackingNumbers` are the order's numbers at that moment (none while the
 *    extension is off, even if the order kept items from when it was on);
 *  - "Customer note" (WC_Email_Customer_Note) whenever a note is added with `customer_note` true.
 */
import type { SimContext } from './context';
import type { CustomerEmail, Order } from './store';

const at = (ctx: SimContext): string => new Date(ctx.clock.now()).toISOString();

export function recordCompletedOrderEmail(ctx: SimContext, order: Order): void {
  const trackingNumbers = ctx.options.shipmentTracking ? order.shipmentTrackings.map((t) => t.trackingNumber) : [];
  ctx.store.emails.push({ orderId: order.id, kind: 'customer_completed_order', at: at(ctx), trackingNumbers });
}

export function recordCustomerNoteEmail(ctx: SimContext, order: Order, note: string): void {
  ctx.store.emails.push({ orderId: order.id, kind: 'customer_note', at: at(ctx), note });
}

/** The recorded e-mails, oldest first, of one order or of all. Copies. */
export function emailsOf(ctx: SimContext, orderId?: number): CustomerEmail[] {
  return ctx.store.emails
    .filter((e) => orderId === undefined || e.orderId === orderId)
    .map((e) => (e.kind === 'customer_completed_order' ? { ...e, trackingNumbers: [...e.trackingNumbers] } : { ...e }));
}
