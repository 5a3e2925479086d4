/**
 * Cancellation planning: a WooCommerce order cancelled after its sales order exists → close the lines still open
 * (`isClosed`), or a problem when the mapping says a human closes it; what NetSuite already shipped or billed is a
 * problem saying what to do. Pure.
 */
import type { Planning } from './planning';

export function planCancellation(planning: Planning): void {
  const { order, salesOrder: so, mapping } = planning.input;
  const { lines, soName } = planning;
  const open = lines.filter((l) => !l.isClosed && l.quantityFulfilled < l.quantity);
  const done = lines.filter((l) => l.quantityFulfilled > 0 || l.quantityBilled > 0);
  if (mapping.lifecycle.cancellation === 'needs-attention') {
    planning.problem({
      key: 'cancelled',
      failureType: 'CancelledNeedsApproval',
      message: `WooCommerce order ${order.number} was cancelled; the mapping says a human closes ${soName}.`,
      fix: 'Close the sales order in NetSuite, then send "retry" to acknowledge.',
      acknowledgeable: true,
    });
  } else if (open.length > 0) {
    planning.actions.push({
      kind: 'closeLines',
      salesOrderId: so.id,
      lines: open.map((l) => l.line),
      describe: `closed line${open.length > 1 ? 's' : ''} ${open.map((l) => l.line).join(', ')} of ${soName}: the WooCommerce order was cancelled`,
    });
  }
  if (done.length > 0) {
    const detail = done
      .map(
        (l) =>
          `line ${l.line} (item ${l.itemId}${l.description ? `, ${l.description}` : ''}): ${l.quantityFulfilled} of ${l.quantity} shipped, ${l.quantityBilled} billed`,
      )
      .join('; ');
    planning.problem({
      key: 'cancelled-after-fulfilment',
      failureType: 'CancelledAfterFulfilment',
      message: `WooCommerce order ${order.number} was cancelled after NetSuite shipped or billed part of it: ${detail}.${open.length > 0 ? ` The open lines (${open.map((l) => l.line).join(', ')}) are closed.` : ''}`,
      fix: `In NetSuite, create a return authorisation for the shipped items${lines.some((l) => l.quantityBilled > 0) ? ' and a credit memo or cash refund for what was billed' : ''} of ${soName} (or refund the order in WooCommerce: this integration credits the refund); then send "retry" to acknowledge.`,
      acknowledgeable: true,
    });
  }
}
