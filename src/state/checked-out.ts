/**
 * A pool connection checked out for a transaction, watched for its loss. pg's pool listens for errors only on idle
 * connections: one lost while checked out (the database restarted, the network cut) emits 'error' with no listener —
 * an uncaught exception that ends the process. The query in flight, or the next one, rejects by itself; the watch only
 * keeps the event handled and makes sure the dead connection is not handed back to the pool as if it were sound.
 */
import type { Pool, PoolClient } from 'pg';

export interface CheckedOut {
  client: PoolClient;
  /** Returns the connection to the pool — destroyed instead when `broken` or when it was lost while out. */
  release(broken?: boolean): void;
}

export async function checkOut(pool: Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let lost = false;
  const onLost = (): void => {
    lost = true;
  };
  client.on('error', onLost);
  return {
    client,
    release(broken = false) {
      client.removeListener('error', onLost);
      client.release(broken || lost);
    },
  };
}
