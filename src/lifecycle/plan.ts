/**
 * Plans the NetSuite changes that follow a WooCommerce order after its sales order exists, by comparing the order
 * (and its refunds) with what NetSuite holds. Pure and deterministic; every planned action is idempotent.
 *
 * - Trashed → a problem naming the sales order (restoring the order clears it); nothing is closed automatically.
 * - Cancelled → close the lines still open (`isClosed`); what was already shipped or billed is a problem saying what to do.
 * - Refunds (one per WooCommerce refund, never twice): the sales order billed → a credit transformed from the bill
 *   (invoice → credit memo, cash sale → cash refund) whose external ID is derived from the refund ID; not billed → the
 *   refunded lines reduced (an amount on no line: a negative line of the refund item). Refunds of shipped, unbilled
 *   goods, deleted refunds and refund lines that name no order item are problems.
 * - Edits (lines, quantities, prices, fees, shipping cost) → the sales order updated, line by line, or the whole item
 *   sublist replaced when lines were added or removed; once anything is fulfilled or billed, a problem naming the diff.
 * Sales order lines are the order's lines in order (then fees, then the tax line), as buildSalesOrder makes them.
 */
import type { Mapping } from '../mapping/config';
import { buildSalesOrder, moneyString, moneyToCents, unitRate } from '../mapping/sales-order';
import { sanitizeExternalId } from '../mapping/customer';
import type { WooOrder } from '../woocommerce/order';
import { refundedItemId, refundTaxCents, type WooRefund } from '../woocommerce/refund';
import type { LifecycleAction, LifecyclePlan, LifecycleProblem, LifecycleRecord, SalesOrderLine, SalesOrderState } from './types';

export interface PlanLifecycleInput {
  store: string;
  order: WooOrder;
  refunds: readonly WooRefund[];
  salesOrder: SalesOrderState;
  mapping: Mapping;
  /** Item key of each order line (itemKeys) → NetSuite internal ID. */
  items: ReadonlyMap<string, string>;
  /** External ID → internal ID of the mapping's fee, tax and refund items given by external ID. */
  refs: ReadonlyMap<string, string>;
  record: LifecycleRecord;
}

/** The external ID of the credit of one WooCommerce refund: `<prefix>-<store>-refund-<order ID>-<refund ID>`. */
export const refundExternalId = (mapping: Mapping, store: string, orderId: number, refundId: number): string =>
  `${refundExternalIdPrefix(mapping, store, orderId)}${refundId}`;

/** The common start of the credits' external IDs of one order (they are looked up by it). */
export const refundExternalIdPrefix = (mapping: Mapping, store: string, orderId: number): string =>
  sanitizeExternalId(`${mapping.externalIdPrefix}-${store}-refund-${orderId}-`);

const toCents = (value: number): number => Math.round(value * 100);

/** A desired sales-order line. */
interface DesiredLine {
  itemId: string;
  quantity: number;
  amountCents: number;
  description: string;
  /** Index in order.line_items; undefined for fee, tax and refund-adjustment lines. */
  wooLine?: number;
}

export function planLifecycle(input: PlanLifecycleInput): LifecyclePlan {
  const { order, refunds, salesOrder: so, mapping, store, record } = input;
  const acknowledged = new Set(record.acknowledged);
  const actions: LifecycleAction[] = [];
  const problems: LifecycleProblem[] = [];
  const alreadyApplied: Record<string, string> = {};
  const soName = `NetSuite sales order ${so.tranId ?? so.id} (internal ID ${so.id})`;
  /** Raises a problem unless a human acknowledged it; returns true when it was raised. */
  const problem = (p: LifecycleProblem): boolean => {
    if (p.acknowledgeable && acknowledged.has(p.key)) return false;
    problems.push(p);
    return true;
  };
  const refId = (ref: { id: string } | { externalId: string }): string | undefined => ('id' in ref ? ref.id : input.refs.get(ref.externalId));
  const lines = [...so.lines].sort((a, b) => a.line - b.line);

  if (order.status === 'trash') {
    problem({
      key: 'trashed',
      failureType: 'OrderTrashedAfterSync',
      message: `WooCommerce order ${order.number} was moved to the trash after it became ${soName}; nothing was changed in NetSuite.`,
      fix: 'Restore the order in WooCommerce (that clears this), or close the sales order in NetSuite yourself and send "retry" to acknowledge.',
      acknowledgeable: true,
    });
    return { actions, problems, alreadyApplied };
  }

  // ---- refunds: which are new, which were applied, which vanished ----
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
        ? `the lines of ${soName} were reduced`
        : (record.applied[id] ?? 'applied');
    problem({
      key: `refund-deleted:${id}`,
      failureType: 'RefundDeletedAfterSync',
      message: `WooCommerce refund #${id} of order ${order.number} was deleted after NetSuite applied it (${how}).`,
      fix: 'If the money was not refunded after all, reverse it in NetSuite (void the credit, or restore the line quantities); then send "retry" to acknowledge.',
      acknowledgeable: true,
    });
  }

  const billed = so.bills.length > 0;
  const anyFulfilled = lines.some((l) => l.quantityFulfilled > 0);
  const cancelled = order.status === 'cancelled';
  const itemLineIds = new Map(order.line_items.map((l, i) => [l.id, i]));
  const feeIds = new Map(order.fee_lines.map((f, i) => [f.id, i]));
  const shippingIds = new Set(order.shipping_lines.map((s) => s.id));

  /** Reductions of an unbilled order, from every refund applied that way (earlier passes included). */
  const reduceQuantity = new Map<number, number>();
  const reduceFee = new Map<number, number>();
  let reduceShipping = 0;
  const adjustments: { refundId: number; cents: number }[] = [];
  const reducingRefunds: number[] = [];

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
      return !itemLineIds.has(id) && !feeIds.has(id) && !shippingIds.has(id);
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
      const policy = mapping.lifecycle.refunds;
      const source = [...so.bills].sort((a, b) => Number(a.id) - Number(b.id))[0]!;
      const target = source.type === 'invoice' ? 'creditMemo' : 'cashRefund';
      if ((target === 'creditMemo' ? policy.invoiced : policy.cashSale) === 'needs-attention') {
        if (
          problem({
            key: `refund-policy:${refund.id}`,
            failureType: 'RefundNeedsApproval',
            message: `WooCommerce refund #${refund.id} (${refund.amount}) of order ${order.number}: ${soName} is billed (${source.type} ${source.id}) and the mapping says a human applies refunds of billed orders.`,
            fix: `Create the ${target === 'creditMemo' ? 'credit memo' : 'cash refund'} in NetSuite, then send "retry" to acknowledge.`,
            acknowledgeable: true,
          })
        )
          continue;
        alreadyApplied[key] = 'by-hand';
        continue;
      }
      const creditLines: Record<string, unknown>[] = [];
      /** Refunded line amounts whose sales-order line cannot be found: credited with the refund item. */
      let unplaced = 0;
      for (const l of refund.line_items) {
        const index = itemLineIds.get(refundedItemId(l)) as number;
        const soLine = lines[index];
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
            description: order.line_items[index]?.name ?? '',
          });
        else unplaced += cents;
      }
      for (const l of refund.fee_lines) {
        const cents = Math.abs(moneyToCents(l.total));
        const fee = order.fee_lines[feeIds.get(refundedItemId(l)) as number];
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
      actions.push({
        kind: 'credit',
        source: { type: source.type, id: source.id },
        target,
        externalId,
        body,
        refundId: refund.id,
        amount: refund.amount,
        describe: `${target === 'creditMemo' ? 'credit memo' : 'cash refund'} ${externalId} for WooCommerce refund #${refund.id} (${refund.amount}) from ${source.type} ${source.id}`,
      });
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
      const index = itemLineIds.get(refundedItemId(l)) as number;
      reduceQuantity.set(index, (reduceQuantity.get(index) ?? 0) + Math.abs(l.quantity));
      if (l.quantity === 0) adjustments.push({ refundId: refund.id, cents: Math.abs(moneyToCents(l.total)) });
    }
    for (const l of refund.fee_lines) {
      const index = feeIds.get(refundedItemId(l)) as number;
      reduceFee.set(index, (reduceFee.get(index) ?? 0) + Math.abs(moneyToCents(l.total)));
    }
    reduceShipping += shippingCents;
    if (remainder > 0) adjustments.push({ refundId: refund.id, cents: remainder });
    if (how === undefined) reducingRefunds.push(refund.id);
  }

  // ---- cancellation ----
  if (cancelled) {
    const open = lines.filter((l) => !l.isClosed && l.quantityFulfilled < l.quantity);
    const done = lines.filter((l) => l.quantityFulfilled > 0 || l.quantityBilled > 0);
    if (mapping.lifecycle.cancellation === 'needs-attention') {
      problem({
        key: 'cancelled',
        failureType: 'CancelledNeedsApproval',
        message: `WooCommerce order ${order.number} was cancelled; the mapping says a human closes ${soName}.`,
        fix: 'Close the sales order in NetSuite, then send "retry" to acknowledge.',
        acknowledgeable: true,
      });
    } else if (open.length > 0) {
      actions.push({
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
      problem({
        key: 'cancelled-after-fulfilment',
        failureType: 'CancelledAfterFulfilment',
        message: `WooCommerce order ${order.number} was cancelled after NetSuite shipped or billed part of it: ${detail}.${open.length > 0 ? ` The open lines (${open.map((l) => l.line).join(', ')}) are closed.` : ''}`,
        fix: `In NetSuite, create a return authorisation for the shipped items${lines.some((l) => l.quantityBilled > 0) ? ' and a credit memo or cash refund for what was billed' : ''} of ${soName} (or refund the order in WooCommerce: this integration credits the refund); then send "retry" to acknowledge.`,
        acknowledgeable: true,
      });
    }
    return { actions, problems, alreadyApplied };
  }

  // ---- what the sales order should say now ----
  const built = buildSalesOrder({ order, store, mapping, customerId: so.customerId, items: input.items });
  if (!built.ok) {
    problem({
      key: `mapping:${built.problem.failureType}`,
      failureType: built.problem.failureType,
      message: built.problem.message,
      fix: built.problem.fix,
      acknowledgeable: false,
    });
    return { actions, problems, alreadyApplied };
  }
  const builtLines = (built.body.item as { items: Record<string, unknown>[] }).items;
  const desired: DesiredLine[] = [];
  for (const [i, raw] of builtLines.entries()) {
    const itemId = refId(raw.item as { id: string } | { externalId: string });
    if (itemId === undefined) {
      problem({
        key: 'unresolved-item',
        failureType: 'InvalidMapping',
        message: `NetSuite has no item ${JSON.stringify(raw.item)} (a fee or tax item of the mapping).`,
        fix: 'Correct the mapping, then send "retry".',
        acknowledgeable: false,
      });
      return { actions, problems, alreadyApplied };
    }
    const wooLine = i < order.line_items.length ? i : undefined;
    let quantity = Number(raw.quantity);
    let amountCents = toCents(Number(raw.amount));
    if (wooLine !== undefined && reduceQuantity.has(wooLine)) {
      const original = quantity;
      quantity = Math.max(0, quantity - (reduceQuantity.get(wooLine) ?? 0));
      amountCents = original > 0 ? Math.round((amountCents * quantity) / original) : amountCents;
    }
    const feeIndex = i - order.line_items.length;
    if (wooLine === undefined && reduceFee.has(feeIndex)) amountCents = Math.max(0, amountCents - (reduceFee.get(feeIndex) ?? 0));
    desired.push({ itemId, quantity, amountCents, description: String(raw.description ?? ''), ...(wooLine !== undefined ? { wooLine } : {}) });
  }
  if (adjustments.length > 0) {
    const adjustmentItem = refId(mapping.lifecycle.refunds.adjustmentItem);
    if (adjustmentItem === undefined) {
      problem({
        key: 'refund-item',
        failureType: 'InvalidMapping',
        message: `NetSuite has no refund item ${JSON.stringify(mapping.lifecycle.refunds.adjustmentItem)} (lifecycle.refunds.adjustmentItem).`,
        fix: 'Create the item or correct the mapping, then send "retry".',
        acknowledgeable: false,
      });
      return { actions, problems, alreadyApplied };
    }
    for (const a of adjustments) desired.push({ itemId: adjustmentItem, quantity: 1, amountCents: -a.cents, description: `WooCommerce refund #${a.refundId}` });
  }
  const desiredShipping = built.body.shippingCost === undefined ? undefined : Math.max(0, toCents(Number(built.body.shippingCost)) - reduceShipping);

  // ---- the differences ----
  const diffs: string[] = [];
  const lineChanges: Record<string, unknown>[] = [];
  const sameShape = desired.length === lines.length && desired.every((d, i) => d.itemId === lines[i]?.itemId);
  if (sameShape) {
    desired.forEach((d, i) => {
      const actual = lines[i] as SalesOrderLine;
      if (d.quantity === 0) {
        if (!actual.isClosed) {
          lineChanges.push({ line: actual.line, isClosed: true });
          diffs.push(`line ${actual.line} (${d.description}): quantity ${actual.quantity} → 0 (closed)`);
        }
        return;
      }
      if (actual.quantity !== d.quantity || toCents(actual.amount) !== d.amountCents) {
        lineChanges.push({ line: actual.line, quantity: d.quantity, rate: unitRate(d.amountCents, d.quantity), amount: d.amountCents / 100 });
        diffs.push(
          `line ${actual.line} (${d.description}): quantity ${actual.quantity} → ${d.quantity}, amount ${moneyString(toCents(actual.amount))} → ${moneyString(d.amountCents)}`,
        );
      }
    });
  } else {
    const describe = (items: { itemId: string; quantity: number; description?: string }[]): string =>
      items.map((l) => `${l.description || `item ${l.itemId}`} × ${l.quantity}`).join(', ');
    diffs.push(`lines [${describe(lines)}] → [${describe(desired.filter((d) => d.quantity > 0))}]`);
  }
  const shippingChanged = desiredShipping !== undefined && toCents(so.shippingCost) !== desiredShipping;
  if (shippingChanged) diffs.push(`shipping cost ${moneyString(toCents(so.shippingCost))} → ${moneyString(desiredShipping as number)}`);
  // Coupons: the header discount (buildSalesOrder sends discountRate "-<discount_total>" when there is one).
  const discountOf = (rate: unknown): number =>
    rate === undefined || rate === null || String(rate).trim() === '' ? 0 : Math.abs(moneyToCents(String(rate), 'discountRate'));
  const desiredDiscount = discountOf(built.body.discountRate);
  const discountChanged = desiredDiscount !== discountOf(so.discountRate);
  if (discountChanged) diffs.push(`coupon discount ${moneyString(discountOf(so.discountRate))} → ${moneyString(desiredDiscount)}`);

  if (diffs.length > 0) {
    const touched = sameShape ? lines.filter((l) => lineChanges.some((c) => c.line === l.line)) : lines;
    const shipped = touched.filter((l) => l.quantityFulfilled > 0 || l.quantityBilled > 0);
    const blocked = billed || shipped.length > 0 || (!sameShape && anyFulfilled);
    if (blocked) {
      const fromRefunds = reducingRefunds.length > 0;
      problem({
        key: `edit-after-fulfilment:${diffs.join('|')}`,
        failureType: fromRefunds ? 'RefundOfShippedGoods' : 'EditAfterFulfilment',
        message: `WooCommerce order ${order.number} changed after NetSuite ${billed ? 'billed' : 'shipped'} part of ${soName}${fromRefunds ? ` (refund${reducingRefunds.length > 1 ? 's' : ''} #${reducingRefunds.join(', #')})` : ''}: ${diffs.join('; ')}. Nothing was changed in NetSuite.`,
        fix: fromRefunds
          ? 'Bill the shipped lines in NetSuite and send "retry" (the refund then becomes a credit), or handle it in NetSuite by hand and send "retry" to acknowledge.'
          : `Change ${soName} in NetSuite by hand (or create a return authorisation for shipped items), then send "retry" to acknowledge.`,
        acknowledgeable: true,
      });
    } else if (mapping.lifecycle.edits === 'needs-attention' && reducingRefunds.length === 0) {
      problem({
        key: `edit-policy:${diffs.join('|')}`,
        failureType: 'EditNeedsApproval',
        message: `WooCommerce order ${order.number} changed after it became ${soName}: ${diffs.join('; ')}. The mapping says a human applies edits.`,
        fix: 'Change the sales order in NetSuite, then send "retry" to acknowledge.',
        acknowledgeable: true,
      });
    } else {
      const body: Record<string, unknown> = {};
      if (sameShape) {
        if (lineChanges.length > 0) body.item = { items: lineChanges };
      } else {
        body.item = {
          items: desired
            .filter((d) => d.quantity > 0)
            .map((d) => ({
              item: { id: d.itemId },
              quantity: d.quantity,
              rate: unitRate(d.amountCents, d.quantity),
              amount: d.amountCents / 100,
              description: d.description,
            })),
        };
      }
      if (shippingChanged) body.shippingCost = (desiredShipping as number) / 100;
      if (discountChanged) {
        body.discountRate = desiredDiscount > 0 ? String(built.body.discountRate) : '0.00';
        if (built.body.discountItem !== undefined) body.discountItem = built.body.discountItem;
      }
      const why =
        reducingRefunds.length > 0
          ? `for WooCommerce refund${reducingRefunds.length > 1 ? 's' : ''} #${reducingRefunds.join(', #')}`
          : 'as the WooCommerce order was edited';
      actions.push({
        kind: 'updateSalesOrder',
        salesOrderId: so.id,
        body,
        replaceItems: !sameShape,
        refundIds: reducingRefunds,
        describe: `updated ${soName}, ${why}: ${diffs.join('; ')}`,
      });
    }
  }
  return { actions, problems, alreadyApplied };
}
