/**
 * The record store: the records themselves (kept as JS objects for the record API) with every write mirrored
 * synchronously into the SuiteQL tables, inventory commitment on sales orders, the sales-order lifecycle (line
 * progress, status, the effects of fulfilments and bills), transformed documents, external IDs, references and
 * the custom-field registry. All validation failures are NsErrors (NetSuite-shaped 400s).
 */
import type { SqlValue } from 'sql.js';
import { SuiteQlDatabase } from './database';
import { isBillType, SHIP_STATUSES, TRAN_ID_PREFIXES, TRANSACTION_LABELS, type DocumentLine, type FulfilmentPackage } from './documents';
import { NsError, badRequest } from './errors';
import type { PropertyNameValidation, ResolvedOptions } from './options';
import { computeOrderStatus, type LineProgress } from './order-status';
import {
  ALLOWED_TRANSFORMS,
  CUSTOM_FIELD_HOSTS,
  DEFAULT_CUSTOM_FIELDS,
  isDocumentType,
  isTransactionType,
  ITEM_TYPES,
  ITEM_TYPE_CODES,
  RECORD_TYPES,
  SALES_ORDER_LINE_FIELDS,
  SALES_ORDER_PROGRESS_LINE_FIELDS,
  SCRIPT_ID_PATTERN,
  STANDARD_FIELDS,
  sqlTypeOf,
  TRANSACTION_TYPE_CODES,
  TRANSACTION_TYPES,
  type CustomField,
  type DocumentTypeName,
  type RecordTypeName,
  type RefTarget,
  type StandardField,
  type TransactionTypeName,
} from './schema';

export interface LocationQuantities {
  onHand: number;
  committed: number;
  onOrder: number;
  backordered: number;
  /** Per-location average cost; falls back to the item's averageCost. */
  averageCost?: number;
}

export interface SalesOrderLine {
  line: number;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  description?: string;
  location?: string;
  price?: string;
  isClosed: boolean;
  /** Shipped by item fulfilments (SuiteQL `transactionline.quantityshiprecv`). */
  quantityFulfilled: number;
  /** Billed by invoices and cash sales (SuiteQL `transactionline.quantitybilled`). */
  quantityBilled: number;
  /** Committed inventory of the unfulfilled quantity. */
  quantityCommitted: number;
  quantityBackOrdered: number;
  /** Location whose inventory this line committed (set while committed). */
  commitLocation?: string;
}

/** A sales-order line shipped by a fulfilment: how much, from where. */
export interface FulfilledLine {
  line: number;
  quantity: number;
  location: string;
}

export interface StoredRecord {
  id: string;
  type: RecordTypeName;
  /** Body fields: scalars, reference IDs (as strings), objects, and custom fields keyed by script ID. */
  fields: Record<string, unknown>;
  /** Sales-order item lines. */
  lines: SalesOrderLine[];
  /** Item lines of a transformed document (documents.ts). */
  documentLines: DocumentLine[];
  /** Packages of an item fulfilment. */
  packages: FulfilmentPackage[];
  /** The transaction a transformed document was created from. */
  source?: { type: TransactionTypeName; id: string };
  /** Inventory items: quantities per location ID. */
  inventory: Map<string, LocationQuantities>;
  createdAt: string;
  lastModified: string;
}

export interface NamedEntity {
  id: string;
  name: string;
}

export interface WriteContext {
  validation: PropertyNameValidation;
}

export interface UpdateContext extends WriteContext {
  /** Sublists named in `?replace=`: replaced as a whole instead of merged by `line`. */
  replace: Set<string>;
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

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The externalId the seed gives an existing NetSuite customer: `woo-customer-` + the e-mail with every character other than letters, digits, `_`, `-` replaced by `_`. */
export function seedCustomerExternalId(email: string): string {
  return `woo-customer-${email
    .trim()
    .toLowerCase()
    .replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
/** "An invoice", "A cashSale". */
const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'An' : 'A'} ${word}`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tf = (v: unknown): string => (v === true ? 'T' : 'F');
const today = (): string => new Date().toISOString().slice(0, 10);

interface NormalizedLine {
  index: number;
  values: Partial<SalesOrderLine>;
  hasLine: boolean;
}

interface NormalizedBody {
  fields: Record<string, unknown>;
  /** Keys explicitly set to null (cleared). */
  cleared: string[];
  lines?: NormalizedLine[];
}

export class RecordStore {
  readonly records = new Map<RecordTypeName, Map<string, StoredRecord>>();
  private readonly externalIds = new Map<RecordTypeName, Map<string, string>>();
  /** Every record in the item ID space (inventory, discount, other-charge and ship items). */
  private readonly items = new Map<string, StoredRecord>();
  readonly locations = new Map<string, NamedEntity>();
  readonly subsidiaries = new Map<string, NamedEntity>();
  private readonly customFields = new Map<RecordTypeName, Map<string, CustomField>>();
  /** Transformed documents by the ID of the transaction they were created from (IDs in creation order). */
  private readonly documentsBySource = new Map<string, string[]>();
  private nextCustomerId = 100;
  private nextTransactionId = 1000;
  private nextItemId = 1;
  /** Next document number per transaction type (SO1001, INV1001, …). */
  private readonly nextTranNumbers = new Map<TransactionTypeName, number>();

  constructor(
    readonly db: SuiteQlDatabase,
    private readonly options: ResolvedOptions,
  ) {
    for (const type of RECORD_TYPES) {
      this.records.set(type, new Map());
      this.externalIds.set(type, new Map());
      this.customFields.set(type, new Map());
    }
    for (const [type, fields] of Object.entries(DEFAULT_CUSTOM_FIELDS) as [RecordTypeName, CustomField[]][]) {
      for (const field of fields) this.addCustomField(type, { ...field });
    }
    this.addSubsidiary({ id: '1', name: 'Parent Company' });
  }

  // ---------- registries ----------

  addLocation(location: NamedEntity): void {
    this.locations.set(location.id, { ...location });
    this.db.upsertRow('location', { id: Number(location.id), name: location.name, isinactive: 'F', subsidiary: 1 });
    for (const item of this.recordsOf('inventoryItem').values()) {
      if (!item.inventory.has(location.id)) {
        item.inventory.set(location.id, { onHand: 0, committed: 0, onOrder: 0, backordered: 0 });
        this.mirrorInventory(item, location.id);
      }
    }
  }

  addSubsidiary(subsidiary: NamedEntity): void {
    this.subsidiaries.set(subsidiary.id, { ...subsidiary });
    this.db.upsertRow('subsidiary', { id: Number(subsidiary.id), name: subsidiary.name, isinactive: 'F' });
  }

  recordsOf(type: RecordTypeName): Map<string, StoredRecord> {
    return this.records.get(type) as Map<string, StoredRecord>;
  }

  customFieldsOf(type: RecordTypeName): Map<string, CustomField> {
    return this.customFields.get(type) as Map<string, CustomField>;
  }

  /** Adds a custom field (and its SuiteQL column). */
  addCustomField(type: RecordTypeName, field: CustomField): void {
    const host = CUSTOM_FIELD_HOSTS[type];
    if (!host) throw new Error(`record type ${type} has no custom fields`);
    if (!SCRIPT_ID_PATTERN.test(field.scriptId) || !field.scriptId.startsWith(`${host.prefix}_`)) {
      throw new Error(`script ID ${field.scriptId} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
    }
    const registry = this.customFieldsOf(type);
    if (registry.has(field.scriptId) || STANDARD_FIELDS[type].some((s) => s.name.toLowerCase() === field.scriptId)) {
      throw new Error(`field ${field.scriptId} already exists on ${type}`);
    }
    registry.set(field.scriptId, { ...field });
    this.db.alter(`ALTER TABLE "${host.table}" ADD COLUMN "${field.scriptId}" ${sqlTypeOf(field.type)}`);
  }

  /** Renames a custom field: the old name stops existing, values move to the new name, the SuiteQL column is renamed. */
  renameCustomField(type: RecordTypeName, from: string, to: string): CustomField {
    const host = CUSTOM_FIELD_HOSTS[type];
    const registry = this.customFieldsOf(type);
    const field = registry.get(from);
    if (!host || !field) throw new Error(`no custom field ${from} on ${type}`);
    if (!SCRIPT_ID_PATTERN.test(to) || !to.startsWith(`${host.prefix}_`))
      throw new Error(`new script ID ${to} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
    if (registry.has(to)) throw new Error(`field ${to} already exists on ${type}`);
    const renamed = { ...field, scriptId: to };
    const entries = [...registry.entries()].map(([k, v]): [string, CustomField] => (k === from ? [to, renamed] : [k, v]));
    registry.clear();
    for (const [k, v] of entries) registry.set(k, v);
    for (const record of this.recordsOf(type).values()) {
      if (from in record.fields) {
        record.fields[to] = record.fields[from];
        delete record.fields[from];
      }
    }
    this.db.alter(`ALTER TABLE "${host.table}" RENAME COLUMN "${from}" TO "${to}"`);
    return renamed;
  }

  setCustomFieldMandatory(type: RecordTypeName, scriptId: string, mandatory: boolean): CustomField {
    const field = this.customFieldsOf(type).get(scriptId);
    if (!field) throw new Error(`no custom field ${scriptId} on ${type}`);
    field.mandatory = mandatory;
    return field;
  }

  // ---------- lookups ----------

  /** Resolves an internal ID or `eid:<externalId>` to an internal ID of that type. */
  resolveId(type: RecordTypeName, raw: string): string | undefined {
    if (raw.startsWith('eid:')) return this.externalIds.get(type)?.get(raw.slice(4));
    return this.recordsOf(type).has(raw) ? raw : undefined;
  }

  get(type: RecordTypeName, idOrEid: string): StoredRecord | undefined {
    const id = this.resolveId(type, idOrEid);
    return id === undefined ? undefined : this.recordsOf(type).get(id);
  }

  item(id: string): StoredRecord | undefined {
    return this.items.get(id);
  }

  /** Resolves an item reference value (`{id}` or `{externalId}`) of any item type; undefined when there is no such item. */
  resolveItem(raw: string): string | undefined {
    for (const t of ITEM_TYPES) {
      const id = this.resolveId(t, raw);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** A transaction of any type (sales order or transformed document) by internal ID. */
  transaction(id: string): StoredRecord | undefined {
    for (const type of TRANSACTION_TYPES) {
      const record = this.recordsOf(type).get(id);
      if (record) return record;
    }
    return undefined;
  }

  /** The documents transformed from a transaction, in creation order. */
  documentsFrom(sourceId: string): StoredRecord[] {
    return (this.documentsBySource.get(sourceId) ?? []).map((id) => this.transaction(id)).filter((r): r is StoredRecord => r !== undefined);
  }

  /** An inventory item's line is shipped by item fulfilments; other items (charges, discounts) are not. */
  needsFulfilment(line: SalesOrderLine): boolean {
    return this.items.get(line.item)?.type === 'inventoryItem';
  }

  progressOf(line: SalesOrderLine): LineProgress {
    return {
      quantity: line.quantity,
      quantityFulfilled: line.quantityFulfilled,
      quantityBilled: line.quantityBilled,
      isClosed: line.isClosed,
      needsFulfilment: this.needsFulfilment(line),
    };
  }

  /** Quantity on hand of an inventory item at a location (0 for anything else). */
  onHandAt(itemId: string, location: string): number {
    const item = this.items.get(itemId);
    return item?.type === 'inventoryItem' ? (item.inventory.get(location)?.onHand ?? 0) : 0;
  }

  /** The 400 a create answers for an external ID its type already has. */
  duplicateExternalId(externalId: string): NsError {
    return badRequest(this.options.duplicateExternalIdErrorCode, `A record with the external ID '${externalId}' already exists.`, 'externalId');
  }

  externalIdTaken(type: RecordTypeName, externalId: string): boolean {
    return this.externalIds.get(type)?.has(externalId) ?? false;
  }

  /** Display name of a referenced record, as REST's `refName`. */
  refName(target: RefTarget, id: string): string | undefined {
    switch (target) {
      case 'customer': {
        const c = this.recordsOf('customer').get(id);
        return c ? String(c.fields.entityId ?? '') : undefined;
      }
      case 'item':
      case 'shipItem': {
        const i = this.items.get(id);
        return i ? String(i.fields.itemId ?? '') : undefined;
      }
      case 'location':
        return this.locations.get(id)?.name;
      case 'subsidiary':
        return this.subsidiaries.get(id)?.name;
      case 'transaction': {
        const t = this.transaction(id);
        return t && isTransactionType(t.type) ? `${TRANSACTION_LABELS[t.type]} #${String(t.fields.tranId ?? t.id)}` : undefined;
      }
      default:
        return undefined;
    }
  }

  // ---------- writes ----------

  /** Creates a record; `prepare` (seeding) may adjust it, e.g. set inventory, before it is mirrored to SuiteQL. */
  create(type: RecordTypeName, body: unknown, ctx: WriteContext, prepare?: (record: StoredRecord) => void): StoredRecord {
    if (isDocumentType(type)) throw createdByTransformOnly(type);
    const normalized = this.normalize(type, body, ctx, true);
    const externalId = normalized.fields.externalId;
    if (typeof externalId === 'string' && this.externalIds.get(type)?.has(externalId)) throw this.duplicateExternalId(externalId);
    this.checkMandatory(type, normalized.fields);
    if (type === 'salesOrder' && (!normalized.lines || normalized.lines.length === 0)) {
      throw badRequest('USER_ERROR', 'You must enter at least one line item for this transaction.', 'item');
    }
    normalized.lines?.forEach((l) => {
      if (l.values.item === undefined) throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${l.index}].item`);
    });
    if (type === 'salesOrder') this.refuseInactiveReferences(normalized);
    const now = new Date().toISOString();
    const id = this.allocateId(type);
    const record: StoredRecord = {
      id,
      type,
      fields: normalized.fields,
      lines: [],
      documentLines: [],
      packages: [],
      inventory: new Map(),
      createdAt: now,
      lastModified: now,
    };
    this.applyDefaults(record);
    if (type === 'salesOrder') {
      record.lines = (normalized.lines ?? []).map((l, i) => this.buildLine(l.values, i + 1));
      if (record.fields.orderStatus === 'H') for (const line of record.lines) line.isClosed = true;
      this.computeTotals(record);
    }
    if (type === 'inventoryItem') {
      for (const location of this.locations.keys()) record.inventory.set(location, { onHand: 0, committed: 0, onOrder: 0, backordered: 0 });
    }
    this.recordsOf(type).set(id, record);
    if (typeof externalId === 'string') this.externalIds.get(type)?.set(externalId, id);
    if (ITEM_TYPES.includes(type) || type === 'shipItem') this.items.set(id, record);
    if (type === 'salesOrder') {
      this.commit(record);
      this.refreshOrderStatus(record);
    }
    prepare?.(record);
    this.mirror(record);
    return record;
  }

  /** A new sales order cannot name an inactive customer or item: NetSuite answers as for an unknown reference. */
  private refuseInactiveReferences(normalized: NormalizedBody): void {
    const entity = normalized.fields.entity;
    if (typeof entity === 'string' && this.recordsOf('customer').get(entity)?.fields.isInactive === true) {
      throw badRequest('INVALID_CONTENT', `Invalid Field Value ${entity} for the following field: entity`, 'entity');
    }
    for (const line of normalized.lines ?? []) {
      const item = line.values.item;
      if (item !== undefined && this.items.get(item)?.fields.isInactive === true) {
        throw badRequest('INVALID_CONTENT', `Invalid Field Value ${item} for the following field: item`, `item.items[${line.index}].item`);
      }
    }
  }

  /**
   * PATCH: changed fields only. Sales-order lines merge by `line` (a line without a known `line` is appended), or with
   * `?replace=item` the sublist is replaced: lines that name an existing `line` keep it (and its progress), the others
   * are new lines numbered after the highest line number the order had, and lines left out are removed. Refused
   * (nothing changes): a quantity below what was fulfilled or billed, a new item on a line something was fulfilled or
   * billed of, removing such a line. Then the order's amounts, commitments and status are recomputed.
   */
  update(type: RecordTypeName, id: string, body: unknown, ctx: UpdateContext): StoredRecord {
    const record = this.recordsOf(type).get(id);
    if (!record) throw notFound();
    const normalized = this.normalize(type, body, ctx, false);
    const externalId = normalized.fields.externalId;
    if (typeof externalId === 'string' && externalId !== record.fields.externalId && this.externalIds.get(type)?.has(externalId)) {
      throw this.duplicateExternalId(externalId);
    }
    const lines = type === 'salesOrder' && normalized.lines ? this.planLines(record, normalized.lines, ctx.replace.has('item')) : undefined;
    if (type === 'salesOrder') this.release(record);
    const oldExternalId = record.fields.externalId;
    Object.assign(record.fields, normalized.fields);
    for (const key of normalized.cleared) delete record.fields[key];
    if (oldExternalId !== record.fields.externalId) {
      if (typeof oldExternalId === 'string') this.externalIds.get(type)?.delete(oldExternalId);
      if (typeof record.fields.externalId === 'string') this.externalIds.get(type)?.set(record.fields.externalId, id);
    }
    if (type === 'salesOrder') {
      if (lines) record.lines = lines;
      if (normalized.fields.orderStatus === 'H') for (const line of record.lines) line.isClosed = true;
      this.computeTotals(record);
      this.commit(record);
      this.refreshOrderStatus(record);
    }
    if (type === 'itemFulfillment' && normalized.fields.shipStatus !== undefined) record.fields.status = normalized.fields.shipStatus;
    record.lastModified = new Date().toISOString();
    this.mirror(record);
    return record;
  }

  /** The sales-order lines a PATCH asks for, as new objects (the order is untouched); throws before any change. */
  private planLines(order: StoredRecord, incoming: NormalizedLine[], replace: boolean): SalesOrderLine[] {
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
        const merged = this.mergeLine(existing, line);
        if (replace) planned.push(merged);
        else planned[planned.indexOf(existing)] = merged;
        continue;
      }
      if (line.values.item === undefined) throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${line.index}].item`);
      planned.push(this.buildLine({ ...line.values, line: undefined }, next++));
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
  private mergeLine(existing: SalesOrderLine, incoming: NormalizedLine): SalesOrderLine {
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
    if (values.amount === undefined && (values.quantity !== undefined || values.rate !== undefined)) merged.amount = round2(merged.quantity * merged.rate);
    if (merged.quantity < existing.quantityFulfilled) {
      throw badRequest(
        'USER_ERROR',
        `You cannot reduce the quantity below the quantity already fulfilled (${existing.quantityFulfilled}).`,
        `${path}.quantity`,
      );
    }
    if (merged.quantity < existing.quantityBilled) {
      throw badRequest('USER_ERROR', `You cannot reduce the quantity below the quantity already billed (${existing.quantityBilled}).`, `${path}.quantity`);
    }
    return merged;
  }

  /** `PUT /<type>/eid:<externalId>`: creates the record with that external ID, or updates it. */
  upsert(type: RecordTypeName, externalId: string, body: unknown, ctx: UpdateContext): { created: boolean; record: StoredRecord } {
    if (!EXTERNAL_ID_PATTERN.test(externalId)) {
      throw badRequest('INVALID_CONTENT', `Invalid external ID '${externalId}': only letters, digits, _ and - are allowed.`, 'externalId');
    }
    if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
    const withId = { ...body, externalId };
    const existing = this.externalIds.get(type)?.get(externalId);
    if (existing !== undefined) return { created: false, record: this.update(type, existing, withId, ctx) };
    return { created: true, record: this.create(type, withId, ctx) };
  }

  /**
   * Deletes a record. Refused with dependent records: a customer with transactions, an item on a transaction line,
   * a sales order or bill with documents transformed from it, a fulfilment whose quantities were billed since.
   * Deleting a fulfilment or bill takes its quantities back off the sales order (a fulfilment's stock returns on hand).
   */
  delete(type: RecordTypeName, id: string): void {
    const record = this.recordsOf(type).get(id);
    if (!record) throw notFound();
    const dependent = (): NsError => badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
    if (type === 'customer') {
      for (const t of TRANSACTION_TYPES) for (const transaction of this.recordsOf(t).values()) if (transaction.fields.entity === id) throw dependent();
    }
    const isItem = ITEM_TYPES.includes(type) || type === 'shipItem';
    if (isItem) {
      for (const order of this.recordsOf('salesOrder').values()) {
        if (order.lines.some((l) => l.item === id) || order.fields.shipMethod === id) throw dependent();
      }
      for (const t of TRANSACTION_TYPES)
        for (const document of this.recordsOf(t).values()) if (document.documentLines.some((l) => l.item === id)) throw dependent();
    }
    if (isTransactionType(type) && this.documentsFrom(id).length > 0) throw dependent();
    if (isDocumentType(type)) this.reverseDocument(record);
    if (type === 'salesOrder') this.release(record);
    this.recordsOf(type).delete(id);
    if (record.source) {
      const siblings = (this.documentsBySource.get(record.source.id) ?? []).filter((d) => d !== id);
      if (siblings.length > 0) this.documentsBySource.set(record.source.id, siblings);
      else this.documentsBySource.delete(record.source.id);
    }
    this.documentsBySource.delete(id);
    if (isItem) this.items.delete(id);
    if (typeof record.fields.externalId === 'string') this.externalIds.get(type)?.delete(record.fields.externalId);
    const table = tableOf(type);
    this.db.write(`DELETE FROM "${table}" WHERE id = ?`, [Number(id)]);
    if (isTransactionType(type)) {
      this.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [Number(id)]);
      // NetSuite keeps a row per deleted record (SuiteQL `deletedrecord`; `type` is the record type, lower-cased).
      this.db.upsertRow('deletedrecord', {
        recordid: Number(id),
        type: type.toLowerCase(),
        name: record.fields.tranId === undefined ? null : String(record.fields.tranId),
        deleteddate: new Date().toISOString(),
        context: 'WEBSERVICES',
      });
    }
    if (isDocumentType(type)) this.unmirrorDocumentLinks(Number(id));
    if (type === 'inventoryItem') this.db.write('DELETE FROM inventoryitemlocations WHERE item = ?', [Number(id)]);
  }

  /** Sets inventory quantities of one item at one location (control API); available is recomputed. */
  setQuantities(itemId: string, location: string, values: Partial<LocationQuantities>): LocationQuantities {
    const item = this.recordsOf('inventoryItem').get(itemId);
    if (!item) throw new Error(`no inventory item ${itemId}`);
    if (!this.locations.has(location)) throw new Error(`no location ${location}`);
    const q = this.quantities(item, location);
    for (const key of ['onHand', 'committed', 'onOrder', 'backordered', 'averageCost'] as const) {
      const v = values[key];
      if (v !== undefined) q[key] = v;
    }
    this.mirrorInventory(item, location);
    return q;
  }

  setAverageCost(item: StoredRecord, cost: number): void {
    item.fields.averageCost = cost;
    this.mirror(item);
  }

  // ---------- the sales-order lifecycle ----------

  /** Recomputes a sales order's status letter from its lines (order-status.ts). */
  refreshOrderStatus(order: StoredRecord): void {
    order.fields.orderStatus = computeOrderStatus(
      order.fields.orderStatus as string | undefined,
      order.lines.map((l) => this.progressOf(l)),
    );
  }

  /** The next document number of a transaction type: its prefix and its own counter from 1001 (SO1001, INV1001, …). */
  private nextTranId(type: TransactionTypeName): string {
    const n = this.nextTranNumbers.get(type) ?? 1001;
    this.nextTranNumbers.set(type, n + 1);
    return `${TRAN_ID_PREFIXES[type]}${n}`;
  }

  /**
   * Stores a transformed document and mirrors it: internal ID (transaction ID space), `tranId`, dates and the link to
   * its source are set here. The transform has validated everything; the effects on the source (fulfilled and billed
   * quantities, stock) are applyFulfilment / applyBilling.
   */
  insertDocument(
    type: DocumentTypeName,
    source: StoredRecord,
    fields: Record<string, unknown>,
    lines: DocumentLine[],
    packages: FulfilmentPackage[] = [],
  ): StoredRecord {
    if (!isTransactionType(source.type)) throw new Error(`${source.type} is not a transaction`);
    const now = new Date().toISOString();
    const id = String(this.nextTransactionId++);
    const record: StoredRecord = {
      id,
      type,
      fields: { ...fields, tranId: this.nextTranId(type), createdFrom: source.id },
      lines: [],
      documentLines: lines,
      packages,
      source: { type: source.type, id: source.id },
      inventory: new Map(),
      createdAt: now,
      lastModified: now,
    };
    this.recordsOf(type).set(id, record);
    if (typeof record.fields.externalId === 'string') this.externalIds.get(type)?.set(record.fields.externalId, id);
    const siblings = this.documentsBySource.get(source.id) ?? [];
    siblings.push(id);
    this.documentsBySource.set(source.id, siblings);
    this.mirror(record);
    return record;
  }

  /**
   * Ships (direction 1) or un-ships (−1, a deleted fulfilment) sales-order lines: quantityFulfilled changes, stock on
   * hand goes down (up) at the location each line shipped from, then commitments and the status are recomputed.
   */
  applyFulfilment(order: StoredRecord, shipped: FulfilledLine[], direction: 1 | -1 = 1): void {
    this.release(order);
    const touched: [StoredRecord, string][] = [];
    for (const s of shipped) {
      const line = order.lines.find((l) => l.line === s.line);
      if (!line) continue;
      line.quantityFulfilled = Math.max(0, line.quantityFulfilled + direction * s.quantity);
      const item = this.items.get(line.item);
      if (item?.type === 'inventoryItem') {
        this.quantities(item, s.location).onHand -= direction * s.quantity;
        touched.push([item, s.location]);
      }
    }
    this.commit(order);
    for (const [item, location] of touched) this.mirrorInventory(item, location);
    this.touchOrder(order);
  }

  /** Bills (direction 1) or un-bills (−1, a deleted bill) sales-order lines; the status is recomputed. */
  applyBilling(order: StoredRecord, billed: { line: number; quantity: number }[], direction: 1 | -1 = 1): void {
    for (const b of billed) {
      const line = order.lines.find((l) => l.line === b.line);
      if (line) line.quantityBilled = Math.max(0, line.quantityBilled + direction * b.quantity);
    }
    this.touchOrder(order);
  }

  private touchOrder(order: StoredRecord): void {
    this.refreshOrderStatus(order);
    order.lastModified = new Date().toISOString();
    this.mirror(order);
  }

  /** Takes a document's effects back off its source before it is deleted; throws (changing nothing) when that is not possible. */
  private reverseDocument(document: StoredRecord): void {
    const source = document.source ? this.transaction(document.source.id) : undefined;
    if (source?.type !== 'salesOrder') return;
    const fromSource = document.documentLines
      .filter((l) => l.orderLine !== undefined)
      .map((l) => ({ line: l.orderLine as number, quantity: l.quantity, location: l.location ?? '1' }));
    if (document.type === 'itemFulfillment') {
      for (const s of fromSource) {
        const line = source.lines.find((l) => l.line === s.line);
        if (line && this.needsFulfilment(line) && line.quantityFulfilled - s.quantity < line.quantityBilled) {
          throw badRequest(
            'USER_ERROR',
            `This record cannot be deleted because it has dependent records: line ${line.line} of ${String(source.fields.tranId)} has been billed.`,
          );
        }
      }
      this.applyFulfilment(source, fromSource, -1);
    } else if (isBillType(document.type)) {
      this.applyBilling(source, fromSource, -1);
    }
  }

  // ---------- internals ----------

  private allocateId(type: RecordTypeName): string {
    if (type === 'customer') return String(this.nextCustomerId++);
    if (isTransactionType(type)) return String(this.nextTransactionId++);
    return String(this.nextItemId++);
  }

  private applyDefaults(record: StoredRecord): void {
    const f = record.fields;
    if (record.type === 'customer') {
      if (f.isPerson === undefined) f.isPerson = !f.companyName && (f.firstName !== undefined || f.lastName !== undefined);
      if (f.entityId === undefined)
        f.entityId = (f.companyName as string | undefined) || `${String(f.firstName ?? '')} ${String(f.lastName ?? '')}`.trim() || `CUST${record.id}`;
      if (f.subsidiary === undefined) f.subsidiary = '1';
    } else if (record.type === 'salesOrder') {
      if (f.tranId === undefined) f.tranId = this.nextTranId('salesOrder');
      if (f.tranDate === undefined) f.tranDate = today();
      if (f.orderStatus === undefined) f.orderStatus = 'B';
      if (f.subsidiary === undefined) f.subsidiary = '1';
    } else {
      if (f.isInactive === undefined) f.isInactive = false;
      if (f.displayName === undefined) f.displayName = f.itemId;
    }
  }

  private checkMandatory(type: RecordTypeName, fields: Record<string, unknown>): void {
    const empty = (v: unknown): boolean => v === undefined || v === null || v === '';
    if (type === 'salesOrder' && empty(fields.entity)) throw badRequest('USER_ERROR', 'Please enter value(s) for: Customer', 'entity');
    if (type === 'customer' && empty(fields.companyName) && (empty(fields.firstName) || empty(fields.lastName))) {
      throw badRequest(
        'USER_ERROR',
        fields.isPerson === true ? 'Please enter value(s) for: First Name, Last Name' : 'Please enter value(s) for: Company Name',
        fields.isPerson === true ? 'firstName' : 'companyName',
      );
    }
    if ((ITEM_TYPES.includes(type) || type === 'shipItem') && empty(fields.itemId))
      throw badRequest('USER_ERROR', 'Please enter value(s) for: Item Name/Number', 'itemId');
    for (const field of this.customFieldsOf(type).values()) {
      if (field.mandatory && (empty(fields[field.scriptId]) || (field.type === 'checkbox' && fields[field.scriptId] !== true))) {
        throw badRequest('USER_ERROR', `Please enter value(s) for: ${field.label}`, field.scriptId);
      }
    }
  }

  /** Validates a request body: unknown properties (per PropertyNameValidation), value types, references, external ID. */
  private normalize(type: RecordTypeName, body: unknown, ctx: WriteContext, creating: boolean): NormalizedBody {
    if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
    const standard = new Map(STANDARD_FIELDS[type].map((s) => [s.name, s]));
    const custom = this.customFieldsOf(type);
    const out: NormalizedBody = { fields: {}, cleared: [] };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'links' || key === 'id' || key === 'refName') continue;
      const def = standard.get(key);
      const customDef = def ? undefined : custom.get(key);
      if (!def && !customDef) {
        this.unknownProperty(key, type, ctx);
        continue;
      }
      if (def?.readOnly) continue;
      if (value === null) {
        if (!creating) out.cleared.push(key);
        continue;
      }
      if (customDef) {
        out.fields[key] = coerceCustom(customDef, value);
        continue;
      }
      const field = def as StandardField;
      if (field.kind === 'sublist') {
        out.lines = this.normalizeLines(value, ctx);
        continue;
      }
      if (key === 'orderStatus' || key === 'shipStatus') {
        const code = isObject(value) ? value.id : value;
        const known = key === 'orderStatus' ? ORDER_STATUSES : SHIP_STATUSES;
        if (typeof code !== 'string' || !Object.hasOwn(known, code))
          throw badRequest('INVALID_CONTENT', `Invalid Field Value ${JSON.stringify(code)} for the following field: ${key}`, key);
        out.fields[key] = code;
        continue;
      }
      out.fields[key] = this.normalizeValue(field, value, key);
    }
    const externalId = out.fields.externalId;
    if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID_PATTERN.test(externalId))) {
      throw badRequest('INVALID_CONTENT', `Invalid external ID ${JSON.stringify(externalId)}: only letters, digits, _ and - are allowed.`, 'externalId');
    }
    return out;
  }

  private unknownProperty(path: string, type: RecordTypeName, ctx: WriteContext): void {
    if (ctx.validation === 'Error') {
      throw badRequest(
        'NONEXISTENT_FIELD',
        `Error while accessing a resource. Field '${path.split('.').pop() ?? path}' does not exist on record type ${type}.`,
        path,
      );
    }
  }

  private normalizeValue(field: StandardField, value: unknown, path: string): unknown {
    switch (field.kind) {
      case 'string':
      case 'date':
      case 'datetime':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected a string.`, path);
      case 'number':
      case 'integer': {
        const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (!Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n))) {
          throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected a number, got ${JSON.stringify(value)}.`, path);
        }
        return n;
      }
      case 'boolean':
        if (typeof value === 'boolean') return value;
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected true or false.`, path);
      case 'object':
        return value;
      case 'ref':
        return this.resolveRef(field, value, path);
      default:
        return value;
    }
  }

  private resolveRef(field: StandardField, value: unknown, path: string): string {
    if (!isObject(value) || (value.id === undefined && value.externalId === undefined)) {
      throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: a reference must be an object with an id, e.g. {"id": "1"}.`, path);
    }
    const raw = value.id !== undefined ? String(value.id) : `eid:${String(value.externalId)}`;
    const target = field.ref ?? 'none';
    if (target === 'none') return raw;
    let id: string | undefined;
    if (target === 'customer') id = this.resolveId('customer', raw);
    else if (target === 'location') id = this.locations.has(raw) ? raw : undefined;
    else if (target === 'subsidiary') id = this.subsidiaries.has(raw) ? raw : undefined;
    else if (target === 'shipItem') id = this.resolveId('shipItem', raw);
    else if (target === 'item') {
      for (const t of ITEM_TYPES) {
        id = this.resolveId(t, raw);
        if (id !== undefined) break;
      }
    }
    if (id === undefined) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${raw} for the following field: ${field.name}`, path);
    return id;
  }

  private normalizeLines(value: unknown, ctx: WriteContext): NormalizedLine[] {
    if (!isObject(value) || !Array.isArray(value.items)) {
      throw badRequest('INVALID_CONTENT', 'The item sublist must be an object with an "items" array.', 'item');
    }
    const defs = new Map([...SALES_ORDER_LINE_FIELDS, ...SALES_ORDER_PROGRESS_LINE_FIELDS].map((s) => [s.name, s]));
    return value.items
      .map((line: unknown, index: number): NormalizedLine => {
        const base = `item.items[${index}]`;
        if (!isObject(line)) throw badRequest('INVALID_CONTENT', 'Each line of the item sublist must be an object.', base);
        const values: Partial<SalesOrderLine> = {};
        for (const [key, raw] of Object.entries(line)) {
          if (key === 'links') continue;
          const def = defs.get(key);
          if (!def) {
            this.unknownProperty(`${base}.${key}`, 'salesOrder', ctx);
            continue;
          }
          if (def.readOnly || raw === null) continue;
          const path = `${base}.${key}`;
          if (key === 'taxCode') {
            if (this.options.legacyTaxCode === 'reject') {
              throw badRequest(
                'USER_ERROR',
                'Legacy tax is not supported by REST web services: a line taxCode requires SuiteTax. Remove taxCode from the line.',
                path,
              );
            }
            continue;
          }
          const v = this.normalizeValue(def, raw, path);
          switch (key) {
            case 'line':
              values.line = v as number;
              break;
            case 'item':
              values.item = v as string;
              break;
            case 'quantity':
              values.quantity = v as number;
              break;
            case 'rate':
              values.rate = v as number;
              break;
            case 'amount':
              values.amount = v as number;
              break;
            case 'description':
              values.description = v as string;
              break;
            case 'location':
              values.location = v as string;
              break;
            case 'price':
              values.price = v as string;
              break;
            case 'isClosed':
              values.isClosed = v as boolean;
              break;
          }
        }
        return { index, values, hasLine: values.line !== undefined };
      })
      .map((l) => {
        if (l.values.item === undefined && !l.hasLine) {
          throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${l.index}].item`);
        }
        return l;
      });
  }

  /** Line amount = `amount` if given, else quantity × rate; rate defaults to the item's base price / rate. */
  private buildLine(values: Partial<SalesOrderLine>, line: number): SalesOrderLine {
    const item = values.item !== undefined ? this.items.get(values.item) : undefined;
    const quantity = values.quantity ?? 1;
    const itemRate = Number(item?.fields.basePrice ?? item?.fields.rate ?? 0);
    const rate = values.rate ?? (values.amount !== undefined && quantity !== 0 ? round2(values.amount / quantity) : Number.isFinite(itemRate) ? itemRate : 0);
    const built: SalesOrderLine = {
      line,
      item: values.item ?? '',
      quantity,
      rate,
      amount: values.amount ?? round2(quantity * rate),
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
  private computeTotals(order: StoredRecord): void {
    const subtotal = round2(order.lines.reduce((sum, l) => sum + l.amount, 0));
    const rateRaw = order.fields.discountRate;
    let discount = 0;
    if (typeof rateRaw === 'string' && rateRaw.trim().endsWith('%')) discount = round2((subtotal * Number(rateRaw.trim().slice(0, -1))) / 100);
    else if (rateRaw !== undefined && Number.isFinite(Number(rateRaw))) discount = Number(rateRaw);
    const shipping = typeof order.fields.shippingCost === 'number' ? order.fields.shippingCost : 0;
    order.fields.subtotal = subtotal;
    order.fields.discountTotal = Number.isFinite(discount) ? discount : 0;
    order.fields.total = round2(subtotal + (Number.isFinite(discount) ? discount : 0) + shipping);
  }

  private quantities(item: StoredRecord, location: string): LocationQuantities {
    let q = item.inventory.get(location);
    if (!q) {
      q = { onHand: 0, committed: 0, onOrder: 0, backordered: 0 };
      item.inventory.set(location, q);
    }
    return q;
  }

  /**
   * Commits inventory for the unfulfilled quantity of open InvtPart lines at the line location, else the order
   * location, else location 1: committed += min(unfulfilled, available), the rest backordered.
   */
  private commit(order: StoredRecord): void {
    const touched = new Map<StoredRecord, Set<string>>();
    // H Closed follows from the lines (every line closed); only C Cancelled is set on its own.
    const closed = order.fields.orderStatus === 'C';
    for (const line of order.lines) {
      const item = this.items.get(line.item);
      line.quantityCommitted = 0;
      line.quantityBackOrdered = 0;
      delete line.commitLocation;
      const unfulfilled = line.quantity - line.quantityFulfilled;
      if (!item || item.type !== 'inventoryItem' || line.isClosed || closed || unfulfilled <= 0) continue;
      const location = line.location ?? (order.fields.location as string | undefined) ?? '1';
      const q = this.quantities(item, location);
      const available = Math.max(0, q.onHand - q.committed);
      const committed = Math.min(unfulfilled, available);
      q.committed += committed;
      q.backordered += unfulfilled - committed;
      line.quantityCommitted = committed;
      line.quantityBackOrdered = unfulfilled - committed;
      line.commitLocation = location;
      const set = touched.get(item) ?? new Set<string>();
      set.add(location);
      touched.set(item, set);
    }
    for (const [item, locations] of touched) for (const location of locations) this.mirrorInventory(item, location);
  }

  private release(order: StoredRecord): void {
    for (const line of order.lines) {
      const item = this.items.get(line.item);
      if (!item || line.commitLocation === undefined) continue;
      const q = this.quantities(item, line.commitLocation);
      q.committed = Math.max(0, q.committed - line.quantityCommitted);
      q.backordered = Math.max(0, q.backordered - line.quantityBackOrdered);
      this.mirrorInventory(item, line.commitLocation);
      line.quantityCommitted = 0;
      line.quantityBackOrdered = 0;
      delete line.commitLocation;
    }
  }

  // ---------- SuiteQL mirror ----------

  private customColumns(record: StoredRecord): Record<string, SqlValue> {
    const row: Record<string, SqlValue> = {};
    for (const field of this.customFieldsOf(record.type).values()) {
      const v = record.fields[field.scriptId];
      row[field.scriptId] = v === undefined ? null : field.type === 'checkbox' ? tf(v) : typeof v === 'number' ? v : String(v);
    }
    return row;
  }

  mirror(record: StoredRecord): void {
    const f = record.fields;
    const str = (v: unknown): SqlValue => (v === undefined || v === null ? null : String(v));
    const num = (v: unknown): SqlValue => (v === undefined || v === null || v === '' ? null : Number(v));
    switch (record.type) {
      case 'customer':
        this.db.upsertRow('customer', {
          id: Number(record.id),
          entityid: str(f.entityId),
          email: str(f.email),
          externalid: str(f.externalId),
          datecreated: record.createdAt,
          lastmodifieddate: record.lastModified,
          companyname: str(f.companyName),
          firstname: str(f.firstName),
          lastname: str(f.lastName),
          isperson: tf(f.isPerson),
          isinactive: tf(f.isInactive),
          phone: str(f.phone),
          subsidiary: num(f.subsidiary),
          ...this.customColumns(record),
        });
        return;
      case 'salesOrder': {
        const id = Number(record.id);
        this.db.upsertRow('transaction', {
          id,
          tranid: str(f.tranId),
          type: TRANSACTION_TYPE_CODES.salesOrder,
          externalid: str(f.externalId),
          status: str(f.orderStatus),
          foreigntotal: num(f.total),
          entity: num(f.entity),
          trandate: str(f.tranDate),
          createddate: record.createdAt,
          lastmodifieddate: record.lastModified,
          location: num(f.location),
          subsidiary: num(f.subsidiary),
          memo: str(f.memo),
          otherrefnum: str(f.otherRefNum),
          shipmethod: num(f.shipMethod),
          shippingcost: num(f.shippingCost),
          email: str(f.email),
          ...this.customColumns(record),
        });
        this.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [id]);
        for (const line of record.lines) {
          this.db.upsertRow('transactionline', {
            transaction: id,
            linesequencenumber: line.line,
            id: line.line,
            item: Number(line.item),
            quantity: line.quantity,
            rate: line.rate,
            foreignamount: line.amount,
            location: num(line.location ?? line.commitLocation),
            memo: str(line.description),
            mainline: 'F',
            taxline: 'F',
            isclosed: tf(line.isClosed),
            quantitycommitted: line.quantityCommitted,
            quantitybackordered: line.quantityBackOrdered,
            quantityshiprecv: line.quantityFulfilled,
            quantitybilled: line.quantityBilled,
            createdfrom: null,
          });
        }
        return;
      }
      case 'itemFulfillment':
      case 'invoice':
      case 'cashSale':
      case 'creditMemo':
      case 'cashRefund':
        this.mirrorDocument(record, record.type);
        return;
      case 'shipItem':
        this.db.upsertRow('shipitem', {
          id: Number(record.id),
          itemid: str(f.itemId),
          displayname: str(f.displayName),
          externalid: str(f.externalId),
          isinactive: tf(f.isInactive),
          description: str(f.description),
        });
        return;
      default: {
        this.db.upsertRow('item', {
          id: Number(record.id),
          itemid: str(f.itemId),
          displayname: str(f.displayName),
          externalid: str(f.externalId),
          isinactive: tf(f.isInactive),
          itemtype: ITEM_TYPE_CODES[record.type] ?? null,
          description: str(f.description),
          baseprice: num(f.basePrice ?? f.rate),
          averagecost: num(f.averageCost),
          createddate: record.createdAt,
          lastmodifieddate: record.lastModified,
          ...(record.type === 'inventoryItem' ? this.customColumns(record) : {}),
        });
        if (record.type === 'inventoryItem') for (const location of record.inventory.keys()) this.mirrorInventory(record, location);
      }
    }
  }

  /**
   * A transformed document in SuiteQL: its `transaction` row, one `transactionline` per item line (`createdfrom` =
   * the source transaction), a `previoustransactionlinelink` per line that came from a source line, and a fulfilment's
   * packages in `itemfulfillmentpackage` (plus `transaction.trackingnumbers`, space-separated).
   */
  private mirrorDocument(record: StoredRecord, type: DocumentTypeName): void {
    const f = record.fields;
    const id = Number(record.id);
    const str = (v: unknown): SqlValue => (v === undefined || v === null ? null : String(v));
    const num = (v: unknown): SqlValue => (v === undefined || v === null || v === '' ? null : Number(v));
    const source = record.source;
    const sourceId = source ? Number(source.id) : null;
    const tracking = record.packages.map((p) => p.packageTrackingNumber).join(' ');
    this.db.upsertRow('transaction', {
      id,
      tranid: str(f.tranId),
      type: TRANSACTION_TYPE_CODES[type],
      externalid: str(f.externalId),
      status: str(f.status),
      foreigntotal: num(f.total),
      entity: num(f.entity),
      trandate: str(f.tranDate),
      createddate: record.createdAt,
      lastmodifieddate: record.lastModified,
      subsidiary: num(f.subsidiary),
      memo: str(f.memo),
      shippingcost: num(f.shippingCost),
      shipstatus: type === 'itemFulfillment' ? str(f.shipStatus) : null,
      trackingnumbers: tracking === '' ? null : tracking,
      shipmethod: num(f.shipMethod),
    });
    this.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [id]);
    this.unmirrorDocumentLinks(id);
    for (const line of record.documentLines) {
      this.db.upsertRow('transactionline', {
        transaction: id,
        linesequencenumber: line.line,
        id: line.line,
        item: Number(line.item),
        quantity: line.quantity,
        rate: line.rate,
        foreignamount: line.amount,
        location: num(line.location),
        memo: str(line.description),
        mainline: 'F',
        taxline: 'F',
        isclosed: 'F',
        createdfrom: sourceId,
      });
      if (source && line.orderLine !== undefined) {
        this.db.upsertRow('previoustransactionlinelink', {
          previousdoc: Number(source.id),
          previousline: line.orderLine,
          previoustype: TRANSACTION_TYPE_CODES[source.type],
          nextdoc: id,
          nextline: line.line,
          nexttype: TRANSACTION_TYPE_CODES[type],
          foreignamount: line.amount,
          quantity: line.quantity,
        });
      }
    }
    record.packages.forEach((p, i) => {
      this.db.upsertRow('itemfulfillmentpackage', {
        itemfulfillment: id,
        id: i + 1,
        packagetrackingnumber: p.packageTrackingNumber,
        packagedescr: str(p.packageDescr),
        packageweight: num(p.packageWeight),
      });
    });
  }

  private unmirrorDocumentLinks(id: number): void {
    this.db.write('DELETE FROM previoustransactionlinelink WHERE nextdoc = ?', [id]);
    this.db.write('DELETE FROM itemfulfillmentpackage WHERE itemfulfillment = ?', [id]);
  }

  mirrorInventory(item: StoredRecord, location: string): void {
    const q = this.quantities(item, location);
    const averageCost = q.averageCost ?? Number(item.fields.averageCost ?? 0);
    this.db.upsertRow('inventoryitemlocations', {
      item: Number(item.id),
      location: Number(location),
      quantityonhand: q.onHand,
      quantityavailable: Math.max(0, q.onHand - q.committed),
      quantitycommitted: q.committed,
      quantityonorder: q.onOrder,
      quantitybackordered: q.backordered,
      averagecostmli: averageCost,
      onhandvaluemli: round2(q.onHand * averageCost),
    });
  }
}

export function tableOf(type: RecordTypeName): string {
  return type === 'customer' ? 'customer' : isTransactionType(type) ? 'transaction' : type === 'shipItem' ? 'shipitem' : 'item';
}

/** The 400 a plain create of a transformed-document type answers: it needs a source. */
export function createdByTransformOnly(type: DocumentTypeName): NsError {
  const sources = Object.entries(ALLOWED_TRANSFORMS)
    .filter(([, targets]) => targets?.includes(type))
    .map(([source]) => source);
  const from = sources[0] ?? 'salesOrder';
  return badRequest(
    'INVALID_PARAMETER',
    `${withArticle(type)} cannot be created on its own: transform its source instead (POST /services/rest/record/v1/${from}/{id}/!transform/${type}).`,
  );
}

/** "N of it has been fulfilled and M billed": why a sales-order line can no longer be removed or change item. */
function progressText(line: SalesOrderLine): string {
  const parts: string[] = [];
  if (line.quantityFulfilled > 0) parts.push(`${line.quantityFulfilled} has been fulfilled`);
  if (line.quantityBilled > 0) parts.push(`${line.quantityBilled} has been billed`);
  return parts.join(' and ');
}

export function notFound(): NsError {
  return new NsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');
}

function coerceCustom(field: CustomField, value: unknown): unknown {
  switch (field.type) {
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) {
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected a number, got ${JSON.stringify(value)}.`, field.scriptId);
      }
      return n;
    }
    case 'checkbox':
      if (typeof value !== 'boolean')
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected true or false.`, field.scriptId);
      return value;
    default:
      if (typeof value === 'object') throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected text.`, field.scriptId);
      return String(value);
  }
}
