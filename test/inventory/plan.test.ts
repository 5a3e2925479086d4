/** The inventory sync's pure decisions: SKU ↔ NetSuite key, ownership, targets, writes, batching ≤ 100, variations by parent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BATCH_LIMIT,
  chunked,
  inFlightByKey,
  isOwnedSku,
  ownedSkusOfPage,
  planPage,
  reverseAliases,
  stockWrite,
  takeBatches,
  takeReads,
  targetQuantity,
  wooSkusForKey,
  type PendingWrite,
} from '../../src/inventory/plan';
import type { WooStockProduct } from '../../src/woocommerce/product';

const simple = (id: number, sku: string, stock: number | null, manage: boolean | 'parent' = true): WooStockProduct => ({
  id,
  sku,
  type: 'simple',
  parent_id: 0,
  manage_stock: manage,
  stock_quantity: stock,
});
const variation = (id: number, parent: number, sku: string, stock: number | null, manage: boolean | 'parent' = true): WooStockProduct => ({
  id,
  sku,
  type: 'variation',
  parent_id: parent,
  manage_stock: manage,
  stock_quantity: stock,
});
const write = (id: number, parentId = 0): PendingWrite => ({ id, sku: `S${id}`, parentId, stock_quantity: 1 });

describe('target quantity', () => {
  it('is available minus in-flight, never below zero, whole units', () => {
    assert.equal(targetQuantity(10, 3), 7);
    assert.equal(targetQuantity(3, 10), 0);
    assert.equal(targetQuantity(0, 0), 0);
    assert.equal(targetQuantity(7.9, 0), 7, 'a fractional NetSuite quantity is rounded down: never promise a unit that is not whole');
    assert.equal(targetQuantity(5, -2), 5, 'negative in-flight is ignored');
    assert.equal(targetQuantity(Number.NaN, 0), 0);
  });
});

describe('SKUs and NetSuite keys', () => {
  const aliases = { 'WOO-A': 'NS-1', 'WOO-B': 'NS-1', 'NS-2': 'NS-3' };
  const reversed = reverseAliases(aliases);

  it('a NetSuite item feeds its own SKU and every SKU aliased to it; a SKU aliased away is not fed by its own name', () => {
    assert.deepEqual(wooSkusForKey('NS-1', aliases, reversed), ['NS-1', 'WOO-A', 'WOO-B']);
    assert.deepEqual(wooSkusForKey('NS-2', aliases, reversed), [], 'Woo SKU NS-2 maps to NS-3');
    assert.deepEqual(wooSkusForKey('NS-3', aliases, reversed), ['NS-3', 'NS-2']);
    assert.deepEqual(wooSkusForKey('', aliases, reversed), [], 'an item without a key matches nothing');
  });

  it('ownership: prefixes include, exclusions win', () => {
    assert.equal(isOwnedSku('SKU-1', {}), true);
    assert.equal(isOwnedSku('SKU-1', { skuPrefixes: ['SKU-'] }), true);
    assert.equal(isOwnedSku('GIFT-1', { skuPrefixes: ['SKU-'] }), false);
    assert.equal(isOwnedSku('SKU-1', { skuPrefixes: ['SKU-'], excludeSkus: ['SKU-1'] }), false);
  });

  it('in-flight units add up per NetSuite key over the owned SKUs that map to it', () => {
    const units = inFlightByKey(
      [
        ['WOO-A', 2],
        ['WOO-B', 3],
        ['NS-1', 1],
        ['NS-2', 4],
        ['GIFT', 9],
      ],
      { aliases, owns: { excludeSkus: ['GIFT'] } },
    );
    assert.deepEqual(Object.fromEntries(units), { 'NS-1': 6, 'NS-3': 4 });
  });

  it('a page’s owned SKUs carry their key and availability; rows feeding no owned SKU are counted', () => {
    const page = ownedSkusOfPage(
      [
        { key: 'NS-1', available: 10 },
        { key: 'NS-2', available: 5 },
        { key: 'GIFT', available: 3 },
        { key: '', available: 1 },
      ],
      { aliases, owns: { excludeSkus: ['GIFT'] } },
      reversed,
    );
    assert.deepEqual(page.skus, [
      { sku: 'NS-1', key: 'NS-1', available: 10 },
      { sku: 'WOO-A', key: 'NS-1', available: 10 },
      { sku: 'WOO-B', key: 'NS-1', available: 10 },
    ]);
    assert.equal(page.notOwned, 3);
  });
});

describe('stock writes', () => {
  it('writes only a differing quantity; turns stock management on for an owned SKU that has it off or at the parent', () => {
    assert.equal(stockWrite(simple(1, 'A', 5), 5), undefined);
    assert.deepEqual(stockWrite(simple(1, 'A', 4), 5), { id: 1, sku: 'A', parentId: 0, stock_quantity: 5 });
    assert.deepEqual(stockWrite(simple(1, 'A', null, false), 5), { id: 1, sku: 'A', parentId: 0, stock_quantity: 5, manage_stock: true });
    assert.deepEqual(stockWrite(variation(2, 9, 'A-S', null, 'parent'), 0), { id: 2, sku: 'A-S', parentId: 9, stock_quantity: 0, manage_stock: true });
    assert.deepEqual(stockWrite(variation(2, 9, 'A-S', 1), 0), { id: 2, sku: 'A-S', parentId: 9, stock_quantity: 0 });
  });

  it('plans a page: unchanged, writes (variations with their parent) and SKUs WooCommerce lacks', () => {
    const plan = planPage(
      [
        { sku: 'A', key: 'A', available: 10 },
        { sku: 'B', key: 'B', available: 4 },
        { sku: 'C-S', key: 'C-S', available: 3 },
        { sku: 'GONE', key: 'GONE', available: 1 },
        { sku: 'd-1', key: 'd-1', available: 2 },
      ],
      [simple(1, 'A', 8), simple(2, 'B', 1), variation(3, 30, 'C-S', 0), simple(4, 'D-1', 2)],
      new Map([['A', 2]]),
    );
    assert.equal(plan.unchanged, 2, 'A: 10 − 2 in flight = 8 already; d-1 found case-insensitively as D-1, already 2');
    assert.deepEqual(plan.writes, [
      { id: 2, sku: 'B', parentId: 0, stock_quantity: 4, seen: { sku: 'B', key: 'B', available: 4, inFlight: 0 } },
      { id: 3, sku: 'C-S', parentId: 30, stock_quantity: 3, seen: { sku: 'C-S', key: 'C-S', available: 3, inFlight: 0 } },
    ]);
    assert.deepEqual(plan.missing, ['GONE']);
    assert.deepEqual([...plan.parents], [30]);
    assert.deepEqual(
      plan.settled,
      [
        { sku: 'A', key: 'A', available: 10, inFlight: 2 },
        { sku: 'GONE', key: 'GONE', available: 1, inFlight: 0 },
        { sku: 'd-1', key: 'd-1', available: 2, inFlight: 0 },
      ],
      'the SKUs needing no write are settled with what NetSuite said and the in-flight units; the written ones wait for WooCommerce’s answer',
    );
  });
});

describe('batching', () => {
  it('reads whole hundreds of queued SKUs and keeps the rest for the next page, unless the chunk ends', () => {
    const queue = Array.from({ length: 250 }, (_, i) => i);
    const { now, later } = takeReads(queue, { flushAll: false });
    assert.deepEqual([now.length, later.length], [200, 50]);
    assert.deepEqual([...now, ...later], queue, 'order kept, nothing lost');
    assert.deepEqual(takeReads(queue.slice(0, 7), { flushAll: false }), { now: [], later: [0, 1, 2, 3, 4, 5, 6] }, 'a few changed SKUs wait to fill a read');
    assert.deepEqual(takeReads(queue.slice(0, 7), { flushAll: true }).now.length, 7, 'the end of a chunk reads what is left');
  });

  it('chunks into pieces of at most the size', () => {
    assert.deepEqual(chunked([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunked([], 100), []);
    assert.throws(() => chunked([1], 0), RangeError);
  });

  it('sends full batches of 100 per route, keeps remainders of simple products and of open parents, in order', () => {
    const pending = [...Array.from({ length: 250 }, (_, i) => write(i + 1)), write(1001, 77), write(1002, 77), write(2001, 88)];
    const { send, keep } = takeBatches(pending, { flushAll: false, openParents: new Set([77]) });
    assert.deepEqual(
      send.map((b) => [b.parentId, b.items.length]),
      [
        [0, 100],
        [0, 100],
        [88, 1],
      ],
      'parent 88 was not on the last page: its variations are complete',
    );
    assert.ok(send.every((b) => b.items.length <= BATCH_LIMIT));
    assert.deepEqual(
      keep.map((w) => w.id),
      [...Array.from({ length: 50 }, (_, i) => 201 + i), 1001, 1002],
    );
  });

  it('groups variations by parent, one route per batch, and flushes everything at the end of a chunk', () => {
    const pending = [write(1), write(10, 5), write(2), write(11, 6), write(12, 5), ...Array.from({ length: 120 }, (_, i) => write(100 + i, 7))];
    const { send, keep } = takeBatches(pending, { flushAll: true });
    assert.deepEqual(keep, []);
    assert.deepEqual(
      send.map((b) => [b.parentId, b.items.map((w) => w.id).length]),
      [
        [0, 2],
        [5, 2],
        [6, 1],
        [7, 100],
        [7, 20],
      ],
    );
    for (const batch of send)
      assert.ok(
        batch.items.every((w) => w.parentId === batch.parentId),
        'a batch never mixes routes',
      );
    assert.equal(
      send.reduce((n, b) => n + b.items.length, 0),
      pending.length,
      'every pending write is sent exactly once',
    );
  });
});
