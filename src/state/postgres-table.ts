/**
 * A small pool on the state database with its table created on first use (CREATE TABLE IF NOT EXISTS): the durable
 * cursors and the pushed-fulfilment index each keep one table there. A failed creation is tried again on the next use;
 * a pool error (the database restarted) never crashes the worker — the next query reconnects. The connection string's
 * password never appears in an error: pg's errors name the host, not the URL.
 */
import { Pool } from 'pg';

export interface TablePool {
  pool: Pool;
  /** Resolves once the table exists. */
  ready(): Promise<void>;
}

export function createTablePool(connectionString: string, createTable: string): TablePool {
  const pool = new Pool({ connectionString, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  let ready: Promise<void> | undefined;
  return {
    pool,
    ready: () =>
      (ready ??= pool.query(createTable).then(
        () => undefined,
        (error: unknown) => {
          ready = undefined;
          throw error;
        },
      )),
  };
}
