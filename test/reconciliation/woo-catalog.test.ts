/**
 * The WooCommerce catalog walk against the simulator over HTTP: every simple product and every variation, across
 * several pages of products, with the stock WooCommerce holds; a refused key fails as an auth error that carries
 * neither the secret nor the Authorization header.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { readWooCatalog } from '../../src/reconciliation/woo-catalog';
import { createWooClient } from '../../src/woocommerce/client';
import { WooCommerceError } from '../../src/woocommerce/errors';

// 230 products (three pages of 100), about a third of them variable.
const catalog = generateCatalog({ seed: 7, products: 230, variableShare: 0.35 });

describe('the WooCommerce catalog walk', () => {
  let woo: WooCommerceSimulator;
  before(async () => {
    woo = await startWooCommerceSimulator({ catalog });
  });
  after(async () => {
    await woo.close();
  });

  const settings = (secret: string) => ({ name: 'cat', url: `${woo.url}/`, consumerKey: woo.consumerKey, consumerSecret: secret, webhookSecret: 'unused' });

  it('finds every sellable SKU — simple products and variations — with its stock, over several pages', async () => {
    const stockOf = new Map(woo.control.listProducts().map((p) => [p.sku, p.stock_quantity]));
    woo.control.setStock(sellableItems(catalog)[5]!.sku, 3); // a change WooCommerce holds on its own
    stockOf.set(sellableItems(catalog)[5]!.sku, 3);
    const progress: number[] = [];
    const walked = await readWooCatalog(createWooClient(settings(woo.consumerSecret)), { onProgress: (n) => progress.push(n) });

    const expected = sellableItems(catalog)
      .map((item) => item.sku)
      .sort();
    assert.deepEqual(walked.entries.map((e) => e.sku).sort(), expected);
    for (const entry of walked.entries) assert.equal(entry.stockQuantity, stockOf.get(entry.sku), entry.sku);
    const variable = catalog.products.filter((p) => p.type === 'variable').length;
    assert.ok(variable > 50, 'the catalog has many variable products');
    // Three product pages, then one variations listing per variable product; progress after each.
    assert.equal(walked.requests, 3 + variable);
    assert.deepEqual(
      progress,
      Array.from({ length: walked.requests }, (_, i) => i + 1),
    );
    assert.ok(walked.entries.filter((e) => e.type === 'variation').every((e) => e.parentId > 0));
  });

  it('a refused key is an auth error that names neither the secret nor the header', async () => {
    const secret = 'cs_not-the-right-secret-0123456789';
    const error = await readWooCatalog(createWooClient(settings(secret))).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof WooCommerceError, String(error));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    const everything = `${error.message} ${JSON.stringify(error)} ${error.stack ?? ''}`;
    assert.doesNotMatch(everything, /not-the-right-secret|Basic |authorization/i);
  });
});
