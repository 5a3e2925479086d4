/**
 * The oldest waiting order gets the next NetSuite permit: both limiters serve waiting requests by rank (the order's
 * arrival; src/netsuite/permit-rank.ts), equal ranks in the order they asked, unranked requests by the time they asked;
 * and the rank an activity sets reaches the limiter through the NetSuite client.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { localPostgres, type LocalPostgres } from '../../dev/postgres';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { createNetSuiteClient } from '../../src/netsuite/client';
import { createProcessLimiter, type ConcurrencyLimiter, type ReleasePermit } from '../../src/netsuite/limiter';
import { withPermitRank } from '../../src/netsuite/permit-rank';
import { createPostgresLimiter } from '../../src/netsuite/postgres-limiter';
import { credentialsFor } from './helpers';

/**
 * With the only permit held, requests ask in the order given (rank undefined = unranked); then the permit is passed
 * on one release at a time. Returns the names in the order they were granted.
 */
async function grantOrder(limiter: ConcurrencyLimiter, requests: { name: string; rank?: number }[]): Promise<string[]> {
  const holder = await limiter.acquire();
  const granted: string[] = [];
  const done = requests.map(async ({ name, rank }) => {
    const release: ReleasePermit = await limiter.acquire(undefined, rank);
    granted.push(name);
    await delay(5);
    release();
  });
  await delay(50); // every request is waiting
  holder();
  await Promise.all(done);
  return granted;
}

const now = Date.now();
const REQUESTS = [
  { name: 'unranked, asked first' },
  { name: 'order that arrived 2 s ago', rank: now - 2_000 },
  { name: 'order that arrived 9 s ago', rank: now - 9_000 },
  { name: 'order that arrived 5 s ago', rank: now - 5_000 },
  { name: 'another order that arrived 9 s ago', rank: now - 9_000 },
];
const EXPECTED = [
  'order that arrived 9 s ago',
  'another order that arrived 9 s ago',
  'order that arrived 5 s ago',
  'order that arrived 2 s ago',
  'unranked, asked first',
];

describe('the oldest waiting order gets the next permit', () => {
  let database: LocalPostgres;
  let sim: NetSuiteSimulator;
  const closers: (() => Promise<unknown>)[] = [];
  before(async () => {
    database = await localPostgres();
    sim = await startNetSuiteSimulator({});
  });
  after(async () => {
    for (const close of closers) await close();
    await sim.close();
    await database.stop();
  });

  it('the process limiter serves the oldest order first, then unranked requests', async () => {
    assert.deepEqual(await grantOrder(createProcessLimiter(1), REQUESTS), EXPECTED);
  });

  it('the PostgreSQL limiter serves the oldest order first, then unranked requests', async () => {
    const limiter = createPostgresLimiter({ connectionString: database.url, permits: 1, lockSpace: randomInt(1, 2 ** 31 - 1) });
    closers.push(() => limiter.close());
    assert.deepEqual(await grantOrder(limiter, REQUESTS), EXPECTED);
  });

  it("an activity's rank reaches the limiter through the NetSuite client: the older order's request goes first though it asked last", async () => {
    const inner = createProcessLimiter(1);
    const asked: { rank: number | undefined }[] = [];
    const observed: ConcurrencyLimiter = {
      permits: 1,
      close: () => inner.close(),
      acquire: (signal, rank) => {
        asked.push({ rank });
        return inner.acquire(signal, rank);
      },
    };
    const client = createNetSuiteClient({ credentials: credentialsFor(sim), limiter: observed });
    await client.suiteql('SELECT id FROM location'); // the token, minted outside the test's timing
    const holder = await inner.acquire();
    const answered: string[] = [];
    const young = client.suiteql('SELECT id FROM subsidiary').then(() => answered.push('young'));
    await delay(20);
    const old = withPermitRank(now - 60_000, () => client.suiteql('SELECT id FROM location')).then(() => answered.push('old'));
    await delay(20);
    holder();
    await Promise.all([young, old]);
    assert.deepEqual(answered, ['old', 'young']);
    assert.equal(asked.at(-1)?.rank, now - 60_000, 'the ranked request carried its order’s arrival');
    assert.ok((asked.at(-2)?.rank ?? 0) >= now, 'the unranked request ranked by the time it asked');
  });
});
