/**
 * A transformed document stored (its internal ID, `tranId`, dates and the link to its source) and its effects on the
 * sales order it came from: fulfilled quantities and stock on hand, billed quantities, the status. Deleting a
 * document takes them back (refused when a fulfilment's quantities were billed since).
 */
import { isBillType, type DocumentLine, type FulfilmentPackage } from './documents';
import { badRequest } from './errors';
import { commitInventory, mirrorInventory, quantities, releaseInventory } from './inventory';
import { isTransactionType, type DocumentTypeName } from './schema';
import type { RecordStore } from './store';
import type { FulfilledLine, StoredRecord } from './stored-record';
import { mirror } from './suiteql-mirror';

/**
 * Stores a transformed document and mirrors it: internal ID (transaction ID space), `tranId`, dates and the link to
 * its source are set here. The transform has validated everything; the effects on the source (fulfilled and billed
 * quantities, stock) are applyFulfilment / applyBilling.
 */
export function insertDocument(
  store: RecordStore,
  type: DocumentTypeName,
  source: StoredRecord,
  fields: Record<string, unknown>,
  lines: DocumentLine[],
  packages: FulfilmentPackage[] = [],
): StoredRecord {
  if (!isTransactionType(source.type)) throw new Error(`${source.type} is not a transaction`);
  const now = new Date().toISOString();
  const id = store.ids.allocate(type);
  const record: StoredRecord = {
    id,
    type,
    fields: { ...fields, tranId: store.ids.nextTranId(type), createdFrom: source.id },
    lines: [],
    documentLines: lines,
    packages,
    source: { type: source.type, id: source.id },
    inventory: new Map(),
    createdAt: now,
    lastModified: now,
  };
  store.recordsOf(type).set(id, record);
  if (typeof record.fields.externalId === 'string') store.externalIds.get(type)?.set(record.fields.externalId, id);
  const siblings = store.documentsBySource.get(source.id) ?? [];
  siblings.push(id);
  store.documentsBySource.set(source.id, siblings);
  mirror(store, record);
  return record;
}

/**
 * Ships (direction 1) or un-ships (−1, a deleted fulfilment) sales-order lines: quantityFulfilled changes, stock on
 * hand goes down (up) at the location each line shipped from, then commitments and the status are recomputed.
 */
export function applyFulfilment(store: RecordStore, order: StoredRecord, shipped: FulfilledLine[], direction: 1 | -1 = 1): void {
  releaseInventory(store, order);
  const touched: [StoredRecord, string][] = [];
  for (const s of shipped) {
    const line = order.lines.find((l) => l.line === s.line);
    if (!line) continue;
    line.quantityFulfilled = Math.max(0, line.quantityFulfilled + direction * s.quantity);
    const item = store.items.get(line.item);
    if (item?.type === 'inventoryItem') {
      quantities(item, s.location).onHand -= direction * s.quantity;
      touched.push([item, s.location]);
    }
  }
  commitInventory(store, order);
  for (const [item, location] of touched) mirrorInventory(store, item, location);
  touchOrder(store, order);
}

/** Bills (direction 1) or un-bills (−1, a deleted bill) sales-order lines; the status is recomputed. */
export function applyBilling(store: RecordStore, order: StoredRecord, billed: { line: number; quantity: number }[], direction: 1 | -1 = 1): void {
  for (const b of billed) {
    const line = order.lines.find((l) => l.line === b.line);
    if (line) line.quantityBilled = Math.max(0, line.quantityBilled + direction * b.quantity);
  }
  touchOrder(store, order);
}

function touchOrder(store: RecordStore, order: StoredRecord): void {
  store.refreshOrderStatus(order);
  order.lastModified = new Date().toISOString();
  mirror(store, order);
}

/** Takes a document's effects back off its source before it is deleted; throws (changing nothing) when that is not possible. */
export function reverseDocument(store: RecordStore, document: StoredRecord): void {
  const source = document.source ? store.transaction(document.source.id) : undefined;
  if (source?.type !== 'salesOrder') return;
  const fromSource = document.documentLines
    .filter((l) => l.orderLine !== undefined)
    .map((l) => ({ line: l.orderLine as number, quantity: l.quantity, location: l.location ?? '1' }));
  if (document.type === 'itemFulfillment') {
    for (const s of fromSource) {
      const line = source.lines.find((l) => l.line === s.line);
      if (line && store.needsFulfilment(line) && line.quantityFulfilled - s.quantity < line.quantityBilled) {
        throw badRequest(
          'USER_ERROR',
          `This record cannot be deleted because it has dependent records: line ${line.line} of ${String(source.fields.tranId)} has been billed.`,
        );
      }
    }
    applyFulfilment(store, source, fromSource, -1);
  } else if (isBillType(document.type)) {
    applyBilling(store, source, fromSource, -1);
  }
}
