/**
 * The inventory chunk's reads: a NetSuite stock page (compacted as heartbeated), the WooCommerce products of a page's
 * owned SKUs — in whole reads of 100, the rest with the next page's; for an incremental pass only the SKUs whose
 * NetSuite availability or in-flight units differ from their snapshot entry — and, at the end of a run, the owned
 * SKUs of in-flight lines NetSuite does not have.
 */
import { mapConcurrent } from '../inventory/map-concurrent';
import { readNetSuiteStockPage } from '../inventory/netsuite-stock';
import { BATCH_LIMIT, chunked, isOwnedSku, netsuiteKeyOf, ownedSkusOfPage, takeReads, type SkuMatching } from '../inventory/plan';
import { skusChangedSinceSnapshot, type InventorySnapshotEntry, type OwnedSku } from '../inventory/snapshot';
import { LISTED_PER_KIND } from '../inventory/types';
import type { NetSuiteClient } from '../netsuite/client';
import { itemIdsByKey } from '../netsuite/items';
import type { WooClient } from '../woocommerce/client';
import type { WooStockProduct } from '../woocommerce/product';
import type { CompactRow, StoredPage } from './inventory-progress';

/** Which NetSuite stock is read: the mapping's locations, match column and page size. */
export interface StockPageQuery {
  locations: string[];
  matchBy: 'itemid' | 'externalid';
  pageSize: number;
}

/** Reads the NetSuite page after `after`, as heartbeated. */
export async function readStockPage(netsuite: NetSuiteClient, query: StockPageQuery, after: string, signal: AbortSignal): Promise<StoredPage> {
  const page = await readNetSuiteStockPage(
    netsuite,
    { locations: query.locations, matchBy: query.matchBy, afterItemId: after, limit: query.pageSize },
    { signal },
  );
  return {
    after,
    rows: page.rows.map((row): CompactRow => [row.itemId, row.key, row.available]),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
  };
}

/** How a page's WooCommerce products are read. */
export interface ProductReadOptions {
  matching: SkuMatching;
  /** reverseAliases(matching.aliases). */
  reversed: ReadonlyMap<string, readonly string[]>;
  /** In-flight units by NetSuite key. */
  inFlight: ReadonlyMap<string, number>;
  /** An incremental pass: the snapshot entries of these SKUs. Absent: a full pass reads every owned SKU. */
  snapshotEntries?: ((skus: string[]) => Promise<ReadonlyMap<string, InventorySnapshotEntry>>) | undefined;
  /** Product reads at once. */
  concurrency: number;
  signal: AbortSignal;
}

/** What a page's WooCommerce reads found. */
export interface PageProducts {
  /** The owned SKUs read now; their products are `products` (SKUs WooCommerce lacks are simply absent). */
  read: OwnedSku[];
  /** Owned SKUs left to read with the next page's. */
  unread: OwnedSku[];
  products: WooStockProduct[];
  /** Product reads (requests) made. */
  requests: number;
  /** SKUs of the page NetSuite does not own the stock of. */
  notOwned: number;
  /** Owned SKUs not read because their snapshot entry says nothing changed (incremental). */
  skipped: number;
}

/**
 * Reads the WooCommerce products of a page's owned SKUs, after the SKUs `queued` by earlier pages: whole reads of 100,
 * or all of them when `last` (the chunk's last page).
 */
export async function readPageProducts(
  woo: WooClient,
  page: { rows: readonly CompactRow[]; queued: readonly OwnedSku[]; last: boolean },
  options: ProductReadOptions,
): Promise<PageProducts> {
  const { matching, reversed, inFlight, snapshotEntries, concurrency, signal } = options;
  const owned = ownedSkusOfPage(
    page.rows.map(([, key, available]) => ({ key, available })),
    matching,
    reversed,
  );
  // Incremental: only the SKUs whose NetSuite availability or in-flight units changed since their entry.
  const { changed, unchanged: skipped } = snapshotEntries
    ? skusChangedSinceSnapshot(owned.skus, inFlight, await snapshotEntries(owned.skus.map((s) => s.sku)))
    : { changed: owned.skus, unchanged: 0 };
  const { now: read, later: unread } = takeReads([...page.queued, ...changed], { flushAll: page.last });
  const reads = chunked(
    read.map((s) => s.sku),
    BATCH_LIMIT,
  );
  const products = (await mapConcurrent(reads, concurrency, (skus) => woo.findProductsBySku(skus, { signal }))).flat();
  return { read, unread, products, requests: reads.length, notOwned: owned.notOwned, skipped };
}

/**
 * "Missing in NetSuite": owned SKUs of in-flight lines whose key no page of this run contained. A key whose page was
 * read before the order arrived is looked up once more before it is reported. Other WooCommerce SKUs NetSuite lacks
 * would need a full WooCommerce catalog listing: the reconciliation's job, not this one's.
 */
export async function missingInNetSuite(
  netsuite: NetSuiteClient,
  inFlight: { units: readonly [string, number][]; byKey: ReadonlyMap<string, number> },
  foundKeys: ReadonlySet<string>,
  matching: SkuMatching & { matchBy: 'itemid' | 'externalid' },
  signal: AbortSignal,
): Promise<{ count: number; skus: string[] }> {
  const candidates = [...inFlight.byKey.keys()].filter((key) => !foundKeys.has(key)).sort();
  const existing = await itemIdsByKey(netsuite, matching.matchBy, candidates, { activeInventoryOnly: true, signal });
  const missingKeys = new Set(candidates.filter((key) => !existing.has(key)));
  const skus = inFlight.units
    .map(([sku]) => sku)
    .filter((sku) => isOwnedSku(sku, matching.owns) && missingKeys.has(netsuiteKeyOf(sku, matching.aliases)))
    .sort();
  return { count: skus.length, skus: skus.slice(0, LISTED_PER_KIND) };
}
