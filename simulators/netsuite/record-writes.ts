/**
 * Record writes: create, PATCH, PUT by external ID and delete. The body is validated before anything changes
 * (record-bodies.ts); a sales order's lines, totals, inventory commitments and status are then recomputed, and the
 * record is mirrored into SuiteQL at once (suiteql-mirror.ts).
 */
import { createdByTransformOnly } from './documents';
import { NsError, badRequest, notFound } from './errors';
import { reverseDocument } from './document-effects';
import { commitInventory, releaseInventory } from './inventory';
import { checkMandatory, EXTERNAL_ID_PATTERN, isObject, normalizeBody, refuseInactiveReferences } from './record-bodies';
import { buildLine, computeTotals, planLines } from './sales-order-lines';
import { isDocumentType, isTransactionType, ITEM_TYPES, TRANSACTION_TYPES, type RecordTypeName } from './schema';
import type { RecordStore } from './store';
import type { StoredRecord, UpdateContext, WriteContext } from './stored-record';
import { mirror, unmirror } from './suiteql-mirror';

const today = (): string => new Date().toISOString().slice(0, 10);

/** Creates a record; `prepare` (seeding) may adjust it, e.g. set inventory, before it is mirrored to SuiteQL. */
export function createRecord(
  store: RecordStore,
  type: RecordTypeName,
  body: unknown,
  ctx: WriteContext,
  prepare?: (record: StoredRecord) => void,
): StoredRecord {
  if (isDocumentType(type)) throw createdByTransformOnly(type);
  const normalized = normalizeBody(store, type, body, ctx, true);
  const externalId = normalized.fields.externalId;
  if (typeof externalId === 'string' && store.externalIds.get(type)?.has(externalId)) throw store.duplicateExternalId(externalId);
  checkMandatory(store, type, normalized.fields);
  if (type === 'salesOrder' && (!normalized.lines || normalized.lines.length === 0)) {
    throw badRequest('USER_ERROR', 'You must enter at least one line item for this transaction.', 'item');
  }
  normalized.lines?.forEach((l) => {
    if (l.values.item === undefined) throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${l.index}].item`);
  });
  if (type === 'salesOrder') refuseInactiveReferences(store, normalized);
  const now = new Date().toISOString();
  const id = store.ids.allocate(type);
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
  applyDefaults(store, record);
  if (type === 'salesOrder') {
    record.lines = (normalized.lines ?? []).map((l, i) => buildLine(store, l.values, i + 1));
    if (record.fields.orderStatus === 'H') for (const line of record.lines) line.isClosed = true;
    computeTotals(record);
  }
  if (type === 'inventoryItem') {
    for (const location of store.locations.keys()) record.inventory.set(location, { onHand: 0, committed: 0, onOrder: 0, backordered: 0 });
  }
  store.recordsOf(type).set(id, record);
  if (typeof externalId === 'string') store.externalIds.get(type)?.set(externalId, id);
  if (ITEM_TYPES.includes(type) || type === 'shipItem') store.items.set(id, record);
  if (type === 'salesOrder') {
    commitInventory(store, record);
    store.refreshOrderStatus(record);
  }
  prepare?.(record);
  mirror(store, record);
  return record;
}

/**
 * PATCH: changed fields only. Sales-order lines merge by `line` (a line without a known `line` is appended), or with
 * `?replace=item` the sublist is replaced: lines that name an existing `line` keep it (and its progress), the others
 * are new lines numbered after the highest line number the order had, and lines left out are removed. Refused
 * (nothing changes): a quantity below what was fulfilled or billed, a new item on a line something was fulfilled or
 * billed of, removing such a line. Then the order's amounts, commitments and status are recomputed.
 */
export function updateRecord(store: RecordStore, type: RecordTypeName, id: string, body: unknown, ctx: UpdateContext): StoredRecord {
  const record = store.recordsOf(type).get(id);
  if (!record) throw notFound();
  const normalized = normalizeBody(store, type, body, ctx, false);
  const externalId = normalized.fields.externalId;
  if (typeof externalId === 'string' && externalId !== record.fields.externalId && store.externalIds.get(type)?.has(externalId)) {
    throw store.duplicateExternalId(externalId);
  }
  const lines = type === 'salesOrder' && normalized.lines ? planLines(store, record, normalized.lines, ctx.replace.has('item')) : undefined;
  if (type === 'salesOrder') releaseInventory(store, record);
  const oldExternalId = record.fields.externalId;
  Object.assign(record.fields, normalized.fields);
  for (const key of normalized.cleared) delete record.fields[key];
  if (oldExternalId !== record.fields.externalId) {
    if (typeof oldExternalId === 'string') store.externalIds.get(type)?.delete(oldExternalId);
    if (typeof record.fields.externalId === 'string') store.externalIds.get(type)?.set(record.fields.externalId, id);
  }
  if (type === 'salesOrder') {
    if (lines) record.lines = lines;
    if (normalized.fields.orderStatus === 'H') for (const line of record.lines) line.isClosed = true;
    computeTotals(record);
    commitInventory(store, record);
    store.refreshOrderStatus(record);
  }
  if (type === 'itemFulfillment' && normalized.fields.shipStatus !== undefined) record.fields.status = normalized.fields.shipStatus;
  record.lastModified = new Date().toISOString();
  mirror(store, record);
  return record;
}

/** `PUT /<type>/eid:<externalId>`: creates the record with that external ID, or updates it. */
export function upsertRecord(
  store: RecordStore,
  type: RecordTypeName,
  externalId: string,
  body: unknown,
  ctx: UpdateContext,
): { created: boolean; record: StoredRecord } {
  if (!EXTERNAL_ID_PATTERN.test(externalId)) {
    throw badRequest('INVALID_CONTENT', `Invalid external ID '${externalId}': only letters, digits, _ and - are allowed.`, 'externalId');
  }
  if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
  const withId = { ...body, externalId };
  const existing = store.externalIds.get(type)?.get(externalId);
  if (existing !== undefined) return { created: false, record: updateRecord(store, type, existing, withId, ctx) };
  return { created: true, record: createRecord(store, type, withId, ctx) };
}

/**
 * Deletes a record. Refused with dependent records: a customer with transactions, an item on a transaction line,
 * a sales order or bill with documents transformed from it, a fulfilment whose quantities were billed since.
 * Deleting a fulfilment or bill takes its quantities back off the sales order (a fulfilment's stock returns on hand).
 */
export function deleteRecord(store: RecordStore, type: RecordTypeName, id: string): void {
  const record = store.recordsOf(type).get(id);
  if (!record) throw notFound();
  const dependent = (): NsError => badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
  if (type === 'customer') {
    for (const t of TRANSACTION_TYPES) for (const transaction of store.recordsOf(t).values()) if (transaction.fields.entity === id) throw dependent();
  }
  const isItem = ITEM_TYPES.includes(type) || type === 'shipItem';
  if (isItem) {
    for (const order of store.recordsOf('salesOrder').values()) {
      if (order.lines.some((l) => l.item === id) || order.fields.shipMethod === id) throw dependent();
    }
    for (const t of TRANSACTION_TYPES)
      for (const document of store.recordsOf(t).values()) if (document.documentLines.some((l) => l.item === id)) throw dependent();
  }
  if (isTransactionType(type) && store.documentsFrom(id).length > 0) throw dependent();
  if (isDocumentType(type)) reverseDocument(store, record);
  if (type === 'salesOrder') releaseInventory(store, record);
  store.recordsOf(type).delete(id);
  if (record.source) {
    const siblings = (store.documentsBySource.get(record.source.id) ?? []).filter((d) => d !== id);
    if (siblings.length > 0) store.documentsBySource.set(record.source.id, siblings);
    else store.documentsBySource.delete(record.source.id);
  }
  store.documentsBySource.delete(id);
  if (isItem) store.items.delete(id);
  if (typeof record.fields.externalId === 'string') store.externalIds.get(type)?.delete(record.fields.externalId);
  unmirror(store, record);
}

function applyDefaults(store: RecordStore, record: StoredRecord): void {
  const f = record.fields;
  if (record.type === 'customer') {
    if (f.isPerson === undefined) f.isPerson = !f.companyName && (f.firstName !== undefined || f.lastName !== undefined);
    if (f.entityId === undefined)
      f.entityId = (f.companyName as string | undefined) || `${String(f.firstName ?? '')} ${String(f.lastName ?? '')}`.trim() || `CUST${record.id}`;
    if (f.subsidiary === undefined) f.subsidiary = '1';
  } else if (record.type === 'salesOrder') {
    if (f.tranId === undefined) f.tranId = store.ids.nextTranId('salesOrder');
    if (f.tranDate === undefined) f.tranDate = today();
    if (f.orderStatus === undefined) f.orderStatus = 'B';
    if (f.subsidiary === undefined) f.subsidiary = '1';
  } else {
    if (f.isInactive === undefined) f.isInactive = false;
    if (f.displayName === undefined) f.displayName = f.itemId;
  }
}
