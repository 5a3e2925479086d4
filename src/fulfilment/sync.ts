/**
 * One fulfilment sync of one store (scheduled every few minutes): NetSuite's shipments → the order workflows.
 *
 * 1. The item fulfilments of this store's sales orders changed since the durable cursor (minus an overlap window),
 *    a keyset page at a time. A shipped one nobody claimed yet, or a claimed one no longer shipped, makes its sales
 *    order "touched"; a claimed one still shipped was pushed already and is left alone; an unclaimed one not shipped
 *    (picked, packed) waits.
 * 2. The fulfilments deleted since the same instant (NetSuite's deleted-record log): a claimed one touches its order.
 * 3. For each page's touched sales orders: their whole shipping state (lines to ship, every fulfilment with lines and
 *    packages), sent to the order workflow `woo-order:<store>:<orderId>` (signal-with-start). The workflow decides
 *    against the order's meta what to push — so a page read twice (overlap, a retry after a crash) pushes nothing twice.
 *
 * The WooCommerce order is the one the sales order's order-number field names (its ID, unless a numbering plugin
 * changed it; the workflow checks the order key before pushing). The new cursor is the instant the reading began,
 * stored only after every page was handled, so a crash re-reads the same window.
 */
import { mapConcurrent } from '../inventory/map-concurrent';
import type { NetSuiteClient } from '../netsuite/client';
import { readChangedFulfilmentsPage, readDeletedFulfilmentsPage, readSalesOrderShipping, type StoreSalesOrders } from '../netsuite/fulfilment-reads';
import { cursorWindow, type CursorStore } from '../state/cursor-store';
import type { PushedFulfilmentIndex } from '../state/pushed-fulfilments';
import { orderIdFromNumber } from '../woocommerce/order';
import type { SalesOrderShipping } from './types';

export interface FulfilmentSyncInput {
  store: string;
  /** Minutes re-read before the cursor (clock skew, whole-second timestamps). Default 10. */
  overlapMinutes?: number;
  /** With no cursor yet (first run), how far back to look, in hours. Default 24. */
  initialLookbackHours?: number;
  /** SuiteQL rows per request (tests use small pages). Default 1000. */
  pageSize?: number;
}

/** Where a sync stopped: a retried activity resumes after the last page it handled. */
export interface FulfilmentSyncProgress {
  phase: 'changed' | 'deleted';
  afterId: string;
  /** The instants of the first attempt, so a resumed sync reads the same window. */
  since: string;
  cursor: string;
  counts: FulfilmentSyncCounts;
}

export interface FulfilmentSyncCounts {
  /** Changed fulfilments of this store's sales orders read. */
  changed: number;
  /** Of those: shipped and not pushed yet. */
  newlyShipped: number;
  /** Of those: claimed and still shipped (pushed before; nothing to do). */
  alreadyPushed: number;
  /** Of those: not shipped yet and never pushed (picked, packed). */
  notShipped: number;
  /** Pushed fulfilments no longer shipped, or deleted. */
  reverted: number;
  /** Deleted fulfilments read from the deleted-record log. */
  deleted: number;
  /** Order workflows signalled (one per touched sales order). */
  ordersSignalled: number;
  /** Touched sales orders with no WooCommerce order to send them to. */
  unroutable: number;
  /** NetSuite requests. */
  requests: number;
  pages: number;
}

export interface FulfilmentSyncResult extends FulfilmentSyncCounts {
  store: string;
  since: string;
  cursor: string;
  /** Sales orders that could not be routed, with why (at most 100). */
  unroutableSalesOrders: { salesOrderId: string; tranId?: string; reason: string }[];
}

export const FULFILMENT_SYNC_DEFAULTS = { overlapMinutes: 10, initialLookbackHours: 24 } as const;

export interface FulfilmentSyncDeps {
  netsuite: NetSuiteClient;
  cursors: CursorStore;
  index: PushedFulfilmentIndex;
  /** Sends one sales order's shipping state to its order workflow (signal-with-start). */
  signalOrder: (shipping: SalesOrderShipping) => Promise<void>;
  salesOrders: Omit<StoreSalesOrders, 'store'>;
  now?: () => Date;
  signal?: AbortSignal;
  /** A retried activity's last heartbeat. */
  resume?: FulfilmentSyncProgress;
  /** Called after each page (the activity heartbeats it). */
  progress?: (progress: FulfilmentSyncProgress) => void;
}

/** The cursor row of a store. */
export const fulfilmentCursorName = (store: string): string => `fulfilment:${store}`;

/** The sales orders a page touched: the WooCommerce order a claim names (when one does), and the deleted fulfilments. */
type Touched = Map<string, { orderId?: number; deleted: { id: string; tranId?: string }[] }>;

const UNROUTABLE_KEPT = 100;
/** Order workflows signalled at once. */
const SIGNAL_CONCURRENCY = 16;

const emptyCounts = (): FulfilmentSyncCounts => ({
  changed: 0,
  newlyShipped: 0,
  alreadyPushed: 0,
  notShipped: 0,
  reverted: 0,
  deleted: 0,
  ordersSignalled: 0,
  unroutable: 0,
  requests: 0,
  pages: 0,
});

export async function syncFulfilments(deps: FulfilmentSyncDeps, input: FulfilmentSyncInput): Promise<FulfilmentSyncResult> {
  const now = deps.now ?? (() => new Date());
  const cursorName = fulfilmentCursorName(input.store);
  let since: string;
  let cursor: string;
  let counts: FulfilmentSyncCounts;
  if (deps.resume) {
    ({ since, cursor } = deps.resume);
    counts = { ...emptyCounts(), ...deps.resume.counts };
  } else {
    ({ since, cursor } = cursorWindow(await deps.cursors.get(cursorName), now(), {
      overlapMinutes: input.overlapMinutes ?? FULFILMENT_SYNC_DEFAULTS.overlapMinutes,
      initialLookbackHours: input.initialLookbackHours ?? FULFILMENT_SYNC_DEFAULTS.initialLookbackHours,
    }));
    counts = emptyCounts();
  }
  const unroutable: FulfilmentSyncResult['unroutableSalesOrders'] = [];
  const q: StoreSalesOrders = { store: input.store, ...deps.salesOrders };
  const readOptions = {
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
    onRequest: () => {
      counts.requests++;
    },
  };

  /** What the pushed-fulfilment index holds of a page's fulfilments (by fulfilment ID). */
  const claimsOfPage = (rows: readonly { id: string }[]) =>
    deps.index.claimsOf(
      input.store,
      rows.map((r) => r.id),
    );

  /** Reads the touched sales orders' shipping and signals each order workflow. */
  async function signalTouched(touched: Touched): Promise<void> {
    if (touched.size === 0) return;
    const shipping = await readSalesOrderShipping(deps.netsuite, { ...deps.salesOrders, salesOrderIds: [...touched.keys()] }, readOptions);
    const readAt = now().toISOString();
    const signals: SalesOrderShipping[] = [];
    for (const [salesOrderId, t] of touched) {
      // A sales order NetSuite no longer has ships nothing: what was pushed of it is reverted (the workflow says so).
      const { orderNumber, ...state } = shipping.get(salesOrderId) ?? { salesOrderId, lines: [], fulfilments: [] };
      const orderId = orderIdFromNumber(orderNumber) ?? t.orderId;
      if (orderId === undefined) {
        counts.unroutable++;
        const reason = `its ${deps.salesOrders.orderNumberField} (${orderNumber ?? 'empty'}) is not a WooCommerce order ID`;
        if (unroutable.length < UNROUTABLE_KEPT) unroutable.push({ salesOrderId, ...(state.tranId ? { tranId: state.tranId } : {}), reason });
        continue;
      }
      signals.push({ ...state, store: input.store, orderId, deleted: t.deleted, readAt });
    }
    // A few signal-with-starts at a time: a page of a thousand shipped orders costs a few seconds, not one round trip each.
    await mapConcurrent(signals, SIGNAL_CONCURRENCY, async (shipping) => {
      await deps.signalOrder(shipping);
      counts.ordersSignalled++;
    });
  }

  const report = (phase: FulfilmentSyncProgress['phase'], afterId: string): void => deps.progress?.({ phase, afterId, since, cursor, counts: { ...counts } });

  // 1. Changed fulfilments.
  if (!deps.resume || deps.resume.phase === 'changed') {
    let afterId = deps.resume?.afterId ?? '0';
    for (;;) {
      const page = await readChangedFulfilmentsPage(deps.netsuite, { ...q, since, afterId }, readOptions);
      counts.pages++;
      counts.changed += page.rows.length;
      const claims = await claimsOfPage(page.rows);
      const touched: Touched = new Map();
      for (const row of page.rows) {
        const claim = claims.get(row.id);
        if (row.shipped === (claim !== undefined)) {
          if (row.shipped) counts.alreadyPushed++;
          else counts.notShipped++;
          continue;
        }
        // Shipped and not pushed yet, or pushed and no longer shipped: the sales order goes to its order workflow.
        if (row.shipped) counts.newlyShipped++;
        else counts.reverted++;
        if (!touched.has(row.salesOrderId)) touched.set(row.salesOrderId, { ...(claim ? { orderId: claim.orderId } : {}), deleted: [] });
      }
      await signalTouched(touched);
      if (page.nextAfterId === undefined) break;
      afterId = page.nextAfterId;
      report('changed', afterId);
    }
    report('deleted', '0');
  }

  // 2. Deleted fulfilments.
  let afterId = deps.resume?.phase === 'deleted' ? deps.resume.afterId : '0';
  for (;;) {
    const page = await readDeletedFulfilmentsPage(deps.netsuite, { since, afterId }, readOptions);
    counts.pages++;
    const claims = await claimsOfPage(page.rows);
    const touched: Touched = new Map();
    for (const row of page.rows) {
      const claim = claims.get(row.id);
      if (!claim) continue; // never pushed (or another store's): nothing the customer was told
      counts.deleted++;
      counts.reverted++;
      const t = touched.get(claim.salesOrderId) ?? { orderId: claim.orderId, deleted: [] };
      t.deleted.push(row);
      touched.set(claim.salesOrderId, t);
    }
    await signalTouched(touched);
    if (page.nextAfterId === undefined) break;
    afterId = page.nextAfterId;
    report('deleted', afterId);
  }

  const stored = await deps.cursors.set(cursorName, cursor, { onlyForward: true });
  return { store: input.store, since, cursor: stored, ...counts, unroutableSalesOrders: unroutable };
}
