/**
 * The catch-up poller's input and result. No dependencies: the workflow imports this module.
 *
 * WooCommerce webhooks sometimes never fire and a failed delivery is never retried, so webhooks alone lose orders.
 * Every few minutes the poller lists the orders modified since its durable cursor (minus an overlap window), in the
 * sync statuses, that do not name a sales order yet, and starts their order workflows with the webhook's workflow IDs
 * (`woo-order:<store>:<id>`, signal-with-start, USE_EXISTING): an order the webhook already started is only nudged,
 * so a duplicate is impossible.
 */

export interface CatchUpInput {
  store: string;
  /** Minutes re-read before the cursor: covers clock skew between this worker and WooCommerce, and whole-second timestamps. Default 10. */
  overlapMinutes?: number;
  /** With no cursor yet (first run), how far back to look, in hours. Default 24. */
  initialLookbackHours?: number;
}

export interface CatchUpResult {
  store: string;
  /** Orders modified strictly after this instant were listed (ISO 8601, UTC). */
  since: string;
  /** The cursor stored for the next poll: when this poll began listing. */
  cursor: string;
  /** Orders listed in the sync statuses. */
  listed: number;
  /** Order workflows started or nudged (signal-with-start). */
  started: number;
  /** Orders left alone: they name a sales order, or an operator skipped them, or they failed. */
  settled: number;
  /** WooCommerce pages read. */
  pages: number;
  /** IDs of the orders started or nudged (at most 100, the rest counted in `started`). */
  startedOrderIds: number[];
  /** Our webhooks WooCommerce had disabled (after repeated failed deliveries), turned back on by this poll. */
  webhooksReactivated?: { id: number; topic: string }[];
  /** Why this poll could not check the store's webhooks, when it could not. */
  webhooksUnchecked?: string;
}

export const CATCH_UP_DEFAULTS = { overlapMinutes: 10, initialLookbackHours: 24 } as const;
