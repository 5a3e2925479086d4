/**
 * Inventory runs that read only what changed, end to end on the real dev server, both simulators over HTTP and the
 * snapshot in the stack's PostgreSQL: the first run is a full pass; the runs after it read WooCommerce only for SKUs
 * whose NetSuite availability or in-flight units changed, and write only those; stock edited on the WooCommerce side
 * waits for the next full pass, which comes once the last one is INVENTORY_FULL_PASS_HOURS old; the snapshot outlives
 * the worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { INVENTORY_FULL_PASSES_TABLE } from '../../src/state/inventory-snapshot';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { paidDraft } from '../order-sync/helpers';
import {
  netsuiteAvailable,
  PRODUCTS_BATCH,
  PRODUCTS_READ,
  startInventoryStack,
  stockPageReads,
  VARIATIONS_BATCH,
  wooProducts,
  wooRequests,
  type InventoryStack,
} from './helpers';

const catalog = generateCatalog({ seed: 59, products: 40, variableShare: 0.3 });
const items = sellableItems(catalog);
const simples = items.filter((i) => i.parentSku === undefined);
const variations = items.filter((i) => i.parentSku !== undefined);
const PAGE_SIZE = 10;
/** NetSuite pages per activity: a chunk's owned SKUs (≤ 20) are read from WooCommerce together, at the chunk's end. */
const PAGES_PER_ACTIVITY = 2;

describe('inventory runs that read only what changed', () => {
  let inv: InventoryStack;
  /** Units of the orders this test placed that WooCommerce holds and NetSuite has not received, by SKU. */
  const inFlight = new Map<string, number>();

  before(async () => {
    inv = await startInventoryStack(catalog, (mapping) => void (mapping.inventory = { locations: ['1', '2'], pageSize: PAGE_SIZE }), { snapshots: true });
  });
  after(async () => inv?.close());

  const run = () => inv.runSync({ pagesPerActivity: PAGES_PER_ACTIVITY });
  const expected = (sku: string): number => Math.max(0, (netsuiteAvailable(inv.stack).get(sku) ?? 0) - (inFlight.get(sku) ?? 0));
  const mismatches = (): string[] => {
    const products = wooProducts(inv.stack);
    return items.flatMap((item) =>
      products.get(item.sku)?.stock === expected(item.sku) ? [] : [`${item.sku}: WooCommerce ${products.get(item.sku)?.stock}, expected ${expected(item.sku)}`],
    );
  };
  const stocks = (): Map<string, number | null> => new Map([...wooProducts(inv.stack)].map(([sku, p]) => [sku, p.stock]));
  /** The activity (PAGES_PER_ACTIVITY pages of PAGE_SIZE items, by internal ID) whose pages hold a SKU — from the simulator's records. */
  const chunkOf = (sku: string): number => {
    const skus = inv.stack.netsuite.control
      .listRecords('inventoryItem')
      .filter((record) => record.isInactive !== true)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((record) => String(record.itemId));
    return Math.floor(skus.indexOf(sku) / (PAGE_SIZE * PAGES_PER_ACTIVITY));
  };
  const pages = Math.ceil(items.length / PAGE_SIZE);
  const chunks = Math.ceil(pages / PAGES_PER_ACTIVITY);
  const raise = (sku: string, by: number): void => {
    const item = items.find((i) => i.sku === sku)!;
    const now = inv.stack.netsuite.control.listRecords('inventoryItem').find((r) => r.itemId === sku);
    const onHand =
      ((now?.locations as { items: { location: { id: string }; quantityOnHand: number }[] }).items.find((row) => row.location.id === '1')?.quantityOnHand ??
        item.stock['1']?.onHand ??
        0) + by;
    inv.stack.netsuite.control.setItemQuantities(sku, { location: '1', onHand });
  };

  it('a first run, with no snapshot yet, is a full pass: every owned SKU read, what was off on either side written', async () => {
    const { stack } = inv;
    assert.ok(simples.length >= 8 && variations.length >= 4 && pages >= 4, `a catalog of several pages with both kinds (${items.length} SKUs)`);
    assert.equal(await inv.snapshots()!.lastFullPass(stack.store.name), undefined, 'no snapshot before the first run');
    stack.woo.control.setStock(simples[0]!.sku, 777);
    raise(simples[1]!.sku, 5);
    stack.woo.control.resetCounters();

    const result = await run();

    assert.equal(result.pass, 'full');
    assert.match(result.passReason, /no snapshot yet/);
    assert.equal(result.skipped, 0);
    assert.equal(result.updated, 2, 'the SKU edited in WooCommerce and the one NetSuite changed');
    assert.equal(result.unchanged, items.length - 2);
    assert.equal(wooRequests(stack, PRODUCTS_READ), chunks, 'one product read per activity (its ≤ 20 SKUs): every owned SKU');
    assert.deepEqual(mismatches(), []);
    assert.equal((await inv.snapshots()!.lastFullPass(stack.store.name))?.startedAt, result.startedAt, 'the completed pass is recorded');
  });

  it('an incremental run reads WooCommerce only for the SKUs NetSuite changed, and writes only those', async () => {
    const { stack } = inv;
    // Someone edits stock in WP admin: NetSuite says nothing new about this SKU.
    const edited = simples[3]!.sku;
    // Three SKUs of the first activity's pages change in NetSuite, a simple product and a variation among them.
    const first = items.filter((item) => chunkOf(item.sku) === 0 && item.sku !== edited);
    const changed = [...first.filter((i) => i.parentSku === undefined).slice(0, 2), first.find((i) => i.parentSku !== undefined)!].map((i) => i.sku);
    assert.equal(new Set(changed).size, 3);
    assert.ok(chunks >= 3, `more activities than hold a changed SKU (${chunks})`);
    for (const [i, sku] of changed.entries()) raise(sku, 3 + i);
    stack.woo.control.setStock(edited, expected(edited) + 50);
    const before = stocks();
    stack.woo.control.resetCounters();
    stack.netsuite.control.resetCounters();

    const result = await run();

    assert.equal(result.pass, 'incremental');
    assert.equal(result.updated, changed.length);
    assert.equal(result.unchanged, 0);
    assert.equal(result.skipped, items.length - changed.length, 'every other SKU left alone');
    assert.equal(wooRequests(stack, PRODUCTS_READ), 1, 'one product read, for the activity whose pages hold the changed SKUs; none for the others');
    assert.equal(stockPageReads(stack).length, pages, 'NetSuite is still read in full');
    const after = stocks();
    assert.deepEqual(
      [...after]
        .filter(([sku, stock]) => before.get(sku) !== stock)
        .map(([sku]) => sku)
        .sort(),
      [...changed].sort(),
      'WooCommerce stock changed for exactly the changed SKUs',
    );
    for (const sku of changed) assert.equal(after.get(sku), expected(sku));
    assert.equal(after.get(edited), expected(edited) + 50, 'a change made on the WooCommerce side is not seen by an incremental run');
  });

  it('a change made on the WooCommerce side is corrected by the next full pass, due once the last one is INVENTORY_FULL_PASS_HOURS old', async () => {
    const { stack } = inv;
    const edited = simples[3]!.sku;
    stack.woo.control.resetCounters();
    const quiet = await run();
    assert.equal(quiet.pass, 'incremental', 'the last full pass is minutes old');
    assert.equal(quiet.updated + quiet.unchanged, 0);
    assert.equal(wooRequests(stack, PRODUCTS_READ), 0, 'nothing changed in NetSuite: WooCommerce is not read at all');
    assert.notEqual(wooProducts(stack).get(edited)?.stock, expected(edited));

    // A day passes: the last full pass started 25 hours ago.
    const pool = new Pool({ connectionString: stack.stateDatabaseUrl, max: 1 });
    try {
      const aged = await pool.query(`UPDATE ${INVENTORY_FULL_PASSES_TABLE} SET started_at = started_at - interval '25 hours' WHERE store = $1`, [
        stack.store.name,
      ]);
      assert.equal(aged.rowCount, 1);
    } finally {
      await pool.end();
    }
    stack.woo.control.resetCounters();
    const result = await run();

    assert.equal(result.pass, 'full');
    assert.match(result.passReason, /started 25(\.\d)? h ago/);
    assert.equal(result.updated, 1, 'the SKU edited in WooCommerce');
    assert.equal(wooProducts(stack).get(edited)?.stock, expected(edited));
    assert.equal(wooRequests(stack, PRODUCTS_READ), chunks, 'every owned SKU read');
    assert.deepEqual(mismatches(), []);
  });

  it('an incremental run never skips a SKU whose in-flight count changed', async () => {
    const { stack } = inv;
    const sku = simples.find((s) => expected(s.sku) >= 5 && s.sku !== simples[3]!.sku)!.sku;
    // WooCommerce accepts an order NetSuite has not received: it takes the units off its own count.
    const order = stack.woo.control.placeOrder(paidDraft(catalog, { status: 'processing', lines: [{ sku, quantity: 2 }] }));
    inFlight.set(sku, 2);
    const placed = await run();
    assert.equal(placed.pass, 'incremental');
    assert.equal(placed.unchanged, 1, 'the SKU was read (its in-flight count changed) and WooCommerce already holds the target');
    assert.equal(placed.skipped, items.length - 1);
    assert.equal(placed.updated, 0);

    // An operator skips the order: it will never reach NetSuite, so its units are NetSuite's to sell again. NetSuite
    // itself says nothing new about the SKU.
    stack.woo.control.updateOrder(order.id, { meta_data: [{ key: '_netsuite_sync_status', value: 'Skipped' }] });
    inFlight.delete(sku);
    assert.equal(wooProducts(stack).get(sku)?.stock, expected(sku) - 2);
    stack.woo.control.resetCounters();

    const skipped = await run();

    assert.equal(skipped.pass, 'incremental');
    assert.equal(skipped.updated, 1, 'the units came back');
    assert.equal(wooProducts(stack).get(sku)?.stock, expected(sku));
    assert.equal(wooRequests(stack, PRODUCTS_BATCH) + wooRequests(stack, VARIATIONS_BATCH), 1);
    assert.deepEqual(mismatches(), []);
  });

  it('the snapshot survives a worker restart: the new worker’s first run is incremental', async () => {
    const { stack } = inv;
    await inv.restartWorker();
    const sku = variations[variations.length - 1]!.sku;
    raise(sku, 9);
    stack.woo.control.resetCounters();

    const result = await run();

    assert.equal(result.pass, 'incremental', result.passReason);
    assert.equal(result.updated, 1);
    assert.equal(result.skipped, items.length - 1);
    assert.equal(wooRequests(stack, PRODUCTS_READ), 1);
    assert.deepEqual(mismatches(), []);
  });
});
