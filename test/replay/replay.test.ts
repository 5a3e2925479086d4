import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../order-sync/helpers';

const DIR = join(__dirname, 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('committed workflow histories replay on the current code', () => {
  it('there are histories for each order path (synced, skipped, needs attention → retry, skip by operator, failed), each change followed after the sales order (cancel, credit memo, edit, cancel after shipping acknowledged), each shipment path (pushed, reverted and acknowledged) and each scheduled job', () => {
    assert.deepEqual(files, [
      'catch-up.json',
      'failed-after-limit.json',
      'fulfilment-pushed.json',
      'fulfilment-reverted-acknowledged.json',
      'fulfilment-sync.json',
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

  for (const file of files) {
    it(`${file} replays without nondeterminism`, async () => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
      // runReplayHistory throws DeterminismViolationError (or the workflow's own error) when the code no longer matches.
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`);
    });
  }
});
