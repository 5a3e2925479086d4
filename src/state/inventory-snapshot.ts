/**
 * The inventory snapshot in PostgreSQL (the database of the cursors), so it survives worker restarts, redeploys and a
 * replica taking over: what NetSuite said per owned SKU when a run last settled it, and when each store's last full
 * pass ran. The rules of when an entry is written are in src/inventory/snapshot.ts. Tables, created on first use:
 *
 *   woo_netsuite_sync_inventory_snapshot(store text, sku text, netsuite_key text, available double precision,
 *                                        in_flight double precision, checked_at timestamptz, primary key (store, sku))
 *   woo_netsuite_sync_inventory_full_passes(store text primary key, started_at timestamptz, finished_at timestamptz)
 */
import type { InventorySnapshotEntry } from '../inventory/snapshot';
import { createTablePool } from './postgres-table';
import { checkOut } from './checked-out';

/** A store's last completed full pass (ISO times). */
export interface FullPassRecord {
  startedAt: string;
  finishedAt: string;
}

export interface InventorySnapshotStore {
  /** The store's last completed full pass, or undefined when none has completed (no snapshot yet). */
  lastFullPass(store: string): Promise<FullPassRecord | undefined>;
  /** The entries of these SKUs of a store (SKUs without one are absent). */
  entries(store: string, skus: readonly string[]): Promise<Map<string, InventorySnapshotEntry>>;
  /** Records entries (replacing a SKU's earlier one), as settled by the run that started at `runStartedAt` (ISO). */
  record(store: string, entries: readonly InventorySnapshotEntry[], runStartedAt: string): Promise<void>;
  /** Removes the entries of these SKUs (just before their stock is written). */
  forget(store: string, skus: readonly string[]): Promise<void>;
  /**
   * Ends a full pass that started at `pass.startedAt`: drops the store's entries no run settled since then, and
   * records the pass. Returns how many entries were dropped. Repeating it changes nothing more.
   */
  completeFullPass(store: string, pass: FullPassRecord): Promise<number>;
  close(): Promise<void>;
}

export const INVENTORY_SNAPSHOT_TABLE = 'woo_netsuite_sync_inventory_snapshot';
export const INVENTORY_FULL_PASSES_TABLE = 'woo_netsuite_sync_inventory_full_passes';

/** The last entry per SKU (a page could name a SKU twice; one INSERT … ON CONFLICT may not touch a row twice). */
const lastPerSku = (entries: readonly InventorySnapshotEntry[]): InventorySnapshotEntry[] => [...new Map(entries.map((entry) => [entry.sku, entry])).values()];

export function createPostgresInventorySnapshotStore(connectionString: string): InventorySnapshotStore {
  const { pool, ready: ensureTables } = createTablePool(
    connectionString,
    `CREATE TABLE IF NOT EXISTS ${INVENTORY_SNAPSHOT_TABLE} (store text NOT NULL, sku text NOT NULL, netsuite_key text NOT NULL,
       available double precision NOT NULL, in_flight double precision NOT NULL, checked_at timestamptz NOT NULL, PRIMARY KEY (store, sku));
     CREATE TABLE IF NOT EXISTS ${INVENTORY_FULL_PASSES_TABLE} (store text PRIMARY KEY, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)`,
  );
  return {
    async lastFullPass(store) {
      await ensureTables();
      const result = await pool.query<{ started_at: Date; finished_at: Date }>(
        `SELECT started_at, finished_at FROM ${INVENTORY_FULL_PASSES_TABLE} WHERE store = $1`,
        [store],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : { startedAt: row.started_at.toISOString(), finishedAt: row.finished_at.toISOString() };
    },
    async entries(store, skus) {
      const entries = new Map<string, InventorySnapshotEntry>();
      if (skus.length === 0) return entries;
      await ensureTables();
      const result = await pool.query<{ sku: string; netsuite_key: string; available: number; in_flight: number }>(
        `SELECT sku, netsuite_key, available, in_flight FROM ${INVENTORY_SNAPSHOT_TABLE} WHERE store = $1 AND sku = ANY($2::text[])`,
        [store, [...skus]],
      );
      for (const row of result.rows) entries.set(row.sku, { sku: row.sku, key: row.netsuite_key, available: row.available, inFlight: row.in_flight });
      return entries;
    },
    async record(store, entries, runStartedAt) {
      if (entries.length === 0) return;
      await ensureTables();
      const rows = lastPerSku(entries);
      await pool.query(
        `INSERT INTO ${INVENTORY_SNAPSHOT_TABLE} (store, sku, netsuite_key, available, in_flight, checked_at)
         SELECT $1, u.sku, u.netsuite_key, u.available, u.in_flight, $6::timestamptz
           FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[]) AS u(sku, netsuite_key, available, in_flight)
         ON CONFLICT (store, sku) DO UPDATE SET netsuite_key = EXCLUDED.netsuite_key, available = EXCLUDED.available,
                                                in_flight = EXCLUDED.in_flight, checked_at = EXCLUDED.checked_at`,
        [store, rows.map((r) => r.sku), rows.map((r) => r.key), rows.map((r) => r.available), rows.map((r) => r.inFlight), runStartedAt],
      );
    },
    async forget(store, skus) {
      if (skus.length === 0) return;
      await ensureTables();
      await pool.query(`DELETE FROM ${INVENTORY_SNAPSHOT_TABLE} WHERE store = $1 AND sku = ANY($2::text[])`, [store, [...skus]]);
    },
    async completeFullPass(store, pass) {
      await ensureTables();
      const { client, release } = await checkOut(pool);
      try {
        await client.query('BEGIN');
        const dropped = await client.query(`DELETE FROM ${INVENTORY_SNAPSHOT_TABLE} WHERE store = $1 AND checked_at < $2::timestamptz`, [
          store,
          pass.startedAt,
        ]);
        await client.query(
          `INSERT INTO ${INVENTORY_FULL_PASSES_TABLE} (store, started_at, finished_at) VALUES ($1, $2, $3)
           ON CONFLICT (store) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at
           WHERE ${INVENTORY_FULL_PASSES_TABLE}.started_at <= EXCLUDED.started_at`,
          [store, pass.startedAt, pass.finishedAt],
        );
        await client.query('COMMIT');
        return dropped.rowCount ?? 0;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        release();
      }
    },
    close: () => pool.end(),
  };
}
