/**
 * The inventory sync's activity, on the orders task queue: `syncInventoryChunk` walks a few NetSuite stock pages from
 * a cursor and makes WooCommerce's stock match, heartbeating its progress so a retry (another worker, after a crash)
 * resumes where it stopped instead of starting over. NetSuite requests go through the shared NetSuite client, whose
 * limiter caps them cluster-wide with the order sync's.
 *
 * Order of reads, per chunk: in-flight units first, then each NetSuite page, then that page's WooCommerce products,
 * then the writes. In-flight before NetSuite is the safe order: an order that reaches NetSuite between the two reads
 * is subtracted twice (WooCommerce shows too little until the next run) rather than not at all (a unit sold twice).
 * The race that remains: an order WooCommerce accepts after our in-flight read and before our write of that SKU —
 * WooCommerce has just reduced the quantity, and our absolute write puts those units back until the next run counts
 * the order as in flight (or NetSuite commits it). WooCommerce has no compare-and-set on stock, so the window is only
 * kept short: in-flight units are re-read at the start of every chunk, not once per run.
 *
 * Progress, heartbeated (a snapshot every second and after each step; Temporal keeps the latest within 0.8 × the
 * heartbeat timeout):
 *   1. after the in-flight read: the units;
 *   2. after a NetSuite page is read (or read ahead): its rows, before its WooCommerce side — a retry never reads
 *      that page again;
 *   3. after the page's WooCommerce side: the next cursor, the counts, the SKUs still to read and the writes still
 *      pending.
 * A retry resumes from the latest of these. A write sent before a crash may be sent again (writes are absolute
 * quantities, so that is harmless); a SKU written just before a crash may then be counted as unchanged.
 *
 * While a page's WooCommerce side runs, the chunk's next NetSuite page is read ahead (and heartbeated as soon as it
 * arrives), so NetSuite's latency hides behind WooCommerce's; WooCommerce reads and batches go WOOCOMMERCE_CONCURRENCY
 * at a time.
 *
 * Reads and writes are grouped across the chunk's pages: a page's SKUs are read from WooCommerce in whole reads of 100,
 * the rest with the next page's (plan.ts `takeReads`; an incremental run's few changed SKUs per page would otherwise
 * cost a read per page); the simple products' batches fill up to 100 before they are sent, and
 * a variable product's variations go in one batch once its variations are all read (plan.ts `takeBatches`);
 * everything left is sent at the end of the chunk. Per-item errors in WooCommerce's 200 answer (and a batch refused
 * whole, e.g. a parent deleted meanwhile) are counted and listed, never fatal.
 *
 * Full pass or incremental (the workflow chooses, from `inventoryPassState`; src/inventory/pass.ts): both read every
 * NetSuite page. A full pass reads every owned SKU's product; an incremental chunk first looks the page's SKUs up in
 * the snapshot (one PostgreSQL query per page) and reads only those whose NetSuite availability or in-flight units
 * differ from their entry. Either records what it settled (src/inventory/snapshot.ts says when); the last chunk of a
 * full pass completes it, which drops the entries it did not settle and starts the next full-pass interval. A
 * snapshot that cannot be read or written fails the chunk (retried): a run never writes without recording.
 */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import {
  addCounts,
  DEFAULT_FULL_PASS_HOURS,
  emptyCounts,
  LISTED_PER_KIND,
  type InventoryActivities,
  type InventoryChunkInput,
  type InventoryChunkResult,
  type InventoryCounts,
  type InventoryWriteError,
} from '../inventory/types';
import { readInFlightUnits } from '../inventory/in-flight';
import { mapConcurrent } from '../inventory/map-concurrent';
import { readNetSuiteStockPage } from '../inventory/netsuite-stock';
import {
  BATCH_LIMIT,
  chunked,
  inFlightByKey,
  isOwnedSku,
  netsuiteKeyOf,
  ownedSkusOfPage,
  planPage,
  reverseAliases,
  takeBatches,
  takeReads,
  type PendingWrite,
  type SkuMatching,
  type WriteBatch,
} from '../inventory/plan';
import type { InventoryPassState } from '../inventory/pass';
import { skusChangedSinceSnapshot, type InventorySnapshotEntry } from '../inventory/snapshot';
import type { InventorySnapshotStore } from '../state/inventory-snapshot';
import type { NetSuiteClient } from '../netsuite/client';
import { itemIdsByKey } from '../netsuite/items';
import type { WooClient } from '../woocommerce/client';
import { WooCommerceError } from '../woocommerce/errors';
import type { WooStockProduct } from '../woocommerce/product';
import { storeClientOf, toFailure } from './failures';
import { withHeartbeat } from './heartbeat';
import type { MappingSource } from './mapping-source';

export interface InventoryActivityDeps {
  /** The worker's shared NetSuite client (its limiter caps NetSuite requests cluster-wide). */
  netsuite: NetSuiteClient;
  /** One REST client per configured store, by store name. */
  stores: ReadonlyMap<string, WooClient>;
  mapping: MappingSource;
  /**
   * Where the snapshot is kept (the state database, src/state/inventory-snapshot.ts). Without one, every run is a
   * full pass and nothing is recorded.
   */
  snapshots?: InventorySnapshotStore | undefined;
  /** Hours between full passes (INVENTORY_FULL_PASS_HOURS). Default 24. */
  fullPassHours?: number | undefined;
  /** One info line per chunk (counts only: SKUs, never customer data). */
  logger?: Logger;
}

/** A NetSuite row as heartbeated: [internal ID, key, available]. */
type CompactRow = [string, string, number];

/** The chunk's progress: what a retry resumes from (see the file comment). JSON only. */
interface ChunkProgress {
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
interface StoredPage {
  /** The cursor it was read after. */
  after: string;
  rows: CompactRow[];
  nextCursor?: string;
}

/** What sending some batches did. */
interface WriteTally {
  writes: number;
  updated: number;
  errors: InventoryWriteError[];
  /** Snapshot entries of the writes WooCommerce accepted. */
  accepted: InventorySnapshotEntry[];
}

const emptyTally = (): WriteTally => ({ writes: 0, updated: 0, errors: [], accepted: [] });

/** The snapshot of the store a chunk syncs, as the chunk writes it. */
interface SnapshotWriter {
  record(entries: readonly InventorySnapshotEntry[]): Promise<void>;
  forget(skus: readonly string[]): Promise<void>;
}

/** WooCommerce requests (product reads, batches) one chunk has in flight at once. */
export const WOOCOMMERCE_CONCURRENCY = 4;

/** The progress a retried attempt heartbeated, or undefined (first attempt, or details this version cannot read). */
function resumedProgress(details: unknown): ChunkProgress | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const p = details as Partial<ChunkProgress>;
  if (p.v !== 1 || typeof p.cursor !== 'string' || typeof p.counts !== 'object' || !Array.isArray(p.pending)) return undefined;
  if (p.page !== undefined && p.page.after !== p.cursor) return undefined;
  if (p.next !== undefined && (p.page === undefined || p.next.after !== p.page.nextCursor)) return undefined;
  // Counters added since the heartbeat was made start at 0.
  return { ...(p as ChunkProgress), counts: addCounts(emptyCounts(), p.counts as InventoryCounts) };
}

const pushListed = <T>(list: T[], items: readonly T[]): void => {
  for (const item of items) {
    if (list.length >= LISTED_PER_KIND) return;
    list.push(item);
  }
};

export function createInventoryActivities(deps: InventoryActivityDeps): InventoryActivities {
  const { netsuite } = deps;

  const storeClient = (store: string): WooClient => storeClientOf(deps.stores, store, 'the next scheduled run picks it up');

  /**
   * Sends batches and tallies them into `tally` (writes, updated, failed, errors). Per-item results and whole batches
   * WooCommerce refuses as not-found / rejected are tallied, not thrown; anything else (auth, outage) is thrown.
   */
  async function sendBatches(woo: WooClient, batches: readonly WriteBatch[], tally: WriteTally, signal: AbortSignal): Promise<void> {
    await mapConcurrent(batches, WOOCOMMERCE_CONCURRENCY, async (batch) => {
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

  /** Adds a tally into the progress (synchronously: a heartbeat sees all of it or none). */
  const commitTally = (progress: ChunkProgress, tally: WriteTally): void => {
    progress.counts.writes += tally.writes;
    progress.counts.updated += tally.updated;
    progress.counts.failed += tally.errors.length;
    pushListed(progress.errors, tally.errors);
  };

  /**
   * Sends batches with the snapshot kept honest around them: the entries of the SKUs about to be written are removed
   * first, and the accepted ones recorded after (so a write cut off or refused leaves no entry).
   */
  async function sendRecorded(
    woo: WooClient,
    batches: readonly WriteBatch[],
    tally: WriteTally,
    signal: AbortSignal,
    recorder: SnapshotWriter | undefined,
  ): Promise<void> {
    if (batches.length === 0) return;
    await recorder?.forget(batches.flatMap((batch) => batch.items.map((item) => item.sku)));
    await sendBatches(woo, batches, tally, signal);
    await recorder?.record(tally.accepted);
  }

  return {
    async inventoryPassState(store: string): Promise<InventoryPassState> {
      storeClient(store);
      const fullPassHours = deps.fullPassHours ?? DEFAULT_FULL_PASS_HOURS;
      if (deps.snapshots === undefined) return { snapshotKept: false, fullPassHours };
      const lastFullPass = await deps.snapshots.lastFullPass(store);
      return { snapshotKept: true, fullPassHours, ...(lastFullPass ? { lastFullPass } : {}) };
    },

    async syncInventoryChunk(input: InventoryChunkInput): Promise<InventoryChunkResult> {
      const context = Context.current();
      const signal = context.cancellationSignal;
      const woo = storeClient(input.store);
      // The snapshot is kept only for a run that says when it started (runs from before snapshots do not).
      const { runStartedAt } = input;
      const snapshots = runStartedAt !== undefined ? deps.snapshots : undefined;
      const recorder: SnapshotWriter | undefined =
        snapshots !== undefined && runStartedAt !== undefined
          ? { record: (entries) => snapshots.record(input.store, entries, runStartedAt), forget: (skus) => snapshots.forget(input.store, skus) }
          : undefined;
      const incremental = input.pass === 'incremental' && snapshots !== undefined;
      const mapping = deps.mapping.forStore(input.store);
      const { locations, pageSize, owns, inFlightLookbackDays } = mapping.inventory;
      const matching: SkuMatching = { aliases: mapping.items.aliases, owns };
      const reversed = reverseAliases(matching.aliases);

      const resumed = resumedProgress(context.info.heartbeatDetails);
      const progress: ChunkProgress = resumed ?? {
        v: 1,
        cursor: input.cursor,
        pagesDone: 0,
        walkDone: false,
        counts: emptyCounts(),
        errors: [],
        missingInWooCommerce: [],
        inFlightKeysFound: [],
        pending: [],
      };
      // A snapshot: the SDK may serialize heartbeat details after this call returns, and progress keeps changing.
      const snapshot = (): ChunkProgress => JSON.parse(JSON.stringify(progress)) as ChunkProgress;
      const beat = (): void => context.heartbeat(snapshot());
      try {
        return await withHeartbeat(
          async () => {
            if (resumed)
              deps.logger?.info(
                { store: input.store, cursor: progress.cursor, pagesDone: progress.pagesDone, pendingPage: progress.page !== undefined },
                'inventory chunk resumed from its heartbeat',
              );
            if (progress.inFlight === undefined) {
              const read = await readInFlightUnits(woo, { statuses: mapping.syncStatuses, lookbackDays: inFlightLookbackDays }, { signal });
              progress.inFlight = { units: [...read.units], orders: read.orders.length };
              progress.counts.orderReads += read.requests;
              beat();
            }
            const inFlight = inFlightByKey(progress.inFlight.units, matching);
            const found = new Set(progress.inFlightKeysFound);

            /** Reads the page after `after`; the caller stores it in `progress` and counts it in the same step. */
            const readPage = async (after: string): Promise<StoredPage> => {
              const page = await readNetSuiteStockPage(
                netsuite,
                { locations, matchBy: mapping.items.matchBy, afterItemId: after, limit: pageSize },
                { signal },
              );
              return {
                after,
                rows: page.rows.map((row): CompactRow => [row.itemId, row.key, row.available]),
                ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
              };
            };
            const countPage = (page: StoredPage): void => {
              progress.counts.pagesRead++;
              progress.counts.skusRead += page.rows.length;
            };

            while (!progress.walkDone && progress.pagesDone < input.maxPages) {
              if (progress.page === undefined) {
                progress.page = await readPage(progress.cursor);
                countPage(progress.page);
                beat();
              }
              // Read the next page of this chunk while this one's WooCommerce side runs; it is heartbeated as soon as it
              // arrives, so a retry uses it instead of reading it again.
              const ahead = progress.page.nextCursor;
              const readAhead =
                ahead !== undefined && progress.next === undefined && progress.pagesDone + 1 < input.maxPages
                  ? readPage(ahead).then((next) => {
                      progress.next = next;
                      countPage(next);
                      beat();
                    })
                  : Promise.resolve();
              readAhead.catch(() => undefined); // awaited below; a WooCommerce failure first must not leave it unhandled
              // The WooCommerce side of the page works on locals and is committed to `progress` in one synchronous step:
              // until then every heartbeat still says "page read, WooCommerce side not done", so a retry redoes exactly it.
              const { rows, nextCursor } = progress.page;
              const pageFound = rows.flatMap(([, key]) => (inFlight.has(key) ? [key] : []));
              const owned = ownedSkusOfPage(
                rows.map(([, key, available]) => ({ key, available })),
                matching,
                reversed,
              );
              // Incremental: only the SKUs whose NetSuite availability or in-flight units changed since their entry.
              const { changed, unchanged: skipped } = incremental
                ? skusChangedSinceSnapshot(
                    owned.skus,
                    inFlight,
                    await snapshots.entries(
                      input.store,
                      owned.skus.map((s) => s.sku),
                    ),
                  )
                : { changed: owned.skus, unchanged: 0 };
              const lastOfChunk = nextCursor === undefined || progress.pagesDone + 1 >= input.maxPages;
              const queued = [...(progress.unread ?? []).map(([sku, key, available]) => ({ sku, key, available })), ...changed];
              const { now: toRead, later: unread } = takeReads(queued, { flushAll: lastOfChunk });
              const reads = chunked(
                toRead.map((s) => s.sku),
                BATCH_LIMIT,
              );
              const products: WooStockProduct[] = (
                await mapConcurrent(reads, WOOCOMMERCE_CONCURRENCY, (skus) => woo.findProductsBySku(skus, { signal }))
              ).flat();
              const productReads = reads.length;
              const plan = planPage(toRead, products, inFlight);
              const { send, keep } = takeBatches([...progress.pending, ...plan.writes], { flushAll: lastOfChunk, openParents: plan.parents });
              const tally = emptyTally();
              await recorder?.record(plan.settled);
              await sendRecorded(woo, send, tally, signal, recorder);
              await readAhead;

              commitTally(progress, tally);
              progress.pending = keep;
              progress.unread = unread.map(({ sku, key, available }): [string, string, number] => [sku, key, available]);
              progress.counts.productReads += productReads;
              progress.counts.unchanged += plan.unchanged;
              progress.counts.skipped += skipped;
              progress.counts.notOwned += owned.notOwned;
              progress.counts.missingInWooCommerce += plan.missing.length;
              pushListed(progress.missingInWooCommerce, plan.missing);
              for (const key of pageFound) found.add(key);
              progress.inFlightKeysFound = [...found];
              progress.pagesDone++;
              if (nextCursor === undefined) progress.walkDone = true;
              else progress.cursor = nextCursor;
              delete progress.page;
              if (progress.next !== undefined) progress.page = progress.next;
              delete progress.next;
              beat();
            }
            if (progress.pending.length > 0) {
              const tally = emptyTally();
              await sendRecorded(woo, takeBatches(progress.pending, { flushAll: true }).send, tally, signal, recorder);
              commitTally(progress, tally);
              progress.pending = [];
              beat();
            }

            const result: InventoryChunkResult = {
              ...(progress.walkDone ? {} : { nextCursor: progress.cursor }),
              counts: progress.counts,
              errors: progress.errors,
              missingInWooCommerce: progress.missingInWooCommerce,
              inFlightKeysFound: progress.inFlightKeysFound,
              inFlight: { units: progress.inFlight.units.reduce((sum, [, units]) => sum + units, 0), orders: progress.inFlight.orders },
            };
            if (progress.walkDone) {
              // "Missing in NetSuite": owned SKUs of in-flight lines whose key no page of this run contained. A key whose
              // page was read before the order arrived is looked up once more before it is reported. Other WooCommerce
              // SKUs NetSuite lacks would need a full WooCommerce catalog listing: the reconciliation's job, not this one's.
              const allFound = new Set([...input.inFlightKeysFound, ...found]);
              const candidates = [...inFlight.keys()].filter((key) => !allFound.has(key)).sort();
              const existing = await itemIdsByKey(netsuite, mapping.items.matchBy, candidates, { activeInventoryOnly: true, signal });
              const missingKeys = new Set(candidates.filter((key) => !existing.has(key)));
              const skus = progress.inFlight.units
                .map(([sku]) => sku)
                .filter((sku) => isOwnedSku(sku, owns) && missingKeys.has(netsuiteKeyOf(sku, matching.aliases)))
                .sort();
              result.missingInNetSuite = { count: skus.length, skus: skus.slice(0, LISTED_PER_KIND) };
              if (input.pass === 'full' && snapshots !== undefined && runStartedAt !== undefined) {
                // Every owned SKU was settled or refused by this pass: entries it did not settle are dropped, and the
                // next full pass is due INVENTORY_FULL_PASS_HOURS after this one started.
                const dropped = await snapshots.completeFullPass(input.store, { startedAt: runStartedAt, finishedAt: new Date().toISOString() });
                deps.logger?.info({ store: input.store, startedAt: runStartedAt, dropped }, 'inventory full pass recorded');
              }
            }
            deps.logger?.info(
              { store: input.store, pass: input.pass ?? 'full', cursor: input.cursor, nextCursor: result.nextCursor ?? null, ...progress.counts },
              'inventory chunk done',
            );
            return result;
          },
          { details: snapshot },
        );
      } catch (error) {
        throw toFailure(error, 'syncing inventory');
      }
    },
  };
}
