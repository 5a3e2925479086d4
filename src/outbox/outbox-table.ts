/**
 * The webhook outbox's table in PostgreSQL (the state database): one row per acknowledged order delivery, written
 * before the receiver answers 200 and deleted once the order workflow has been started (signal-with-start) for it.
 *
 *   woo_netsuite_sync_webhook_outbox(id bigserial, scope, recorded_by, store, order_id, topic, context, recorded_at)
 *
 * `scope` is the deployment whose workflows the rows start (Temporal namespace and task queue): several deployments,
 * or several test stacks, may share one database without starting each other's orders. `recorded_by` is the receiver
 * process that wrote the row: it starts its own rows at once; any receiver of the scope takes over a row older than
 * the takeover delay (its writer was killed, or could not reach Temporal). The row holds no order data — the webhook is
 * a trigger; the workflow reads the order — beyond `context`: the order's number, line count, total and currency,
 * which the workflow's start shows in the Web UI's details (never a name, e-mail or address).
 */
import type { Pool, PoolClient } from 'pg';
import type { OrderContext } from '../outcome';

export const OUTBOX_TABLE = 'woo_netsuite_sync_webhook_outbox';

const CREATE_STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
     id bigserial PRIMARY KEY,
     scope text NOT NULL,
     recorded_by text NOT NULL,
     store text NOT NULL,
     order_id bigint NOT NULL,
     topic text NOT NULL,
     context jsonb,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  // A table made before the context column (#17) gets it.
  `ALTER TABLE ${OUTBOX_TABLE} ADD COLUMN IF NOT EXISTS context jsonb`,
  `CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_scope_id ON ${OUTBOX_TABLE} (scope, id)`,
];

/** One acknowledged delivery: which order changed, the topic that said so, and what the payload showed of the order. */
export interface OutboxDelivery {
  store: string;
  orderId: number;
  topic: string;
  context?: OrderContext;
}

/** A row claimed for starting, with how long it has waited since it was recorded. */
export interface ClaimedDelivery extends OutboxDelivery {
  id: string;
  waitedMs: number;
}

/**
 * Creates the table and its index when missing. Two processes creating it at the same instant can collide in
 * PostgreSQL's catalog (unique violation on the type name): the loser tries once more and finds it there.
 */
export async function createOutboxTable(pool: Pool): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const statement of CREATE_STATEMENTS) await pool.query(statement);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || (code !== '23505' && code !== '42P07')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Writes `deliveries` in one statement (one commit): durable when it resolves. */
export async function insertDeliveries(pool: Pool, scope: string, recordedBy: string, deliveries: readonly OutboxDelivery[]): Promise<void> {
  await pool.query(
    `INSERT INTO ${OUTBOX_TABLE} (scope, recorded_by, store, order_id, topic, context)
     SELECT $1::text, $2::text, d.store, d.order_id, d.topic, d.context
       FROM unnest($3::text[], $4::bigint[], $5::text[], $6::jsonb[]) AS d(store, order_id, topic, context)`,
    [
      scope,
      recordedBy,
      deliveries.map((d) => d.store),
      deliveries.map((d) => String(d.orderId)),
      deliveries.map((d) => d.topic),
      deliveries.map((d) => (d.context ? JSON.stringify(d.context) : null)),
    ],
  );
}

/**
 * Locks up to `limit` rows of the scope, oldest first, inside the caller's transaction: the caller's own rows, and any
 * row recorded more than `takeoverAfterMs` ago. Rows another transaction holds are skipped (SKIP LOCKED), so two
 * receivers never start the same rows at once; a receiver that dies mid-transaction releases its rows with its
 * connection.
 */
export async function claimDeliveries(
  client: PoolClient,
  scope: string,
  recordedBy: string,
  takeoverAfterMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const result = await client.query<{ id: string; store: string; order_id: string; topic: string; context: OrderContext | null; waited_ms: number }>(
    `SELECT id::text, store, order_id::text, topic, context, (extract(epoch FROM clock_timestamp() - recorded_at) * 1000)::float8 AS waited_ms
       FROM ${OUTBOX_TABLE}
      WHERE scope = $1 AND (recorded_by = $2 OR recorded_at < now() - make_interval(secs => $3::float8 / 1000))
      ORDER BY id
      LIMIT $4
      FOR UPDATE SKIP LOCKED`,
    [scope, recordedBy, takeoverAfterMs, limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    store: row.store,
    orderId: Number(row.order_id),
    topic: row.topic,
    ...(row.context ? { context: row.context } : {}),
    waitedMs: Math.max(0, row.waited_ms),
  }));
}

/** Deletes the rows whose workflows were started, inside the caller's transaction. */
export async function deleteDeliveries(client: PoolClient, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await client.query(`DELETE FROM ${OUTBOX_TABLE} WHERE id = ANY($1::bigint[])`, [ids]);
}

/** How many rows of the scope wait (any writer). */
export async function countDeliveries(pool: Pool, scope: string): Promise<number> {
  const result = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${OUTBOX_TABLE} WHERE scope = $1`, [scope]);
  return result.rows[0]?.n ?? 0;
}
