/**
 * The record store: the records themselves (kept as JS objects for the record API), their external IDs, the item ID
 * space, locations, subsidiaries, the custom-field registry and the documents transformed from each transaction, with
 * the lookups over them. What changes them: record-writes.ts (create, update, upsert, delete; bodies validated by
 * record-bodies.ts), document-effects.ts (transformed documents), inventory.ts, custom-fields.ts; every write is
 * mirrored synchronously into the SuiteQL tables (suiteql-mirror.ts). All validation failures are NsErrors
 * (NetSuite-shaped 400s).
 */
import { addCustomField } from './custom-fields';
import type { SuiteQlDatabase } from './database';
import { TRANSACTION_LABELS } from './documents';
import { NsError, badRequest } from './errors';
import { mirrorInventory } from './inventory';
import type { ResolvedOptions } from './options';
import { computeOrderStatus, type LineProgress } from './order-status';
import { RecordIds } from './record-ids';
import {
  DEFAULT_CUSTOM_FIELDS,
  isTransactionType,
  ITEM_TYPES,
  RECORD_TYPES,
  TRANSACTION_TYPES,
  type CustomField,
  type RecordTypeName,
  type RefTarget,
} from './schema';
import type { NamedEntity, SalesOrderLine, StoredRecord } from './stored-record';

export class RecordStore {
  readonly records = new Map<RecordTypeName, Map<string, StoredRecord>>();
  readonly externalIds = new Map<RecordTypeName, Map<string, string>>();
  /** Every record in the item ID space (inventory, discount, other-charge and ship items). */
  readonly items = new Map<string, StoredRecord>();
  readonly locations = new Map<string, NamedEntity>();
  readonly subsidiaries = new Map<string, NamedEntity>();
  private readonly customFields = new Map<RecordTypeName, Map<string, CustomField>>();
  /** Transformed documents by the ID of the transaction they were created from (IDs in creation order). */
  readonly documentsBySource = new Map<string, string[]>();
  /** Internal IDs and document numbers. */
  readonly ids = new RecordIds();

  constructor(
    readonly db: SuiteQlDatabase,
    readonly options: ResolvedOptions,
  ) {
    for (const type of RECORD_TYPES) {
      this.records.set(type, new Map());
      this.externalIds.set(type, new Map());
      this.customFields.set(type, new Map());
    }
    for (const [type, fields] of Object.entries(DEFAULT_CUSTOM_FIELDS) as [RecordTypeName, CustomField[]][]) {
      for (const field of fields) addCustomField(this, type, { ...field });
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
        mirrorInventory(this, item, location.id);
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

  /** Recomputes a sales order's status letter from its lines (order-status.ts). */
  refreshOrderStatus(order: StoredRecord): void {
    order.fields.orderStatus = computeOrderStatus(
      order.fields.orderStatus as string | undefined,
      order.lines.map((l) => this.progressOf(l)),
    );
  }
}
