/**
 * The pushed-fulfilment index in PostgreSQL (the database of the cursors): which WooCommerce order each NetSuite
 * fulfilment was pushed to. The order's `_netsuite_fulfilments` meta stays the truth of what the customer was told;
 * this index only routes and guards:
 *
 * - a claim is written just before a fulfilment is pushed (write-ahead). A claim that already existed means an earlier
 *   attempt may have pushed part of it (a crash between the tracking and the meta write): the push then looks at the
 *   order's trackings or notes first and adds only what is missing.
 * - the fulfilment sync skips changed fulfilments that were already claimed and still shipped (no order workflow run
 *   for a re-read), and finds the order of a claimed fulfilment NetSuite later deleted or un-shipped. A revert a human
 *   accepted releases the claim, so the fulfilment shipped again is pushed again.
 *
 *   woo_netsuite_sync_pushed_fulfilments(store text, fulfilment_id text, order_id bigint, sales_order_id text,
 *                                        claimed_at timestamptz, primary key (store, fulfilment_id))
 */
import { createTablePool } from './postgres-table';

export interface FulfilmentClaim {
  store: string;
  fulfilmentId: string;
  orderId: number;
  salesOrderId: string;
}

export interface PushedFulfilmentIndex {
  /** Records the claim; true when it is new, false when an earlier attempt claimed it already. */
  claim(claim: FulfilmentClaim): Promise<boolean>;
  /** Drops the claims (a revert a human accepted): the fulfilment, shipped again, is pushed again. */
  release(store: string, fulfilmentIds: readonly string[]): Promise<void>;
  /** The claims of these fulfilments of a store, by fulfilment ID. */
  claimsOf(store: string, fulfilmentIds: readonly string[]): Promise<Map<string, FulfilmentClaim>>;
  close(): Promise<void>;
}

export const PUSHED_FULFILMENTS_TABLE = 'woo_netsuite_sync_pushed_fulfilments';

export function createPostgresPushedFulfilmentIndex(connectionString: string): PushedFulfilmentIndex {
  const { pool, ready: ensureTable } = createTablePool(
    connectionString,
    `CREATE TABLE IF NOT EXISTS ${PUSHED_FULFILMENTS_TABLE} (store text NOT NULL, fulfilment_id text NOT NULL, order_id bigint NOT NULL,
       sales_order_id text NOT NULL, claimed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (store, fulfilment_id))`,
  );
  return {
    async claim(c) {
      await ensureTable();
      const result = await pool.query(
        `INSERT INTO ${PUSHED_FULFILMENTS_TABLE} (store, fulfilment_id, order_id, sales_order_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [c.store, c.fulfilmentId, c.orderId, c.salesOrderId],
      );
      return result.rowCount === 1;
    },
    async release(store, fulfilmentIds) {
      if (fulfilmentIds.length === 0) return;
      await ensureTable();
      await pool.query(`DELETE FROM ${PUSHED_FULFILMENTS_TABLE} WHERE store = $1 AND fulfilment_id = ANY($2)`, [store, [...fulfilmentIds]]);
    },
    async claimsOf(store, fulfilmentIds) {
      const claims = new Map<string, FulfilmentClaim>();
      if (fulfilmentIds.length === 0) return claims;
      await ensureTable();
      const result = await pool.query<{ fulfilment_id: string; order_id: string; sales_order_id: string }>(
        `SELECT fulfilment_id, order_id, sales_order_id FROM ${PUSHED_FULFILMENTS_TABLE} WHERE store = $1 AND fulfilment_id = ANY($2)`,
        [store, [...fulfilmentIds]],
      );
      for (const row of result.rows) {
        claims.set(row.fulfilment_id, { store, fulfilmentId: row.fulfilment_id, orderId: Number(row.order_id), salesOrderId: row.sales_order_id });
      }
      return claims;
    },
    close: () => pool.end(),
  };
}
