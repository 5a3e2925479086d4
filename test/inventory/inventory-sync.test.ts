/**
 * The inventory sync end to end on the real dev server and both simulators over HTTP: WooCommerce stock becomes
 * NetSuite's available (locations 1 and 2) minus the units of orders WooCommerce accepted that NetSuite has not
 * received; a second run writes nothing; variations are written through their parent's variations batch route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { paidDraft } from '../order-sync/helpers';
import {
  netsuiteAvailable,
  PRODUCTS_BATCH,
  PRODUCTS_READ,
  startInventoryStack,
  VARIATIONS_BATCH,
  wooProducts,
  wooRequests,
  type InventoryStack,
} from './helpers';

const catalog = generateCatalog({ seed: 43, products: 16, variableShare: 0.4 });
const items = sellableItems(catalog);
const simples = items.filter((i) => i.parentSku === undefined);
const variations = items.filter((i) => i.parentSku !== undefined);

describe('inventory sync', () => {
  let inv: InventoryStack;
  /** Units of the orders this test placed that WooCommerce holds and NetSuite has not received, by SKU. */
  const inFlight = new Map<string, number>();

  before(async () => {
    inv = await startInventoryStack(catalog);
  });
  after(async () => inv?.close());

  /** Every owned SKU's expected WooCommerce quantity: Σ available over locations 1 and 2 − in-flight units. */
  const expected = (): Map<string, number> => {
    const available = netsuiteAvailable(inv.stack);
    return new Map(items.map((item) => [item.sku, Math.max(0, (available.get(item.sku) ?? 0) - (inFlight.get(item.sku) ?? 0))]));
  };
  const mismatches = (): string[] => {
    const products = wooProducts(inv.stack);
    return [...expected()].flatMap(([sku, quantity]) => {
      const product = products.get(sku);
      return product?.stock === quantity && product.manageStock === true
        ? []
        : [`${sku}: WooCommerce ${product?.stock} (manage ${String(product?.manageStock)}), expected ${quantity}`];
    });
  };

  it('sets every owned SKU to NetSuite available − in-flight units, with orders on both sides', async () => {
    const { stack } = inv;
    assert.ok(simples.length >= 6 && variations.length >= 6, 'the catalog has both kinds');
    // Stock to commit at location 1 (e, v1) and 2 (f); the others are any SKUs of their kind.
    const free = (item: (typeof items)[number], location: string): number => (item.stock[location]?.onHand ?? 0) - (item.stock[location]?.committed ?? 0);
    const e = simples.find((s) => free(s, '1') >= 10)!.sku;
    const f = simples.find((s) => s.sku !== e && free(s, '2') >= 10)!.sku;
    const v1 = variations.find((v) => free(v, '1') >= 10)!.sku;
    const [a, b, c, d] = simples.map((s) => s.sku).filter((sku) => sku !== e && sku !== f) as [string, string, string, string];
    const v2 = variations.find((v) => v.sku !== v1)!.sku;

    // Orders WooCommerce accepted (stock reduced there) that NetSuite has not received: no worker syncs them.
    const place = (status: 'pending' | 'processing' | 'on-hold' | 'completed', lines: { sku: string; quantity: number; raw?: boolean }[], count: boolean) => {
      const order = stack.woo.control.placeOrder(paidDraft(catalog, { status, lines }));
      if (count) for (const line of lines) inFlight.set(line.sku, (inFlight.get(line.sku) ?? 0) + line.quantity);
      return order;
    };
    place(
      'processing',
      [
        { sku: a, quantity: 2 },
        { sku: v1, quantity: 1 },
      ],
      true,
    );
    place('on-hold', [{ sku: b, quantity: 3 }], true);
    place(
      'completed',
      [
        { sku: v2, quantity: 2 },
        { sku: a, quantity: 1 },
      ],
      true,
    );
    place('pending', [{ sku: c, quantity: 4 }], false);
    // Already in NetSuite, and skipped by a rule: not in flight.
    const synced = place('processing', [{ sku: c, quantity: 5 }], false);
    stack.woo.control.updateOrder(synced.id, {
      meta_data: [
        { key: '_netsuite_sales_order_id', value: '999' },
        { key: '_netsuite_sync_status', value: 'Synced' },
      ],
    });
    const skipped = place('processing', [{ sku: d, quantity: 6 }], false);
    stack.woo.control.updateOrder(skipped.id, { meta_data: [{ key: '_netsuite_sync_status', value: 'Skipped' }] });
    // A line NetSuite has no item for.
    place('processing', [{ sku: 'NOT-IN-NETSUITE', quantity: 1, raw: true }], true);

    // Other orders, committed in NetSuite directly (sales orders WooCommerce never saw), and received stock.
    const itemId = (sku: string): string => String(stack.netsuite.control.listRecords('inventoryItem').find((r) => r.itemId === sku)?.id);
    const customer = String(stack.netsuite.control.listRecords('customer')[0]?.id);
    const availableBefore = netsuiteAvailable(stack);
    stack.netsuite.control.createRecord('salesOrder', {
      entity: { id: customer },
      item: {
        items: [
          { item: { id: itemId(e) }, quantity: 4 },
          { item: { id: itemId(v1) }, quantity: 2 },
        ],
      },
    });
    stack.netsuite.control.createRecord('salesOrder', {
      entity: { id: customer },
      location: { id: '2' },
      item: { items: [{ item: { id: itemId(f) }, quantity: 3 }] },
    });
    stack.netsuite.control.setItemQuantities(b, { location: '1', onHand: 500 });
    stack.netsuite.control.setItemQuantities(c, { location: '3', onHand: 999 });
    const availableAfter = netsuiteAvailable(stack);
    for (const sku of [e, f, v1]) assert.ok(availableAfter.get(sku)! < availableBefore.get(sku)!, `the NetSuite sales orders committed stock of ${sku}`);
    assert.equal(availableAfter.get(c), availableBefore.get(c), 'location 3 (retail) does not count');

    // WooCommerce drift: a wrong quantity, and a product that stopped managing stock.
    stack.woo.control.setStock(d, 9999);
    const eProduct = wooProducts(stack).get(e)!;
    const put = await fetch(`${stack.woo.url}/wp-json/wc/v3/products/${eProduct.id}`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from(`${stack.woo.consumerKey}:${stack.woo.consumerSecret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ manage_stock: false }),
    });
    assert.equal(put.status, 200);
    // NetSuite owns an item WooCommerce does not sell.
    stack.netsuite.control.createRecord('inventoryItem', { itemId: 'NETSUITE-ONLY' });

    const wrongBefore = mismatches();
    assert.ok(wrongBefore.length >= 5, `several SKUs are off before the run: ${wrongBefore.join('; ')}`);

    const result = await inv.runSync();

    assert.deepEqual(mismatches(), []);
    assert.equal(result.updated, wrongBefore.length, 'exactly the SKUs that were off were written');
    assert.equal(result.unchanged, items.length - wrongBefore.length);
    assert.equal(result.failed, 0);
    assert.deepEqual(result.missing, { inWooCommerce: 1, inNetSuite: 1 });
    assert.deepEqual(result.missingSkus, { inWooCommerce: ['NETSUITE-ONLY'], inNetSuite: ['NOT-IN-NETSUITE'] });
    assert.equal(result.skusRead, items.length + 1);
    assert.equal(result.inFlightOrders, 4);
    assert.equal(
      result.inFlightUnits,
      [...inFlight.values()].reduce((n, u) => n + u, 0),
    );
    assert.equal(wooProducts(stack).get(e)?.manageStock, true, 'an owned SKU that did not manage stock does now');
  });

  it('a second run writes nothing', async () => {
    const { stack } = inv;
    stack.woo.control.resetCounters();
    const result = await inv.runSync();
    assert.equal(result.updated, 0);
    assert.equal(result.writes, 0);
    assert.equal(result.unchanged, items.length);
    assert.equal(wooRequests(stack, PRODUCTS_BATCH) + wooRequests(stack, VARIATIONS_BATCH), 0, 'no batch request reached WooCommerce');
    assert.ok(wooRequests(stack, PRODUCTS_READ) > 0, 'it did read the products');
    assert.deepEqual(mismatches(), []);
  });

  it('writes variations through their parent’s variations batch route, one request per parent', async () => {
    const { stack } = inv;
    const byParent = new Map<string, string[]>();
    for (const v of variations) byParent.set(v.parentSku!, [...(byParent.get(v.parentSku!) ?? []), v.sku]);
    const [first, second] = [...byParent.values()].filter((list) => list.length >= 2) as [string[], string[]];
    assert.ok(first && second, 'two variable products with two or more variations');
    const changed = [first[0]!, first[1]!, second[0]!];
    for (const [i, sku] of changed.entries()) stack.netsuite.control.setItemQuantities(sku, { location: '2', onHand: 300 + i });
    stack.woo.control.resetCounters();

    const result = await inv.runSync({ pagesPerActivity: 1 });

    assert.deepEqual(mismatches(), []);
    assert.equal(result.updated, 3);
    assert.equal(wooRequests(stack, VARIATIONS_BATCH), 2, 'one batch per parent with changed variations');
    assert.equal(wooRequests(stack, PRODUCTS_BATCH), 0, 'no variation went through the products route');
    assert.equal(result.writes, 2);
    const products = wooProducts(stack);
    for (const sku of changed) assert.equal(products.get(sku)?.type, 'variation');
  });
});
