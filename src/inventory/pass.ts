/**
 * Full pass or incremental run: the inventory workflow's choice, as a pure function of what the snapshot store says
 * (no I/O — the workflow imports this module).
 *
 * - A **full pass** reads every owned SKU from WooCommerce and writes what differs. It is the only kind of run that
 *   sees a change made on the WooCommerce side (stock edited in WP admin, a restock on refund, a product re-created):
 *   the snapshot knows what NetSuite said, not what WooCommerce holds.
 * - An **incremental run** still reads every NetSuite page, but reads WooCommerce only for the SKUs whose NetSuite
 *   availability or in-flight units differ from the snapshot (src/inventory/snapshot.ts).
 *
 * The run is a full pass when it is asked for (`fullPass: true`), when the worker keeps no snapshot (no state
 * database), when no full pass has completed yet (a first run, or a new store), or when the last completed full pass
 * started `fullPassHours` (INVENTORY_FULL_PASS_HOURS, default 24) or more ago. Otherwise it is incremental.
 */

export type InventoryPass = 'full' | 'incremental';

/** What the snapshot store says about a store, for the choice. */
export interface InventoryPassState {
  /** The worker keeps a snapshot (it has a state database). False: every run is a full pass, none recorded. */
  snapshotKept: boolean;
  /** The last completed full pass (ISO times), or undefined when none has completed. */
  lastFullPass?: { startedAt: string; finishedAt: string };
  /** Hours between full passes (INVENTORY_FULL_PASS_HOURS). */
  fullPassHours: number;
}

/** The choice, with the reason the workflow shows and returns. */
export interface InventoryPassChoice {
  pass: InventoryPass;
  reason: string;
}

const hours = (ms: number): string => `${Math.round(ms / 360_000) / 10} h`;

/** Full or incremental (see the file comment); `now` is the workflow's clock. */
export function choosePass(state: InventoryPassState, now: Date, options: { fullPass?: boolean } = {}): InventoryPassChoice {
  if (options.fullPass === true) return { pass: 'full', reason: 'full pass: asked for (fullPass: true)' };
  if (!state.snapshotKept) return { pass: 'full', reason: 'full pass: this worker keeps no snapshot (no STATE_DATABASE_URL or NETSUITE_LIMITER_URL)' };
  if (state.lastFullPass === undefined) return { pass: 'full', reason: 'full pass: no snapshot yet (no full pass has completed for this store)' };
  const started = Date.parse(state.lastFullPass.startedAt);
  const intervalMs = state.fullPassHours * 3_600_000;
  if (!Number.isFinite(started))
    return { pass: 'full', reason: `full pass: the last full pass has an unreadable start time (${state.lastFullPass.startedAt})` };
  const age = now.getTime() - started;
  if (age >= intervalMs)
    return { pass: 'full', reason: `full pass: the last one started ${hours(age)} ago (every ${state.fullPassHours} h, INVENTORY_FULL_PASS_HOURS)` };
  return { pass: 'incremental', reason: `incremental: the last full pass started ${hours(age)} ago; the next one is due ${hours(intervalMs - age)} from now` };
}
