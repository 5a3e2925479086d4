/**
 * NetSuite's stock, read one keyset page at a time: the inventory items NetSuite holds (active inventory items only),
 * each with its quantities summed over the configured locations. Shared by the inventory sync and the reconciliation.
 *
 * Semantics:
 * - One SuiteQL request per page: `item` LEFT JOIN `inventoryitemlocations` (restricted to `locations`), grouped per
 *   item, `WHERE item.id > <afterItemId> ORDER BY item.id`, offset always 0. Paging by the last internal ID seen
 *   (keyset) rather than by offset means a page is defined by its cursor alone: a resumed run asks for exactly the
 *   page it had not finished, rows inserted before the cursor never shift later pages, and NetSuite's 100,000-row
 *   offset cap never applies however large the catalog is.
 * - An item with no row at those locations is returned with zeros (NetSuite owns it and has none to sell).
 * - `key` is the item's `itemid` (name/number) or `externalid`, as the mapping's `items.matchBy` says; an item without
 *   that key (e.g. no external ID) still comes back, with `key` = '' — the caller decides (it cannot match a SKU).
 * - `available` = Σ quantityavailable (on hand − committed) over the locations; `onHand` = Σ quantityonhand;
 *   `onHandValue` = Σ onhandvaluemli; `averageCost` = onHandValue / onHand when there is stock, else the item's
 *   average cost.
 * - `nextCursor` is the last row's internal ID when NetSuite says more rows follow, else undefined (the walk is done).
 *   A page with a row at or before the cursor (the same page again) is an error, never a walk that does not end.
 */
import type { NetSuiteClient } from '../netsuite/client';
import { SUITEQL_MAX_LIMIT } from '../netsuite/client';
import { checkKeysetPage } from '../netsuite/keyset';

/** One NetSuite inventory item's stock over the configured locations. */
export interface NetSuiteStockRow {
  /** NetSuite internal ID (also the keyset cursor). */
  itemId: string;
  /** itemid or externalid, per `matchBy`; '' when the item has none. */
  key: string;
  /** Σ quantityavailable over the locations. */
  available: number;
  /** Σ quantityonhand over the locations. */
  onHand: number;
  /** Weighted average unit cost over the locations (the item's average cost when nothing is on hand). */
  averageCost: number;
  /** Σ onhandvaluemli over the locations. */
  onHandValue: number;
}

/** Which page to read. */
export interface NetSuiteStockQuery {
  /** NetSuite location internal IDs whose quantities count (digits only), e.g. ["1", "2"]. At least one. */
  locations: string[];
  /** Which item column is the key a WooCommerce SKU maps to (the mapping's `items.matchBy`; either spelling). */
  matchBy: 'itemid' | 'externalId' | 'externalid';
  /** Keyset cursor: only items whose internal ID is greater. '0' (or '') for the first page. */
  afterItemId: string;
  /** Rows per page, 1..1000. Default 1000. */
  limit?: number;
}

/** One page and the cursor of the next one (undefined: this was the last page). */
export interface NetSuiteStockPage {
  rows: NetSuiteStockRow[];
  nextCursor: string | undefined;
}

const DIGITS = /^\d+$/;

/** The SuiteQL of one page. Exported for tests and for the reconciliation's own totals. */
export function netSuiteStockQuery(q: Pick<NetSuiteStockQuery, 'locations' | 'matchBy' | 'afterItemId'>): string {
  if (q.locations.length === 0) throw new RangeError('readNetSuiteStockPage needs at least one location');
  for (const location of q.locations) {
    if (!DIGITS.test(location)) throw new RangeError(`a NetSuite location is an internal ID (digits), got ${JSON.stringify(location)}`);
  }
  const after = q.afterItemId === '' ? '0' : q.afterItemId;
  if (!DIGITS.test(after)) throw new RangeError(`the stock cursor is a NetSuite internal ID (digits), got ${JSON.stringify(q.afterItemId)}`);
  const keyColumn = q.matchBy === 'itemid' ? 'itemid' : 'externalid';
  // Numbers are inlined (validated as digits above): SuiteQL over REST has no bind parameters.
  return [
    `SELECT item.id AS id, item.${keyColumn} AS itemkey,`,
    '  NVL(SUM(loc.quantityavailable), 0) AS available, NVL(SUM(loc.quantityonhand), 0) AS onhand,',
    '  NVL(SUM(loc.onhandvaluemli), 0) AS onhandvalue, NVL(item.averagecost, 0) AS averagecost',
    'FROM item',
    `LEFT JOIN inventoryitemlocations loc ON loc.item = item.id AND loc.location IN (${q.locations.map((l) => String(Number(l))).join(', ')})`,
    `WHERE item.itemtype = 'InvtPart' AND item.isinactive = 'F' AND item.id > ${String(Number(after))}`,
    `GROUP BY item.id, item.${keyColumn}, item.averagecost`,
    'ORDER BY item.id',
  ].join('\n');
}

const numberOf = (value: string | undefined): number => {
  const n = value === undefined ? 0 : Number(value);
  return Number.isFinite(n) ? n : 0;
};

/** Reads one page of NetSuite stock after `q.afterItemId` (see the file comment for the semantics). */
export async function readNetSuiteStockPage(
  netsuite: NetSuiteClient,
  q: NetSuiteStockQuery,
  options: { signal?: AbortSignal } = {},
): Promise<NetSuiteStockPage> {
  const limit = q.limit ?? SUITEQL_MAX_LIMIT;
  const page = await netsuite.suiteql(netSuiteStockQuery(q), { limit, offset: 0, ...(options.signal ? { signal: options.signal } : {}) });
  const rows: NetSuiteStockRow[] = [];
  for (const item of page.items) {
    if (item.id === undefined) continue;
    const onHand = numberOf(item.onhand);
    const onHandValue = numberOf(item.onhandvalue);
    rows.push({
      itemId: item.id,
      key: item.itemkey ?? '',
      available: numberOf(item.available),
      onHand,
      onHandValue,
      averageCost: onHand > 0 ? Math.round((onHandValue / onHand) * 10_000) / 10_000 : numberOf(item.averagecost),
    });
  }
  checkKeysetPage(
    'NetSuite stock',
    q.afterItemId === '' ? '0' : q.afterItemId,
    rows.map((row) => row.itemId),
  );
  const last = rows[rows.length - 1];
  return { rows, nextCursor: page.hasMore && last !== undefined ? last.itemId : undefined };
}
