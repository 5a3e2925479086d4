/**
 * One catch-up poll of one store (see types.ts for why it exists).
 *
 * First our webhooks WooCommerce disabled are turned back on (webhooks.ts). Listing, 100 per page:
 * `GET /orders?status=<sync statuses, cancelled, refunded>&modified_after=<cursor − overlap>&orderby=id&order=asc`.
 * Ordered by ID with a fixed lower bound, the result set only grows while we page (an order modified meanwhile stays in
 * it at its place; a newly modified one may push entries to a later page, where they are read twice): nothing is
 * skipped. The new cursor is the instant listing began, stored only after every page was handled, so a crash re-polls
 * the same window (starting a workflow twice is a no-op by workflow ID). Anything modified after that instant is the
 * next poll's.
 */
import type { WooClient } from '../woocommerce/client';
import { MAX_PER_PAGE } from '../woocommerce/client-http';
import { nothingToFollow } from '../woocommerce/order-digest';
import { ORDER_META, orderMetaValue } from '../woocommerce/order-meta';
import type { StartOrder } from '../order-starter';
import { orderContextOf } from '../outcome';
import { cursorWindow, type CursorStore } from '../state/cursor-store';
import { CATCH_UP_DEFAULTS, type CatchUpInput, type CatchUpResult } from './types';
import { reviveWebhooks } from './webhooks';

export interface CatchUpDeps {
  woo: WooClient;
  cursors: CursorStore;
  startOrder: StartOrder;
  /** The store's sync statuses (mapping `syncStatuses`). */
  syncStatuses: readonly string[];
  now?: () => Date;
  signal?: AbortSignal;
  /** Called after each page (the activity heartbeats). */
  progress?: (page: number) => void;
}

/** Statuses listed besides the sync statuses: a synced order that reaches them still has changes for NetSuite. */
const FOLLOWED_STATUSES = ['cancelled', 'refunded'];

/** Largest number of started order IDs kept in the result (the count is always exact). */
const STARTED_IDS_KEPT = 100;

/** The cursor row of a store. */
export const catchUpCursorName = (store: string): string => `catch-up:${store}`;

export async function pollMissedOrders(deps: CatchUpDeps, input: CatchUpInput): Promise<CatchUpResult> {
  const now = deps.now ?? (() => new Date());
  const cursorName = catchUpCursorName(input.store);
  const window = cursorWindow(await deps.cursors.get(cursorName), now(), {
    overlapMinutes: input.overlapMinutes ?? CATCH_UP_DEFAULTS.overlapMinutes,
    initialLookbackHours: input.initialLookbackHours ?? CATCH_UP_DEFAULTS.initialLookbackHours,
  });

  const result: CatchUpResult = { store: input.store, ...window, listed: 0, started: 0, settled: 0, pages: 0, startedOrderIds: [] };
  const signalOption = deps.signal ? { signal: deps.signal } : {};
  // First, so deliveries resume while this poll picks up what they missed.
  const revival = await reviveWebhooks(deps.woo, deps.signal);
  if (revival.reactivated.length > 0) result.webhooksReactivated = revival.reactivated;
  if (revival.uncheckedReason) result.webhooksUnchecked = revival.uncheckedReason;
  for (let page = 1; ; page++) {
    const answer = await deps.woo.listOrders(
      {
        status: [...new Set([...deps.syncStatuses, ...FOLLOWED_STATUSES])],
        modifiedAfter: result.since,
        page,
        perPage: MAX_PER_PAGE,
        orderby: 'id',
        order: 'asc',
      },
      signalOption,
    );
    result.pages = page;
    for (const order of answer.orders) {
      result.listed++;
      // A cancelled or refunded order matters only when it has its sales order (its changes must reach NetSuite).
      const synced = orderMetaValue(order, ORDER_META.salesOrderId) !== undefined;
      if (nothingToFollow(order) !== undefined || (!deps.syncStatuses.includes(order.status) && !synced)) {
        result.settled++;
        continue;
      }
      const context = orderContextOf(order);
      await deps.startOrder({ store: input.store, orderId: order.id, source: 'catch-up', ...(context ? { context } : {}) });
      result.started++;
      if (result.startedOrderIds.length < STARTED_IDS_KEPT) result.startedOrderIds.push(order.id);
    }
    deps.progress?.(page);
    if (answer.orders.length < MAX_PER_PAGE || page >= answer.totalPages) break;
  }
  result.cursor = await deps.cursors.set(cursorName, result.cursor, { onlyForward: true });
  return result;
}
