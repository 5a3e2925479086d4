/**
 * The inventory snapshot: per owned WooCommerce SKU, what NetSuite said the last time a run made WooCommerce hold the
 * target for it — the NetSuite key it maps to, Σ available over the configured locations, and the in-flight units of
 * that key. Kept in PostgreSQL (src/state/inventory-snapshot.ts) so it outlives workers; pure rules here.
 *
 * An incremental run reads WooCommerce only for the SKUs whose entry differs from what NetSuite and the in-flight
 * orders say now (a new SKU has no entry, so it is read). Both numbers count: a changed in-flight count changes the
 * target as surely as a changed availability (an order skipped by an operator gives its units back, an order synced
 * to NetSuite moves them from in flight to committed), so a SKU whose in-flight units changed is never skipped.
 *
 * When an entry is written:
 * - a SKU read and found right, or that WooCommerce has no product for: recorded at once (a product created later
 *   gets its stock at the next full pass, or when NetSuite's numbers for it change);
 * - a SKU to be written: its entry is removed before the write is sent and recorded once WooCommerce accepted it. A
 *   write refused, or cut off by a crash, leaves no entry, so the next run reads the SKU again — never a stale entry
 *   that happens to match NetSuite again while WooCommerce holds something else.
 * A full pass records every SKU it settles and, when it completes, drops the entries it did not settle (items gone
 * from NetSuite, ownership changed, writes refused).
 *
 * What no entry can see: stock changed on the WooCommerce side alone — edited in WP admin, restocked on a refund, taken
 * by an order that never counts as in flight (skipped at once by a sync rule). An incremental run leaves those SKUs
 * alone; the next full pass corrects them.
 */

/** One SKU's entry. */
export interface InventorySnapshotEntry {
  /** The WooCommerce SKU. */
  sku: string;
  /** The NetSuite key (itemid or externalid) the SKU maps to. */
  key: string;
  /** Σ quantityavailable over the configured locations, as NetSuite said it. */
  available: number;
  /** Units of in-flight orders of that key, as the run counted them. */
  inFlight: number;
}

/** An owned SKU of a NetSuite page, with what NetSuite says now. */
export interface OwnedSku {
  sku: string;
  key: string;
  available: number;
}

/** true when NetSuite and the in-flight orders say exactly what the entry recorded. */
export function unchangedSinceSnapshot(entry: InventorySnapshotEntry | undefined, now: OwnedSku, inFlight: number): boolean {
  return entry !== undefined && entry.key === now.key && entry.available === now.available && entry.inFlight === inFlight;
}

/**
 * Splits a page's owned SKUs: those to read from WooCommerce (changed since their entry, or without one) and the
 * number left alone.
 */
export function skusChangedSinceSnapshot<S extends OwnedSku>(
  skus: readonly S[],
  inFlight: ReadonlyMap<string, number>,
  entries: ReadonlyMap<string, InventorySnapshotEntry>,
): { changed: S[]; unchanged: number } {
  const changed: S[] = [];
  let unchanged = 0;
  for (const sku of skus) {
    if (unchangedSinceSnapshot(entries.get(sku.sku), sku, inFlight.get(sku.key) ?? 0)) unchanged++;
    else changed.push(sku);
  }
  return { changed, unchanged };
}
