/**
 * The schema-drift watcher (scheduled weekly, in office hours): reads NetSuite's live metadata catalog for the record
 * types the mapping writes, diffs it against the snapshot checked into the repository, and alerts the integration
 * owner when a field the sync writes vanished or changed type, or a custom field appeared. No change that affects the
 * sync → no mail. The diff is the workflow's result; the current details say in plain words what was found.
 *
 * Its activities run on the workflow's own task queue (the orders queue) and call NetSuite through the worker's
 * shared client, whose permits cap NetSuite requests cluster-wide.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import { NEEDS_ATTENTION } from '../api';
import type { DriftActivities } from '../activities/types';
import { driftDetails } from '../drift/summary';
import { DRIFT_FIXTURE_INVALID, type SchemaDriftInput, type SchemaDriftResult } from '../drift/types';

/** NetSuite outages are retried with back-off for up to 30 minutes; a bad fixture or mapping fails the run at once. */
const netsuite = proxyActivities<Pick<DriftActivities, 'readLiveSchema' | 'diffSchema'>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30s',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [NEEDS_ATTENTION, DRIFT_FIXTURE_INVALID] },
});

/** An alert no channel took is retried for up to 6 hours (an SMTP outage), then the run fails visibly. */
const alerts = proxyActivities<Pick<DriftActivities, 'sendDriftAlert'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '30s', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function schemaDriftWorkflow(input: SchemaDriftInput = {}): Promise<SchemaDriftResult> {
  const recordTypes = input.recordTypes && input.recordTypes.length > 0 ? input.recordTypes : undefined;
  setCurrentDetails(`Reading NetSuite's metadata catalog (${recordTypes?.join(', ') ?? 'the record types the mapping writes'})…`);
  const live = await netsuite.readLiveSchema(recordTypes ? { recordTypes } : {});

  setCurrentDetails(`Comparing the catalog of account ${live.account} with ${input.fixture ?? 'the snapshot'}…`);
  const diff = await netsuite.diffSchema(input.fixture !== undefined ? { live, fixture: input.fixture } : { live });
  if (diff.changes === 0) {
    setCurrentDetails(driftDetails(diff, false));
    return { changes: 0, alerted: false, diff };
  }

  setCurrentDetails(driftDetails(diff, false));
  await alerts.sendDriftAlert({ diff });
  setCurrentDetails(driftDetails(diff, true));
  return { changes: diff.changes, alerted: true, diff };
}
