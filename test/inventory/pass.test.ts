/**
 * Full pass or incremental, and which SKUs an incremental run reads: the pure rules (src/inventory/pass.ts,
 * src/inventory/snapshot.ts), and the INVENTORY_FULL_PASS_HOURS setting they are given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadWorkerSettings } from '../../src/config';
import { choosePass, type InventoryPassState } from '../../src/inventory/pass';
import { skusChangedSinceSnapshot, type InventorySnapshotEntry } from '../../src/inventory/snapshot';

const now = new Date('2026-12-10T12:00:00.000Z');
const hoursAgo = (hours: number): string => new Date(now.getTime() - hours * 3_600_000).toISOString();
const kept = (lastStartedHoursAgo: number | undefined, fullPassHours = 24): InventoryPassState => ({
  snapshotKept: true,
  fullPassHours,
  ...(lastStartedHoursAgo !== undefined
    ? { lastFullPass: { startedAt: hoursAgo(lastStartedHoursAgo), finishedAt: hoursAgo(lastStartedHoursAgo - 0.01) } }
    : {}),
});

describe('full pass or incremental', () => {
  it('a store with no completed full pass gets a full pass', () => {
    const choice = choosePass(kept(undefined), now);
    assert.equal(choice.pass, 'full');
    assert.match(choice.reason, /no snapshot yet/);
  });

  it('is incremental while the last full pass is younger than the interval, a full pass once it is as old', () => {
    assert.equal(choosePass(kept(1), now).pass, 'incremental');
    assert.equal(choosePass(kept(23.99), now).pass, 'incremental');
    const due = choosePass(kept(24), now);
    assert.equal(due.pass, 'full');
    assert.match(due.reason, /started 24 h ago/);
    assert.equal(choosePass(kept(3, 2), now).pass, 'full', 'the interval is the setting, not a constant');
    assert.equal(choosePass(kept(1, 2), now).pass, 'incremental');
  });

  it('is a full pass when asked for, or when the worker keeps no snapshot', () => {
    assert.equal(choosePass(kept(1), now, { fullPass: true }).pass, 'full');
    const none = choosePass({ snapshotKept: false, fullPassHours: 24 }, now);
    assert.equal(none.pass, 'full');
    assert.match(none.reason, /keeps no snapshot/);
  });
});

describe('which SKUs an incremental run reads', () => {
  const entry = (sku: string, available: number, inFlight: number, key = sku): InventorySnapshotEntry => ({ sku, key, available, inFlight });
  const entries = new Map([entry('A', 10, 0), entry('B', 5, 2), entry('C', 7, 0), entry('D', 3, 0, 'D-OLD')].map((e) => [e.sku, e]));

  it('reads a SKU whose availability, in-flight units or key changed, or that has no entry; leaves the rest', () => {
    const page = [
      { sku: 'A', key: 'A', available: 10 }, // as recorded
      { sku: 'B', key: 'B', available: 5 }, // in flight was 2, now 0 (an order skipped or synced): read
      { sku: 'C', key: 'C', available: 8 }, // NetSuite changed: read
      { sku: 'D', key: 'D', available: 3 }, // the alias changed the key: read
      { sku: 'E', key: 'E', available: 1 }, // new: read
    ];
    const { changed, unchanged } = skusChangedSinceSnapshot(page, new Map(), entries);
    assert.deepEqual(
      changed.map((s) => s.sku),
      ['B', 'C', 'D', 'E'],
    );
    assert.equal(unchanged, 1);
  });

  it('reads a SKU whose in-flight units changed though NetSuite did not', () => {
    const page = [{ sku: 'A', key: 'A', available: 10 }];
    assert.deepEqual(
      skusChangedSinceSnapshot(page, new Map([['A', 1]]), entries).changed.map((s) => s.sku),
      ['A'],
      'an order placed since',
    );
    assert.deepEqual(
      skusChangedSinceSnapshot([{ sku: 'B', key: 'B', available: 5 }], new Map([['B', 2]]), entries).changed,
      [],
      'still 2 in flight: left alone',
    );
  });
});

describe('INVENTORY_FULL_PASS_HOURS', () => {
  it('is 24 by default, read from the environment, and must be positive', () => {
    assert.equal(loadWorkerSettings({}).inventoryFullPassHours, 24);
    assert.equal(loadWorkerSettings({ INVENTORY_FULL_PASS_HOURS: '6' }).inventoryFullPassHours, 6);
    assert.equal(loadWorkerSettings({ INVENTORY_FULL_PASS_HOURS: '0.5' }).inventoryFullPassHours, 0.5);
    assert.throws(() => loadWorkerSettings({ INVENTORY_FULL_PASS_HOURS: '0' }), /INVENTORY_FULL_PASS_HOURS/);
    assert.throws(() => loadWorkerSettings({ INVENTORY_FULL_PASS_HOURS: 'daily' }), /INVENTORY_FULL_PASS_HOURS/);
  });
});
