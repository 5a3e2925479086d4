import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'pg';
import type { ConcurrencyLimiter, ReleasePermit } from '../../src/netsuite/limiter';
import { createLimiter } from '../../src/netsuite/limiter-factory';
import { localPostgres, type LocalPostgres } from '../../dev/postgres';
import { createPostgresLimiter, DEFAULT_LOCK_SPACE, LimiterClosedError, LimiterUnavailableError, lockSpaceOf } from '../../src/netsuite/postgres-limiter';

/** `npm test`'s PostgreSQL (NETSUITE_LIMITER_URL), else an embedded one for this file. */
let database: LocalPostgres;
let DATABASE_URL: string;
const root = join(__dirname, '..', '..');

/** A lock space no other test (or parallel run) uses. */
const freshLockSpace = (): number => randomInt(1, 2 ** 31 - 1) * (randomInt(2) === 0 ? 1 : -1);

let admin: Pool;
const limiters: ConcurrencyLimiter[] = [];
const children: ChildProcess[] = [];

function limiter(lockSpace: number, permits: number): ConcurrencyLimiter {
  const created = createPostgresLimiter({ connectionString: DATABASE_URL, permits, lockSpace });
  limiters.push(created);
  return created;
}

/** Advisory locks of a lock space currently granted, as [pid, slot] rows. */
async function grantedLocks(lockSpace: number): Promise<{ pid: number; slot: number }[]> {
  const result = await admin.query<{ pid: number; slot: string }>(
    `SELECT pid, objid::text AS slot FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND classid = ($1::int4)::oid ORDER BY objid`,
    [lockSpace],
  );
  return result.rows.map((row) => ({ pid: row.pid, slot: Number(row.slot) }));
}

/** Waits until the lock space has exactly `count` granted locks (the database releases them asynchronously). */
async function untilGranted(lockSpace: number, count: number): Promise<void> {
  for (;;) {
    if ((await grantedLocks(lockSpace)).length === count) return;
    await delay(10);
  }
}

/** Runs `total` acquisitions spread over the limiters, each holding its permit for a random 0–4 ms; returns the peak. */
async function hammer(instances: ConcurrencyLimiter[], total: number): Promise<{ peak: number; done: number }> {
  let inFlight = 0;
  let peak = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const release = await (instances[i % instances.length] as ConcurrencyLimiter).acquire();
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(randomInt(5));
      inFlight--;
      done++;
      release();
    }),
  );
  return { peak, done };
}

describe('the PostgreSQL limiter caps NetSuite concurrency across processes', () => {
  before(async () => {
    database = await localPostgres();
    DATABASE_URL = database.url;
    admin = new Pool({ connectionString: DATABASE_URL, max: 2 });
  });

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.allSettled(limiters.map((l) => l.close()));
    await admin.end();
    await database.stop();
  });

  it('two limiters sharing the database never hand out more than the permits, and use all of them', async () => {
    const lockSpace = freshLockSpace();
    const { peak, done } = await hammer([limiter(lockSpace, 3), limiter(lockSpace, 3)], 300);
    assert.equal(done, 300);
    assert.equal(peak, 3);
    await untilGranted(lockSpace, 0);
  });

  it('three limiters sharing the database never hand out more than the permits, and use all of them', async () => {
    const lockSpace = freshLockSpace();
    const { peak, done } = await hammer([limiter(lockSpace, 4), limiter(lockSpace, 4), limiter(lockSpace, 4)], 300);
    assert.equal(done, 300);
    assert.equal(peak, 4);
    await untilGranted(lockSpace, 0);
  });

  it('a request aborted while waiting rejects with the abort reason and leaks no permit', async () => {
    const lockSpace = freshLockSpace();
    const a = limiter(lockSpace, 1);
    const b = limiter(lockSpace, 1);
    const held = await a.acquire();
    const controller = new AbortController();
    const waiting = b.acquire(controller.signal);
    const alsoWaiting = b.acquire();
    const reason = new Error('activity cancelled');
    controller.abort(reason);
    await assert.rejects(waiting, (error: unknown) => error === reason);
    assert.deepEqual(
      (await grantedLocks(lockSpace)).map((l) => l.slot),
      [0],
    );
    held();
    const next = await alsoWaiting; // the queue behind the aborted request moves on
    next();
    await untilGranted(lockSpace, 0);
    const again = await a.acquire();
    again();
    await assert.rejects(b.acquire(AbortSignal.abort(reason)), (error: unknown) => error === reason);
  });

  it('a worker killed with SIGKILL while holding permits gives them back to the cluster', async () => {
    const lockSpace = freshLockSpace();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'postgres-limiter-holder.ts'), DATABASE_URL, String(lockSpace), '2'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout?.setEncoding('utf8');
    while (!output.includes('held 2')) {
      const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [string];
      output += chunk;
    }
    const locks = await grantedLocks(lockSpace);
    assert.deepEqual(
      locks.map((l) => l.slot),
      [0, 1],
    );

    const mine = limiter(lockSpace, 2);
    const first = mine.acquire();
    const second = mine.acquire();
    child.kill('SIGKILL');
    await once(child, 'exit');
    const releases = await Promise.all([first, second]);
    assert.equal((await grantedLocks(lockSpace)).length, 2);
    for (const release of releases) release();
    await untilGranted(lockSpace, 0);
  });

  it('a permit whose connection dies is gone, its release is harmless, and the slot serves others', async () => {
    const lockSpace = freshLockSpace();
    const a = limiter(lockSpace, 1);
    const b = limiter(lockSpace, 1);
    const release = await a.acquire();
    const [lock] = await grantedLocks(lockSpace);
    assert.ok(lock);
    const waiting = b.acquire();
    await admin.query('SELECT pg_terminate_backend($1)', [lock.pid]);
    const next = await waiting;
    release();
    release();
    next();
    await untilGranted(lockSpace, 0);
    const again = await a.acquire(); // the limiter whose connection died still works
    again();
  });

  it('close() releases the permits it holds, fails its waiters, and refuses new requests', async () => {
    const lockSpace = freshLockSpace();
    const a = createPostgresLimiter({ connectionString: DATABASE_URL, permits: 2, lockSpace });
    const b = limiter(lockSpace, 2);
    const held: ReleasePermit[] = [await a.acquire(), await a.acquire()];
    const waiting = assert.rejects(a.acquire(), LimiterClosedError);
    const other = b.acquire();
    await a.close();
    await waiting;
    await assert.rejects(a.acquire(), LimiterClosedError);
    for (const release of held) release(); // after close: harmless
    const [x, y] = [await other, await b.acquire()];
    x();
    y();
    await untilGranted(lockSpace, 0);
  });

  it('an unreachable database fails waiting requests with LimiterUnavailableError, without the password', async () => {
    const broken = createPostgresLimiter({
      connectionString: 'postgres://postgres:secret-pw-do-not-echo@127.0.0.1:1/test',
      permits: 1,
      lockSpace: freshLockSpace(),
    });
    await assert.rejects(broken.acquire(), (error: unknown) => {
      assert.ok(error instanceof LimiterUnavailableError);
      assert.ok(!`${error.message} ${error.stack} ${JSON.stringify(error)}`.includes('secret-pw-do-not-echo'));
      return true;
    });
    await broken.close();
  });

  it('the factory builds the limiter the settings name, in the lock space its key names', async () => {
    assert.equal(DEFAULT_LOCK_SPACE, lockSpaceOf('woo-netsuite-sync'));
    assert.ok(Number.isInteger(DEFAULT_LOCK_SPACE) && DEFAULT_LOCK_SPACE >= -(2 ** 31) && DEFAULT_LOCK_SPACE < 2 ** 31);
    const processLimiter = createLimiter({ kind: 'process' }, 3);
    assert.equal(processLimiter.permits, 3);
    await processLimiter.close();
    const shared = createLimiter({ kind: 'postgres', url: DATABASE_URL }, 2);
    limiters.push(shared);
    assert.equal(shared.permits, 2);
    const release = await shared.acquire();
    assert.ok((await grantedLocks(DEFAULT_LOCK_SPACE)).length >= 1);
    release();
    await shared.close();
    const key = `test-${freshLockSpace()}`;
    const keyed = createLimiter({ kind: 'postgres', url: DATABASE_URL, key }, 1);
    limiters.push(keyed);
    const keyedRelease = await keyed.acquire();
    assert.deepEqual(
      (await grantedLocks(lockSpaceOf(key))).map((l) => l.slot),
      [0],
    );
    keyedRelease();
    await keyed.close();
    await untilGranted(lockSpaceOf(key), 0);
  });
});
