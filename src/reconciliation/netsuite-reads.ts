/**
 * The NetSuite side of the reconciliation, read with SuiteQL: every active inventory item's stock over the configured
 * locations (src/inventory/netsuite-stock.ts, the same reading the inventory sync uses) and this store's open sales
 * orders. Both are keyset-paged by internal ID (`id > <last> ORDER BY id`, 1000 rows a page), so NetSuite's
 * 100,000-row offset cap never applies.
 */
import type { NetSuiteClient } from '../netsuite/client';
import { SUITEQL_MAX_LIMIT } from '../netsuite/client';
import { checkKeysetPage } from '../netsuite/keyset';
import { suiteQlId, suiteQlScriptId, suiteQlString } from '../netsuite/suiteql';
import { readNetSuiteStockPage } from '../inventory/netsuite-stock';
import type { NetSuiteItemStock, NetSuiteOpenSalesOrder } from './build-report';
import { OPEN_SALES_ORDER_STATUSES } from './types';

/** Options of the readers: cancellation, and a callback after every request (heartbeat there). */
export interface ReadOptions {
  signal?: AbortSignal;
  onRequest?: () => void;
}

/** Every active inventory item with its stock summed over `locations`. */
export async function readNetSuiteItems(
  netsuite: NetSuiteClient,
  q: { locations: string[]; matchBy: 'itemid' | 'externalid'; pageSize?: number },
  options: ReadOptions = {},
): Promise<{ items: NetSuiteItemStock[]; requests: number }> {
  const items: NetSuiteItemStock[] = [];
  let requests = 0;
  let cursor: string | undefined = '0';
  while (cursor !== undefined) {
    const page = await readNetSuiteStockPage(
      netsuite,
      { locations: q.locations, matchBy: q.matchBy, afterItemId: cursor, limit: q.pageSize ?? SUITEQL_MAX_LIMIT },
      options.signal ? { signal: options.signal } : {},
    );
    requests++;
    options.onRequest?.();
    for (const row of page.rows) items.push({ itemId: row.itemId, key: row.key, available: row.available, averageCost: row.averageCost });
    cursor = page.nextCursor;
  }
  return { items, requests };
}

/** The SuiteQL of one page of open sales orders of `store` after internal ID `afterId`. */
export function openSalesOrdersQuery(q: { store: string; storeField: string; orderKeyField: string; orderNumberField: string; afterId: string }): string {
  const [storeField, orderKeyField, orderNumberField] = [q.storeField, q.orderKeyField, q.orderNumberField].map(suiteQlScriptId);
  const afterId = suiteQlId(q.afterId, 'the sales order cursor');
  return [
    `SELECT id, tranid, status, foreigntotal, ${orderKeyField} AS wookey, ${orderNumberField} AS woonumber`,
    'FROM transaction',
    `WHERE type = 'SalesOrd' AND ${storeField} = ${suiteQlString(q.store)}`,
    `  AND status IN (${OPEN_SALES_ORDER_STATUSES.map(suiteQlString).join(', ')}) AND id > ${afterId}`,
    'ORDER BY id',
  ].join('\n');
}

/** A SuiteQL number (a string such as "123.45") in cents. */
export function amountToCents(value: string | undefined): number {
  const n = value === undefined ? 0 : Number(value);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

/** This store's open sales orders (statuses A, B, D, E, F). */
export async function readOpenSalesOrders(
  netsuite: NetSuiteClient,
  q: { store: string; storeField: string; orderKeyField: string; orderNumberField: string },
  options: ReadOptions = {},
): Promise<{ salesOrders: NetSuiteOpenSalesOrder[]; requests: number }> {
  const salesOrders: NetSuiteOpenSalesOrder[] = [];
  let requests = 0;
  let afterId = '0';
  for (;;) {
    const page = await netsuite.suiteql(openSalesOrdersQuery({ ...q, afterId }), {
      limit: SUITEQL_MAX_LIMIT,
      offset: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    requests++;
    options.onRequest?.();
    checkKeysetPage(
      'open sales orders',
      afterId,
      page.items.flatMap((row) => (row.id === undefined ? [] : [row.id])),
    );
    for (const row of page.items) {
      if (row.id === undefined) continue;
      salesOrders.push({
        id: row.id,
        tranId: row.tranid ?? row.id,
        status: row.status ?? '',
        orderKey: (row.wookey ?? '').trim(),
        ...(row.woonumber?.trim() ? { orderNumber: row.woonumber.trim() } : {}),
        totalCents: amountToCents(row.foreigntotal),
      });
    }
    const last = page.items[page.items.length - 1]?.id;
    if (!page.hasMore || last === undefined) break;
    afterId = last;
  }
  return { salesOrders, requests };
}
