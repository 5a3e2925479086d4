/**
 * Every write mirrored synchronously into the SuiteQL tables (database.ts): customers; sales orders and their lines;
 * transformed documents with their lines, line links and packages; items and ship items; custom-field columns. A
 * deleted record's rows go, and a deleted transaction leaves a `deletedrecord` row.
 */
import type { SqlValue } from 'sql.js';
import { mirrorInventory } from './inventory';
import { isDocumentType, isTransactionType, ITEM_TYPE_CODES, TRANSACTION_TYPE_CODES, type DocumentTypeName, type RecordTypeName } from './schema';
import type { RecordStore } from './store';
import type { StoredRecord } from './stored-record';

const tf = (v: unknown): string => (v === true ? 'T' : 'F');

function customColumns(store: RecordStore, record: StoredRecord): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (const field of store.customFieldsOf(record.type).values()) {
    const v = record.fields[field.scriptId];
    row[field.scriptId] = v === undefined ? null : field.type === 'checkbox' ? tf(v) : typeof v === 'number' ? v : String(v);
  }
  return row;
}

/** Writes a record's rows (a sales order's or document's lines replaced; an inventory item's locations too). */
export function mirror(store: RecordStore, record: StoredRecord): void {
  const f = record.fields;
  const str = (v: unknown): SqlValue => (v === undefined || v === null ? null : String(v));
  const num = (v: unknown): SqlValue => (v === undefined || v === null || v === '' ? null : Number(v));
  switch (record.type) {
    case 'customer':
      store.db.upsertRow('customer', {
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
        ...customColumns(store, record),
      });
      return;
    case 'salesOrder': {
      const id = Number(record.id);
      store.db.upsertRow('transaction', {
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
        ...customColumns(store, record),
      });
      store.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [id]);
      for (const line of record.lines) {
        store.db.upsertRow('transactionline', {
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
      mirrorDocument(store, record, record.type);
      return;
    case 'shipItem':
      store.db.upsertRow('shipitem', {
        id: Number(record.id),
        itemid: str(f.itemId),
        displayname: str(f.displayName),
        externalid: str(f.externalId),
        isinactive: tf(f.isInactive),
        description: str(f.description),
      });
      return;
    default: {
      store.db.upsertRow('item', {
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
        ...(record.type === 'inventoryItem' ? customColumns(store, record) : {}),
      });
      if (record.type === 'inventoryItem') for (const location of record.inventory.keys()) mirrorInventory(store, record, location);
    }
  }
}

/**
 * A transformed document in SuiteQL: its `transaction` row, one `transactionline` per item line (`createdfrom` =
 * the source transaction), a `previoustransactionlinelink` per line that came from a source line, and a fulfilment's
 * packages in `itemfulfillmentpackage` (plus `transaction.trackingnumbers`, space-separated).
 */
function mirrorDocument(store: RecordStore, record: StoredRecord, type: DocumentTypeName): void {
  const f = record.fields;
  const id = Number(record.id);
  const str = (v: unknown): SqlValue => (v === undefined || v === null ? null : String(v));
  const num = (v: unknown): SqlValue => (v === undefined || v === null || v === '' ? null : Number(v));
  const source = record.source;
  const sourceId = source ? Number(source.id) : null;
  const tracking = record.packages.map((p) => p.packageTrackingNumber).join(' ');
  store.db.upsertRow('transaction', {
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
  store.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [id]);
  unmirrorDocumentLinks(store, id);
  for (const line of record.documentLines) {
    store.db.upsertRow('transactionline', {
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
      store.db.upsertRow('previoustransactionlinelink', {
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
    store.db.upsertRow('itemfulfillmentpackage', {
      itemfulfillment: id,
      id: i + 1,
      packagetrackingnumber: p.packageTrackingNumber,
      packagedescr: str(p.packageDescr),
      packageweight: num(p.packageWeight),
    });
  });
}

function unmirrorDocumentLinks(store: RecordStore, id: number): void {
  store.db.write('DELETE FROM previoustransactionlinelink WHERE nextdoc = ?', [id]);
  store.db.write('DELETE FROM itemfulfillmentpackage WHERE itemfulfillment = ?', [id]);
}

/** Takes a deleted record's rows out of SuiteQL; a transaction leaves a row in `deletedrecord`. */
export function unmirror(store: RecordStore, record: StoredRecord): void {
  const { type, id } = record;
  const table = tableOf(type);
  store.db.write(`DELETE FROM "${table}" WHERE id = ?`, [Number(id)]);
  if (isTransactionType(type)) {
    store.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [Number(id)]);
    // NetSuite keeps a row per deleted record (SuiteQL `deletedrecord`; `type` is the record type, lower-cased).
    store.db.upsertRow('deletedrecord', {
      recordid: Number(id),
      type: type.toLowerCase(),
      name: record.fields.tranId === undefined ? null : String(record.fields.tranId),
      deleteddate: new Date().toISOString(),
      context: 'WEBSERVICES',
    });
  }
  if (isDocumentType(type)) unmirrorDocumentLinks(store, Number(id));
  if (type === 'inventoryItem') store.db.write('DELETE FROM inventoryitemlocations WHERE item = ?', [Number(id)]);
}

export function tableOf(type: RecordTypeName): string {
  return type === 'customer' ? 'customer' : isTransactionType(type) ? 'transaction' : type === 'shipItem' ? 'shipitem' : 'item';
}
