/**
 * The inventory snapshot store on a real PostgreSQL (the test runner's, else an embedded one): entries recorded by one
 * connection are read by another, a full pass drops what it did not settle, and stores do not see each other's.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { localPostgres, type LocalPostgres } from '../../dev/postgres';
import { createPostgresInventorySnapshotStore } from '../../src/state/inventory-snapshot';

describe('the inventory snapshot store', () => {
  let database: LocalPostgres;
  before(async () => {
    database = await localPostgres();
  });
  after(async () => database?.stop());

  it('keeps entries and the last full pass across connections; a full pass drops the entries it did not settle', async () => {
    const store = `snap-${randomUUID().slice(0, 8)}`;
    const other = `${store}-other`;
    const first = createPostgresInventorySnapshotStore(database.url);
    const earlier = '2026-12-09T08:00:00.000Z';
    const passStart = '2026-12-10T08:00:00.000Z';
    try {
      assert.equal(await first.lastFullPass(store), undefined, 'no full pass yet');
      await first.record(
        store,
        [
          { sku: 'A', key: 'A', available: 10.5, inFlight: 2 },
          { sku: 'GONE', key: 'GONE', available: 1, inFlight: 0 },
        ],
        earlier,
      );
      await first.record(other, [{ sku: 'A', key: 'A', available: 99, inFlight: 0 }], earlier);
      // The full pass settles A again (new numbers) and B; GONE left NetSuite, REFUSED's write was refused.
      await first.record(store, [{ sku: 'REFUSED', key: 'REFUSED', available: 4, inFlight: 0 }], earlier);
      await first.record(
        store,
        [
          { sku: 'A', key: 'A', available: 12, inFlight: 0 },
          { sku: 'B', key: 'B-KEY', available: 3, inFlight: 1 },
          { sku: 'B', key: 'B-KEY', available: 3, inFlight: 1 },
        ],
        passStart,
      );
      await first.forget(store, ['REFUSED']);
      const dropped = await first.completeFullPass(store, { startedAt: passStart, finishedAt: '2026-12-10T08:01:00.000Z' });
      assert.equal(dropped, 1, 'GONE: not settled by the pass (REFUSED was forgotten before its write)');
    } finally {
      await first.close();
    }

    // Another connection: what a restarted worker sees.
    const second = createPostgresInventorySnapshotStore(database.url);
    try {
      assert.deepEqual(await second.lastFullPass(store), { startedAt: passStart, finishedAt: '2026-12-10T08:01:00.000Z' });
      const entries = await second.entries(store, ['A', 'B', 'GONE', 'REFUSED', 'NEVER']);
      assert.deepEqual([...entries.keys()].sort(), ['A', 'B']);
      assert.deepEqual(entries.get('A'), { sku: 'A', key: 'A', available: 12, inFlight: 0 }, 'the latest entry of a SKU replaces the earlier one');
      assert.deepEqual(entries.get('B'), { sku: 'B', key: 'B-KEY', available: 3, inFlight: 1 });
      assert.deepEqual(
        (await second.entries(other, ['A'])).get('A'),
        { sku: 'A', key: 'A', available: 99, inFlight: 0 },
        'the other store’s entry is its own, and outlived this store’s full pass',
      );
      assert.equal(await second.lastFullPass(other), undefined);
      // An older pass completing late does not move the last full pass back.
      await second.completeFullPass(store, { startedAt: earlier, finishedAt: '2026-12-09T08:01:00.000Z' });
      assert.equal((await second.lastFullPass(store))?.startedAt, passStart);
    } finally {
      await second.close();
    }
  });
});
