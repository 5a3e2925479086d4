/**
 * The inventory workflow: makes a store's WooCommerce stock follow NetSuite — for every SKU NetSuite owns, quantity =
 * Σ available over the configured locations − units held by orders WooCommerce accepted that NetSuite has not received.
 *
 * It walks NetSuite's inventory items in keyset pages through one activity per few pages (`syncInventoryChunk`, on
 * the orders task queue), carrying only the cursor and the counts; each activity heartbeats its own progress, so a
 * crashed worker's chunk resumes from its last page elsewhere. After `activitiesPerRun` chunks, or when Temporal
 * suggests it, the run continues as new with the cursor and counts, so a catalog of any size keeps histories short.
 * Per-item write errors do not fail the run: they are counted and listed in the result. A failure that needs a human
 * (credentials, permissions, an invalid mapping) fails the run with the activity's message; the next scheduled run
 * starts again from the beginning.
 *
 * Full pass or incremental: before its first chunk, the sync asks the snapshot store for the store's last full pass
 * (`inventoryPassState`) and chooses (src/inventory/pass.ts): a full pass reads every owned SKU from WooCommerce — the
 * first run, and one every INVENTORY_FULL_PASS_HOURS (24 by default), corrects changes made on the WooCommerce side;
 * the runs between read WooCommerce only for the SKUs whose NetSuite availability or in-flight units changed since
 * the snapshot. The choice is carried through continue-as-new. Histories from before the choice (no patch marker)
 * replay as the full pass they were, recording nothing.
 *
 * Started by the `inventory:<store>` schedule (every 15 minutes by default; overlapping runs are skipped); the UI's
 * current details say where it is, and each activity's summary names its cursor.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { NEEDS_ATTENTION, searchAttributes } from '../api';
import {
  addCounts,
  DEFAULT_ACTIVITIES_PER_RUN,
  DEFAULT_HEARTBEAT_TIMEOUT_SECONDS,
  DEFAULT_PAGES_PER_ACTIVITY,
  emptyCounts,
  INVENTORY_INCREMENTAL_PATCH,
  LISTED_PER_KIND,
  type InventoryCarried,
  type InventoryChunkResult,
  type InventorySyncInput,
  type InventorySyncResult,
} from '../inventory/types';
import { choosePass, type InventoryPassChoice } from '../inventory/pass';
import type { InventoryActivities } from '../activities/types';

/** A sync from before the choice existed (its history has no patch marker): a full pass that records no snapshot. */
const UNRECORDED_FULL_PASS: InventoryPassChoice = { pass: 'full', reason: 'full pass (a run from before incremental runs: no snapshot recorded)' };

const positive = (value: number | undefined, fallback: number): number => (value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback);

export async function inventorySyncWorkflow(input: InventorySyncInput): Promise<InventorySyncResult> {
  const { store } = input;
  const pagesPerActivity = positive(input.pagesPerActivity, DEFAULT_PAGES_PER_ACTIVITY);
  const activitiesPerRun = positive(input.activitiesPerRun, DEFAULT_ACTIVITIES_PER_RUN);
  const heartbeatTimeoutSeconds = positive(input.heartbeatTimeoutSeconds, DEFAULT_HEARTBEAT_TIMEOUT_SECONDS);
  const carried: InventoryCarried = input.carried
    ? { ...input.carried, counts: addCounts(emptyCounts(), input.carried.counts) }
    : { cursor: '0', counts: emptyCounts(), startedAt: new Date().toISOString(), errors: [], missingInWooCommerce: [], inFlightKeysFound: [], runs: 0 };
  upsertSearchAttributes([{ key: searchAttributes.WooStore, value: store }]);

  const chunkOptions: ActivityOptions = {
    // A chunk is a few pages; the heartbeat timeout, not this, is what notices a crashed worker.
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: `${heartbeatTimeoutSeconds}s`,
    // A NetSuite or WooCommerce outage is retried with back-off for an hour, then the run fails (the schedule runs it again).
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [NEEDS_ATTENTION] },
  };
  const { syncInventoryChunk } = proxyActivities<InventoryActivities>(chunkOptions);
  const passStateOptions: ActivityOptions = {
    startToCloseTimeout: '1 minute',
    // The state database unreachable for ten minutes fails the run; the schedule runs it again.
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [NEEDS_ATTENTION] },
  };
  const { inventoryPassState } = proxyActivities<InventoryActivities>(passStateOptions);

  // Chosen once, by the sync's first run; a run continued from one that chose nothing stays an unrecorded full pass.
  let choice: InventoryPassChoice;
  const recorded = input.carried === undefined ? patched(INVENTORY_INCREMENTAL_PATCH) : input.carried.pass !== undefined;
  if (!recorded) choice = UNRECORDED_FULL_PASS;
  else if (input.carried?.pass !== undefined) choice = { pass: input.carried.pass, reason: input.carried.passReason ?? input.carried.pass };
  else {
    setCurrentDetails(`**Inventory sync of store ${store}** — reading the snapshot's last full pass`);
    try {
      const state = await inventoryPassState.executeWithOptions({ ...passStateOptions, summary: 'full pass or incremental: when the last full pass ran' }, [
        store,
      ]);
      choice = choosePass(state, new Date(), { fullPass: input.fullPass === true });
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause instanceof Error ? error.cause : error;
      const message = cause instanceof Error ? cause.message : String(cause);
      throw ApplicationFailure.create({
        type: 'InventorySyncFailed',
        message: `Inventory sync of store ${store} could not choose a full pass or an incremental run: ${message}`,
        nonRetryable: true,
        cause: cause instanceof Error ? cause : undefined,
      });
    }
    carried.pass = choice.pass;
    carried.passReason = choice.reason;
  }

  const describe = (state: string): string =>
    [
      `**Inventory sync of store ${store}** — ${state}`,
      `This run: ${choice.reason}.`,
      `NetSuite pages read: ${carried.counts.pagesRead} (${carried.counts.skusRead} items); next items after internal ID ${carried.cursor}.`,
      `WooCommerce: ${carried.counts.updated} SKUs updated, ${carried.counts.unchanged} unchanged, ${carried.counts.skipped} not read (unchanged since the snapshot), ${carried.counts.failed} refused, ` +
        `${carried.counts.missingInWooCommerce} owned SKUs without a product; ${carried.counts.writes} write requests.`,
      `Run ${carried.runs + 1} of this sync, started ${carried.startedAt}.`,
    ].join('\n');

  let last: InventoryChunkResult | undefined;
  for (let chunk = 0; ; chunk++) {
    if (chunk >= activitiesPerRun || (chunk > 0 && workflowInfo().continueAsNewSuggested)) {
      setCurrentDetails(describe('continuing as a new run'));
      await continueAsNew<typeof inventorySyncWorkflow>({ ...input, carried: { ...carried, runs: carried.runs + 1 } });
    }
    setCurrentDetails(describe(`syncing up to ${pagesPerActivity} pages`));
    try {
      last = await syncInventoryChunk.executeWithOptions(
        {
          ...chunkOptions,
          summary: `${choice.pass === 'full' ? 'full pass' : 'incremental'}: NetSuite items after ${carried.cursor}, up to ${pagesPerActivity} pages`,
        },
        [
          {
            store,
            cursor: carried.cursor,
            maxPages: pagesPerActivity,
            inFlightKeysFound: carried.inFlightKeysFound,
            ...(recorded ? { pass: choice.pass, runStartedAt: carried.startedAt } : {}),
          },
        ],
      );
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause instanceof Error ? error.cause : error;
      const message = cause instanceof Error ? cause.message : String(cause);
      setCurrentDetails(describe(`failed: ${message}`));
      throw ApplicationFailure.create({
        type: 'InventorySyncFailed',
        message: `Inventory sync of store ${store} stopped at NetSuite items after ${carried.cursor}: ${message}`,
        nonRetryable: true,
        cause: cause instanceof Error ? cause : undefined,
      });
    }
    addCounts(carried.counts, last.counts);
    for (const item of last.errors) if (carried.errors.length < LISTED_PER_KIND) carried.errors.push(item);
    for (const sku of last.missingInWooCommerce) if (carried.missingInWooCommerce.length < LISTED_PER_KIND) carried.missingInWooCommerce.push(sku);
    carried.inFlightKeysFound = [...new Set([...carried.inFlightKeysFound, ...last.inFlightKeysFound])];
    if (last.nextCursor === undefined) break;
    carried.cursor = last.nextCursor;
  }

  const { counts } = carried;
  const result: InventorySyncResult = {
    store,
    pass: choice.pass,
    passReason: choice.reason,
    updated: counts.updated,
    unchanged: counts.unchanged,
    skipped: counts.skipped,
    failed: counts.failed,
    missing: { inWooCommerce: counts.missingInWooCommerce, inNetSuite: last.missingInNetSuite?.count ?? 0 },
    missingSkus: { inWooCommerce: carried.missingInWooCommerce, inNetSuite: last.missingInNetSuite?.skus ?? [] },
    skusRead: counts.skusRead,
    pagesRead: counts.pagesRead,
    notOwned: counts.notOwned,
    writes: counts.writes,
    productReads: counts.productReads,
    orderReads: counts.orderReads,
    inFlightUnits: last.inFlight.units,
    inFlightOrders: last.inFlight.orders,
    startedAt: carried.startedAt,
    finishedAt: new Date().toISOString(),
    runs: carried.runs + 1,
    errors: carried.errors,
  };
  setCurrentDetails(describe('done'));
  return result;
}
