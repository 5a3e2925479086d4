/**
 * The inventory chunk's writes: stock batches sent to WooCommerce a few at a time, with the snapshot kept honest
 * around them, and tallied — per-item errors in WooCommerce's 200 answer (and a batch refused whole, e.g. a parent
 * deleted meanwhile) are counted and listed, never fatal.
 */
import { mapConcurrent } from '../inventory/map-concurrent';
import type { WriteBatch } from '../inventory/plan';
import type { InventorySnapshotEntry } from '../inventory/snapshot';
import type { InventoryWriteError } from '../inventory/types';
import type { WooClient } from '../woocommerce/client';
import { WooCommerceError } from '../woocommerce/errors';
import { pushListed, type ChunkProgress } from './inventory-progress';

/** What sending some batches did. */
export interface WriteTally {
  writes: number;
  updated: number;
  errors: InventoryWriteError[];
  /** Snapshot entries of the writes WooCommerce accepted. */
  accepted: InventorySnapshotEntry[];
}

export const emptyTally = (): WriteTally => ({ writes: 0, updated: 0, errors: [], accepted: [] });

/** The snapshot of the store a chunk syncs, as the chunk writes it. */
export interface SnapshotWriter {
  record(entries: readonly InventorySnapshotEntry[]): Promise<void>;
  forget(skus: readonly string[]): Promise<void>;
}

/** How batches are sent: at most `concurrency` at once, cancelled with `signal`. */
export interface SendOptions {
  signal: AbortSignal;
  concurrency: number;
}

/**
 * Sends batches and tallies them into `tally` (writes, updated, failed, errors). Per-item results and whole batches
 * WooCommerce refuses as not-found / rejected are tallied, not thrown; anything else (auth, outage) is thrown.
 */
async function sendBatches(woo: WooClient, batches: readonly WriteBatch[], tally: WriteTally, { signal, concurrency }: SendOptions): Promise<void> {
  await mapConcurrent(batches, concurrency, async (batch) => {
    const byId = new Map(batch.items.map((item) => [item.id, item]));
    const updates = batch.items.map(({ id, stock_quantity, manage_stock }) => (manage_stock ? { id, stock_quantity, manage_stock } : { id, stock_quantity }));
    const parent = batch.parentId !== 0 ? { parentId: batch.parentId } : {};
    try {
      const results = await woo.updateStock(updates, { signal, ...parent });
      tally.writes++;
      for (const result of results) {
        if (result.ok) {
          tally.updated++;
          const seen = byId.get(result.id)?.seen;
          if (seen !== undefined) tally.accepted.push(seen);
        } else tally.errors.push({ sku: byId.get(result.id)?.sku ?? '', productId: result.id, ...parent, code: result.code, message: result.message });
      }
    } catch (error) {
      if (!(error instanceof WooCommerceError) || (error.kind !== 'not-found' && error.kind !== 'rejected')) throw error;
      tally.writes++;
      for (const item of batch.items)
        tally.errors.push({ sku: item.sku, productId: item.id, ...parent, code: error.code ?? error.kind, message: error.detail });
    }
  });
}

/**
 * Sends batches with the snapshot kept honest around them: the entries of the SKUs about to be written are removed
 * first, and the accepted ones recorded after (so a write cut off or refused leaves no entry).
 */
export async function sendRecorded(
  woo: WooClient,
  batches: readonly WriteBatch[],
  tally: WriteTally,
  options: SendOptions,
  recorder: SnapshotWriter | undefined,
): Promise<void> {
  if (batches.length === 0) return;
  await recorder?.forget(batches.flatMap((batch) => batch.items.map((item) => item.sku)));
  await sendBatches(woo, batches, tally, options);
  await recorder?.record(tally.accepted);
}

/** Adds a tally into the progress (synchronously: a heartbeat sees all of it or none). */
export const commitTally = (progress: ChunkProgress, tally: WriteTally): void => {
  progress.counts.writes += tally.writes;
  progress.counts.updated += tally.updated;
  progress.counts.failed += tally.errors.length;
  pushListed(progress.errors, tally.errors);
};
