/**
 * The NetSuite client's metadata-catalog call (`getRecordSchema`) over HTTP to the simulator: the record type's JSON
 * Schema with custom fields flagged; the same path as every other call — a
 * permit per request, the 401 replay with a fresh token, NetSuite's errors classified — and the snapshot it feeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { generateCatalog } from '../../simulators/seed';
import { takeSnapshot } from '../../src/drift';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { isNetSuiteError } from '../../src/netsuite/errors';
import type { ConcurrencyLimiter } from '../../src/netsuite/limiter';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import { credentialsFor, rejectionOf } from '../netsuite/helpers';

/** A limiter that counts the permits it hands out. */
function countingLimiter(): ConcurrencyLimiter & { granted: number } {
  const inner = createProcessLimiter(2);
  const limiter = {
    granted: 0,
    permits: inner.permits,
    async acquire(signal?: AbortSignal) {
      const release = await inner.acquire(signal);
      limiter.granted++;
      return release;
    },
    close: () => inner.close(),
  };
  return limiter;
}

describe('NetSuite client: the metadata catalog', () => {
  let sim: NetSuiteSimulator;
  let client: NetSuiteClient;
  const limiter = countingLimiter();
  before(async () => {
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 1, products: 4, customers: 2 }) });
    client = createNetSuiteClient({ credentials: credentialsFor(sim), limiter });
  });
  after(async () => sim.close());

  test('answers the JSON Schema of a record type, custom fields flagged', async () => {
    const schema = await client.getRecordSchema('salesOrder');
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(properties.custbody_woo_order_key?.['x-ns-custom-field'], true);
    assert.equal(properties.shippingCost?.type, 'number');
    const request = sim.control.requestLog().at(-1);
    assert.equal(request?.path, '/services/rest/record/v1/metadata-catalog/salesOrder');
    assert.equal(request?.status, 200);
  });

  test('holds a permit per request and replays once with a new token after a 401', async () => {
    const granted = limiter.granted;
    const before = client.stats();
    await fetch(`${sim.controlUrl}/control/oauth/revoke-all`, { method: 'POST' });
    const schema = await client.getRecordSchema('customer');
    assert.ok('custentity_woo_customer_id' in (schema.properties as object));
    const stats = client.stats();
    assert.equal(stats.replays401 - before.replays401, 1);
    assert.equal(stats.requests - before.requests, 2);
    assert.equal(limiter.granted - granted, 2);
  });

  test('an unknown record type is NetSuite rejecting the request; a malformed one is refused before any request', async () => {
    const unknown = await rejectionOf(() => client.getRecordSchema('spaceship'));
    assert.ok(isNetSuiteError(unknown));
    assert.equal(unknown.kind, 'rejected');
    assert.equal(unknown.status, 400);
    const sent = client.stats().requests;
    const malformed = await rejectionOf(() => client.getRecordSchema('../customer'));
    assert.ok(isNetSuiteError(malformed));
    assert.equal(malformed.kind, 'rejected');
    assert.equal(client.stats().requests, sent);
  });

  test('a snapshot follows a SuiteScript deploy that adds a custom field', async () => {
    const response = await fetch(`${sim.controlUrl}/control/schema/add-field`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recordType: 'customer', scriptId: 'custentity_loyalty_tier', label: 'Loyalty Tier', type: 'integer' }),
    });
    assert.equal(response.status, 200, await response.text());
    const snapshot = await takeSnapshot(client, ['customer']);
    assert.deepEqual(Object.keys(snapshot.recordTypes), ['customer']);
    assert.deepEqual(snapshot.recordTypes.customer?.custentity_loyalty_tier, {
      custom: true,
      format: 'int64',
      nullable: true,
      title: 'Loyalty Tier',
      type: 'integer',
    });
    assert.equal(snapshot.account, sim.accountId);
  });
});
