import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { createTokenProvider } from '../../src/netsuite/auth';
import { createNetSuiteClient } from '../../src/netsuite/client';
import { isNetSuiteError, type NetSuiteError } from '../../src/netsuite/errors';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import { credentialsFor, registerClient, rejectionOf, rsaKeyPair, until } from './helpers';

const ITEM_QUERY = 'SELECT id FROM item';

describe('NetSuite client: OAuth 2.0 client credentials', () => {
  let sim: NetSuiteSimulator;
  before(async () => {
    sim = await startNetSuiteSimulator();
  });
  after(async () => sim.close());

  test('one token is minted and reused across calls', async () => {
    sim.control.resetCounters();
    const client = createNetSuiteClient({ credentials: credentialsFor(sim) });
    for (let i = 0; i < 3; i++) await client.suiteql(ITEM_QUERY);
    await Promise.all(Array.from({ length: 4 }, () => client.suiteql(ITEM_QUERY)));
    assert.equal(sim.control.counters().tokensMinted, 1);
    assert.deepEqual(client.stats(), { requests: 7, tokensMinted: 1, replays401: 0, http429: 0 });
  });

  test('concurrent first calls share one mint (single flight)', async () => {
    sim.control.resetCounters();
    const provider = createTokenProvider(credentialsFor(sim));
    const tokens = await Promise.all(Array.from({ length: 10 }, () => provider.getToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(provider.minted, 1);
    assert.equal(sim.control.counters().tokensMinted, 1);
  });

  test('an ES256 client (the default) and a PS256 client registered with an RSA key both get tokens and data', async () => {
    const es = createNetSuiteClient({ credentials: credentialsFor(sim) });
    assert.equal((await es.suiteql(ITEM_QUERY)).hasMore, false);
    const { privateKeyPem, publicKeyPem } = rsaKeyPair();
    await registerClient(sim, { clientId: 'ps256-client', certificateId: 'ps256-cert', publicKey: publicKeyPem });
    const ps = createNetSuiteClient({
      credentials: credentialsFor(sim, { clientId: 'ps256-client', certificateId: 'ps256-cert', privateKeyPem, algorithm: 'PS256' }),
    });
    const page = await ps.suiteql(ITEM_QUERY);
    assert.ok(page.totalResults > 0);
    assert.equal(ps.stats().tokensMinted, 1);
  });

  test('a token answered with expires_in as a string is cached like a numeric one', async () => {
    const stringSim = await startNetSuiteSimulator({ expiresInAsString: true });
    try {
      const client = createNetSuiteClient({ credentials: credentialsFor(stringSim) });
      await client.suiteql(ITEM_QUERY);
      await client.suiteql(ITEM_QUERY);
      assert.equal(stringSim.control.counters().tokensMinted, 1);
    } finally {
      await stringSim.close();
    }
  });

  test('revoke-all while 20 requests are in flight: all succeed and the process mints exactly one new token', async () => {
    sim.control.setGovernance({ concurrencyLimit: 50, latency: { fixedMs: 300 } });
    try {
      const client = createNetSuiteClient({ credentials: credentialsFor(sim) });
      await client.suiteql(ITEM_QUERY);
      sim.control.resetCounters();
      const running = Promise.allSettled(Array.from({ length: 20 }, () => client.suiteql(ITEM_QUERY)));
      await until(() => sim.control.counters().inFlight === 20, '20 requests in flight');
      assert.ok(sim.control.revokeAllTokens().revoked >= 1);
      const results = await running;
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
      );
      const counters = sim.control.counters();
      assert.equal(counters.tokensMinted, 1);
      assert.equal(counters.statusCounts['401'], 20);
      assert.deepEqual(client.stats(), { requests: 41, tokensMinted: 2, replays401: 20, http429: 0 });
    } finally {
      sim.control.setGovernance({ concurrencyLimit: 5, latency: { fixedMs: 0 } });
    }
  });

  test('token requests hold limiter permits when countTokenRequests is set, and a 401 replay does not deadlock a limiter of 1', async () => {
    const counting = await startNetSuiteSimulator({ countTokenRequestsTowardConcurrency: true, concurrencyLimit: 1 });
    try {
      const client = createNetSuiteClient({ credentials: credentialsFor(counting), limiter: createProcessLimiter(1), countTokenRequests: true });
      await Promise.all(Array.from({ length: 5 }, () => client.suiteql(ITEM_QUERY)));
      counting.control.revokeAllTokens();
      await Promise.all(Array.from({ length: 5 }, () => client.suiteql(ITEM_QUERY)));
      const counters = counting.control.counters();
      assert.equal(counters.http429, 0);
      assert.equal(counters.peakConcurrency, 1);
      assert.equal(counters.tokensMinted, 2);
    } finally {
      await counting.close();
    }
  });

  test('a client whose certificate is not registered fails with kind auth after one token request, and never calls the API', async () => {
    sim.control.resetCounters();
    const client = createNetSuiteClient({ credentials: credentialsFor(sim, { certificateId: 'not-registered' }) });
    const error = (await rejectionOf(() => client.suiteql(ITEM_QUERY))) as NetSuiteError;
    assert.ok(isNetSuiteError(error));
    assert.equal(error.kind, 'auth');
    assert.equal(error.retryable, false);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.operation, 'POST /auth/oauth2/v1/token');
    const counters = sim.control.counters();
    assert.equal(counters.requestsTotal, 1);
    assert.equal(counters.tokensMinted, 0);
    assert.deepEqual(client.stats(), { requests: 0, tokensMinted: 0, replays401: 0, http429: 0 });
  });

  test('a registered certificate signed with the wrong key fails with kind auth (invalid_grant)', async () => {
    const client = createNetSuiteClient({ credentials: credentialsFor(sim, { privateKeyPem: rsaKeyPair().privateKeyPem, algorithm: 'PS256' }) });
    const error = (await rejectionOf(() => client.getRecord('customer', '1'))) as NetSuiteError;
    assert.equal(error.kind, 'auth');
    assert.equal(error.code, 'invalid_grant');
  });

  test('a private key that is not PKCS#8 PEM fails with kind auth before any request', async () => {
    sim.control.resetCounters();
    const client = createNetSuiteClient({ credentials: credentialsFor(sim, { privateKeyPem: 'not a key at all' }) });
    const error = (await rejectionOf(() => client.suiteql(ITEM_QUERY))) as NetSuiteError;
    assert.equal(error.kind, 'auth');
    assert.equal(sim.control.counters().requestsTotal, 0);
  });

  test('a 401 that survives one replay with a new token is kind auth, after exactly one replay', async () => {
    // Tokens that die at once: every request answers 401, so only the replay limit stops the client.
    const deadTokens = await startNetSuiteSimulator({ tokenLifetimeSeconds: 0 });
    try {
      const client = createNetSuiteClient({ credentials: credentialsFor(deadTokens) });
      const error = (await rejectionOf(() => client.createRecord('customer', { companyName: 'X', subsidiary: { id: '1' } }))) as NetSuiteError;
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.equal(error.code, 'INVALID_LOGIN');
      assert.equal(error.operation, 'POST /record/v1/customer');
      assert.deepEqual(client.stats(), { requests: 2, tokensMinted: 2, replays401: 1, http429: 0 });
      assert.equal(deadTokens.control.counters().statusCounts['401'], 2);
    } finally {
      await deadTokens.close();
    }
  });

  test('a caller that aborts while waiting for a shared mint gets kind cancelled; the mint still serves the others', async () => {
    const provider = createTokenProvider(credentialsFor(sim));
    const controller = new AbortController();
    const waiting = provider.getToken(controller.signal);
    const other = provider.getToken();
    controller.abort();
    const error = (await rejectionOf(() => waiting)) as NetSuiteError;
    assert.equal(error.kind, 'cancelled');
    assert.equal(typeof (await other), 'string');
    assert.equal(provider.minted, 1);
  });

  test('invalidate forgets only the cached token', async () => {
    const provider = createTokenProvider(credentialsFor(sim));
    const first = await provider.getToken();
    provider.invalidate('some-other-token');
    assert.equal(await provider.getToken(), first);
    provider.invalidate(first);
    const second = await provider.getToken();
    assert.notEqual(second, first);
    provider.invalidate(first);
    assert.equal(await provider.getToken(), second);
    assert.equal(provider.minted, 2);
  });
});
