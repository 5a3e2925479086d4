import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { INVENTORY_INCREMENTAL_PATCH, type InventoryChunkInput, type InventorySyncResult } from '../../src/inventory/types';
import { workflowBundle } from '../order-sync/helpers';

const DIR = join(__dirname, 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const historyOf = (file: string): temporal.api.history.v1.IHistory => historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
const fromPayloads = (payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown[] =>
  (payloads?.payloads ?? []).map((payload) => defaultPayloadConverter.fromPayload(payload));
/** The patch IDs a history's patch markers (`core_patch`) record. */
const patchesIn = (history: temporal.api.history.v1.IHistory): string[] =>
  (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return Object.values(marker.details ?? {}).flatMap((details) => fromPayloads(details).map((data) => (data as { id?: string }).id ?? String(data)));
  });

describe('committed workflow histories replay on the current code', () => {
  it('there are histories for each order path (synced, skipped, needs attention → retry, skip by operator, failed), each change followed after the sales order (cancel, credit memo, edit, cancel after shipping acknowledged), each shipment path (pushed, reverted and acknowledged), each scheduled job and the inventory sync’s incremental run', () => {
    assert.deepEqual(files, [
      'catch-up.json',
      'failed-after-limit.json',
      'fulfilment-pushed.json',
      'fulfilment-reverted-acknowledged.json',
      'fulfilment-sync.json',
      'inventory-incremental.json',
      'inventory.json',
      'lifecycle-cancelled-after-shipping-acknowledged.json',
      'lifecycle-cancelled.json',
      'lifecycle-edited.json',
      'lifecycle-refund-credit-memo.json',
      'needs-attention-retried.json',
      'reconciliation.json',
      'schema-drift.json',
      'skipped-by-operator.json',
      'skipped-pending.json',
      'synced.json',
    ]);
  });

  it(`inventory.json is from before ${INVENTORY_INCREMENTAL_PATCH} (no patch marker); inventory-incremental.json is the patched path's incremental run`, () => {
    assert.deepEqual(patchesIn(historyOf('inventory.json')), [], 'the pre-patch history stays as it was recorded');

    const events = historyOf('inventory-incremental.json').events ?? [];
    assert.deepEqual(patchesIn({ events }), [INVENTORY_INCREMENTAL_PATCH], 'the history proves the patched path');
    const activities = events.flatMap((event) => {
      const scheduled = event.activityTaskScheduledEventAttributes;
      return scheduled ? [{ type: scheduled.activityType?.name, input: fromPayloads(scheduled.input)[0] }] : [];
    });
    assert.equal(activities[0]?.type, 'inventoryPassState', 'it asked the snapshot store for the last full pass first');
    const chunks = activities.slice(1);
    assert.ok(chunks.length >= 2, `several chunks: ${JSON.stringify(activities)}`);
    for (const chunk of chunks) {
      assert.equal(chunk.type, 'syncInventoryChunk');
      assert.equal((chunk.input as InventoryChunkInput).pass, 'incremental', JSON.stringify(chunk.input));
    }
    const completed = events.find((event) => event.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    const result = fromPayloads(completed?.result)[0] as InventorySyncResult;
    assert.equal(result.pass, 'incremental');
    assert.equal(result.updated, 1, 'it wrote the SKU NetSuite changed');
    assert.ok(result.skipped > 0, 'and left the others alone');
  });

  for (const file of files) {
    it(`${file} replays without nondeterminism`, async () => {
      const history = historyOf(file);
      // runReplayHistory throws DeterminismViolationError (or the workflow's own error) when the code no longer matches.
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`);
    });
  }
});
