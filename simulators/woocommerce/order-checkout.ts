/** A storefront checkout: the cart a test describes (CheckoutDraft, whose lines may be raw) placed as an order. */
import { createHash } from 'node:crypto';
import type { OrderDraft } from '../seed';
import type { SimContext } from './context';
import { blankOrder, PAID_STATUSES, recalculateTotals, transitionStatus } from './order-lifecycle';
import { lineFromProduct, newCouponLine, rawLine } from './order-items';
import { emptyAddress, emptyBilling, type Address, type Order } from './store';
import { money, toCents } from './totals';

/** A cart line of a checkout. A SKU the store does not know needs `raw: true` (see CheckoutDraft). */
export interface CheckoutLine {
  sku: string;
  quantity: number;
  /**
   * true = the SKU need not exist in the store: the line gets product_id 0 and variation_id 0 (like a line whose
   * product was deleted) but keeps `sku` as given, so a test can create an order whose SKU NetSuite does not know.
   */
  raw?: boolean;
  /** Raw lines: line name. Default `Unknown product <sku>`. */
  name?: string;
  /** Raw lines: unit price, a decimal string. Default '10.00'. */
  price?: string;
}

/** An OrderDraft whose lines may be raw. */
export interface CheckoutDraft extends Omit<OrderDraft, 'lines'> {
  lines: CheckoutLine[];
}

export class CheckoutError extends Error {}

/**
 * A storefront checkout from a draft: created_via 'checkout'; a registered customer is matched by e-mail
 * (case-insensitive, trimmed), anyone else is a guest (customer_id 0); billing.email is exactly the e-mail as typed;
 * addresses come from the catalog customer. The order is created pending (fires order.created); a draft status other
 * than pending is then applied as the payment step would (processing/completed are paid, with a transaction id;
 * stock reduced) and fires order.updated.
 */
export function placeCheckoutOrder(ctx: SimContext, draft: CheckoutDraft): Order {
  const { store } = ctx;
  const lines = draft.lines.map((line) => {
    const product = store.productBySku(line.sku);
    if (product && product.type !== 'variable' && !line.raw) return lineFromProduct(ctx, product, line.quantity);
    if (line.raw) return rawLine(ctx, line);
    throw new CheckoutError(
      product
        ? `SKU ${line.sku} is a variable product; order one of its variations`
        : `unknown SKU ${line.sku} (use raw: true for a line the store does not know)`,
    );
  });
  const shippingMethod = draft.shippingMethodId === undefined ? undefined : store.shippingMethods.find((m) => m.methodId === draft.shippingMethodId);
  if (draft.shippingMethodId !== undefined && !shippingMethod) throw new CheckoutError(`unknown shipping method ${draft.shippingMethodId}`);
  const payment = store.paymentMethods.find((m) => m.id === draft.paymentMethodId);
  if (!payment) throw new CheckoutError(`unknown payment method ${draft.paymentMethodId}`);
  const coupons = draft.couponCodes.map((code) => {
    const coupon = store.coupons.find((c) => c.code.toLowerCase() === code.toLowerCase());
    if (!coupon) throw new CheckoutError(`unknown coupon ${code}`);
    return coupon;
  });

  const order = blankOrder(ctx, 'checkout');
  const email = draft.customerEmail;
  const seedCustomer = email === undefined ? undefined : store.seedCustomers.find((c) => c.email.toLowerCase() === email.trim().toLowerCase());
  if (seedCustomer) {
    const address: Address = {
      first_name: seedCustomer.firstName,
      last_name: seedCustomer.lastName,
      company: seedCustomer.company,
      address_1: seedCustomer.address.address1,
      address_2: seedCustomer.address.address2,
      city: seedCustomer.address.city,
      state: seedCustomer.address.state,
      postcode: seedCustomer.address.postcode,
      country: seedCustomer.address.country,
      phone: seedCustomer.phone,
    };
    order.billing = { ...address, email: email ?? '' };
    order.shipping = { ...address, phone: '' };
    order.customerId = seedCustomer.registered ? (store.customerByEmail(seedCustomer.email)?.id ?? 0) : 0;
  } else {
    order.billing = { ...emptyBilling(), first_name: 'Guest', last_name: 'Shopper', country: 'US', state: 'CA', email: email ?? '' };
    order.shipping = { ...emptyAddress(), first_name: 'Guest', last_name: 'Shopper', country: 'US', state: 'CA' };
  }
  order.customerNote = draft.customerNote;
  order.paymentMethod = payment.id;
  order.paymentMethodTitle = payment.title;
  order.lineItems = lines;
  if (shippingMethod) {
    order.shippingLines.push({
      id: store.itemId(),
      methodId: shippingMethod.methodId,
      methodTitle: shippingMethod.title,
      instanceId: '1',
      total: shippingMethod.cost,
      totalTax: '0.00',
      taxes: [],
    });
  }
  for (const fee of draft.fees) {
    order.feeLines.push({
      id: store.itemId(),
      name: fee.name,
      taxClass: '',
      taxStatus: 'taxable',
      total: money(toCents(fee.total)),
      totalTax: '0.00',
      taxes: [],
    });
  }
  for (const coupon of coupons) {
    order.couponLines.push(newCouponLine(store.itemId(), coupon));
  }
  recalculateTotals(ctx, order);
  store.orders.set(order.id, order);
  ctx.emit('order', 'created', order.id);
  if (draft.status !== 'pending') {
    if (PAID_STATUSES.has(draft.status) && payment.id !== 'cod') {
      order.transactionId = `txn_${createHash('sha1').update(order.orderKey).digest('hex').slice(0, 24)}`;
    }
    transitionStatus(ctx, order, draft.status);
    ctx.emit('order', 'updated', order.id);
  }
  order.rev++;
  return order;
}
