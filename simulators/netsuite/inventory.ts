/**
 * Inventory quantities per item and location: set by the control API, committed by the open lines of a sales order
 * and released before the order changes, mirrored into SuiteQL `inventoryitemlocations`.
 */
import { roundCents } from './documents';
import type { RecordStore } from './store';
import type { LocationQuantities, StoredRecord } from './stored-record';

/** Sets inventory quantities of one item at one location (control API); available is recomputed. */
export function setQuantities(store: RecordStore, itemId: string, location: string, values: Partial<LocationQuantities>): LocationQuantities {
  const item = store.recordsOf('inventoryItem').get(itemId);
  if (!item) throw new Error(`no inventory item ${itemId}`);
  if (!store.locations.has(location)) throw new Error(`no location ${location}`);
  const q = quantities(item, location);
  for (const key of ['onHand', 'committed', 'onOrder', 'backordered', 'averageCost'] as const) {
    const v = values[key];
    if (v !== undefined) q[key] = v;
  }
  mirrorInventory(store, item, location);
  return q;
}

/** An item's quantities at a location, created (all 0) when the item has none there yet. */
export function quantities(item: StoredRecord, location: string): LocationQuantities {
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
export function commitInventory(store: RecordStore, order: StoredRecord): void {
  const touched = new Map<StoredRecord, Set<string>>();
  // H Closed follows from the lines (every line closed); only C Cancelled is set on its own.
  const closed = order.fields.orderStatus === 'C';
  for (const line of order.lines) {
    const item = store.items.get(line.item);
    line.quantityCommitted = 0;
    line.quantityBackOrdered = 0;
    delete line.commitLocation;
    const unfulfilled = line.quantity - line.quantityFulfilled;
    if (!item || item.type !== 'inventoryItem' || line.isClosed || closed || unfulfilled <= 0) continue;
    const location = line.location ?? (order.fields.location as string | undefined) ?? '1';
    const q = quantities(item, location);
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
  for (const [item, locations] of touched) for (const location of locations) mirrorInventory(store, item, location);
}

/** Releases what a sales order's lines committed (before the order changes or is deleted). */
export function releaseInventory(store: RecordStore, order: StoredRecord): void {
  for (const line of order.lines) {
    const item = store.items.get(line.item);
    if (!item || line.commitLocation === undefined) continue;
    const q = quantities(item, line.commitLocation);
    q.committed = Math.max(0, q.committed - line.quantityCommitted);
    q.backordered = Math.max(0, q.backordered - line.quantityBackOrdered);
    mirrorInventory(store, item, line.commitLocation);
    line.quantityCommitted = 0;
    line.quantityBackOrdered = 0;
    delete line.commitLocation;
  }
}

/** An item's row at a location in SuiteQL `inventoryitemlocations` (available = on hand − committed, never below 0). */
export function mirrorInventory(store: RecordStore, item: StoredRecord, location: string): void {
  const q = quantities(item, location);
  const averageCost = q.averageCost ?? Number(item.fields.averageCost ?? 0);
  store.db.upsertRow('inventoryitemlocations', {
    item: Number(item.id),
    location: Number(location),
    quantityonhand: q.onHand,
    quantityavailable: Math.max(0, q.onHand - q.committed),
    quantitycommitted: q.committed,
    quantityonorder: q.onOrder,
    quantitybackordered: q.backordered,
    averagecostmli: averageCost,
    onhandvaluemli: roundCents(q.onHand * averageCost),
  });
}
