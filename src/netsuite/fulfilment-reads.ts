/**
 * The fulfilment sync's reads, in SuiteQL (every query of it lives here, so the unconfirmed tables are in one place):
 *
 * - the item fulfilments (`transaction.type = 'ItemShip'`) changed since an instant whose source (`transactionline.
 *   createdfrom`) is one of this store's sales orders — by the store custom field or the external-ID prefix;
 * - the item fulfilments deleted since an instant (`deletedrecord`, type `itemfulfillment`);
 * - for a set of sales orders: their lines that need shipping (inventory, assembly and kit items, not closed), every
 *   fulfilment with its lines (`previoustransactionlinelink`: fulfilment line → sales-order line) and its packages
 *   (`itemfulfillmentpackage`).
 *
 * Every query is keyset-paged (`… > <last key> ORDER BY <key>`, 1000 rows a request, offset always 0), so NetSuite's
 * 100,000-row cap never applies; a page that does not advance past the last key is an error, never a loop
 * (keyset.ts). Timestamps are compared with `TO_TIMESTAMP('YYYY-MM-DD HH24:MI:SS')` in UTC.
 */
import type { FulfilmentPackage, NetSuiteFulfilment, SalesOrderShipping, ShippableLine } from '../fulfilment/types';
import type { NetSuiteClient, SuiteQlPage } from './client';
import { SUITEQL_MAX_LIMIT } from './client';
import { checkKeysetPage, type KeysetKey } from './keyset';
import { suiteQlId, suiteQlScriptId, suiteQlString, suiteQlTimestamp } from './suiteql';

/** Options of the readers: cancellation, and a callback after every request (heartbeat there). */
export interface FulfilmentReadOptions {
  signal?: AbortSignal;
  onRequest?: () => void;
  /** Rows per request (tests use small pages). Default 1000. */
  pageSize?: number;
}

/** Which sales orders are this store's. */
export interface StoreSalesOrders {
  store: string;
  /** Body field holding the store name (mapping customFields.store). */
  storeField: string;
  /** Body fields holding the WooCommerce order key and number (mapping customFields). */
  orderKeyField: string;
  orderNumberField: string;
  /** Sales order external IDs start `<prefix>-<store>-`. */
  externalIdPrefix: string;
}

/** A changed fulfilment of one of the store's sales orders. */
export interface ChangedFulfilment {
  id: string;
  shipped: boolean;
  salesOrderId: string;
  salesOrderTranId?: string;
  orderKey?: string;
  orderNumber?: string;
}

/** Item types whose sales-order lines are shipped by item fulfilments. */
const SHIPPED_ITEM_TYPES = ['InvtPart', 'Assembly', 'Kit'];
/** Sales orders per `IN (…)` list (Oracle allows 1000 expressions). */
const IDS_PER_QUERY = 1000;
/** The ship status that is "shipped" (A Picked, B Packed, C Shipped). */
export const SHIPPED = 'C';

/** A parenthesised list of internal IDs for `IN (…)`. */
const idList = (ids: readonly string[]): string => `(${ids.map((id) => suiteQlId(id)).join(', ')})`;

/** The store's body fields, checked as script IDs (they are interpolated into the query). */
function checkFields(q: StoreSalesOrders): void {
  [q.storeField, q.orderKeyField, q.orderNumberField].forEach(suiteQlScriptId);
}

/** The condition "sales order `so` is this store's". */
function ofStore(q: StoreSalesOrders): string {
  const prefix = `${q.externalIdPrefix}-${q.store}-`.replace(/[%_\\]/g, (c) => `\\${c}`);
  return `(so.${q.storeField} = ${suiteQlString(q.store)} OR so.externalid LIKE ${suiteQlString(`${prefix}%`)} ESCAPE '\\')`;
}

/** One page of the store's fulfilments changed after `since`, with internal ID above `afterId`. */
export function changedFulfilmentsQuery(q: StoreSalesOrders & { since: string; afterId: string }): string {
  checkFields(q);
  return [
    `SELECT DISTINCT f.id, f.shipstatus, so.id AS salesorder, so.tranid AS sotranid, so.${q.orderKeyField} AS wookey, so.${q.orderNumberField} AS woonumber`,
    'FROM transaction f',
    'JOIN transactionline tl ON tl.transaction = f.id',
    'JOIN transaction so ON so.id = tl.createdfrom',
    `WHERE f.type = 'ItemShip' AND so.type = 'SalesOrd' AND f.lastmodifieddate > ${suiteQlTimestamp(q.since)}`,
    `  AND ${ofStore(q)} AND f.id > ${suiteQlId(q.afterId)}`,
    'ORDER BY f.id',
  ].join('\n');
}

/** One page of fulfilments deleted after `since`, with internal ID above `afterId`. */
export function deletedFulfilmentsQuery(q: { since: string; afterId: string }): string {
  return [
    'SELECT recordid, name FROM deletedrecord',
    `WHERE type = 'itemfulfillment' AND deleteddate > ${suiteQlTimestamp(q.since)} AND recordid > ${suiteQlId(q.afterId)}`,
    'ORDER BY recordid',
  ].join('\n');
}

/** One request of a keyset-paged query: offset 0, the page size of the options. */
async function suiteqlPage(netsuite: NetSuiteClient, query: string, options: FulfilmentReadOptions): Promise<SuiteQlPage> {
  const page = await netsuite.suiteql(query, {
    limit: options.pageSize ?? SUITEQL_MAX_LIMIT,
    offset: 0,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.onRequest?.();
  return page;
}

/** Reads every page of a keyset-paged query: `build(after)` makes the query after the last row's key. */
async function readAll<K extends KeysetKey>(
  netsuite: NetSuiteClient,
  build: (after: K) => string,
  first: K,
  keyOf: (row: Record<string, string>) => K,
  options: FulfilmentReadOptions,
): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  let after = first;
  for (;;) {
    const page = await suiteqlPage(netsuite, build(after), options);
    checkKeysetPage('the shipping state of sales orders', after, page.items.map(keyOf));
    rows.push(...page.items);
    const last = page.items[page.items.length - 1];
    if (!page.hasMore || last === undefined) return rows;
    after = keyOf(last);
  }
}

/** One page of a keyset-paged query, and the key to read the next page after (undefined: this was the last). */
async function keysetPage(
  netsuite: NetSuiteClient,
  what: string,
  query: string,
  key: string,
  afterId: string,
  options: FulfilmentReadOptions,
): Promise<{ items: Record<string, string>[]; nextAfterId?: string }> {
  const page = await suiteqlPage(netsuite, query, options);
  checkKeysetPage(
    what,
    afterId,
    page.items.flatMap((row) => (row[key] === undefined ? [] : [row[key]])),
  );
  const last = page.items[page.items.length - 1]?.[key];
  return { items: page.items, ...(page.hasMore && last !== undefined ? { nextAfterId: last } : {}) };
}

/** One page of changed fulfilments and the key to read the next one from (undefined: this was the last). */
export async function readChangedFulfilmentsPage(
  netsuite: NetSuiteClient,
  q: StoreSalesOrders & { since: string; afterId: string },
  options: FulfilmentReadOptions = {},
): Promise<{ rows: ChangedFulfilment[]; nextAfterId?: string }> {
  const { items, nextAfterId } = await keysetPage(netsuite, 'changed fulfilments', changedFulfilmentsQuery(q), 'id', q.afterId, options);
  const rows: ChangedFulfilment[] = [];
  for (const row of items) {
    if (row.id === undefined || row.salesorder === undefined) continue;
    rows.push({
      id: row.id,
      shipped: row.shipstatus === SHIPPED,
      salesOrderId: row.salesorder,
      ...(row.sotranid ? { salesOrderTranId: row.sotranid } : {}),
      ...(row.wookey?.trim() ? { orderKey: row.wookey.trim() } : {}),
      ...(row.woonumber?.trim() ? { orderNumber: row.woonumber.trim() } : {}),
    });
  }
  return { rows, ...(nextAfterId !== undefined ? { nextAfterId } : {}) };
}

/** One page of deleted fulfilments. */
export async function readDeletedFulfilmentsPage(
  netsuite: NetSuiteClient,
  q: { since: string; afterId: string },
  options: FulfilmentReadOptions = {},
): Promise<{ rows: { id: string; tranId?: string }[]; nextAfterId?: string }> {
  const { items, nextAfterId } = await keysetPage(netsuite, 'deleted fulfilments', deletedFulfilmentsQuery(q), 'recordid', q.afterId, options);
  const rows = items.flatMap((row) => (row.recordid === undefined ? [] : [{ id: row.recordid, ...(row.name ? { tranId: row.name } : {}) }]));
  return { rows, ...(nextAfterId !== undefined ? { nextAfterId } : {}) };
}

type ShippingBase = Omit<SalesOrderShipping, 'store' | 'orderId' | 'deleted' | 'readAt'>;

/**
 * The shipping state of each sales order in `salesOrderIds`: its open lines that need shipping and every fulfilment
 * with lines and packages. A sales order NetSuite no longer has is absent from the answer.
 */
export async function readSalesOrderShipping(
  netsuite: NetSuiteClient,
  q: Pick<StoreSalesOrders, 'orderKeyField' | 'orderNumberField'> & { salesOrderIds: readonly string[] },
  options: FulfilmentReadOptions = {},
): Promise<Map<string, ShippingBase & { orderNumber?: string }>> {
  [q.orderKeyField, q.orderNumberField].forEach(suiteQlScriptId);
  const result = new Map<string, ShippingBase & { orderNumber?: string }>();
  const ids = [...new Set(q.salesOrderIds)];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const list = idList(chunk);

    const headers = await readAll(
      netsuite,
      (after: string) =>
        `SELECT so.id, so.tranid, so.${q.orderKeyField} AS wookey, so.${q.orderNumberField} AS woonumber FROM transaction so WHERE so.id IN ${list} AND so.id > ${suiteQlId(after)} ORDER BY so.id`,
      '0',
      (row) => row.id ?? '0',
      options,
    );
    for (const row of headers) {
      if (row.id === undefined) continue;
      result.set(row.id, {
        salesOrderId: row.id,
        ...(row.tranid ? { tranId: row.tranid } : {}),
        ...(row.wookey?.trim() ? { orderKey: row.wookey.trim() } : {}),
        ...(row.woonumber?.trim() ? { orderNumber: row.woonumber.trim() } : {}),
        lines: [],
        fulfilments: [],
      });
    }

    const lines = await readAll(
      netsuite,
      ([so, line]: [string, string]) =>
        [
          'SELECT tl.transaction AS salesorder, tl.linesequencenumber AS line, i.itemid, tl.quantity, tl.isclosed',
          'FROM transactionline tl JOIN item i ON i.id = tl.item',
          `WHERE tl.transaction IN ${list} AND i.itemtype IN (${SHIPPED_ITEM_TYPES.map(suiteQlString).join(', ')})`,
          `  AND (tl.transaction > ${suiteQlId(so)} OR (tl.transaction = ${suiteQlId(so)} AND tl.linesequencenumber > ${suiteQlId(line)}))`,
          'ORDER BY tl.transaction, tl.linesequencenumber',
        ].join('\n'),
      ['0', '0'] as [string, string],
      (row): [string, string] => [row.salesorder ?? '0', row.line ?? '0'],
      options,
    );
    for (const row of lines) {
      const so = row.salesorder === undefined ? undefined : result.get(row.salesorder);
      if (!so || row.isclosed === 'T') continue;
      const line: ShippableLine = { line: Number(row.line), item: row.itemid ?? `item ${row.line}`, quantity: Number(row.quantity ?? 0) };
      so.lines.push(line);
    }

    const fulfilmentLines = await readAll(
      netsuite,
      ([f, line]: [string, string]) =>
        [
          'SELECT f.id, f.tranid, f.trandate, f.shipstatus, sm.itemid AS shipmethod, l.previousdoc AS salesorder, l.previousline AS orderline,',
          '       l.nextline AS line, i.itemid, l.quantity',
          'FROM previoustransactionlinelink l',
          'JOIN transaction f ON f.id = l.nextdoc',
          'JOIN transactionline tl ON tl.transaction = l.nextdoc AND tl.linesequencenumber = l.nextline',
          'JOIN item i ON i.id = tl.item',
          'LEFT JOIN shipitem sm ON sm.id = f.shipmethod',
          `WHERE l.previousdoc IN ${list} AND f.type = 'ItemShip'`,
          `  AND (f.id > ${suiteQlId(f)} OR (f.id = ${suiteQlId(f)} AND l.nextline > ${suiteQlId(line)}))`,
          'ORDER BY f.id, l.nextline',
        ].join('\n'),
      ['0', '0'] as [string, string],
      (row): [string, string] => [row.id ?? '0', row.line ?? '0'],
      options,
    );
    const fulfilments = new Map<string, NetSuiteFulfilment>();
    for (const row of fulfilmentLines) {
      const so = row.salesorder === undefined ? undefined : result.get(row.salesorder);
      if (!so || row.id === undefined) continue;
      let f = fulfilments.get(row.id);
      if (!f) {
        f = {
          id: row.id,
          tranId: row.tranid ?? row.id,
          shipStatus: row.shipstatus ?? '',
          shipped: row.shipstatus === SHIPPED,
          ...(row.trandate ? { date: row.trandate.slice(0, 10) } : {}),
          ...(row.shipmethod ? { shipMethod: row.shipmethod } : {}),
          packages: [],
          lines: [],
        };
        fulfilments.set(row.id, f);
        so.fulfilments.push(f);
      }
      f.lines.push({ orderLine: Number(row.orderline), item: row.itemid ?? `line ${row.orderline}`, quantity: Number(row.quantity ?? 0) });
    }

    const fulfilmentIds = [...fulfilments.keys()];
    for (let j = 0; j < fulfilmentIds.length; j += IDS_PER_QUERY) {
      const packageList = idList(fulfilmentIds.slice(j, j + IDS_PER_QUERY));
      const packages = await readAll(
        netsuite,
        ([f, id]: [string, string]) =>
          [
            'SELECT p.itemfulfillment, p.id, p.packagetrackingnumber, p.packagedescr FROM itemfulfillmentpackage p',
            `WHERE p.itemfulfillment IN ${packageList} AND (p.itemfulfillment > ${suiteQlId(f)} OR (p.itemfulfillment = ${suiteQlId(f)} AND p.id > ${suiteQlId(id)}))`,
            'ORDER BY p.itemfulfillment, p.id',
          ].join('\n'),
        ['0', '0'] as [string, string],
        (row): [string, string] => [row.itemfulfillment ?? '0', row.id ?? '0'],
        options,
      );
      for (const row of packages) {
        const f = row.itemfulfillment === undefined ? undefined : fulfilments.get(row.itemfulfillment);
        const number = row.packagetrackingnumber?.trim();
        if (!f || !number) continue;
        const pkg: FulfilmentPackage = { trackingNumber: number, ...(row.packagedescr?.trim() ? { description: row.packagedescr.trim() } : {}) };
        f.packages.push(pkg);
      }
    }
  }
  return result;
}
