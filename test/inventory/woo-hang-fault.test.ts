/**
 * The WooCommerce simulator's `hang` fault, which the crash test relies on: it holds the next matching request for
 * `ms` (then serves it), or until the faults are cleared (then serves it), or until the client leaves (never served).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { until } from '../helpers/until';

describe('WooCommerce simulator: hang fault', () => {
  let store: WooCommerceSimulator;
  let auth: string;
  before(async () => {
    store = await startWooCommerceSimulator({ catalog: generateCatalog({ seed: 3, products: 3 }) });
    auth = `Basic ${Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64')}`;
  });
  after(async () => store?.close());

  const get = (path: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${store.url}/wp-json/wc/v3${path}`, { headers: { authorization: auth }, ...(signal ? { signal } : {}) });

  it('holds only matching requests, as many as `count`, and serves them after `ms`', async () => {
    store.control.clearFaults();
    store.control.addFault({ kind: 'hang', ms: 200, route: { method: 'GET', pathPrefix: '/wp-json/wc/v3/products' } });
    const orders = await get('/orders');
    assert.equal(orders.status, 200, 'another route is not held');
    const held = get('/products');
    await until(() => store.control.faults()[0]?.holding === 1, 'the request to be held');
    assert.equal((await held).status, 200);
    assert.deepEqual(
      store.control.faults().map((f) => [f.matched, f.holding, f.remaining]),
      [[1, 0, 0]],
    );
    assert.equal((await get('/products')).status, 200, 'the fault is spent');
  });

  it('releases held requests when the faults are cleared, and drops a request whose client left', async () => {
    store.control.clearFaults();
    store.control.addFault({ kind: 'hang', count: 2, route: { pathPrefix: '/wp-json/wc/v3/products/batch' } });
    const before = store.control.counters().requestsByRoute['POST /wp-json/wc/v3/products/batch'] ?? 0;
    const abandon = new AbortController();
    const post = (signal?: AbortSignal): Promise<Response> =>
      fetch(`${store.url}/wp-json/wc/v3/products/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ update: [] }),
        ...(signal ? { signal } : {}),
      });
    const gone = post(abandon.signal).catch((error: unknown) => error);
    await until(() => store.control.faults()[0]?.holding === 1, 'the first request to be held');
    abandon.abort();
    await gone;
    await until(() => store.control.faults()[0]?.holding === 0, 'the abandoned request to be dropped');
    const kept = post();
    await until(() => store.control.faults()[0]?.holding === 1, 'the second request to be held');
    assert.deepEqual(store.control.clearFaults(), { cleared: 1, released: 1 });
    assert.equal((await kept).status, 200);
    const after = store.control.counters().requestsByRoute['POST /wp-json/wc/v3/products/batch'] ?? 0;
    assert.equal(after - before, 1, 'only the released request was served (the abandoned one never reached its handler)');
  });
});
