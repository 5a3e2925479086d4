/**
 * The WooCommerce simulator's REST faults over real HTTP: `5xx` (a WordPress-shaped error instead of the handler),
 * `count` vs `rate` (seeded, never used up) for both kinds, the `faultsInjected` counters, and input validation.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { wooClient, type WooRestClient } from '../../simulators/woocommerce/test-support';
import { until } from '../helpers/until';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 3, products: 3 });
const sku = (sellableItems(catalog)[0] as { sku: string }).sku;
const PRODUCTS = '/wp-json/wc/v3/products';

let sim: WooCommerceSimulator;
let api: WooRestClient;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  const response = await fetch(`${sim.controlUrl}/control${path}`, init);
  return { status: response.status, body: (await response.json()) as Json };
}

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, seed: 42 });
  api = wooClient(sim);
});
after(async () => sim.close());
beforeEach(() => {
  sim.control.clearFaults();
  sim.control.resetCounters();
});

describe('5xx faults', () => {
  test('the next `count` matching requests get a WordPress-shaped 500 and their handler never runs', async () => {
    const product = sim.control.getProductBySku(sku);
    const stockBefore = product.stock_quantity;
    const fault = sim.control.addFault({ kind: '5xx', count: 2, route: { method: 'PUT', pathPrefix: PRODUCTS } });
    assert.equal(fault.status, 500, 'the default status is 500');
    assert.equal(fault.remaining, 2);

    assert.equal((await api.get(`/products/${product.id}`)).status, 200, 'another method is not faulted');
    for (let i = 0; i < 2; i++) {
      const failed = await api.request('PUT', `/products/${product.id}`, { stock_quantity: 777 });
      assert.equal(failed.status, 500);
      assert.match(String(failed.headers.get('content-type')), /^application\/json/);
      assert.deepEqual(failed.body, { code: 'internal_server_error', message: 'There has been a critical error on this website.', data: { status: 500 } });
    }
    assert.equal(sim.control.getProductBySku(sku).stock_quantity, stockBefore, 'a faulted write changes nothing');

    const ok = await api.request('PUT', `/products/${product.id}`, { stock_quantity: 777 });
    assert.equal(ok.status, 200, 'the fault is used up after `count` requests');
    assert.equal(sim.control.getProductBySku(sku).stock_quantity, 777);

    assert.deepEqual(
      sim.control.faults().map((f) => [f.kind, f.matched, f.remaining]),
      [['5xx', 2, 0]],
    );
    const counters = sim.control.counters();
    assert.deepEqual(counters.faultsInjected, { hang: 0, '5xx': 2 });
    assert.equal(counters.responsesByStatus['500'], 2);
    assert.equal(counters.requestsByRoute['PUT /wp-json/wc/v3/products/:id'], 3, 'a faulted request is counted under its route');
  });

  test('502 and 503 carry their own WordPress-shaped bodies', async () => {
    sim.control.addFault({ kind: '5xx', status: 502, count: 1 });
    sim.control.addFault({ kind: '5xx', status: 503, count: 1 });
    const bad = await api.get('/orders');
    assert.equal(bad.status, 502);
    assert.deepEqual((bad.body as Json).data, { status: 502 });
    assert.equal((bad.body as Json).code, 'bad_gateway');
    const unavailable = await api.get('/orders');
    assert.equal(unavailable.status, 503);
    assert.deepEqual(unavailable.body, {
      code: 'service_unavailable',
      message: 'Briefly unavailable for scheduled maintenance. Check back in a minute.',
      data: { status: 503 },
    });
    assert.equal((await api.get('/orders')).status, 200);
  });

  test('a fault without a route hits vendor REST requests only: never the control API, never a path outside /wp-json', async () => {
    sim.control.addFault({ kind: '5xx', rate: 1 });
    assert.equal((await control('GET', '/counters')).status, 200, 'the control API is never faulted');
    assert.equal((await control('GET', '/faults')).status, 200);
    const outside = await fetch(`${sim.url}/not-wordpress`);
    assert.equal(outside.status, 404, 'a path outside /wp-json is not faulted');
    assert.equal(((await outside.json()) as Json).code, 'rest_no_route');
    assert.equal((await api.get('/orders')).status, 500);
    assert.equal(sim.control.faults()[0]?.matched, 1);
  });
});

describe('count or rate', () => {
  test('rate 1 hits every matching request and is never used up; rate 0 hits none', async () => {
    const fault = sim.control.addFault({ kind: '5xx', rate: 1, route: { pathPrefix: '/wp-json/wc/v3/orders' } });
    assert.equal(fault.rate, 1);
    assert.equal(fault.remaining, undefined, 'a rate fault has no remaining count');
    for (let i = 0; i < 5; i++) assert.equal((await api.get('/orders')).status, 500);
    assert.equal((await api.get('/products')).status, 200, 'a non-matching path is not hit');
    assert.deepEqual(
      sim.control.faults().map((f) => f.matched),
      [5],
    );

    sim.control.clearFaults();
    sim.control.addFault({ kind: '5xx', rate: 0 });
    for (let i = 0; i < 5; i++) assert.equal((await api.get('/orders')).status, 200);
    assert.equal(sim.control.faults()[0]?.matched, 0);
    assert.equal(sim.control.counters().faultsInjected['5xx'], 5);
  });

  test('a fractional rate hits some requests, independently, and the same seed gives the same sequence', async () => {
    const statuses = async (target: WooCommerceSimulator): Promise<number[]> => {
      target.control.addFault({ kind: '5xx', rate: 0.5, route: { method: 'GET' } });
      const client = wooClient(target);
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await client.get('/orders')).status);
      return out;
    };
    const [one, two, other] = await Promise.all([7, 7, 8].map((seed) => startWooCommerceSimulator({ catalog, seed })));
    try {
      const first = await statuses(one!);
      const hits = first.filter((s) => s === 500).length;
      assert.ok(hits > 0 && hits < 30, `some but not all requests hit (${hits} of 30)`);
      assert.ok(first.every((s) => s === 200 || s === 500));
      assert.equal(one!.control.faults()[0]?.matched, hits, 'matched counts only the requests hit');
      assert.equal(one!.control.counters().faultsInjected['5xx'], hits);
      assert.deepEqual(await statuses(two!), first, 'the same seed gives the same faults');
      assert.notDeepEqual(await statuses(other!), first, 'another seed gives other faults');
    } finally {
      await Promise.all([one, two, other].map((s) => s?.close()));
    }
  });

  test('a hang fault takes a rate too: every request is held until released, and counted as hang', async () => {
    sim.control.addFault({ kind: 'hang', rate: 1, route: { pathPrefix: '/wp-json/wc/v3/orders' } });
    const held = [api.get('/orders'), api.get('/orders')];
    await until(() => sim.control.faults()[0]?.holding === 2, 'both requests to be held');
    assert.equal((await api.get('/products')).status, 200, 'other paths are not held');
    assert.deepEqual(sim.control.clearFaults(), { cleared: 1, released: 2 });
    assert.deepEqual(
      (await Promise.all(held)).map((r) => r.status),
      [200, 200],
    );
    assert.deepEqual(sim.control.counters().faultsInjected, { hang: 2, '5xx': 0 });
  });

  test('a hang fault still defaults to count 1', async () => {
    const fault = sim.control.addFault({ kind: 'hang', ms: 20 });
    assert.equal(fault.remaining, 1);
    assert.equal(fault.rate, undefined);
  });
});

describe('control API', () => {
  test('POST /control/faults adds a 5xx fault; counters show faultsInjected and a reset clears them', async () => {
    const added = await control('POST', '/faults', { kind: '5xx', status: 503, count: 1, route: { method: 'GET' } });
    assert.equal(added.status, 200);
    assert.deepEqual(added.body, { id: added.body.id, kind: '5xx', status: 503, route: { method: 'GET' }, remaining: 1, matched: 0, holding: 0 });
    assert.equal((await api.get('/orders')).status, 503);
    const listed = await fetch(`${sim.controlUrl}/control/faults`).then((r) => r.json() as Promise<Json[]>);
    assert.deepEqual(
      listed.map((f) => [f.kind, f.matched, f.remaining]),
      [['5xx', 1, 0]],
    );
    assert.deepEqual((await control('GET', '/counters')).body.faultsInjected, { hang: 0, '5xx': 1 });
    assert.deepEqual((await control('POST', '/counters/reset')).body.faultsInjected, { hang: 0, '5xx': 0 });
  });

  test('bad fault input is a 400 naming the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: '5xx', count: 1, rate: 0.5 }, /exactly one of count .* or rate/],
      [{ kind: 'hang', count: 2, rate: 1 }, /exactly one of count/],
      [{ kind: '5xx', rate: 1.5 }, /rate must be between 0 and 1/],
      [{ kind: '5xx', count: 0 }, /count must be ≥ 1/],
      [{ kind: '5xx', status: 504 }, /status must be 500, 502 or 503/],
      [{ kind: '5xx', ms: 10 }, /ms/],
      [{ kind: 'explode' }, /kind must be 'hang' or '5xx'/],
      [{ kind: '5xx', route: { pathPrefix: 'wp-json' } }, /pathPrefix must start with \//],
    ];
    for (const [body, message] of cases) {
      const response = await control('POST', '/faults', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(String(response.body.error), message, JSON.stringify(body));
    }
    assert.throws(() => sim.control.addFault({ kind: '5xx', count: 1, rate: 1 }), /exactly one of count/);
    assert.deepEqual(sim.control.faults(), [], 'nothing was added');
  });
});
