/** src/api.ts as the one home of names: every FailureType value is one the on-call runbook tells a human what to do about. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAILURE_TYPES } from '../src/api';

describe('names in src/api.ts', () => {
  it('every FailureType is named in docs/runbook.md, and listed once', () => {
    const runbook = readFileSync(join(__dirname, '../docs/runbook.md'), 'utf8');
    assert.deepEqual(
      FAILURE_TYPES.filter((type) => type !== 'Unknown' && !runbook.includes(type)),
      [],
    );
    assert.equal(new Set(FAILURE_TYPES).size, FAILURE_TYPES.length);
  });
});
