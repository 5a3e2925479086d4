/**
 * The two reusable readers against the simulators over HTTP: NetSuite stock in keyset pages (every active inventory
 * item once, summed over the chosen locations only, in internal-ID order) and WooCommerce in-flight units (only
 * stock-holding orders NetSuite has not received, within the lookback window).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { readInFlightUnits } from '../../src/inventory/in-flight';
import { readNetSuiteStockPage, type NetSuiteStockRow } from '../../src/inventory/netsuite-stock';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { createWooClient, type WooClient } from '../../src/woocommerce/client';
import { paidDraft } from '../order-sync/helpers';
import { credentialsFor } from '../netsuite/helpers';

const catalog = generateCatalog({ seed: 41, products: 14, variableShare: 0.4 });
const sellable = sellableItems(catalog);

describe('readNetSuiteStockPage', () => {
  let sim: NetSuiteSimulator;
  let client: NetSuiteClient;
  before(async () => {
    sim = await startNetSuiteSimulator({ catalog });
    client = createNetSuiteClient({ credentials: credentialsFor(sim) });
  });
  after(async () => sim?.close());

  it('walks every active inventory item exactly once, in internal-ID order, summing only the chosen locations', async () => {
    const inactive = sim.control.createRecord('inventoryItem', { itemId: 'OLD-1', isInactive: true }).id;
    const rows: NetSuiteStockRow[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await readNetSuiteStockPage(client, { locations: ['1', '2'], matchBy: 'itemid', afterItemId: cursor, limit: 4 });
      pages++;
      assert.ok(page.rows.length <= 4);
      rows.push(...page.rows);
      if (page.nextCursor === undefined) break;
      assert.equal(page.nextCursor, page.rows.at(-1)?.itemId);
      cursor = page.nextCursor;
    }
    assert.equal(pages, Math.ceil(sellable.length / 4));
    assert.deepEqual(rows.map((r) => r.key).sort(), sellable.map((s) => s.sku).sort(), 'every sellable SKU once; no discount/fee items, no inactive item');
    assert.ok(!rows.some((r) => r.itemId === inactive));
    const ids = rows.map((r) => Number(r.itemId));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    for (const item of sellable) {
      const row = rows.find((r) => r.key === item.sku)!;
      const expected = ['1', '2'].reduce((sum, id) => sum + Math.max(0, (item.stock[id]?.onHand ?? 0) - (item.stock[id]?.committed ?? 0)), 0);
      assert.equal(row.available, expected, `${item.sku}: locations 1 and 2 only (3 is the retail store)`);
      assert.equal(row.onHand, (item.stock['1']?.onHand ?? 0) + (item.stock['2']?.onHand ?? 0));
    }
  });

  it('keys items by external ID when asked, and returns an item with no stock rows with zeros', async () => {
    const { id } = sim.control.createRecord('inventoryItem', { itemId: 'NEW-1', externalId: 'ext-new-1' });
    const page = await readNetSuiteStockPage(client, { locations: ['1'], matchBy: 'externalId', afterItemId: String(Number(id) - 1), limit: 1 });
    assert.deepEqual(page.rows, [{ itemId: id, key: 'ext-new-1', available: 0, onHand: 0, onHandValue: 0, averageCost: 0 }]);
    assert.equal(page.nextCursor, undefined);
  });
});

describe('readInFlightUnits', () => {
  let store: WooCommerceSimulator;
  let woo: WooClient;
  before(async () => {
    store = await startWooCommerceSimulator({ catalog });
    woo = createWooClient({ name: 'readers', url: `${store.url}/`, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret, webhookSecret: 'x' });
  });
  after(async () => store?.close());

  it('counts the lines of stock-holding orders NetSuite has not received, and nothing else', async () => {
    const [a, b, c] = sellable.map((s) => s.sku) as [string, string, string];
    const place = (status: 'pending' | 'processing' | 'on-hold' | 'completed', lines: { sku: string; quantity: number }[]) =>
      store.control.placeOrder(paidDraft(catalog, { status, lines }));
    const processing = place('processing', [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 1 },
    ]);
    const onHold = place('on-hold', [{ sku: a, quantity: 3 }]);
    const completed = place('completed', [{ sku: c, quantity: 4 }]);
    place('pending', [{ sku: a, quantity: 50 }]);
    const synced = place('processing', [{ sku: a, quantity: 7 }]);
    store.control.updateOrder(synced.id, {
      meta_data: [
        { key: '_netsuite_sales_order_id', value: '1001' },
        { key: '_netsuite_sync_status', value: 'Synced' },
      ],
    });
    const skipped = place('processing', [{ sku: b, quantity: 9 }]);
    store.control.updateOrder(skipped.id, { meta_data: [{ key: '_netsuite_sync_status', value: 'Skipped' }] });
    const skippedByOperator = place('processing', [{ sku: b, quantity: 11 }]);
    store.control.updateOrder(skippedByOperator.id, { meta_data: [{ key: '_netsuite_sync_status', value: 'SkippedByOperator' }] });
    const waiting = place('processing', [{ sku: c, quantity: 1 }]);
    store.control.updateOrder(waiting.id, { meta_data: [{ key: '_netsuite_sync_status', value: 'NeedsAttention' }] });
    const cancelled = place('processing', [{ sku: c, quantity: 20 }]);
    store.control.setOrderStatus(cancelled.id, 'cancelled');

    const read = await readInFlightUnits(woo, { statuses: ['processing', 'on-hold', 'completed'] });
    assert.deepEqual(Object.fromEntries(read.units), { [a]: 5, [b]: 1, [c]: 5 });
    assert.deepEqual(
      read.orders,
      [processing.id, onHold.id, completed.id, waiting.id].sort((x, y) => x - y),
    );

    const onlyProcessing = await readInFlightUnits(woo, { statuses: ['processing'] });
    assert.deepEqual(Object.fromEntries(onlyProcessing.units), { [a]: 2, [b]: 1, [c]: 1 });

    // Orders modified before the lookback window are not listed: "now" 40 days ahead puts them all outside 30 days.
    const later = await readInFlightUnits(woo, { statuses: ['processing', 'on-hold', 'completed'], now: new Date(Date.now() + 40 * 24 * 3600 * 1000) });
    assert.equal(later.units.size, 0);
  });

  it('walks every page of a long listing', async () => {
    const sku = sellable[3]!.sku;
    const before = (await readInFlightUnits(woo, { statuses: ['on-hold'] })).units.get(sku) ?? 0;
    for (let i = 0; i < 130; i++) store.control.placeOrder(paidDraft(catalog, { status: 'on-hold', lines: [{ sku, quantity: 1 }] }));
    const read = await readInFlightUnits(woo, { statuses: ['on-hold'] });
    assert.equal((read.units.get(sku) ?? 0) - before, 130);
    assert.ok(read.requests >= 2);
  });
});
