/**
 * The inventory chunk's progress, as the activity heartbeats it (inventory-activities.ts says when): what a retried
 * attempt resumes from. JSON only, and checked before it is trusted: details this version cannot read start over.
 */
import { addCounts, emptyCounts, LISTED_PER_KIND, type InventoryCounts, type InventoryWriteError } from '../inventory/types';
import type { PendingWrite } from '../inventory/plan';

/** A NetSuite row as heartbeated: [internal ID, key, available]. */
export type CompactRow = [string, string, number];

/** The chunk's progress: what a retry resumes from. JSON only. */
export interface ChunkProgress {
  v: 1;
  /** Cursor of the next page to read. */
  cursor: string;
  /** Pages whose WooCommerce side is done. */
  pagesDone: number;
  /** NetSuite has no more pages (only the pending writes may be left). */
  walkDone: boolean;
  counts: InventoryCounts;
  errors: InventoryWriteError[];
  missingInWooCommerce: string[];
  inFlightKeysFound: string[];
  /** The in-flight reading: [WooCommerce SKU, units][]. */
  inFlight?: { units: [string, number][]; orders: number };
  /** Computed, not yet sent. */
  pending: PendingWrite[];
  /** Owned SKUs of pages done, to read from WooCommerce with the next ones (whole reads of 100): [SKU, key, available]. */
  unread?: [string, string, number][];
  /** A page read from NetSuite whose WooCommerce side is not done. */
  page?: StoredPage;
  /** The page after `page`, read ahead while `page`'s WooCommerce side runs. */
  next?: StoredPage;
}

/** A NetSuite page as heartbeated. */
export interface StoredPage {
  /** The cursor it was read after. */
  after: string;
  rows: CompactRow[];
  nextCursor?: string;
}

/** The progress of a chunk that starts at `cursor`: nothing done yet. */
export function startProgress(cursor: string): ChunkProgress {
  return {
    v: 1,
    cursor,
    pagesDone: 0,
    walkDone: false,
    counts: emptyCounts(),
    errors: [],
    missingInWooCommerce: [],
    inFlightKeysFound: [],
    pending: [],
  };
}

/** The progress a retried attempt heartbeated, or undefined (first attempt, or details this version cannot read). */
export function resumedProgress(details: unknown): ChunkProgress | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const p = details as Partial<ChunkProgress>;
  if (p.v !== 1 || typeof p.cursor !== 'string' || typeof p.counts !== 'object' || !Array.isArray(p.pending)) return undefined;
  if (p.page !== undefined && p.page.after !== p.cursor) return undefined;
  if (p.next !== undefined && (p.page === undefined || p.next.after !== p.page.nextCursor)) return undefined;
  // Counters added since the heartbeat was made start at 0.
  return { ...(p as ChunkProgress), counts: addCounts(emptyCounts(), p.counts as InventoryCounts) };
}

/** Appends `items` to a listed kind (errors, missing SKUs) up to LISTED_PER_KIND. */
export const pushListed = <T>(list: T[], items: readonly T[]): void => {
  for (const item of items) {
    if (list.length >= LISTED_PER_KIND) return;
    list.push(item);
  }
};
