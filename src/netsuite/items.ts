/**
 * NetSuite items by their match key (the mapping's `items.matchBy`, which is the SuiteQL column: `itemid` or
 * `externalid`), a few hundred keys per SuiteQL query. The order sync resolves a line's SKU with it; the inventory
 * sync checks which in-flight SKUs NetSuite lacks.
 */
import type { NetSuiteClient, RequestOptions } from './client';
import { suiteQlStringList } from './suiteql';

/** Keys per SuiteQL `IN (…)` list. */
export const ITEM_KEYS_PER_QUERY = 200;

/** Key → internal ID of the items that have one of `keys` (the lowest ID when several share a key). */
export async function itemIdsByKey(
  netsuite: NetSuiteClient,
  column: 'itemid' | 'externalid',
  keys: readonly string[],
  options: RequestOptions & { activeInventoryOnly?: boolean } = {},
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const only = options.activeInventoryOnly ? "itemtype = 'InvtPart' AND isinactive = 'F' AND " : '';
  for (let i = 0; i < keys.length; i += ITEM_KEYS_PER_QUERY) {
    const chunk = keys.slice(i, i + ITEM_KEYS_PER_QUERY);
    const page = await netsuite.suiteql(
      `SELECT id, ${column} AS itemkey FROM item WHERE ${only}${column} IN ${suiteQlStringList(chunk)} ORDER BY id`,
      options.signal ? { signal: options.signal } : {},
    );
    for (const row of page.items) {
      if (row.itemkey !== undefined && row.id !== undefined && !ids.has(row.itemkey)) ids.set(row.itemkey, row.id);
    }
  }
  return ids;
}
