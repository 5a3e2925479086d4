/**
 * Record transforms: `POST /record/v1/<source>/<id>/!transform/<target>` turns a sales order into an item
 * fulfilment, an invoice or a cash sale, an invoice into a credit memo and a cash sale into a cash refund
 * (ALLOWED_TRANSFORMS); any other pair is 400 INVALID_PARAMETER. Everything is checked before anything changes: a
 * refused transform leaves no trace. The control API's fulfil / bill buttons come through here too.
 *
 * Body: transform-body.ts.
 *
 * Lines: `{orderLine: N, quantity?, rate?, amount?, description?}` takes item, rate, description and location from
 * line N of the source; without `item` in the body every eligible source line comes with all its eligible quantity;
 * a line with quantity 0 is left out. Credits may also add lines without a source line:
 * `{item: {id}, quantity? (1), rate?, amount?, description?}`. A line's amount defaults to quantity × rate rounded to
 * cents, except that the line which completes a source line (its whole remaining quantity, rate not overridden) takes
 * the source line's remaining amount, so bills add up to the order and credits to the bill exactly.
 *
 * What may be transformed:
 * - fulfilment: open inventory lines, up to quantity − quantityFulfilled, and no more than is on hand at the line's
 *   location (its `location`, else the order's, else 1) unless the `allowNegativeInventory` option is set; stock on
 *   hand goes down, commitments are recomputed;
 * - invoice / cash sale: not while the order is A Pending Approval (or C Cancelled); open lines up to their fulfilled,
 *   unbilled quantity (order-status.ts: lines that need no fulfilment become billable with the first fulfilment). The
 *   first bill of an order carries its shippingCost and discountTotal; total = Σ line amounts + discountTotal +
 *   shippingCost;
 * - credit memo / cash refund: source lines up to quantity − the quantity already credited on that line; shippingCost
 *   defaults to the source's not yet credited shipping cost when the body names no lines, else 0; total = Σ line
 *   amounts + shippingCost, and the totals of all credits of one source may not exceed its total.
 */
import { INITIAL_DOCUMENT_STATUS, isBillType, isCreditType, roundCents, TRANSACTION_LABELS, type DocumentLine } from './documents';
import { applyBilling, applyFulfilment, insertDocument } from './document-effects';
import { badRequest, notFound, NsError, userError } from './errors';
import { billableQuantity, fulfillableQuantity, fulfilmentStarted } from './order-status';
import { ALLOWED_TRANSFORMS, isTransactionType, type DocumentTypeName, type RecordTypeName } from './schema';
import type { RecordStore } from './store';
import type { SalesOrderLine, StoredRecord, WriteContext } from './stored-record';
import { parseTransformBody, type RequestedLine, type TransformRequest } from './transform-body';

const money = (n: number): string => n.toFixed(2);
const cents = (n: number): number => Math.round(n * 100);
const today = (): string => new Date().toISOString().slice(0, 10);

/** The 400 for a source/target pair that is not a transform. */
export function transformNotAllowed(source: RecordTypeName, target: RecordTypeName): NsError {
  const allowed = ALLOWED_TRANSFORMS[source];
  const hint = allowed ? ` From ${source} the allowed targets are: ${allowed.join(', ')}.` : ` A ${source} cannot be transformed.`;
  return badRequest('INVALID_PARAMETER', `Transformation from ${source} to ${target} is not allowed.${hint}`);
}

export class TransformService {
  constructor(
    private readonly store: RecordStore,
    /** NetSuite's "Allow Negative Inventory": fulfilments may ship more than is on hand. */
    private readonly allowNegativeInventory: () => boolean = () => false,
  ) {}

  /** Performs a transform and returns the new document; throws an NsError (nothing changed) when it is refused. */
  transform(sourceType: RecordTypeName, rawId: string, targetType: RecordTypeName, body: unknown, ctx: WriteContext): StoredRecord {
    const target = ALLOWED_TRANSFORMS[sourceType]?.find((t) => t === targetType);
    if (!target) throw transformNotAllowed(sourceType, targetType);
    const source = this.store.get(sourceType, rawId);
    if (!source) throw notFound();
    const request = parseTransformBody(this.store, target, body ?? {}, ctx);
    if (request.externalId !== undefined && this.store.externalIdTaken(target, request.externalId)) throw this.store.duplicateExternalId(request.externalId);
    if (target === 'itemFulfillment') return this.fulfil(source, request);
    if (isBillType(target)) return this.bill(source, target, request);
    return this.credit(source, target, request);
  }

  // ---------- salesOrder → itemFulfillment ----------

  private fulfil(order: StoredRecord, request: TransformRequest): StoredRecord {
    this.assertOrderOpen(order, 'fulfill');
    const chosen: { line: SalesOrderLine; quantity: number; request?: RequestedLine }[] = [];
    if (request.lines === undefined) {
      for (const line of order.lines) {
        const open = fulfillableQuantity(this.store.progressOf(line));
        if (open > 0) chosen.push({ line, quantity: open });
      }
    } else {
      const seen = new Set<number>();
      for (const r of request.lines) {
        const line = this.orderLineOf(order, r, seen, 'itemFulfillment');
        const path = `item.items[${r.index}]`;
        if (line.isClosed) throw userError(`Line ${line.line} is closed: it cannot be fulfilled.`, `${path}.orderLine`);
        if (!this.store.needsFulfilment(line)) {
          throw userError(`Line ${line.line} (${this.itemName(line.item)}) is not an inventory item: it needs no fulfillment.`, `${path}.orderLine`);
        }
        const open = fulfillableQuantity(this.store.progressOf(line));
        const quantity = r.quantity ?? open;
        if (quantity > open) throw userError(`You cannot fulfill more than the unfulfilled quantity of line ${line.line} (${open}).`, `${path}.quantity`);
        if (quantity > 0) chosen.push({ line, quantity, request: r });
      }
    }
    if (chosen.length === 0) throw userError('You cannot fulfill this order: there are no open, unfulfilled lines to fulfill.');
    const locationOf = (line: SalesOrderLine): string => line.location ?? (order.fields.location as string | undefined) ?? '1';
    const needed = new Map<string, { item: string; location: string; quantity: number; lines: number[] }>();
    for (const c of chosen) {
      const location = locationOf(c.line);
      const key = `${c.line.item}@${location}`;
      const need = needed.get(key) ?? { item: c.line.item, location, quantity: 0, lines: [] };
      need.quantity += c.quantity;
      need.lines.push(c.line.line);
      needed.set(key, need);
    }
    for (const need of this.allowNegativeInventory() ? [] : needed.values()) {
      const onHand = this.store.onHandAt(need.item, need.location);
      if (need.quantity > onHand) {
        const where = this.store.locations.get(need.location)?.name ?? need.location;
        throw userError(
          `Insufficient stock: ${this.itemName(need.item)} (line ${need.lines.join(', ')}) needs ${need.quantity} at location ${where} (${need.location}), but only ${onHand} is on hand.`,
        );
      }
    }
    const lines: DocumentLine[] = chosen.map((c, i) => {
      const rate = c.request?.rate ?? c.line.rate;
      return this.documentLine(
        i + 1,
        c.line.item,
        c.quantity,
        rate,
        c.request?.amount ?? roundCents(c.quantity * rate),
        c.request?.description ?? c.line.description,
        c.line.line,
        locationOf(c.line),
      );
    });
    const shipStatus = request.shipStatus ?? 'C';
    // A fulfilment ships by the order's ship method unless the warehouse chose another.
    const shipMethod = request.shipMethod ?? order.fields.shipMethod;
    const fields = {
      ...this.commonFields(order, request),
      shipStatus,
      status: shipStatus,
      total: this.sum(lines),
      ...(shipMethod !== undefined ? { shipMethod } : {}),
    };
    const document = insertDocument(this.store, 'itemFulfillment', order, fields, lines, request.packages);
    applyFulfilment(
      this.store,
      order,
      chosen.map((c) => ({ line: c.line.line, quantity: c.quantity, location: locationOf(c.line) })),
    );
    return document;
  }

  // ---------- salesOrder → invoice | cashSale ----------

  private bill(order: StoredRecord, target: DocumentTypeName, request: TransformRequest): StoredRecord {
    this.assertOrderOpen(order, 'bill');
    const started = fulfilmentStarted(order.lines.map((l) => this.store.progressOf(l)));
    const billable = (line: SalesOrderLine): number => billableQuantity(this.store.progressOf(line), started);
    const chosen: { line: SalesOrderLine; quantity: number; request?: RequestedLine }[] = [];
    if (request.lines === undefined) {
      for (const line of order.lines) if (billable(line) > 0) chosen.push({ line, quantity: billable(line) });
    } else {
      const seen = new Set<number>();
      for (const r of request.lines) {
        const line = this.orderLineOf(order, r, seen, target);
        const path = `item.items[${r.index}]`;
        if (line.isClosed) throw userError(`Line ${line.line} is closed: it cannot be billed.`, `${path}.orderLine`);
        const open = billable(line);
        const quantity = r.quantity ?? open;
        if (quantity > open) throw userError(`You cannot bill more than the fulfilled, unbilled quantity of line ${line.line} (${open}).`, `${path}.quantity`);
        if (quantity > 0) chosen.push({ line, quantity, request: r });
      }
    }
    if (chosen.length === 0) throw userError('You cannot bill this order: there are no fulfilled, unbilled lines.');
    const priorBills = this.store.documentsFrom(order.id).filter((d) => isBillType(d.type));
    const billedAmount = (lineNumber: number): number =>
      priorBills.reduce((sum, bill) => sum + bill.documentLines.filter((l) => l.orderLine === lineNumber).reduce((s, l) => s + l.amount, 0), 0);
    const lines: DocumentLine[] = chosen.map((c, i) => {
      const rate = c.request?.rate ?? c.line.rate;
      const completes = c.request?.rate === undefined && c.quantity === c.line.quantity - c.line.quantityBilled;
      const amount = c.request?.amount ?? (completes ? roundCents(c.line.amount - billedAmount(c.line.line)) : roundCents(c.quantity * rate));
      return this.documentLine(
        i + 1,
        c.line.item,
        c.quantity,
        rate,
        amount,
        c.request?.description ?? c.line.description,
        c.line.line,
        c.line.location ?? (order.fields.location as string | undefined),
      );
    });
    const first = priorBills.length === 0;
    const shippingCost = first && typeof order.fields.shippingCost === 'number' ? order.fields.shippingCost : 0;
    const discountTotal = first && typeof order.fields.discountTotal === 'number' ? order.fields.discountTotal : 0;
    const subtotal = this.sum(lines);
    const fields = {
      ...this.commonFields(order, request),
      status: INITIAL_DOCUMENT_STATUS[target as keyof typeof INITIAL_DOCUMENT_STATUS],
      subtotal,
      discountTotal,
      shippingCost,
      total: roundCents(subtotal + discountTotal + shippingCost),
    };
    const document = insertDocument(this.store, target, order, fields, lines);
    applyBilling(
      this.store,
      order,
      chosen.map((c) => ({ line: c.line.line, quantity: c.quantity })),
    );
    return document;
  }

  // ---------- invoice → creditMemo, cashSale → cashRefund ----------

  private credit(bill: StoredRecord, target: DocumentTypeName, request: TransformRequest): StoredRecord {
    const prior = this.store.documentsFrom(bill.id).filter((d) => isCreditType(d.type));
    const creditedOf = (lineNumber: number): { quantity: number; amount: number } => {
      let quantity = 0;
      let amount = 0;
      for (const credit of prior) {
        for (const l of credit.documentLines) {
          if (l.orderLine === lineNumber) {
            quantity += l.quantity;
            amount += l.amount;
          }
        }
      }
      return { quantity, amount };
    };
    const creditable = (line: DocumentLine): number => Math.max(0, line.quantity - creditedOf(line.line).quantity);
    const lines: DocumentLine[] = [];
    const fromSource = (line: DocumentLine, quantity: number, r?: RequestedLine): DocumentLine => {
      const rate = r?.rate ?? line.rate;
      const completes = r?.rate === undefined && quantity === creditable(line);
      const amount = r?.amount ?? (completes ? roundCents(line.amount - creditedOf(line.line).amount) : roundCents(quantity * rate));
      return this.documentLine(lines.length + 1, line.item, quantity, rate, amount, r?.description ?? line.description, line.line, line.location);
    };
    if (request.lines === undefined) {
      for (const line of bill.documentLines) if (creditable(line) > 0) lines.push(fromSource(line, creditable(line)));
    } else {
      const seen = new Set<number>();
      for (const r of request.lines) {
        const path = `item.items[${r.index}]`;
        if (r.orderLine !== undefined) {
          const line = bill.documentLines.find((l) => l.line === r.orderLine);
          if (!line) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${r.orderLine} for the following field: orderLine`, `${path}.orderLine`);
          if (seen.has(line.line)) throw userError(`Line ${line.line} of the ${bill.type} is named twice: give each source line once.`, `${path}.orderLine`);
          seen.add(line.line);
          const open = creditable(line);
          const quantity = r.quantity ?? open;
          if (quantity > open) throw userError(`You cannot credit more than the uncredited quantity of line ${line.line} (${open}).`, `${path}.quantity`);
          if (quantity > 0) lines.push(fromSource(line, quantity, r));
          continue;
        }
        if (r.item === undefined) throw userError('Please enter value(s) for: Item', `${path}.item`);
        const quantity = r.quantity ?? 1;
        const item = this.store.item(r.item);
        const itemRate = Number(item?.fields.basePrice ?? item?.fields.rate ?? 0);
        const rate = r.rate ?? (r.amount !== undefined && quantity !== 0 ? roundCents(r.amount / quantity) : Number.isFinite(itemRate) ? itemRate : 0);
        lines.push(this.documentLine(lines.length + 1, r.item, quantity, rate, r.amount ?? roundCents(quantity * rate), r.description, undefined, undefined));
      }
    }
    const label = `${isTransactionType(bill.type) ? TRANSACTION_LABELS[bill.type] : bill.type} #${String(bill.fields.tranId)}`;
    if (lines.length === 0) {
      throw request.lines === undefined
        ? userError(`There is nothing left to credit on ${label}: every line has been credited in full.`)
        : userError('You must enter at least one line item for this transaction.', 'item');
    }
    const creditedShipping = prior.reduce((sum, c) => sum + Number(c.fields.shippingCost ?? 0), 0);
    const billShipping = Number(bill.fields.shippingCost ?? 0);
    const shippingCost = request.shippingCost ?? (request.lines === undefined ? Math.max(0, roundCents(billShipping - creditedShipping)) : 0);
    const subtotal = this.sum(lines);
    const total = roundCents(subtotal + shippingCost);
    if (total < 0) throw userError(`The total of a ${target} cannot be negative (${money(total)}).`);
    const creditedTotal = prior.reduce((sum, c) => sum + Number(c.fields.total ?? 0), 0);
    const billTotal = Number(bill.fields.total ?? 0);
    if (cents(creditedTotal) + cents(total) > cents(billTotal)) {
      throw userError(
        `You cannot credit more than the total of ${label} (${money(billTotal)}): ${money(creditedTotal)} has been credited already and this ${target} totals ${money(total)}.`,
      );
    }
    const fields = {
      ...this.commonFields(bill, request),
      status: INITIAL_DOCUMENT_STATUS[target as keyof typeof INITIAL_DOCUMENT_STATUS],
      subtotal,
      shippingCost,
      total,
    };
    return insertDocument(this.store, target, bill, fields, lines);
  }

  // ---------- helpers ----------

  private assertOrderOpen(order: StoredRecord, verb: 'fulfill' | 'bill'): void {
    const status = String(order.fields.orderStatus ?? '');
    if (status === 'A') throw userError(`You cannot ${verb} this order: it is Pending Approval. Approve it first (orderStatus B).`);
    if (status === 'C') throw userError(`You cannot ${verb} this order: it is Cancelled.`);
  }

  /** The sales-order line a body line names with `orderLine`; refuses a missing, unknown or repeated one. */
  private orderLineOf(order: StoredRecord, r: RequestedLine, seen: Set<number>, target: DocumentTypeName): SalesOrderLine {
    const path = `item.items[${r.index}].orderLine`;
    if (r.orderLine === undefined) throw userError(`Every line of ${article(target)} ${target} must come from a sales-order line: give orderLine.`, path);
    const line = order.lines.find((l) => l.line === r.orderLine);
    if (!line) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${r.orderLine} for the following field: orderLine`, path);
    if (seen.has(line.line)) throw userError(`Line ${line.line} of the sales order is named twice: give each line once.`, path);
    seen.add(line.line);
    return line;
  }

  private documentLine(
    line: number,
    item: string,
    quantity: number,
    rate: number,
    amount: number,
    description: string | undefined,
    orderLine: number | undefined,
    location: string | undefined,
  ): DocumentLine {
    const out: DocumentLine = { line, item, quantity, rate, amount };
    if (description !== undefined) out.description = description;
    if (orderLine !== undefined) out.orderLine = orderLine;
    if (location !== undefined) out.location = location;
    return out;
  }

  /** Fields every document copies from its source or takes from the body. */
  private commonFields(source: StoredRecord, request: TransformRequest): Record<string, unknown> {
    const fields: Record<string, unknown> = {
      entity: source.fields.entity,
      subsidiary: source.fields.subsidiary ?? '1',
      tranDate: request.tranDate ?? today(),
    };
    if (request.memo !== undefined) fields.memo = request.memo;
    if (request.externalId !== undefined) fields.externalId = request.externalId;
    return fields;
  }

  private sum(lines: DocumentLine[]): number {
    return roundCents(lines.reduce((s, l) => s + l.amount, 0));
  }

  private itemName(id: string): string {
    return this.store.refName('item', id) ?? id;
  }
}

/** "a" or "an" before a word. */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
