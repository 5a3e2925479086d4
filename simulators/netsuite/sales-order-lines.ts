/**
 * Sales-order lines: a line built from a request (rate and amount defaults), the lines a PATCH asks for planned
 * against the order (merged by `line` or replaced with `?replace=item`, refusing edits of what was fulfilled or
 * billed), and the order's totals.
 */
import { roundCents } from './documents';
import { badRequest } from './errors';
import type { NormalizedLine } from './record-bodies';
import type { RecordStore } from './store';
import type { SalesOrderLine, StoredRecord } from './stored-record';

/** The sales-order lines a PATCH asks for, as new objects (the order is untouched); throws before any change. */
export function planLines(store: RecordStore, order: StoredRecord, incoming: NormalizedLine[], replace: boolean): SalesOrderLine[] {
  let next = order.lines.reduce((m, l) => Math.max(m, l.line), 0) + 1;
  const matched = new Set<number>();
  const planned: SalesOrderLine[] = replace ? [] : order.lines.map((l) => ({ ...l }));
  for (const line of incoming) {
    // Merge: a line named twice is merged twice. Replace: only its first mention keeps the existing line.
    const existing = !line.hasLine
      ? undefined
      : replace
        ? matched.has(line.values.line as number)
          ? undefined
          : order.lines.find((l) => l.line === line.values.line)
        : planned.find((l) => l.line === line.values.line);
    if (existing) {
      matched.add(existing.line);
      const merged = mergeLine(existing, line);
      if (replace) planned.push(merged);
      else planned[planned.indexOf(existing)] = merged;
      continue;
    }
    if (line.values.item === undefined) throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${line.index}].item`);
    planned.push(buildLine(store, { ...line.values, line: undefined }, next++));
  }
  if (replace) {
    for (const old of order.lines) {
      if (matched.has(old.line) || (old.quantityFulfilled === 0 && old.quantityBilled === 0)) continue;
      throw badRequest(
        'USER_ERROR',
        `You cannot remove line ${old.line}: ${progressText(old)}. Keep the line (name it with "line": ${old.line}) or close it with {"line": ${old.line}, "isClosed": true}.`,
        'item',
      );
    }
  }
  return planned;
}

/** An existing sales-order line with a PATCH's values applied (a copy). */
function mergeLine(existing: SalesOrderLine, incoming: NormalizedLine): SalesOrderLine {
  const values = incoming.values;
  const path = `item.items[${incoming.index}]`;
  const started = existing.quantityFulfilled > 0 || existing.quantityBilled > 0;
  if (values.item !== undefined && values.item !== existing.item && started) {
    throw badRequest(
      'USER_ERROR',
      `You cannot change the item of line ${existing.line}: ${progressText(existing)}. Close the line and add a new one instead.`,
      `${path}.item`,
    );
  }
  const merged: SalesOrderLine = { ...existing, ...values };
  if (values.amount === undefined && (values.quantity !== undefined || values.rate !== undefined)) merged.amount = roundCents(merged.quantity * merged.rate);
  if (merged.quantity < existing.quantityFulfilled) {
    throw badRequest('USER_ERROR', `You cannot reduce the quantity below the quantity already fulfilled (${existing.quantityFulfilled}).`, `${path}.quantity`);
  }
  if (merged.quantity < existing.quantityBilled) {
    throw badRequest('USER_ERROR', `You cannot reduce the quantity below the quantity already billed (${existing.quantityBilled}).`, `${path}.quantity`);
  }
  return merged;
}

/** Line amount = `amount` if given, else quantity × rate; rate defaults to the item's base price / rate. */
export function buildLine(store: RecordStore, values: Partial<SalesOrderLine>, line: number): SalesOrderLine {
  const item = values.item !== undefined ? store.items.get(values.item) : undefined;
  const quantity = values.quantity ?? 1;
  const itemRate = Number(item?.fields.basePrice ?? item?.fields.rate ?? 0);
  const rate = values.rate ?? (values.amount !== undefined && quantity !== 0 ? roundCents(values.amount / quantity) : Number.isFinite(itemRate) ? itemRate : 0);
  const built: SalesOrderLine = {
    line,
    item: values.item ?? '',
    quantity,
    rate,
    amount: values.amount ?? roundCents(quantity * rate),
    isClosed: values.isClosed ?? false,
    quantityFulfilled: 0,
    quantityBilled: 0,
    quantityCommitted: 0,
    quantityBackOrdered: 0,
  };
  if (values.description !== undefined) built.description = values.description;
  if (values.location !== undefined) built.location = values.location;
  if (values.price !== undefined) built.price = values.price;
  return built;
}

/** subtotal = Σ line amounts; discountTotal = header discountRate (an amount, or "N%" of subtotal); total = subtotal + discountTotal + shippingCost. */
export function computeTotals(order: StoredRecord): void {
  const subtotal = roundCents(order.lines.reduce((sum, l) => sum + l.amount, 0));
  const rateRaw = order.fields.discountRate;
  let discount = 0;
  if (typeof rateRaw === 'string' && rateRaw.trim().endsWith('%')) discount = roundCents((subtotal * Number(rateRaw.trim().slice(0, -1))) / 100);
  else if (rateRaw !== undefined && Number.isFinite(Number(rateRaw))) discount = Number(rateRaw);
  const shipping = typeof order.fields.shippingCost === 'number' ? order.fields.shippingCost : 0;
  order.fields.subtotal = subtotal;
  order.fields.discountTotal = Number.isFinite(discount) ? discount : 0;
  order.fields.total = roundCents(subtotal + (Number.isFinite(discount) ? discount : 0) + shipping);
}

/** "N of it has been fulfilled and M billed": why a sales-order line can no longer be removed or change item. */
function progressText(line: SalesOrderLine): string {
  const parts: string[] = [];
  if (line.quantityFulfilled > 0) parts.push(`${line.quantityFulfilled} has been fulfilled`);
  if (line.quantityBilled > 0) parts.push(`${line.quantityBilled} has been billed`);
  return parts.join(' and ');
}
