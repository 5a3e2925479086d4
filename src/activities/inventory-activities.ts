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
 *
 * This file is the chunk's walk; its reads are inventory-reads.ts, its writes inventory-writes.ts, the heartbeated
 * progress inventory-progress.ts, and the planning between them src/inventory/plan.ts.
 */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { DEFAULT_FULL_PASS_HOURS, type InventoryChunkInput, type InventoryChunkResult } from '../inventory/types';
import { readInFlightUnits } from '../inventory/in-flight';
import { inFlightByKey, planPage, reverseAliases, takeBatches, type SkuMatching } from '../inventory/plan';
import type { InventoryPassState } from '../inventory/pass';
import type { InventorySnapshotStore } from '../state/inventory-snapshot';
import type { NetSuiteClient } from '../netsuite/client';
import type { WooClient } from '../woocommerce/client';
import { storeClientOf, toFailure } from './failures';
import { withHeartbeat } from './heartbeat';
import { pushListed, resumedProgress, startProgress, type ChunkProgress, type StoredPage } from './inventory-progress';
import { missingInNetSuite, readPageProducts, readStockPage } from './inventory-reads';
import { commitTally, emptyTally, sendRecorded, type SnapshotWriter } from './inventory-writes';
import type { MappingSource } from './mapping-source';
import type { InventoryActivities } from './types';

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

/** WooCommerce requests (product reads, batches) one chunk has in flight at once. */
export const WOOCOMMERCE_CONCURRENCY = 4;

export function createInventoryActivities(deps: InventoryActivityDeps): InventoryActivities {
  const { netsuite } = deps;

  const storeClient = (store: string): WooClient => storeClientOf(deps.stores, store, 'the next scheduled run picks it up');

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
      const kept =
        input.runStartedAt !== undefined && deps.snapshots !== undefined ? { snapshots: deps.snapshots, runStartedAt: input.runStartedAt } : undefined;
      const recorder: SnapshotWriter | undefined =
        kept !== undefined
          ? { record: (entries) => kept.snapshots.record(input.store, entries, kept.runStartedAt), forget: (skus) => kept.snapshots.forget(input.store, skus) }
          : undefined;
      // Incremental: a page's SKUs are looked up in the snapshot before they are read.
      const snapshotEntries = input.pass === 'incremental' && kept !== undefined ? (skus: string[]) => kept.snapshots.entries(input.store, skus) : undefined;
      const mapping = deps.mapping.forStore(input.store);
      const { locations, pageSize, owns, inFlightLookbackDays } = mapping.inventory;
      const matching: SkuMatching = { aliases: mapping.items.aliases, owns };
      const reversed = reverseAliases(matching.aliases);
      const sending = { signal, concurrency: WOOCOMMERCE_CONCURRENCY };

      const resumed = resumedProgress(context.info.heartbeatDetails);
      const progress: ChunkProgress = resumed ?? startProgress(input.cursor);
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
            const readPage = (after: string): Promise<StoredPage> =>
              readStockPage(netsuite, { locations, matchBy: mapping.items.matchBy, pageSize }, after, signal);
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
              const lastOfChunk = nextCursor === undefined || progress.pagesDone + 1 >= input.maxPages;
              const queued = (progress.unread ?? []).map(([sku, key, available]) => ({ sku, key, available }));
              const read = await readPageProducts(
                woo,
                { rows, queued, last: lastOfChunk },
                { matching, reversed, inFlight, snapshotEntries, concurrency: WOOCOMMERCE_CONCURRENCY, signal },
              );
              const plan = planPage(read.read, read.products, inFlight);
              const { send, keep } = takeBatches([...progress.pending, ...plan.writes], { flushAll: lastOfChunk, openParents: plan.parents });
              const tally = emptyTally();
              await recorder?.record(plan.settled);
              await sendRecorded(woo, send, tally, sending, recorder);
              await readAhead;

              commitTally(progress, tally);
              progress.pending = keep;
              progress.unread = read.unread.map(({ sku, key, available }): [string, string, number] => [sku, key, available]);
              progress.counts.productReads += read.requests;
              progress.counts.unchanged += plan.unchanged;
              progress.counts.skipped += read.skipped;
              progress.counts.notOwned += read.notOwned;
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
              await sendRecorded(woo, takeBatches(progress.pending, { flushAll: true }).send, tally, sending, recorder);
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
              // Keys a page of this run contained, in this chunk or an earlier one.
              const allFound = new Set([...input.inFlightKeysFound, ...found]);
              result.missingInNetSuite = await missingInNetSuite(
                netsuite,
                { units: progress.inFlight.units, byKey: inFlight },
                allFound,
                { ...matching, matchBy: mapping.items.matchBy },
                signal,
              );
              if (input.pass === 'full' && kept !== undefined) {
                // Every owned SKU was settled or refused by this pass: entries it did not settle are dropped, and the
                // next full pass is due INVENTORY_FULL_PASS_HOURS after this one started.
                const dropped = await kept.snapshots.completeFullPass(input.store, { startedAt: kept.runStartedAt, finishedAt: new Date().toISOString() });
                deps.logger?.info({ store: input.store, startedAt: kept.runStartedAt, dropped }, 'inventory full pass recorded');
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
