/**
 * The NetSuite simulator's answer-side faults and request log, used by the end-to-end fault tests:
 * `slow-response` (the request is processed, the answer is held), `429` (one forced "account full" answer) and
 * a 429 fault's own Retry-After, the injected-fault counters by kind, and `requestLog()` / `GET /control/requests`
 * (arrival and answer times of each vendor request).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator, type RequestLogEntry } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

const SALES_ORDER_PATH = '/services/rest/record/v1/salesOrder';

describe('NetSuite simulator: answer-side faults and the request log', () => {
  let sim: NetSuiteSimulator;
  let token: string;
  let customerId: string;
  let itemId: string;

  before(async () => {
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 7, products: 5, customers: 4 }) });
    token = await getAccessToken(sim);
    customerId = String(sim.control.listRecords('customer')[0]!.id);
    itemId = String(sim.control.listRecords('inventoryItem')[0]!.id);
  });
  after(async () => sim.close());

  const createSalesOrder = (externalId: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.url}${SALES_ORDER_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, entity: { id: customerId }, item: { items: [{ item: { id: itemId }, quantity: 1, rate: 10 }] } }),
      ...(signal ? { signal } : {}),
    });
  const withExternalId = (externalId: string) => sim.control.listRecords('salesOrder').filter((r) => r.externalId === externalId);
  const waitUntil = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(check(), 'condition never became true');
  };

  test('slow-response commits the create at once and holds only the answer', async () => {
    sim.control.addFault({ kind: 'slow-response', ms: 800, count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    const sentAt = Date.now();
    let answered = false;
    const pending = createSalesOrder('slow-1').then((response) => {
      answered = true;
      return response;
    });
    await waitUntil(() => withExternalId('slow-1').length === 1);
    assert.equal(answered, false, 'the record exists while its answer is still held');
    const response = await pending;
    assert.equal(response.status, 204);
    assert.match(String(response.headers.get('location')), /\/salesOrder\/\d+$/);
    assert.ok(Date.now() - sentAt >= 800, 'the answer came no earlier than the hold');
    assert.equal(sim.control.faults().length, 0, 'a count fault is used up');

    const next = await createSalesOrder('slow-2');
    assert.equal(next.status, 204, 'the next create is not held');
  });

  test('a slow-response hold ends when the client goes away, freeing the concurrency slot', async () => {
    sim.control.addFault({ kind: 'slow-response', ms: 60_000, count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    const controller = new AbortController();
    const pending = createSalesOrder('slow-abandoned', controller.signal).catch((error: unknown) => error);
    await waitUntil(() => withExternalId('slow-abandoned').length === 1);
    assert.equal(sim.control.counters().inFlight, 1);
    controller.abort();
    assert.equal(((await pending) as Error).name, 'AbortError');
    await waitUntil(() => sim.control.counters().inFlight === 0);
  });

  test('a 429 fault answers the next matching request as a full account, with the configured Retry-After', async () => {
    sim.control.setGovernance({ retryAfterSeconds: 3 });
    sim.control.resetCounters();
    sim.control.addFault({ kind: '429', count: 1, route: { method: 'POST', pathPrefix: SALES_ORDER_PATH } });
    const refused = await createSalesOrder('limited-1');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '3');
    const body = (await refused.json()) as { 'o:errorDetails': { 'o:errorCode': string }[] };
    assert.equal(body['o:errorDetails'][0]?.['o:errorCode'], 'CONCURRENCY_LIMIT_EXCEEDED');
    assert.equal(withExternalId('limited-1').length, 0, 'a refused create stores nothing');
    assert.equal(sim.control.counters().http429, 1);
    assert.equal((await createSalesOrder('limited-1')).status, 204, 'only the next request is refused');
    sim.control.setGovernance({ retryAfterSeconds: null });
  });

  test("a 429 fault's own retryAfterSeconds overrides the governance-wide one for its answers; null sends no Retry-After", async () => {
    sim.control.setGovernance({ retryAfterSeconds: 3 });
    const route = { method: 'POST', pathPrefix: SALES_ORDER_PATH };
    const own = sim.control.addFault({ kind: '429', count: 1, retryAfterSeconds: 7, route });
    assert.equal(own.retryAfterSeconds, 7);
    const first = await createSalesOrder('retry-own');
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');

    const none = sim.control.addFault({ kind: '429', count: 1, retryAfterSeconds: null, route });
    assert.equal(none.retryAfterSeconds, null);
    const second = await createSalesOrder('retry-none');
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), null, 'null: no Retry-After header');

    const plain = sim.control.addFault({ kind: '429', count: 1, route });
    assert.equal('retryAfterSeconds' in plain, false, 'absent stays absent');
    assert.equal((await createSalesOrder('retry-default')).headers.get('retry-after'), '3', 'absent: the governance-wide setting');

    sim.control.setGovernance({ retryAfterSeconds: null });
    sim.control.addFault({ kind: '429', count: 1, retryAfterSeconds: 0, route });
    assert.equal((await createSalesOrder('retry-zero')).headers.get('retry-after'), '0', 'a fault can send a Retry-After the account does not');
    assert.equal(withExternalId('retry-zero').length, 0);
  });

  test('retryAfterSeconds over HTTP: listed with the fault; only on 429 faults, a whole number ≥ 0 or null', async () => {
    const post = (body: unknown) =>
      fetch(`${sim.controlUrl}/control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const added = await post({ kind: '429', rate: 0, retryAfterSeconds: null });
    assert.equal(added.status, 200);
    assert.equal(((await added.json()) as { retryAfterSeconds: unknown }).retryAfterSeconds, null);
    const listed = (await (await fetch(`${sim.controlUrl}/control/faults`)).json()) as { kind: string; retryAfterSeconds?: unknown }[];
    assert.deepEqual(
      listed.map((f) => [f.kind, f.retryAfterSeconds]),
      [['429', null]],
    );
    for (const [body, message] of [
      [{ kind: '429', count: 1, retryAfterSeconds: -1 }, /retryAfterSeconds must be ≥ 0/],
      [{ kind: '429', count: 1, retryAfterSeconds: 1.5 }, /retryAfterSeconds must be a whole number/],
      [{ kind: '429', count: 1, retryAfterSeconds: '5' }, /retryAfterSeconds/],
      [{ kind: '5xx', count: 1, retryAfterSeconds: 5 }, /retryAfterSeconds/],
    ] as const) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(((await response.json()) as { error: string }).error, message);
    }
    sim.control.clearFaults();
  });

  test('counters count injected faults by kind next to the total, in process and over HTTP, until a reset', async () => {
    sim.control.clearFaults();
    sim.control.resetCounters();
    assert.deepEqual(sim.control.counters().faultsByKind, { '5xx': 0, '429': 0, hang: 0, 'slow-response': 0 });
    const route = { method: 'POST', pathPrefix: SALES_ORDER_PATH };
    sim.control.addFault({ kind: '5xx', count: 2, route });
    assert.equal((await createSalesOrder('by-kind-1')).status, 500);
    assert.equal((await createSalesOrder('by-kind-1')).status, 500);
    sim.control.addFault({ kind: '429', count: 1, route });
    assert.equal((await createSalesOrder('by-kind-1')).status, 429);
    sim.control.addFault({ kind: 'hang', count: 1, ms: 1, route });
    assert.equal((await createSalesOrder('by-kind-1')).status, 204);
    sim.control.addFault({ kind: 'slow-response', count: 1, ms: 1, route });
    assert.equal((await createSalesOrder('by-kind-2')).status, 204);
    assert.equal((await createSalesOrder('by-kind-3')).status, 204, 'no fault left');

    const counters = sim.control.counters();
    assert.deepEqual(counters.faultsByKind, { '5xx': 2, '429': 1, hang: 1, 'slow-response': 1 });
    assert.equal(counters.faultsInjected, 5, 'the total stays');
    const overHttp = (await (await fetch(`${sim.controlUrl}/control/counters`)).json()) as { faultsByKind: unknown; faultsInjected: number };
    assert.deepEqual(overHttp.faultsByKind, counters.faultsByKind);
    assert.equal(overHttp.faultsInjected, 5);
    await fetch(`${sim.controlUrl}/control/counters/reset`, { method: 'POST' });
    assert.deepEqual(sim.control.counters().faultsByKind, { '5xx': 0, '429': 0, hang: 0, 'slow-response': 0 });
    assert.equal(sim.control.counters().faultsInjected, 0);
  });

  test('the request log holds each vendor request with its status and times, in process and over HTTP, until a reset', async () => {
    sim.control.resetCounters();
    assert.deepEqual(sim.control.requestLog(), []);
    const before = Date.now();
    await createSalesOrder('logged-1');
    await fetch(`${sim.url}${SALES_ORDER_PATH}/999999`, { headers: { authorization: `Bearer ${token}` } });
    const log = sim.control.requestLog();
    assert.equal(log.length, 2);
    const [create, missing] = log as [RequestLogEntry, RequestLogEntry];
    assert.equal(create.method, 'POST');
    assert.equal(create.path, SALES_ORDER_PATH);
    assert.equal(create.route, `POST ${SALES_ORDER_PATH}`);
    assert.equal(create.status, 204);
    assert.equal(missing.status, 404);
    assert.equal(missing.route, `GET ${SALES_ORDER_PATH}/:id`);
    // receivedAt is the simulator's clock (performance.timeOrigin + now()), which may drift a little from Date.now().
    assert.ok(create.receivedAt >= before - 100 && create.receivedAt <= create.answeredAt, JSON.stringify({ before, create }));
    assert.ok(missing.receivedAt >= create.receivedAt);

    const overHttp = (await (await fetch(`${sim.controlUrl}/control/requests`)).json()) as RequestLogEntry[];
    assert.deepEqual(overHttp, log);
    sim.control.resetCounters();
    assert.deepEqual(sim.control.requestLog(), []);
  });

  test('fault input is validated: slow-response needs ms, 429 takes none', async () => {
    const post = (body: unknown) =>
      fetch(`${sim.controlUrl}/control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post({ kind: 'slow-response', count: 1 })).status, 400);
    assert.equal((await post({ kind: '429', count: 1, ms: 5 })).status, 400);
    const ok = await post({ kind: 'slow-response', count: 1, ms: 5 });
    assert.equal(ok.status, 200);
    sim.control.clearFaults();
  });
});
