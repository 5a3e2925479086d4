import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { initialStock } from '../../simulators/woocommerce/product-catalog';
import { wooClient, type WooRestClient } from '../../simulators/woocommerce/test-support';

type Json = Record<string, unknown>;
const catalog = generateCatalog({ seed: 3, products: 30, variableShare: 0.4 });
const items = sellableItems(catalog);
const variationItem = items.find((i) => i.parentSku) as (typeof items)[number];
const simpleItem = items.find((i) => !i.parentSku) as (typeof items)[number];
let sim: WooCommerceSimulator;
let api: WooRestClient;

before(async () => {
  sim = await startWooCommerceSimulator({ catalog });
  api = wooClient(sim);
});
after(async () => {
  await sim.close();
});

const stockOf = (sku: string): number => sim.control.getProductBySku(sku).stock_quantity as number;

function checkout(sku: string, quantity: number, status: 'pending' | 'processing' | 'on-hold' | 'completed'): Json {
  return sim.control.placeOrder({
    customerEmail: catalog.customers[0]?.emailAsTyped,
    lines: [{ sku, quantity }],
    couponCodes: [],
    fees: [],
    paymentMethodId: 'stripe',
    status,
    customerNote: '',
  }) as Json;
}

describe('products', () => {
  test('initial stock is the sum of onHand − committed over locations 1 and 2', () => {
    assert.equal(stockOf(simpleItem.sku), initialStock(simpleItem.stock));
    const expected = ['1', '2'].reduce((s, id) => s + Math.max(0, (simpleItem.stock[id]?.onHand ?? 0) - (simpleItem.stock[id]?.committed ?? 0)), 0);
    assert.equal(stockOf(simpleItem.sku), expected);
  });

  test('GET /products?sku=A,B returns exact matches, variations included with type variation and parent_id', async () => {
    const response = await api.get(`/products?sku=${encodeURIComponent(`${simpleItem.sku},${variationItem.sku},NOPE`)}`);
    assert.equal(response.status, 200);
    const products = response.body as Json[];
    assert.deepEqual(products.map((p) => p.sku).sort(), [simpleItem.sku, variationItem.sku].sort());
    const variation = products.find((p) => p.sku === variationItem.sku) as Json;
    assert.equal(variation.type, 'variation');
    const parent = sim.control.getProductBySku(variationItem.parentSku as string);
    assert.equal(variation.parent_id, parent.id);
    assert.equal(parent.type, 'variable');
    assert.ok((parent.variations as number[]).includes(variation.id as number));
    // A prefix is not an exact match.
    assert.deepEqual((await api.get(`/products?sku=${simpleItem.sku.slice(0, -1)}`)).body, []);
  });

  test('GET /products lists parents only, with paging headers', async () => {
    const response = await api.get('/products?per_page=5');
    assert.equal(response.headers.get('x-wp-total'), String(catalog.products.length));
    assert.equal((response.body as Json[]).length, 5);
    assert.ok((response.body as Json[]).every((p) => p.type !== 'variation'));
    assert.match(response.headers.get('link') ?? '', /rel="next"/);
  });

  test('variations routes list, read and update a variation; stock_status follows the quantity', async () => {
    const parent = sim.control.getProductBySku(variationItem.parentSku as string);
    const list = (await api.get(`/products/${parent.id}/variations`)).body as Json[];
    const variation = list.find((v) => v.sku === variationItem.sku) as Json;
    assert.ok(variation);
    const updated = await api.request('PUT', `/products/${parent.id}/variations/${variation.id}`, { stock_quantity: 0 });
    assert.equal(updated.status, 200);
    assert.equal((updated.body as Json).stock_status, 'outofstock');
    const back = await api.request('PUT', `/products/${parent.id}/variations/${variation.id}`, { stock_quantity: 7 });
    assert.equal((back.body as Json).stock_status, 'instock');
    const single = (await api.get(`/products/${parent.id}/variations/${variation.id}`)).body as Json;
    assert.equal(single.stock_quantity, 7);
  });

  test('a product with prices as strings and manage_stock, updated via PUT /products/<id>', async () => {
    const product = sim.control.getProductBySku(simpleItem.sku);
    assert.equal(typeof product.price, 'string');
    assert.equal(typeof product.regular_price, 'string');
    assert.equal(product.manage_stock, true);
    const response = await api.request('PUT', `/products/${product.id}`, { stock_quantity: 0, backorders: 'notify' });
    assert.equal((response.body as Json).stock_status, 'onbackorder');
    await api.request('PUT', `/products/${product.id}`, { stock_quantity: 50, backorders: 'no' });
    assert.equal(stockOf(simpleItem.sku), 50);
  });

  test('unknown product gives 404 on GET and 400 on PUT', async () => {
    assert.equal((await api.get('/products/987654')).status, 404);
    const put = await api.request('PUT', '/products/987654', { stock_quantity: 1 });
    assert.equal(put.status, 400);
    assert.equal((put.body as Json).code, 'woocommerce_rest_product_invalid_id');
  });
});

describe('batch', () => {
  test('a batch of 101 items gives 413 woocommerce_rest_request_entity_too_large', async () => {
    const product = sim.control.getProductBySku(simpleItem.sku);
    const update = Array.from({ length: 101 }, () => ({ id: product.id, stock_quantity: 5 }));
    const response = await api.request('POST', '/products/batch', { update });
    assert.equal(response.status, 413);
    assert.deepEqual(response.body, {
      code: 'woocommerce_rest_request_entity_too_large',
      message: 'Unable to accept more than 100 items for this request.',
      data: { status: 413 },
    });
    const mixed = await api.request('POST', '/products/batch', { create: [{ name: 'x' }], update: update.slice(0, 100) });
    assert.equal(mixed.status, 413, 'the limit counts create + update + delete');
  });

  test('a batch of 100 items succeeds, with per-item failures inline', async () => {
    const ids = [
      ...new Set(
        sim.control
          .listProducts()
          .filter((p) => p.type === 'simple')
          .map((p) => p.id as number),
      ),
    ];
    const update = Array.from({ length: 99 }, (_, i) => ({ id: ids[i % ids.length], stock_quantity: 40 + (i % ids.length) }));
    update.push({ id: 999999, stock_quantity: 1 });
    const response = await api.request('POST', '/products/batch', { update });
    assert.equal(response.status, 200);
    const results = (response.body as Json).update as Json[];
    assert.equal(results.length, 100);
    const failed = results[99] as Json;
    assert.equal(failed.id, 999999);
    assert.deepEqual(failed.error, { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } });
    assert.ok(results.slice(0, 99).every((r) => !('error' in r)));
  });

  test('batch create with a duplicate SKU fails inline, others succeed', async () => {
    const response = await api.request('POST', '/products/batch', {
      create: [
        { name: 'New thing', sku: 'NEW-1', regular_price: '9.99', manage_stock: true, stock_quantity: 3 },
        { name: 'Dup', sku: simpleItem.sku },
      ],
    });
    const created = (response.body as Json).create as Json[];
    assert.equal((created[0] as Json).sku, 'NEW-1');
    assert.equal((created[0] as Json).stock_status, 'instock');
    assert.equal(((created[1] as Json).error as Json).code, 'product_invalid_sku');
  });

  test('variation batch works and is limited to 100 too', async () => {
    const parent = sim.control.getProductBySku(variationItem.parentSku as string);
    const variationId = sim.control.getProductBySku(variationItem.sku).id;
    const ok = await api.request('POST', `/products/${parent.id}/variations/batch`, { update: [{ id: variationId, stock_quantity: 11 }] });
    assert.equal(ok.status, 200);
    assert.equal(stockOf(variationItem.sku), 11);
    const tooMany = await api.request('POST', `/products/${parent.id}/variations/batch`, { update: Array.from({ length: 101 }, () => ({ id: variationId })) });
    assert.equal(tooMany.status, 413);
  });
});

describe('stock rules', () => {
  test('stock is reduced once when an order reaches processing, not again on completed, and restored on cancel', async () => {
    sim.control.setStock(simpleItem.sku, 20);
    const order = checkout(simpleItem.sku, 3, 'pending');
    assert.equal(stockOf(simpleItem.sku), 20, 'pending does not reduce');
    const processing = await api.request('PUT', `/orders/${order.id}`, { status: 'processing' });
    assert.equal(processing.status, 200);
    assert.equal(stockOf(simpleItem.sku), 17);
    await api.request('PUT', `/orders/${order.id}`, { status: 'completed' });
    assert.equal(stockOf(simpleItem.sku), 17, 'completed after processing does not reduce again');
    await api.request('PUT', `/orders/${order.id}`, { status: 'cancelled' });
    assert.equal(stockOf(simpleItem.sku), 20, 'cancel restores');
    await api.request('PUT', `/orders/${order.id}`, { status: 'cancelled' });
    assert.equal(stockOf(simpleItem.sku), 20);
  });

  test('a checkout placed as processing reduces variation stock; on-hold → processing does not reduce twice', () => {
    sim.control.setStock(variationItem.sku, 10);
    const order = checkout(variationItem.sku, 2, 'on-hold');
    assert.equal(stockOf(variationItem.sku), 8);
    sim.control.setOrderStatus(order.id as number, 'processing');
    assert.equal(stockOf(variationItem.sku), 8);
    sim.control.setOrderStatus(order.id as number, 'pending');
    assert.equal(stockOf(variationItem.sku), 10, 'back to pending restores');
    sim.control.setOrderStatus(order.id as number, 'processing');
    assert.equal(stockOf(variationItem.sku), 8, 'reduced again after a restore');
  });

  test('set_paid on a pending order reduces stock and sets date_paid', async () => {
    sim.control.setStock(simpleItem.sku, 5);
    const order = checkout(simpleItem.sku, 1, 'pending');
    assert.equal(order.date_paid, null);
    const paid = (await api.request('PUT', `/orders/${order.id}`, { set_paid: true })).body as Json;
    assert.equal(paid.status, 'processing');
    assert.notEqual(paid.date_paid, null);
    assert.equal(stockOf(simpleItem.sku), 4);
  });

  test('with manageStock false orders never touch stock', async () => {
    const other = await startWooCommerceSimulator({ catalog, manageStock: false });
    try {
      const before = other.control.getProductBySku(simpleItem.sku).stock_quantity;
      other.control.placeOrder({ customerEmail: 'x@example.com', lines: [{ sku: simpleItem.sku, quantity: 2 }], paymentMethodId: 'cod', status: 'processing' });
      assert.equal(other.control.getProductBySku(simpleItem.sku).stock_quantity, before);
    } finally {
      await other.close();
    }
  });

  test('stock goes negative and the product becomes out of stock when an order takes more than there is', () => {
    sim.control.setStock(simpleItem.sku, 1);
    checkout(simpleItem.sku, 3, 'processing');
    const product = sim.control.getProductBySku(simpleItem.sku);
    assert.equal(product.stock_quantity, -2);
    assert.equal(product.stock_status, 'outofstock');
  });
});
