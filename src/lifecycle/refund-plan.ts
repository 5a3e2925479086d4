/**
 * Refund planning: one NetSuite change per WooCommerce refund, never twice. The sales order billed → a credit
 * transformed from the bill (invoice → credit memo, cash sale → cash refund) whose external ID is derived from the
 * refund ID; not billed → the refunded lines reduced (an amount on no line: a negative line of the refund item), which
 * the edit planner (edit-plan.ts) folds into what the sales order should say. Deleted refunds, refund lines that name
 * no order item and refunds whose lines exceed their amount are problems. Pure.
 */
import { sanitizeExternalId } from '../mapping/customer';
import { moneyString, moneyToCents, unitRate } from '../mapping/sales-order';
import type { Mapping } from '../mapping/schema';
import { refundedItemId, refundTaxCents, type WooRefund } from '../woocommerce/refund';
import type { Planning } from './planning';

/** The external ID of the credit of one WooCommerce refund: `<prefix>-<store>-refund-<order ID>-<refund ID>`. */
export const refundExternalId = (mapping: Mapping, store: string, orderId: number, refundId: number): string =>
  `${refundExternalIdPrefix(mapping, store, orderId)}${refundId}`;

/** The common start of the credits' external IDs of one order (they are looked up by it). */
export const refundExternalIdPrefix = (mapping: Mapping, store: string, orderId: number): string =>
  sanitizeExternalId(`${mapping.externalIdPrefix}-${store}-refund-${orderId}-`);

/** Reductions of an unbilled order, from every refund applied that way (earlier passes included). */
export interface RefundReductions {
  /** Index in order.line_items → units refunded. */
  quantity: Map<number, number>;
  /** Index in order.fee_lines → cents refunded. */
  fee: Map<number, number>;
  shippingCents: number;
  /** Refunded amounts no line carries: negative lines of the refund item. */
  adjustments: { refundId: number; cents: number }[];
  /** The refunds this plan reduces the sales order for (not yet recorded as applied). */
  reducingRefunds: number[];
}

/** Where each order item of a refund line is: index in order.line_items, in order.fee_lines. */
interface OrderItemIndex {
  itemLines: Map<number, number>;
  fees: Map<number, number>;
}

/** Refunds NetSuite applied (a credit, or reduced lines) whose WooCommerce refund was deleted since: a problem each. */
export function planDeletedRefunds(planning: Planning): void {
  const { order, refunds, salesOrder: so, mapping, store, record } = planning.input;
  const prefix = refundExternalIdPrefix(mapping, store, order.id);
  const creditOf = new Map(so.credits.map((c) => [c.externalId, c]));
  const current = new Set(refunds.map((r) => r.id));
  const deleted = new Set<string>(Object.keys(record.applied).filter((id) => !current.has(Number(id))));
  for (const credit of so.credits) {
    const id = credit.externalId.startsWith(prefix) ? credit.externalId.slice(prefix.length) : '';
    if (id !== '' && !current.has(Number(id))) deleted.add(id);
  }
  for (const id of deleted) {
    const credit = creditOf.get(refundExternalId(mapping, store, order.id, Number(id)));
    const how = credit
      ? `${credit.type} ${credit.id}`
      : record.applied[id] === 'reduced'
        ? `the lines of ${planning.soName} were reduced`
        : (record.applied[id] ?? 'applied');
    planning.problem({
      key: `refund-deleted:${id}`,
      failureType: 'RefundDeletedAfterSync',
      message: `WooCommerce refund #${id} of order ${order.number} was deleted after NetSuite applied it (${how}).`,
      fix: 'If the money was not refunded after all, reverse it in NetSuite (void the credit, or restore the line quantities); then send "retry" to acknowledge.',
      acknowledgeable: true,
    });
  }
}

/**
 * Plans each refund not applied yet, oldest first: a credit when the sales order is billed, nothing more when the
 * order is cancelled (its lines are closed), else reductions of the lines (returned, for the edit planner).
 */
export function planRefunds(planning: Planning): RefundReductions {
  const { order, refunds, salesOrder: so, mapping, store, record } = planning.input;
  const { problem, alreadyApplied, soName } = planning;
  const creditOf = new Map(so.credits.map((c) => [c.externalId, c]));
  const billed = so.bills.length > 0;
  const cancelled = order.status === 'cancelled';
  const index: OrderItemIndex = { itemLines: new Map(order.line_items.map((l, i) => [l.id, i])), fees: new Map(order.fee_lines.map((f, i) => [f.id, i])) };
  const shippingIds = new Set(order.shipping_lines.map((s) => s.id));
  const reductions: RefundReductions = { quantity: new Map(), fee: new Map(), shippingCents: 0, adjustments: [], reducingRefunds: [] };

  for (const refund of [...refunds].sort((a, b) => a.id - b.id)) {
    const key = String(refund.id);
    const externalId = refundExternalId(mapping, store, order.id, refund.id);
    const existing = creditOf.get(externalId);
    const how = record.applied[key];
    if (existing || (how !== undefined && how !== 'reduced')) {
      alreadyApplied[key] = existing ? `${existing.type}:${existing.id}` : (how as string);
      continue;
    }
    const amountCents = moneyToCents(refund.amount, `refund ${refund.id} amount`);
    const unknown = [...refund.line_items, ...refund.shipping_lines, ...refund.fee_lines].filter((l) => {
      const id = refundedItemId(l);
      return !index.itemLines.has(id) && !index.fees.has(id) && !shippingIds.has(id);
    });
    if (unknown.length > 0) {
      problem({
        key: `refund-unknown-line:${refund.id}`,
        failureType: 'UnknownRefundLine',
        message: `WooCommerce refund #${refund.id} (${refund.amount}) of order ${order.number} refunds order item(s) ${unknown.map(refundedItemId).join(', ')}, which the order does not have; nothing was changed in NetSuite for this refund.`,
        fix: `Apply the refund in NetSuite by hand (a credit against ${soName}'s bill, or reduce its lines), then send "retry" to acknowledge.`,
        acknowledgeable: true,
      });
      continue;
    }
    const lineCents = refund.line_items.reduce((s, l) => s + Math.abs(moneyToCents(l.total)), 0);
    const shippingCents = refund.shipping_lines.reduce((s, l) => s + Math.abs(moneyToCents(l.total)), 0);
    const feeCents = refund.fee_lines.reduce((s, l) => s + Math.abs(moneyToCents(l.total)), 0);
    // The refunded tax is on a line of its own only when the sales order carries tax as a line (tax mode "line");
    // otherwise NetSuite computes tax, and the rest of the amount is what no line names.
    const taxCents = mapping.tax.mode === 'line' ? 0 : refundTaxCents(refund, (m) => moneyToCents(m));
    const remainder = amountCents - lineCents - shippingCents - feeCents - taxCents;
    if (remainder < 0) {
      problem({
        key: `refund-lines-exceed:${refund.id}`,
        failureType: 'RefundLinesExceedAmount',
        message: `WooCommerce refund #${refund.id} of order ${order.number} gives back ${moneyString(lineCents + shippingCents + feeCents)} on its lines but its amount is ${moneyString(amountCents)}.`,
        fix: 'Apply the refund in NetSuite by hand, then send "retry" to acknowledge.',
        acknowledgeable: true,
      });
      continue;
    }

    if (billed) {
      planCredit(planning, refund, { externalId, remainder, shippingCents }, index);
      continue;
    }

    if (cancelled) {
      // The lines are closed for the cancellation: nothing to reduce.
      alreadyApplied[key] = 'cancelled';
      continue;
    }
    if (mapping.lifecycle.refunds.unbilled === 'needs-attention') {
      if (
        problem({
          key: `refund-policy:${refund.id}`,
          failureType: 'RefundNeedsApproval',
          message: `WooCommerce refund #${refund.id} (${refund.amount}) of order ${order.number}: ${soName} is not billed and the mapping says a human applies refunds of unbilled orders.`,
          fix: 'Reduce the sales order in NetSuite, then send "retry" to acknowledge.',
          acknowledgeable: true,
        })
      )
        continue;
      alreadyApplied[key] = 'by-hand';
      continue;
    }
    for (const l of refund.line_items) {
      const line = index.itemLines.get(refundedItemId(l)) as number;
      reductions.quantity.set(line, (reductions.quantity.get(line) ?? 0) + Math.abs(l.quantity));
      if (l.quantity === 0) reductions.adjustments.push({ refundId: refund.id, cents: Math.abs(moneyToCents(l.total)) });
    }
    for (const l of refund.fee_lines) {
      const fee = index.fees.get(refundedItemId(l)) as number;
      reductions.fee.set(fee, (reductions.fee.get(fee) ?? 0) + Math.abs(moneyToCents(l.total)));
    }
    reductions.shippingCents += shippingCents;
    if (remainder > 0) reductions.adjustments.push({ refundId: refund.id, cents: remainder });
    if (how === undefined) reductions.reducingRefunds.push(refund.id);
  }
  return reductions;
}

/**
 * The credit of one refund of a billed sales order, transformed from its first bill — or, when the mapping says a
 * human applies such refunds, a problem (acknowledged: applied by hand). `remainder` is the refunded amount no line
 * names (tax included unless tax is a line).
 */
function planCredit(
  planning: Planning,
  refund: WooRefund,
  amounts: { externalId: string; remainder: number; shippingCents: number },
  index: OrderItemIndex,
): void {
  const { order, salesOrder: so, mapping } = planning.input;
  const { lines, soName } = planning;
  const { externalId, remainder, shippingCents } = amounts;
  const policy = mapping.lifecycle.refunds;
  const source = [...so.bills].sort((a, b) => Number(a.id) - Number(b.id))[0]!;
  const target = source.type === 'invoice' ? 'creditMemo' : 'cashRefund';
  if ((target === 'creditMemo' ? policy.invoiced : policy.cashSale) === 'needs-attention') {
    if (
      planning.problem({
        key: `refund-policy:${refund.id}`,
        failureType: 'RefundNeedsApproval',
        message: `WooCommerce refund #${refund.id} (${refund.amount}) of order ${order.number}: ${soName} is billed (${source.type} ${source.id}) and the mapping says a human applies refunds of billed orders.`,
        fix: `Create the ${target === 'creditMemo' ? 'credit memo' : 'cash refund'} in NetSuite, then send "retry" to acknowledge.`,
        acknowledgeable: true,
      })
    )
      return;
    planning.alreadyApplied[String(refund.id)] = 'by-hand';
    return;
  }
  const creditLines: Record<string, unknown>[] = [];
  /** Refunded line amounts whose sales-order line cannot be found: credited with the refund item. */
  let unplaced = 0;
  for (const l of refund.line_items) {
    const line = index.itemLines.get(refundedItemId(l)) as number;
    const soLine = lines[line];
    const cents = Math.abs(moneyToCents(l.total));
    const quantity = Math.abs(l.quantity);
    const billLine = soLine ? source.lines.find((b) => b.orderLine === soLine.line) : undefined;
    if (billLine && quantity > 0) creditLines.push({ orderLine: billLine.line, quantity, rate: unitRate(cents, quantity), amount: cents / 100 });
    else if (soLine)
      creditLines.push({
        item: { id: soLine.itemId },
        quantity: Math.max(quantity, 1),
        rate: unitRate(cents, Math.max(quantity, 1)),
        amount: cents / 100,
        description: order.line_items[line]?.name ?? '',
      });
    else unplaced += cents;
  }
  for (const l of refund.fee_lines) {
    const cents = Math.abs(moneyToCents(l.total));
    const fee = order.fee_lines[index.fees.get(refundedItemId(l)) as number];
    creditLines.push({ item: mapping.fees.item, quantity: 1, rate: cents / 100, amount: cents / 100, description: `Fee: ${fee?.name ?? ''}` });
  }
  if (remainder + unplaced > 0) {
    creditLines.push({
      item: mapping.lifecycle.refunds.adjustmentItem,
      quantity: 1,
      rate: (remainder + unplaced) / 100,
      amount: (remainder + unplaced) / 100,
      description:
        refund.line_items.length + refund.shipping_lines.length + refund.fee_lines.length > 0
          ? `Refund #${refund.id}: amounts on no line`
          : `Refund #${refund.id}: amount`,
    });
  }
  const body: Record<string, unknown> = {
    externalId,
    memo: `WooCommerce refund #${refund.id}${refund.reason ? `: ${refund.reason}` : ''}`.slice(0, 999),
    item: { items: creditLines },
  };
  if (shippingCents > 0) body.shippingCost = shippingCents / 100;
  planning.actions.push({
    kind: 'credit',
    source: { type: source.type, id: source.id },
    target,
    externalId,
    body,
    refundId: refund.id,
    amount: refund.amount,
    describe: `${target === 'creditMemo' ? 'credit memo' : 'cash refund'} ${externalId} for WooCommerce refund #${refund.id} (${refund.amount}) from ${source.type} ${source.id}`,
  });
}
