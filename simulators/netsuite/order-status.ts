/**
 * The sales-order status (`orderStatus` letter, REST `status`, SuiteQL `transaction.status`) as a function of its
 * lines, and the quantities of a line that can still be fulfilled or billed.
 *
 * Lines whose item is not an inventory item (other charges, discounts, tax lines…) need no fulfilment: they follow
 * the order. Until the first inventory line is fulfilled they count as unfulfilled and cannot be billed; from then on
 * (or at once, on an order without inventory lines) they count as fulfilled, so the first bill picks them up. A
 * closed line counts as fulfilled up to what was fulfilled (or, for such a line, billed) before it was closed.
 *
 * The status is recomputed after every change, except A (Pending Approval) and C (Cancelled), which are only ever
 * set explicitly and kept until a write sets another letter. Otherwise, first match wins:
 * 1. H Closed — every line is closed and nothing was fulfilled;
 * 2. G Billed — something was billed and every line is closed or fully billed (H Closed instead when every line is
 *    closed);
 * 3. F Pending Billing — every open line is fully fulfilled and some fulfilled quantity is not billed;
 * 4. E Pending Billing/Partially Fulfilled — some fulfilled quantity is not billed and some open quantity is not
 *    fulfilled;
 * 5. D Partially Fulfilled — something was fulfilled (and all of it billed) and some open quantity is not fulfilled;
 * 6. B Pending Fulfillment — nothing was fulfilled.
 * A closed line's fulfilled but unbilled quantity cannot be billed any more, yet still counts as "not billed": close
 * a line after billing what was fulfilled, as NetSuite advises.
 */

/** What the status needs to know of a sales-order line. */
export interface LineProgress {
  quantity: number;
  quantityFulfilled: number;
  quantityBilled: number;
  isClosed: boolean;
  /** The item is an inventory item: it is shipped by item fulfilments. */
  needsFulfilment: boolean;
}

/** Sales-order statuses: `orderStatus` letter → REST status ID and label. */
export const ORDER_STATUSES: Record<string, { id: string; label: string }> = {
  A: { id: 'pendingApproval', label: 'Pending Approval' },
  B: { id: 'pendingFulfillment', label: 'Pending Fulfillment' },
  C: { id: 'cancelled', label: 'Cancelled' },
  D: { id: 'partiallyFulfilled', label: 'Partially Fulfilled' },
  E: { id: 'pendingBillingPartFulfilled', label: 'Pending Billing/Partially Fulfilled' },
  F: { id: 'pendingBilling', label: 'Pending Billing' },
  G: { id: 'billed', label: 'Billed' },
  H: { id: 'closed', label: 'Closed' },
};

/** Letters only set explicitly (never computed). */
export const EXPLICIT_ORDER_STATUSES = new Set(['A', 'C']);

/** True once an inventory line has been fulfilled, or when the order has no inventory line at all. */
export function fulfilmentStarted(lines: readonly LineProgress[]): boolean {
  return !lines.some((l) => l.needsFulfilment) || lines.some((l) => l.needsFulfilment && l.quantityFulfilled > 0);
}

/** The quantity of a line that counts as fulfilled (for billing and the status); see the file comment. */
export function fulfilledQuantity(line: LineProgress, started: boolean): number {
  if (line.needsFulfilment) return line.quantityFulfilled;
  if (line.isClosed || !started) return line.quantityBilled;
  return Math.max(line.quantity, line.quantityBilled);
}

/** What an item fulfilment can still ship of a line: open inventory lines only. */
export function fulfillableQuantity(line: LineProgress): number {
  return line.isClosed || !line.needsFulfilment ? 0 : Math.max(0, line.quantity - line.quantityFulfilled);
}

/** What an invoice or cash sale can still bill of a line: its fulfilled, unbilled quantity, open lines only. */
export function billableQuantity(line: LineProgress, started: boolean): number {
  return line.isClosed ? 0 : Math.max(0, fulfilledQuantity(line, started) - line.quantityBilled);
}

/** The status letter of a sales order after a change; `current` is its letter before (A and C are kept). */
export function computeOrderStatus(current: string | undefined, lines: readonly LineProgress[]): string {
  if (current !== undefined && EXPLICIT_ORDER_STATUSES.has(current)) return current;
  if (lines.length === 0) return 'B';
  const started = fulfilmentStarted(lines);
  let fulfilled = 0;
  let billed = 0;
  let unbilledFulfilled = 0;
  let unfulfilledOpen = 0;
  for (const line of lines) {
    const f = fulfilledQuantity(line, started);
    fulfilled += f;
    billed += line.quantityBilled;
    unbilledFulfilled += Math.max(0, f - line.quantityBilled);
    if (!line.isClosed) unfulfilledOpen += Math.max(0, line.quantity - f);
  }
  const allClosed = lines.every((l) => l.isClosed);
  if (allClosed && fulfilled === 0) return 'H';
  if (billed > 0 && lines.every((l) => l.isClosed || l.quantityBilled >= l.quantity)) return allClosed ? 'H' : 'G';
  if (unfulfilledOpen === 0 && unbilledFulfilled > 0) return 'F';
  if (unbilledFulfilled > 0 && unfulfilledOpen > 0) return 'E';
  if (fulfilled > 0 && unfulfilledOpen > 0) return 'D';
  return 'B';
}
