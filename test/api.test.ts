/** src/api.ts as the one home of names: every FailureType value is one the on-call runbook tells a human what to do about. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAILURE_TYPES, manualReconciliationWorkflowId, matchKeyOf, scheduleName } from '../src/api';

describe('names in src/api.ts', () => {
  it('every FailureType is named in docs/runbook.md, and listed once', () => {
    const runbook = readFileSync(join(__dirname, '../docs/runbook.md'), 'utf8');
    assert.deepEqual(
      FAILURE_TYPES.filter((type) => type !== 'Unknown' && !runbook.includes(type)),
      [],
    );
    assert.equal(new Set(FAILURE_TYPES).size, FAILURE_TYPES.length);
  });

  it('matchKeyOf names the customer match key the way every NeedsAttention shows it', () => {
    assert.deepEqual(matchKeyOf({ kind: 'email', value: 'ann@example.com' }), { kind: 'email', value: 'ann@example.com' });
    assert.deepEqual(matchKeyOf({ kind: 'externalId', value: 'WOO-C-7' }), { kind: 'externalId', value: 'WOO-C-7' });
    assert.deepEqual(matchKeyOf({ kind: 'default', ref: { id: '42' } }), { kind: 'default', value: 'id 42' });
    assert.deepEqual(matchKeyOf({ kind: 'default', ref: { externalId: 'WEB-GUEST' } }), { kind: 'default', value: 'externalId WEB-GUEST' });
  });

  it('a reconciliation run by hand has a workflow ID under its schedule name', () => {
    const id = manualReconciliationWorkflowId('main', '2026-01-02T03:04:05.000Z');
    assert.equal(id, 'reconciliation:main:now-2026-01-02T03:04:05.000Z');
    assert.ok(id.startsWith(`${scheduleName('reconciliation', 'main')}:`));
  });
});
