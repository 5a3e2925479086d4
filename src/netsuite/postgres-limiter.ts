/**
 * A cluster-wide ConcurrencyLimiter on PostgreSQL session advisory locks: permit slot N is the lock (lockSpace, N).
 *
 * - A held permit keeps its own connection checked out of a `pg.Pool` until released. The lock belongs to that session,
 *   so when a worker dies (even SIGKILL) its connections close and its permits return to the cluster: nothing leaks.
 * - acquire tries every slot with `pg_try_advisory_lock`, from a random start. When none is free, waiters queue in the
 *   process (lowest rank first: the order that arrived first, permit-rank.ts; no connection each), and one pump per
 *   process waits to be woken: a release runs
 *   `pg_advisory_unlock` and `pg_notify` in one statement, and every limiter LISTENs on the lock space's channel, so a
 *   freed slot is retried within one round trip, by one pump per process rather than by every waiting request. A
 *   timer (pollIntervalMs) retries as well, for permits freed without a notification (a crashed holder, a listener
 *   reconnecting). Why not block on one slot with `pg_advisory_lock` + `lock_timeout`: it only sees the slot it
 *   blocks on, costs one connection per waiting request, and polls the database every lock_timeout; LISTEN/NOTIFY
 *   wakes on any slot at once and is idle while nothing is released.
 * - A connection error while holding: the session's lock is gone with it, so the permit is simply gone (its release
 *   is still safe to call). Caveat of any session-lock design: if the database drops a session the worker still
 *   thinks is alive (a network partition), that permit can be taken by another replica before the holder notices.
 */
import { randomInt } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { ConcurrencyLimiter, ReleasePermit } from './limiter';
import { insertByRank } from './permit-rank';

/** Thrown by acquire() after close(), and to requests still waiting when close() runs. */
export class LimiterClosedError extends Error {
  constructor() {
    super('the NetSuite concurrency limiter is closed');
    this.name = 'LimiterClosedError';
  }
}

/** Thrown to waiting requests when the limiter's database cannot be reached or fails; retryable. */
export class LimiterUnavailableError extends Error {
  /** The PostgreSQL / socket error code, when there is one (e.g. ECONNREFUSED, 57P01). */
  readonly code: string | undefined;

  constructor(reason: string, code: string | undefined) {
    super(`the PostgreSQL concurrency limiter is unavailable: ${reason}`);
    this.name = 'LimiterUnavailableError';
    this.code = code;
  }
}

/** Options of createPostgresLimiter. */
export interface PostgresLimiterOptions {
  /** postgres:// URL. Its password never appears in logs or errors. */
  connectionString: string;
  /** Permits handed out at most at once across every limiter sharing the database and lockSpace. */
  permits: number;
  /** The advisory locks' first key (int4). Default DEFAULT_LOCK_SPACE, derived from 'woo-netsuite-sync'. */
  lockSpace?: number;
  /** Fallback retry interval while waiting, in ms (notifications usually wake waiters first). Default 200. */
  pollIntervalMs?: number;
  /** Receives warnings (lost connections, listener trouble). Default: none. */
  logger?: Logger;
}

/** A stable int4 from a name (FNV-1a, 32 bits, signed): the lock space of a named limiter. */
export function lockSpaceOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The default lock space: lockSpaceOf('woo-netsuite-sync'). */
export const DEFAULT_LOCK_SPACE = lockSpaceOf('woo-netsuite-sync');

/** The NOTIFY channel of a lock space (an SQL identifier). */
export function limiterChannel(lockSpace: number): string {
  return `woo_netsuite_sync_limiter_${lockSpace < 0 ? `n${-lockSpace}` : lockSpace}`;
}

interface Waiter {
  rank: number;
  resolve: (release: ReleasePermit) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface HeldPermit {
  client: PoolClient;
  slot: number;
  /** The connection failed: the lock is gone with the session. */
  lost: boolean;
}

/** The error's code and a message fit for logs and errors (pg errors name no password). */
function describeError(error: unknown): { reason: string; code: string | undefined } {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { reason: message, code: typeof code === 'string' ? code : undefined };
}

/** Creates a limiter whose cap holds across every process sharing the database and lock space. */
export function createPostgresLimiter(options: PostgresLimiterOptions): ConcurrencyLimiter {
  const { connectionString, permits, logger } = options;
  const lockSpace = options.lockSpace ?? DEFAULT_LOCK_SPACE;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, got ${permits}`);
  if (!Number.isInteger(lockSpace) || lockSpace < -2147483648 || lockSpace > 2147483647) {
    throw new RangeError(`lockSpace must be an int4, got ${lockSpace}`);
  }
  if (!(pollIntervalMs > 0)) throw new RangeError(`pollIntervalMs must be > 0, got ${pollIntervalMs}`);
  const channel = limiterChannel(lockSpace);
  const applicationName = 'woo-netsuite-sync-limiter';

  // One connection per held permit, one for the pump's attempts. The listener has its own Client.
  const pool = new Pool({
    connectionString,
    max: permits + 1,
    application_name: applicationName,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  pool.on('error', (error) => logger?.warn({ lockSpace, error: describeError(error).reason }, 'limiter: an idle database connection failed'));

  let closed = false;
  const waiters: Waiter[] = [];
  const held = new Map<PoolClient, HeldPermit>();
  const watched = new WeakSet<PoolClient>();
  let spare: PoolClient | undefined;
  let pumping: Promise<void> | undefined;
  let generation = 0;
  let wakeSleeper: (() => void) | undefined;
  let listener: Client | undefined;
  let listenerStarting: Promise<void> | undefined;
  let listenerRetryAt = 0;
  const pendingUnlocks = new Set<Promise<void>>();

  /** Something may have been freed: the pump tries again. */
  const wake = (): void => {
    generation++;
    wakeSleeper?.();
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeSleeper = done;
    });

  /** Checks a connection out of the pool, watching it for errors once. */
  async function checkout(): Promise<PoolClient> {
    const client = await pool.connect();
    if (!watched.has(client)) {
      watched.add(client);
      client.on('error', (error) => {
        const permit = held.get(client);
        if (permit) {
          permit.lost = true;
          logger?.warn(
            { lockSpace, slot: permit.slot, error: describeError(error).reason },
            'limiter: a held permit lost its database connection; the permit is gone',
          );
        } else if (spare === client) {
          spare = undefined;
          client.release(error);
        }
      });
    }
    return client;
  }

  /** LISTENs on the channel in the background; reconnects (at most every 5 s) after a failure. */
  function ensureListening(): void {
    if (closed || listener || listenerStarting || Date.now() < listenerRetryAt) return;
    const client = new Client({ connectionString, application_name: applicationName, keepAlive: true, connectionTimeoutMillis: 10_000 });
    const drop = (error?: unknown): void => {
      if (listener === client) listener = undefined;
      listenerRetryAt = Date.now() + 5_000;
      if (error !== undefined && !closed)
        logger?.warn({ lockSpace, error: describeError(error).reason }, 'limiter: notification listener failed; polling until it reconnects');
      client.end().catch(() => undefined);
    };
    client.on('error', drop);
    client.on('end', () => {
      if (listener === client) listener = undefined;
    });
    client.on('notification', (message) => {
      if (message.channel === channel) wake();
    });
    listenerStarting = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN "${channel}"`);
        if (closed) {
          await client.end();
          return;
        }
        listener = client;
        wake(); // a release may have happened before LISTEN took effect
      } catch (error) {
        drop(error);
      }
    })().finally(() => {
      listenerStarting = undefined;
    });
  }

  /** Tries every slot once from a random start; the connection holding the lock, or undefined. */
  async function tryAnySlot(): Promise<HeldPermit | undefined> {
    const client = spare ?? (await checkout());
    spare = undefined;
    try {
      const start = randomInt(permits);
      for (let i = 0; i < permits && !closed; i++) {
        const slot = (start + i) % permits;
        const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int4, $2::int4) AS locked', [lockSpace, slot]);
        if (result.rows[0]?.locked === true) return { client, slot, lost: false };
      }
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    spare = client;
    return undefined;
  }

  /** Unlocks, notifies the other limiters, returns the connection (or destroys it when anything is off). */
  function unlock(permit: HeldPermit): void {
    held.delete(permit.client);
    const task = (async () => {
      if (permit.lost) {
        permit.client.release(new Error('connection lost while holding a permit'));
        return;
      }
      try {
        const result = await permit.client.query<{ unlocked: boolean }>("SELECT pg_advisory_unlock($1::int4, $2::int4) AS unlocked, pg_notify($3, '')", [
          lockSpace,
          permit.slot,
          channel,
        ]);
        if (result.rows[0]?.unlocked === true) permit.client.release();
        else {
          logger?.warn({ lockSpace, slot: permit.slot }, 'limiter: a permit was no longer held at release; its connection is discarded');
          permit.client.release(new Error('advisory lock was not held'));
        }
      } catch (error) {
        logger?.warn(
          { lockSpace, slot: permit.slot, error: describeError(error).reason },
          'limiter: release failed; the connection is discarded (its lock goes with it)',
        );
        permit.client.release(error instanceof Error ? error : new Error(String(error)));
      }
    })().finally(() => {
      pendingUnlocks.delete(task);
      wake();
    });
    pendingUnlocks.add(task);
  }

  /** Hands a won lock to the first waiter, or gives it back when nobody waits any more. */
  function grant(permit: HeldPermit): void {
    held.set(permit.client, permit);
    const waiter = waiters.shift();
    if (!waiter || closed) {
      if (waiter) waiter.reject(new LimiterClosedError());
      unlock(permit);
      return;
    }
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    let released = false;
    waiter.resolve(() => {
      if (released) return;
      released = true;
      if (held.get(permit.client) === permit) unlock(permit);
    });
  }

  function failWaiters(error: unknown): void {
    for (const waiter of waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(error);
    }
  }

  /** Serves the waiters, one attempt at a time, until none is left. */
  async function pump(): Promise<void> {
    while (!closed && waiters.length > 0) {
      ensureListening();
      const seen = generation;
      let permit: HeldPermit | undefined;
      try {
        permit = await tryAnySlot();
      } catch (error) {
        const { reason, code } = describeError(error);
        logger?.warn({ lockSpace, error: reason, code }, 'limiter: database unavailable; waiting requests fail');
        failWaiters(new LimiterUnavailableError(reason, code));
        break;
      }
      if (permit) {
        grant(permit);
        continue;
      }
      if (seen === generation) await sleep(pollIntervalMs);
    }
    if (spare) {
      spare.release();
      spare = undefined;
    }
  }

  function startPump(): void {
    if (pumping) {
      wake();
      return;
    }
    pumping = pump().finally(() => {
      pumping = undefined;
      if (!closed && waiters.length > 0) startPump();
    });
  }

  return {
    permits,
    acquire(signal?: AbortSignal, rank = Date.now()): Promise<ReleasePermit> {
      if (closed) return Promise.reject(new LimiterClosedError());
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
      return new Promise<ReleasePermit>((resolve, reject) => {
        const waiter: Waiter = {
          rank,
          resolve,
          reject,
          signal,
          onAbort: () => {
            const index = waiters.indexOf(waiter);
            if (index >= 0) waiters.splice(index, 1);
            reject(signal?.reason ?? new Error('aborted'));
            if (waiters.length === 0) wake();
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        insertByRank(waiters, waiter);
        startPump();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      failWaiters(new LimiterClosedError());
      wake();
      await pumping;
      for (const permit of [...held.values()]) unlock(permit);
      await Promise.allSettled([...pendingUnlocks]);
      await listenerStarting;
      const current = listener;
      listener = undefined;
      if (current) await current.end().catch(() => undefined);
      await pool.end();
    },
  };
}
