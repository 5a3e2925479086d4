import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

describe('NetSuite simulator: control API', () => {
  let sim: NetSuiteSimulator;
  before(async () => {
    sim = await startNetSuiteSimulator();
  });
  after(async () => sim.close());

  const post = (path: string, body: unknown, raw = false) =>
    fetch(`${sim.controlUrl}/control${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? String(body) : JSON.stringify(body),
    });

  async function expect400(response: Response, pattern: RegExp): Promise<void> {
    const body = (await response.json()) as { error: string; issues: string[] };
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match(`${body.error} ${body.issues.join(' ')}`, pattern);
  }

  test('seeding over HTTP loads items, customers and ship items', async () => {
    const response = await post('/seed', generateCatalog({ seed: 5, products: 6, customers: 4 }));
    assert.equal(response.status, 200);
    const result = (await response.json()) as { inventoryItemsCreated: number; customersCreated: number };
    assert.ok(result.inventoryItemsCreated >= 6);
    assert.equal(result.customersCreated, 2);
    const items = (await (await fetch(`${sim.controlUrl}/control/records/inventoryitem`)).json()) as { itemId: string; locations: { items: unknown[] } }[];
    assert.equal(items.length, result.inventoryItemsCreated);
    assert.equal(items[0]?.locations.items.length, 3);
  });

  test('a control request with a missing field is a 400 naming the field', async () => {
    await expect400(await post('/schema/rename-field', { recordType: 'salesOrder', from: 'custbody_woo_store' }), /to/);
  });

  test('a control request with a wrong type is a 400 naming the field', async () => {
    await expect400(await post('/governance', { concurrencyLimit: 'five' }), /concurrencyLimit/);
    await expect400(await post('/faults', { kind: '5xx', count: 1, rate: 0.5 }), /exactly one of count/);
  });

  test('an unknown record type is a 400 naming it', async () => {
    await expect400(await post('/records/journalEntry', { memo: 'x' }), /unknown record type 'journalEntry'/);
    await expect400(await post('/schema/make-mandatory', { recordType: 'widget', scriptId: 'custbody_x' }), /unknown record type 'widget'/);
  });

  test('a non-JSON body is a 400', async () => {
    await expect400(await post('/governance', '{not json', true), /JSON/i);
  });

  test('a JSON array where an object is expected is a 400', async () => {
    await expect400(await post('/faults', [1, 2]), /expected object|object/);
  });

  test('renaming a field that does not exist is a 400 saying so', async () => {
    await expect400(
      await post('/schema/rename-field', { recordType: 'salesOrder', from: 'custbody_missing', to: 'custbody_other' }),
      /no custom field custbody_missing/,
    );
  });

  test('records can be created and inspected through the control API, bypassing governance', async () => {
    sim.control.setGovernance({ concurrencyLimit: 1, latency: { fixedMs: 100 } });
    const created = await post('/records/customer', { companyName: 'Nordlicht GmbH', email: 'info@nordlicht.example', externalId: 'woo-customer-x1' });
    assert.equal(created.status, 200);
    const { id } = (await created.json()) as { id: string };
    const read = (await (await fetch(`${sim.controlUrl}/control/records/customer/eid:woo-customer-x1`)).json()) as { id: string; companyName: string };
    assert.equal(read.id, id);
    assert.equal(read.companyName, 'Nordlicht GmbH');
    const bad = await post('/records/customer', { companyName: 'X', nope: 1 });
    await expect400(bad, /NONEXISTENT_FIELD/);
    sim.control.setGovernance({ concurrencyLimit: 5, latency: { fixedMs: 0 } });
  });

  test('item quantities can be set by SKU and show in the record', async () => {
    const response = await post('/items/SKU-00001/quantities', { location: '1', onHand: 50, committed: 5 });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { quantityAvailable: number };
    assert.equal(body.quantityAvailable, 45);
    await expect400(await post('/items/SKU-00001/quantities', { location: '1', onHand: -1 }), /onHand/);
  });

  test('OAuth clients, default client, revoke-all, counters, timings and reset work over HTTP', async () => {
    const client = (await (await fetch(`${sim.controlUrl}/control/oauth/default-client`)).json()) as {
      clientId: string;
      privateKeyPem: string;
      algorithm: string;
    };
    assert.equal(client.algorithm, 'ES256');
    assert.match(client.privateKeyPem, /BEGIN PRIVATE KEY/);
    await expect400(await post('/oauth/clients', { clientId: 'c', certificateId: 'k', publicKey: 'not a key' }), /publicKey/);
    const token = await getAccessToken(sim);
    assert.equal((await fetch(`${sim.url}/services/rest/record/v1/customer`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const revoked = (await (await post('/oauth/revoke-all', {})).json()) as { revoked: number };
    assert.ok(revoked.revoked >= 1);
    const counters = (await (await fetch(`${sim.controlUrl}/control/counters`)).json()) as { tokensMinted: number; requestsByRoute: Record<string, number> };
    assert.ok(counters.tokensMinted >= 1);
    assert.equal(counters.requestsByRoute['GET /services/rest/record/v1/customer'], 1);
    const timings = (await (await fetch(`${sim.controlUrl}/control/timings?samples=true`)).json()) as { count: number; samplesMs: number[]; medianMs: number };
    assert.equal(timings.samplesMs.length, timings.count);
    assert.equal((await post('/counters/reset', {})).status, 200);
    const reset = (await (await fetch(`${sim.controlUrl}/control/counters`)).json()) as { requestsTotal: number };
    assert.equal(reset.requestsTotal, 0);
  });

  test('an unknown control route is a 404 JSON error', async () => {
    const response = await fetch(`${sim.controlUrl}/control/nope`);
    assert.equal(response.status, 404);
  });
});
