import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { isNetSuiteError, type NetSuiteError } from '../../src/netsuite/errors';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import { credentialsFor, rejectionOf, until } from './helpers';

const ITEM_QUERY = 'SELECT id FROM item';

describe('NetSuite client: every failure becomes a classified NetSuiteError', () => {
  let sim: NetSuiteSimulator;
  let client: NetSuiteClient;
  let customerId: string;
  let itemId: string;

  before(async () => {
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 3, products: 4, customers: 4 }) });
    client = createNetSuiteClient({ credentials: credentialsFor(sim) });
    customerId = sim.control.createRecord('customer', { companyName: 'Failures Co', subsidiary: { id: '1' } }).id;
    itemId = (await client.suiteql("SELECT id FROM item WHERE itemtype = 'InvtPart' ORDER BY id", { limit: 1 })).items[0]?.id as string;
    assert.ok(customerId && itemId);
  });
  afterEach(() => {
    sim.control.clearFaults();
    sim.control.setGovernance({ concurrencyLimit: 5, latency: { fixedMs: 0 }, retryAfterSeconds: null });
    sim.control.setPermission({ allowed: true });
  });
  after(async () => sim.close());

  const order = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    entity: { id: customerId },
    item: { items: [{ item: { id: itemId }, quantity: 1, rate: 10 }] },
    ...extra,
  });

  /** Holds the single account slot with a hanging raw request, so the next request is refused with 429. */
  async function occupyTheOnlySlot(): Promise<AbortController> {
    sim.control.setGovernance({ concurrencyLimit: 1 });
    sim.control.addFault({ kind: 'hang', count: 1, route: { pathPrefix: '/services/rest/record/v1/customer' } });
    const holder = new AbortController();
    void fetch(`${sim.url}/services/rest/record/v1/customer`, { signal: holder.signal }).catch(() => undefined);
    await until(() => sim.control.counters().inFlight === 1, 'the slot to be held');
    return holder;
  }

  test('429 without Retry-After is rate-limited, retryable, with no retryAfterMs, and the client does not retry it', async () => {
    const holder = await occupyTheOnlySlot();
    try {
      const before429 = client.stats();
      const error = (await rejectionOf(() => client.suiteql(ITEM_QUERY))) as NetSuiteError;
      assert.ok(isNetSuiteError(error));
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.retryable, true);
      assert.equal(error.status, 429);
      assert.equal(error.code, 'CONCURRENCY_LIMIT_EXCEEDED');
      assert.equal(error.retryAfterMs, undefined);
      assert.equal(error.operation, 'POST /query/v1/suiteql');
      assert.equal(client.stats().requests, before429.requests + 1);
      assert.equal(client.stats().http429, before429.http429 + 1);
    } finally {
      holder.abort();
    }
  });

  test('429 with Retry-After carries retryAfterMs, and the permit is released before the error is thrown', async () => {
    const holder = await occupyTheOnlySlot();
    sim.control.setGovernance({ retryAfterSeconds: 7 });
    const limiter = createProcessLimiter(1);
    const limited = createNetSuiteClient({ credentials: credentialsFor(sim), limiter });
    try {
      const error = (await rejectionOf(() => limited.getRecord('customer', '1'))) as NetSuiteError;
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.retryAfterMs, 7000);
      // A free permit is granted synchronously-resolved; a leaked one would make this acquire wait and abort.
      const release = await limiter.acquire(AbortSignal.timeout(5000));
      release();
    } finally {
      holder.abort();
    }
  });

  test('a 5xx fault is unavailable and retryable', async () => {
    sim.control.addFault({ kind: '5xx', status: 503, count: 1 });
    const error = (await rejectionOf(() => client.suiteql(ITEM_QUERY))) as NetSuiteError;
    assert.equal(error.kind, 'unavailable');
    assert.equal(error.retryable, true);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'SERVICE_UNAVAILABLE');
  });

  test('a hanging request is a timeout after requestTimeoutMs, and the server slot is freed', async () => {
    const quick = createNetSuiteClient({ credentials: credentialsFor(sim), requestTimeoutMs: 200 });
    await quick.suiteql(ITEM_QUERY);
    sim.control.addFault({ kind: 'hang', count: 1 });
    const error = (await rejectionOf(() => quick.suiteql(ITEM_QUERY))) as NetSuiteError;
    assert.equal(error.kind, 'timeout');
    assert.equal(error.retryable, true);
    assert.equal(error.status, undefined);
    await until(() => sim.control.counters().inFlight === 0, 'the hung request to be dropped');
  });

  test("the caller's AbortSignal gives kind cancelled, not retryable", async () => {
    sim.control.addFault({ kind: 'hang', count: 1 });
    const controller = new AbortController();
    const pending = client.suiteql(ITEM_QUERY, { signal: controller.signal });
    await until(() => sim.control.counters().inFlight === 1, 'the request to hang');
    controller.abort();
    const error = (await rejectionOf(() => pending)) as NetSuiteError;
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.retryable, false);
    const already = (await rejectionOf(() => client.suiteql(ITEM_QUERY, { signal: AbortSignal.abort() }))) as NetSuiteError;
    assert.equal(already.kind, 'cancelled');
  });

  test('a refused connection is kind network', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const nowhere = createNetSuiteClient({ credentials: credentialsFor(sim, { baseUrl: `http://127.0.0.1:${port}` }) });
    const error = (await rejectionOf(() => nowhere.suiteql(ITEM_QUERY))) as NetSuiteError;
    assert.equal(error.kind, 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.retryable, true);
  });

  test('a sales order with an unknown item is rejected with INVALID_CONTENT at item.items[0].item', async () => {
    const error = (await rejectionOf(() =>
      client.createRecord('salesOrder', order({ item: { items: [{ item: { id: '999999' }, quantity: 1 }] } })),
    )) as NetSuiteError;
    assert.equal(error.kind, 'rejected');
    assert.equal(error.retryable, false);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'INVALID_CONTENT');
    assert.equal(error.path, 'item.items[0].item');
    assert.equal(error.operation, 'POST /record/v1/salesOrder');
    assert.match(error.detail, /999999/);
  });

  test('an unknown body field is rejected with NONEXISTENT_FIELD, because the client sends name validation Error', async () => {
    // The simulator's default is Warning (unknown fields ignored), as NetSuite's is: only our header makes this fail.
    assert.equal(sim.control.governance().propertyNameValidationDefault, 'Warning');
    const error = (await rejectionOf(() => client.createRecord('salesOrder', order({ custbody_renamed_away: 'x' })))) as NetSuiteError;
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'NONEXISTENT_FIELD');
    assert.equal(error.path, 'custbody_renamed_away');
  });

  test('a denied permission (403) is kind permission', async () => {
    sim.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: false });
    const error = (await rejectionOf(() => client.createRecord('salesOrder', order()))) as NetSuiteError;
    assert.equal(error.kind, 'permission');
    assert.equal(error.status, 403);
    assert.equal(error.code, 'INSUFFICIENT_PERMISSION');
    assert.equal(error.retryable, false);
  });

  test('a second create with the same externalId is duplicate-external-id', async () => {
    await client.createRecord('salesOrder', order({ externalId: 'woo-dup-1' }));
    const error = (await rejectionOf(() => client.createRecord('salesOrder', order({ externalId: 'woo-dup-1' })))) as NetSuiteError;
    assert.equal(error.kind, 'duplicate-external-id');
    assert.equal(error.status, 400);
    assert.equal(error.code, 'USER_ERROR');
    assert.equal(error.retryable, false);
  });

  test('duplicate-external-id is recognised whatever the error code', async () => {
    const other = await startNetSuiteSimulator({ duplicateExternalIdErrorCode: 'DUP_RCRD' });
    try {
      const c = createNetSuiteClient({ credentials: credentialsFor(other) });
      const body = { companyName: 'Dup Co', subsidiary: { id: '1' }, externalId: 'woo-customer-dup' };
      await c.createRecord('customer', body);
      const error = (await rejectionOf(() => c.createRecord('customer', body))) as NetSuiteError;
      assert.equal(error.kind, 'duplicate-external-id');
      assert.equal(error.code, 'DUP_RCRD');
    } finally {
      await other.close();
    }
  });

  test('an unknown record type is rejected (INVALID_PARAMETER); a malformed one is rejected before any request', async () => {
    const error = (await rejectionOf(() => client.createRecord('noSuchType', {}))) as NetSuiteError;
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'INVALID_PARAMETER');
    const before = client.stats().requests;
    const malformed = (await rejectionOf(() => client.createRecord('../query', {}))) as NetSuiteError;
    assert.equal(malformed.kind, 'rejected');
    assert.equal(client.stats().requests, before);
  });
});
