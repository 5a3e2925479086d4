/**
 * The inventory sync's decisions, as pure functions (no I/O; unit-tested on their own): which WooCommerce SKUs a
 * NetSuite item feeds, which of them NetSuite owns, the target quantity, whether a product needs a write, and how the
 * writes are grouped into WooCommerce batches (≤ 100 items; variations through their parent's route).
 *
 * Target WooCommerce quantity = max(0, ⌊Σ available over the configured locations⌋ − in-flight units), where the
 * in-flight units of a NetSuite item are those of every WooCommerce SKU that maps to it (an item may feed several SKUs;
 * all of them draw on the same stock).
 *
 * A product that does not manage stock but whose SKU NetSuite owns is switched to managed stock with the target
 * quantity (`manage_stock: true` in the same write) rather than skipped: NetSuite owning the stock means WooCommerce
 * must count it, and an unmanaged product would never go out of stock. A variation managed at its parent
 * (`manage_stock: "parent"`) is switched the same way, since NetSuite holds stock per variation.
 */
import type { WooStockProduct, WooStockUpdate } from '../woocommerce/product';
import type { InventorySnapshotEntry } from './snapshot';

/** WooCommerce's limit of items per batch request. */
export const BATCH_LIMIT = 100;

/** Which WooCommerce SKUs NetSuite owns the stock of (the mapping's `inventory.owns`). */
export interface SkuOwnership {
  skuPrefixes?: readonly string[] | undefined;
  excludeSkus?: readonly string[] | undefined;
}

/** How NetSuite keys and WooCommerce SKUs relate: the mapping's `items.aliases` (WooCommerce SKU → NetSuite key) and `inventory.owns`. */
export interface SkuMatching {
  aliases: Readonly<Record<string, string>>;
  owns: SkuOwnership;
}

/** A stock write not sent yet. `parentId` 0 = `POST /products/batch`; else `POST /products/<parentId>/variations/batch`. */
export interface PendingWrite extends WooStockUpdate {
  sku: string;
  parentId: number;
  /** What NetSuite said for the SKU: its snapshot entry once WooCommerce accepts the write (never sent to WooCommerce). */
  seen?: InventorySnapshotEntry;
}

/** One batch request. */
export interface WriteBatch {
  /** 0 = the products route; else the variable product whose variations route is used. */
  parentId: number;
  items: PendingWrite[];
}

/** The NetSuite key a WooCommerce SKU maps to: its alias, or the SKU itself. */
export const netsuiteKeyOf = (sku: string, aliases: Readonly<Record<string, string>>): string => (Object.hasOwn(aliases, sku) ? (aliases[sku] as string) : sku);

/** NetSuite key → the aliased WooCommerce SKUs that map to it (the reverse of `items.aliases`). */
export function reverseAliases(aliases: Readonly<Record<string, string>>): Map<string, string[]> {
  const reversed = new Map<string, string[]>();
  for (const [sku, key] of Object.entries(aliases)) {
    const list = reversed.get(key) ?? [];
    list.push(sku);
    reversed.set(key, list);
  }
  for (const list of reversed.values()) list.sort();
  return reversed;
}

/**
 * The WooCommerce SKUs a NetSuite key feeds: the key itself (unless that SKU is aliased to another key) and every SKU
 * aliased to it. Ownership is not applied here.
 */
export function wooSkusForKey(key: string, aliases: Readonly<Record<string, string>>, reversed: ReadonlyMap<string, readonly string[]>): string[] {
  if (key === '') return [];
  const skus = aliases[key] === undefined ? [key] : [];
  for (const sku of reversed.get(key) ?? []) if (sku !== key) skus.push(sku);
  return skus;
}

/** true when NetSuite owns the stock of this WooCommerce SKU. */
export function isOwnedSku(sku: string, owns: SkuOwnership): boolean {
  if (owns.excludeSkus?.includes(sku)) return false;
  if (owns.skuPrefixes && owns.skuPrefixes.length > 0) return owns.skuPrefixes.some((prefix) => sku.startsWith(prefix));
  return true;
}

/** In-flight units per NetSuite key, over the owned SKUs (several SKUs of one key add up). */
export function inFlightByKey(unitsBySku: Iterable<readonly [string, number]>, matching: SkuMatching): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const [sku, units] of unitsBySku) {
    if (!isOwnedSku(sku, matching.owns)) continue;
    const key = netsuiteKeyOf(sku, matching.aliases);
    byKey.set(key, (byKey.get(key) ?? 0) + units);
  }
  return byKey;
}

/** WooCommerce's target quantity: max(0, ⌊available⌋ − in-flight). */
export function targetQuantity(available: number, inFlight: number): number {
  const whole = Number.isFinite(available) ? Math.floor(available) : 0;
  return Math.max(0, whole - Math.max(0, inFlight));
}

/** The write a product needs to show `target`, or undefined when it already does (see the file comment for manage_stock). */
export function stockWrite(product: WooStockProduct, target: number): PendingWrite | undefined {
  const parentId = product.type === 'variation' && product.parent_id > 0 ? product.parent_id : 0;
  if (product.manage_stock !== true) return { id: product.id, sku: product.sku, parentId, stock_quantity: target, manage_stock: true };
  if (product.stock_quantity === target) return undefined;
  return { id: product.id, sku: product.sku, parentId, stock_quantity: target };
}

/** Splits a list into consecutive chunks of at most `size`. */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/**
 * Which pending writes to send now, as batches: every full batch (100 items) of a route; the remainder of a variable
 * product's variations once that parent is no longer open (its variations did not appear on the page just read, so
 * no more will follow — NetSuite lists a matrix item's children together); everything when `flushAll`. The simple
 * products' remainder waits for more pages, so a run whose 1 % changed SKUs are spread thin still fills its batches.
 * `keep` preserves the original order.
 */
export function takeBatches(
  pending: readonly PendingWrite[],
  options: { flushAll: boolean; openParents?: ReadonlySet<number> },
): { send: WriteBatch[]; keep: PendingWrite[] } {
  const groups = new Map<number, PendingWrite[]>();
  for (const write of pending) {
    const group = groups.get(write.parentId) ?? [];
    group.push(write);
    groups.set(write.parentId, group);
  }
  const send: WriteBatch[] = [];
  const kept = new Set<PendingWrite>();
  for (const [parentId, group] of groups) {
    const full = Math.floor(group.length / BATCH_LIMIT) * BATCH_LIMIT;
    for (const items of chunked(group.slice(0, full), BATCH_LIMIT)) send.push({ parentId, items });
    const rest = group.slice(full);
    if (rest.length === 0) continue;
    const release = options.flushAll || (parentId !== 0 && !(options.openParents?.has(parentId) ?? false));
    if (release) send.push({ parentId, items: rest });
    else for (const write of rest) kept.add(write);
  }
  return { send, keep: pending.filter((write) => kept.has(write)) };
}

/**
 * Which queued SKUs to read from WooCommerce now: whole reads of 100 only, the rest waiting for the next page — or all
 * of them when `flushAll` (the end of a chunk). An incremental run finds a few changed SKUs per page; read page by
 * page they would cost a request per page, queued they fill their reads. Order is kept.
 */
export function takeReads<T>(queue: readonly T[], options: { flushAll: boolean }): { now: T[]; later: T[] } {
  const whole = options.flushAll ? queue.length : Math.floor(queue.length / BATCH_LIMIT) * BATCH_LIMIT;
  return { now: queue.slice(0, whole), later: queue.slice(whole) };
}

/** A NetSuite row reduced to what planning needs. */
export interface StockRowForPlan {
  key: string;
  available: number;
}

/** The owned WooCommerce SKUs of a page, each with its NetSuite key; `notOwned` counts rows that feed no owned SKU. */
export function ownedSkusOfPage(
  rows: readonly StockRowForPlan[],
  matching: SkuMatching,
  reversed: ReadonlyMap<string, readonly string[]>,
): { skus: { sku: string; key: string; available: number }[]; notOwned: number } {
  const skus: { sku: string; key: string; available: number }[] = [];
  let notOwned = 0;
  for (const row of rows) {
    const owned = wooSkusForKey(row.key, matching.aliases, reversed).filter((sku) => isOwnedSku(sku, matching.owns) && !sku.includes(','));
    if (owned.length === 0) notOwned++;
    for (const sku of owned) skus.push({ sku, key: row.key, available: row.available });
  }
  return { skus, notOwned };
}

/** The outcome of comparing one page's targets with WooCommerce. */
export interface PagePlan {
  writes: PendingWrite[];
  unchanged: number;
  /** Snapshot entries of the SKUs that need no write: found right, or without a WooCommerce product. */
  settled: InventorySnapshotEntry[];
  /** Owned SKUs WooCommerce has no product for. */
  missing: string[];
  /** Variable products whose variations appeared on this page. */
  parents: Set<number>;
}

/** Compares each owned SKU's target with the WooCommerce product of that SKU (products: what WooCommerce returned). */
export function planPage(
  skus: readonly { sku: string; key: string; available: number }[],
  products: readonly WooStockProduct[],
  inFlight: ReadonlyMap<string, number>,
): PagePlan {
  const bySku = new Map<string, WooStockProduct>();
  for (const product of products) if (product.sku !== '' && !bySku.has(product.sku)) bySku.set(product.sku, product);
  const byLowerSku = new Map<string, WooStockProduct>();
  for (const product of products) if (product.sku !== '' && !byLowerSku.has(product.sku.toLowerCase())) byLowerSku.set(product.sku.toLowerCase(), product);
  const plan: PagePlan = { writes: [], unchanged: 0, settled: [], missing: [], parents: new Set() };
  for (const { sku, key, available } of skus) {
    const seen: InventorySnapshotEntry = { sku, key, available, inFlight: inFlight.get(key) ?? 0 };
    // WooCommerce looks SKUs up case-insensitively (MySQL collation): accept its answer when only the case differs.
    const product = bySku.get(sku) ?? byLowerSku.get(sku.toLowerCase());
    if (product === undefined) {
      plan.missing.push(sku);
      plan.settled.push(seen);
      continue;
    }
    if (product.type === 'variation' && product.parent_id > 0) plan.parents.add(product.parent_id);
    const write = stockWrite(product, targetQuantity(available, seen.inFlight));
    if (write) plan.writes.push({ ...write, seen });
    else {
      plan.unchanged++;
      plan.settled.push(seen);
    }
  }
  return plan;
}
