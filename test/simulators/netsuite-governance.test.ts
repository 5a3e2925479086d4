import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

describe('NetSuite simulator: governance', () => {
  let sim: NetSuiteSimulator;
  let token: string;
  before(async () => {
    sim = await startNetSuiteSimulator();
    token = await getAccessToken(sim);
  });
  after(async () => sim.close());

  const get = (path = '/services/rest/record/v1/customer', init: RequestInit = {}) =>
    fetch(`${sim.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });

  async function burst(limit: number): Promise<Response[]> {
    sim.control.resetCounters();
    return Promise.all(Array.from({ length: limit + 1 }, () => get()));
  }

  for (const limit of [3, 5]) {
    test(`${limit + 1} concurrent slow requests at limit ${limit} give exactly one 429 and peakConcurrency ${limit}`, async () => {
      sim.control.setGovernance({ concurrencyLimit: limit, latency: { fixedMs: 300, jitterMs: 0 }, retryAfterSeconds: null });
      const responses = await burst(limit);
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 429).length, 1, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 200).length, limit);
      const refused = responses.find((r) => r.status === 429) as Response;
      assert.equal(refused.headers.get('retry-after'), null);
      const body = (await refused.json()) as { status: number; 'o:errorDetails': { 'o:errorCode': string }[] };
      assert.equal(body.status, 429);
      assert.equal(body['o:errorDetails'][0]?.['o:errorCode'], 'CONCURRENCY_LIMIT_EXCEEDED');
      const counters = sim.control.counters();
      assert.equal(counters.peakConcurrency, limit);
      assert.equal(counters.http429, 1);
      assert.equal(counters.inFlight, 0);
    });
  }

  test('Retry-After is sent only when configured', async () => {
    sim.control.setGovernance({ concurrencyLimit: 1, latency: { fixedMs: 200 }, retryAfterSeconds: 7 });
    const responses = await burst(1);
    const refused = responses.find((r) => r.status === 429);
    assert.equal(refused?.headers.get('retry-after'), '7');
    sim.control.setGovernance({ concurrencyLimit: 5, latency: { fixedMs: 0 }, retryAfterSeconds: null });
  });

  test('counters key requests by route template with the record type filled in', async () => {
    sim.control.resetCounters();
    await get('/services/rest/record/v1/salesorder/1');
    const counters = sim.control.counters();
    assert.equal(counters.requestsByRoute['GET /services/rest/record/v1/salesOrder/:id'], 1);
    const timings = sim.control.serverTimings();
    assert.equal(timings.count, 1);
    assert.ok(timings.medianMs >= 0);
  });

  test('an injected 5xx with a count hits exactly the next N matching requests', async () => {
    sim.control.addFault({ kind: '5xx', status: 503, count: 2, route: { method: 'GET', pathPrefix: '/services/rest/record/v1/customer' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get()).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.deepEqual(sim.control.faults(), []);
  });

  test('a hang holds the request until the client aborts, then frees the slot', async () => {
    sim.control.setGovernance({ concurrencyLimit: 1 });
    sim.control.addFault({ kind: 'hang', count: 1, route: { pathPrefix: '/services/rest/record/v1/customer' } });
    const controller = new AbortController();
    const hung = get('/services/rest/record/v1/customer', { signal: controller.signal }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sim.control.counters().inFlight, 1);
    assert.equal((await get()).status, 429);
    controller.abort();
    assert.ok((await hung) instanceof Error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sim.control.counters().inFlight, 0);
    assert.equal((await get()).status, 200);
    sim.control.setGovernance({ concurrencyLimit: 5 });
  });

  test('a hang with ms answers normally after the delay', async () => {
    sim.control.addFault({ kind: 'hang', count: 1, ms: 150, route: { pathPrefix: '/services/rest/record/v1/customer' } });
    const started = Date.now();
    assert.equal((await get()).status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  test('the token endpoint does not count toward concurrency by default', async () => {
    sim.control.setGovernance({ concurrencyLimit: 1, latency: { fixedMs: 200 } });
    sim.control.resetCounters();
    const [record, tokenValue] = await Promise.all([get(), getAccessToken(sim)]);
    assert.equal(record.status, 200);
    assert.ok(tokenValue.length > 10);
    sim.control.setGovernance({ concurrencyLimit: 5, latency: { fixedMs: 0 } });
  });
});
