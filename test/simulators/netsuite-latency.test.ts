import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveLatency, startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { drawLatencyMs, latencyFor, meanLatencyMs, operationOf, operationOfRoute } from '../../simulators/netsuite/latency';
import { getAccessToken } from '../../simulators/netsuite/testing';
import { createRng } from '../../simulators/shared/rng';

describe('NetSuite simulator: latency per kind of request', () => {
  test('requests are classified by method and path; the token endpoint is no kind', () => {
    assert.equal(operationOf('POST', '/services/rest/query/v1/suiteql?limit=5'), 'suiteql');
    assert.equal(operationOf('POST', '/services/rest/record/v1/salesOrder'), 'create');
    assert.equal(operationOf('POST', '/services/rest/record/v1/salesOrder/7/!transform/itemFulfillment'), 'create');
    assert.equal(operationOf('GET', '/services/rest/record/v1/customer/eid:woo-1'), 'read');
    assert.equal(operationOf('PATCH', '/services/rest/record/v1/salesOrder/7'), 'update');
    assert.equal(operationOf('PUT', '/services/rest/record/v1/salesOrder/7'), 'update');
    assert.equal(operationOf('DELETE', '/services/rest/record/v1/salesOrder/7'), 'delete');
    assert.equal(operationOf('POST', '/services/rest/auth/oauth2/v1/token'), undefined);
    assert.equal(operationOfRoute('POST /services/rest/record/v1/:type'), 'create');
    assert.equal(operationOfRoute('GET /services/rest/record/v1/salesOrder/:id'), 'read');
  });

  test('a kind with a latency of its own uses it; the others take the default', () => {
    const latency = resolveLatency({ fixedMs: 10, byOperation: { suiteql: { fixedMs: 400, spreadMs: 150 } } });
    assert.deepEqual(latencyFor(latency, 'suiteql'), { fixedMs: 400, jitterMs: 0, spreadMs: 150 });
    assert.equal(latencyFor(latency, 'create').fixedMs, 10);
    assert.equal(latencyFor(latency, undefined).fixedMs, 10);
  });

  test('spreadMs draws uniformly in [fixed − spread, fixed + spread]; jitterMs keeps its meaning [0, jitter]', () => {
    const rng = createRng(7);
    const spread = { fixedMs: 400, jitterMs: 0, spreadMs: 150 };
    const draws = Array.from({ length: 4000 }, () => drawLatencyMs(spread, rng));
    assert.ok(Math.min(...draws) >= 250 && Math.max(...draws) <= 550, `${Math.min(...draws)}…${Math.max(...draws)}`);
    assert.ok(draws.some((d) => d < 280) && draws.some((d) => d > 520), 'both ends of the range are reached');
    const mean = draws.reduce((sum, d) => sum + d, 0) / draws.length;
    assert.ok(Math.abs(mean - meanLatencyMs(spread)) < 10, `mean ${mean}`);
    const jitter = { fixedMs: 100, jitterMs: 50, spreadMs: 0 };
    const jittered = Array.from({ length: 1000 }, () => drawLatencyMs(jitter, rng));
    assert.ok(Math.min(...jittered) >= 100 && Math.max(...jittered) <= 150);
    assert.equal(meanLatencyMs(jitter), 125);
    assert.equal(drawLatencyMs({ fixedMs: 50, jitterMs: 0, spreadMs: 200 }, rng) >= 0, true, 'never below 0');
  });

  describe('over HTTP', () => {
    let sim: NetSuiteSimulator;
    let token: string;
    before(async () => {
      sim = await startNetSuiteSimulator({ concurrencyLimit: 1, latency: { fixedMs: 0, byOperation: { suiteql: { fixedMs: 300 } } } });
      token = await getAccessToken(sim);
    });
    after(async () => sim.close());

    const suiteql = () =>
      fetch(`${sim.url}/services/rest/query/v1/suiteql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' },
        body: JSON.stringify({ q: 'SELECT id FROM customer' }),
      });
    const read = () => fetch(`${sim.url}/services/rest/record/v1/customer`, { headers: { authorization: `Bearer ${token}` } });

    test('a SuiteQL request waits its own latency and holds its concurrency slot for all of it', async () => {
      sim.control.resetCounters();
      const started = Date.now();
      const slow = suiteql();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(sim.control.counters().inFlight, 1);
      assert.equal((await read()).status, 429, 'the slot is still held while the SuiteQL request waits');
      assert.equal((await slow).status, 200);
      assert.ok(Date.now() - started >= 290);
      assert.equal((await read()).status, 200);
      const log = sim.control.requestLog();
      const query = log.find((entry) => entry.path.endsWith('/suiteql'));
      assert.ok(query && query.answeredAt - query.receivedAt >= 290, 'the server held the SuiteQL request ≥ 300 ms');
    });
  });
});
