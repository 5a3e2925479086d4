/**
 * Durable cursors in PostgreSQL: the catch-up poller's "orders modified since" survives worker restarts, redeploys and
 * a replica taking over, because it lives in one row per name, not in a process. The table is created on first use:
 *
 *   woo_netsuite_sync_cursors(name text primary key, value text, updated_at timestamptz)
 *
 * `set` only moves a cursor forward when asked to (`onlyForward`), so two overlapping polls cannot move it back.
 */
import { createTablePool } from './postgres-table';

export interface CursorStore {
  /** The cursor's value, or undefined when it was never set. */
  get(name: string): Promise<string | undefined>;
  /**
   * Stores `value`. With `onlyForward`, an ISO-8601 value older than the stored one is ignored. Returns the value
   * stored after the call.
   */
  set(name: string, value: string, options?: { onlyForward?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export const CURSOR_TABLE = 'woo_netsuite_sync_cursors';

/**
 * The window a job driven by a cursor reads: from the stored cursor minus an overlap (clock skew, whole-second
 * timestamps) — or, with no cursor yet, from `began − lookback` — and the cursor to store once it is done: `began`.
 */
export function cursorWindow(
  stored: string | undefined,
  began: Date,
  q: { overlapMinutes: number; initialLookbackHours: number },
): { since: string; cursor: string } {
  const storedMs = stored === undefined ? Number.NaN : Date.parse(stored);
  const since = Number.isNaN(storedMs) ? began.getTime() - q.initialLookbackHours * 3_600_000 : storedMs - q.overlapMinutes * 60_000;
  return { since: new Date(since).toISOString(), cursor: began.toISOString() };
}

export function createPostgresCursorStore(connectionString: string): CursorStore {
  const { pool, ready: ensureTable } = createTablePool(
    connectionString,
    `CREATE TABLE IF NOT EXISTS ${CURSOR_TABLE} (name text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
  );
  return {
    async get(name) {
      await ensureTable();
      const result = await pool.query<{ value: string }>(`SELECT value FROM ${CURSOR_TABLE} WHERE name = $1`, [name]);
      return result.rows[0]?.value;
    },
    async set(name, value, options = {}) {
      await ensureTable();
      // ISO-8601 UTC strings of one format compare correctly as text; onlyForward keeps the greater one.
      const result = await pool.query<{ value: string }>(
        `INSERT INTO ${CURSOR_TABLE} (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = CASE WHEN $3 AND ${CURSOR_TABLE}.value > EXCLUDED.value THEN ${CURSOR_TABLE}.value ELSE EXCLUDED.value END,
                                          updated_at = now()
         RETURNING value`,
        [name, value, options.onlyForward === true],
      );
      return result.rows[0]?.value ?? value;
    },
    close: () => pool.end(),
  };
}
