/**
 * Edit planning: what the sales order should say now — the order as buildSalesOrder makes it, less the reductions of
 * refunds of an unbilled order (refund-plan.ts) — compared with what it says. Differences in lines, quantities,
 * prices, fees, shipping cost or the coupon discount → the sales order updated, line by line, or the whole item
 * sublist replaced when lines were added or removed; once anything is fulfilled or billed, a problem naming the diff.
 * Sales order lines are the order's lines in order (then fees, then the tax line). Pure.
 */
import { buildSalesOrder, moneyString, moneyToCents, unitRate } from '../mapping/sales-order';
import type { Planning } from './planning';
import type { RefundReductions } from './refund-plan';
import type { SalesOrderLine } from './types';

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

export function planEdits(planning: Planning, reductions: RefundReductions): void {
  const { input, lines, soName, problem } = planning;
  const { order, salesOrder: so, mapping, store } = input;
  const { reducingRefunds } = reductions;
  const refId = (ref: { id: string } | { externalId: string }): string | undefined => ('id' in ref ? ref.id : input.refs.get(ref.externalId));
  const billed = so.bills.length > 0;
  const anyFulfilled = lines.some((l) => l.quantityFulfilled > 0);

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
    return;
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
      return;
    }
    const wooLine = i < order.line_items.length ? i : undefined;
    let quantity = Number(raw.quantity);
    let amountCents = toCents(Number(raw.amount));
    if (wooLine !== undefined && reductions.quantity.has(wooLine)) {
      const original = quantity;
      quantity = Math.max(0, quantity - (reductions.quantity.get(wooLine) ?? 0));
      amountCents = original > 0 ? Math.round((amountCents * quantity) / original) : amountCents;
    }
    const feeIndex = i - order.line_items.length;
    if (wooLine === undefined && reductions.fee.has(feeIndex)) amountCents = Math.max(0, amountCents - (reductions.fee.get(feeIndex) ?? 0));
    desired.push({ itemId, quantity, amountCents, description: String(raw.description ?? ''), ...(wooLine !== undefined ? { wooLine } : {}) });
  }
  if (reductions.adjustments.length > 0) {
    const adjustmentItem = refId(mapping.lifecycle.refunds.adjustmentItem);
    if (adjustmentItem === undefined) {
      problem({
        key: 'refund-item',
        failureType: 'InvalidMapping',
        message: `NetSuite has no refund item ${JSON.stringify(mapping.lifecycle.refunds.adjustmentItem)} (lifecycle.refunds.adjustmentItem).`,
        fix: 'Create the item or correct the mapping, then send "retry".',
        acknowledgeable: false,
      });
      return;
    }
    for (const a of reductions.adjustments)
      desired.push({ itemId: adjustmentItem, quantity: 1, amountCents: -a.cents, description: `WooCommerce refund #${a.refundId}` });
  }
  const desiredShipping = built.body.shippingCost === undefined ? undefined : Math.max(0, toCents(Number(built.body.shippingCost)) - reductions.shippingCents);

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
    const describe = (items: readonly { itemId: string; quantity: number; description?: string }[]): string =>
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

  if (diffs.length === 0) return;
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
    planning.actions.push({
      kind: 'updateSalesOrder',
      salesOrderId: so.id,
      body,
      replaceItems: !sameShape,
      refundIds: reducingRefunds,
      describe: `updated ${soName}, ${why}: ${diffs.join('; ')}`,
    });
  }
}
