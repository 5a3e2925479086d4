import assert from 'node:assert/strict';
import http, { type ClientRequest } from 'node:http';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { isNetSuiteError } from '../../src/netsuite/errors';
import { createLogger } from '../../src/logger';
import { credentialsFor, rejectionOf, rsaKeyPair, until } from './helpers';

/** Everything secret that went over the wire: bearer tokens and client assertions, captured from Node's HTTP client. */
const wire = { tokens: new Set<string>(), assertions: new Set<string>() };

type Writer = (this: ClientRequest, ...args: unknown[]) => unknown;
const prototype = http.ClientRequest.prototype as unknown as Record<'write' | 'end', Writer>;
const originals = { write: prototype.write, end: prototype.end };

/** Wraps ClientRequest write/end (axios writes the body with them) to record the token and the assertion it sends. */
function spyOnTheWire(): void {
  for (const method of ['write', 'end'] as const) {
    const original = originals[method];
    prototype[method] = function (this: ClientRequest, ...args: unknown[]) {
      const authorization = this.getHeader('authorization');
      if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) wire.tokens.add(authorization.slice(7));
      const chunk = args[0];
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
        const assertion = new URLSearchParams(chunk.toString()).get('client_assertion');
        if (assertion) wire.assertions.add(assertion);
      }
      return original.apply(this, args);
    };
  }
}

describe('NetSuite client: no secret reaches an error or a log line', () => {
  let sim: NetSuiteSimulator;
  let deadTokens: NetSuiteSimulator;
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
  const errors: unknown[] = [];
  const wrongKey = rsaKeyPair().privateKeyPem;

  before(async () => {
    spyOnTheWire();
    sim = await startNetSuiteSimulator();
    deadTokens = await startNetSuiteSimulator({ tokenLifetimeSeconds: 0 });
  });
  after(async () => {
    Object.assign(prototype, originals);
    await Promise.all([sim.close(), deadTokens.close()]);
  });

  const capture = async (call: () => Promise<unknown>): Promise<void> => {
    errors.push(await rejectionOf(call));
  };

  test('failures of every kind are provoked with logging at trace level', async () => {
    const client: NetSuiteClient = createNetSuiteClient({ credentials: credentialsFor(sim), logger, requestTimeoutMs: 300 });
    await client.suiteql('SELECT id FROM item');
    // A 401 replay that succeeds.
    sim.control.revokeAllTokens();
    await client.getRecord('customer', 'eid:nobody');
    // rejected, not-found-by-type, permission
    await capture(() => client.createRecord('salesOrder', { entity: { id: '1' }, bogusField: 1 }));
    sim.control.setPermission({ allowed: false });
    await capture(() => client.createRecord('salesOrder', { entity: { id: '1' } }));
    sim.control.setPermission({ allowed: true });
    // unavailable, timeout, cancelled
    sim.control.addFault({ kind: '5xx', count: 1 });
    await capture(() => client.suiteql('SELECT id FROM item'));
    sim.control.addFault({ kind: 'hang', count: 1 });
    await capture(() => client.suiteql('SELECT id FROM item'));
    await until(() => sim.control.counters().inFlight === 0, 'the hung request to be dropped');
    await capture(() => client.suiteql('SELECT id FROM item', { signal: AbortSignal.abort() }));
    // rate-limited
    sim.control.setGovernance({ concurrencyLimit: 1, retryAfterSeconds: 3 });
    sim.control.addFault({ kind: 'hang', count: 1, route: { pathPrefix: '/services/rest/record/v1/customer' } });
    const holder = new AbortController();
    void fetch(`${sim.url}/services/rest/record/v1/customer`, { signal: holder.signal }).catch(() => undefined);
    await until(() => sim.control.counters().inFlight === 1, 'the slot to be held');
    await capture(() => client.suiteql('SELECT id FROM item'));
    holder.abort();
    sim.control.setGovernance({ concurrencyLimit: 5, retryAfterSeconds: null });
    // auth: a 401 that survives the replay, an unknown certificate, a wrong key, an unreadable key
    await capture(() => createNetSuiteClient({ credentials: credentialsFor(deadTokens), logger }).suiteql('SELECT id FROM item'));
    await capture(() => createNetSuiteClient({ credentials: credentialsFor(sim, { certificateId: 'unknown-cert' }), logger }).suiteql('SELECT 1'));
    await capture(() =>
      createNetSuiteClient({ credentials: credentialsFor(sim, { privateKeyPem: wrongKey, algorithm: 'PS256' }), logger }).suiteql('SELECT 1'),
    );
    await capture(() =>
      createNetSuiteClient({ credentials: credentialsFor(sim, { privateKeyPem: wrongKey, algorithm: 'ES256' }), logger }).suiteql('SELECT 1'),
    );
    // network
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    await capture(() => createNetSuiteClient({ credentials: credentialsFor(sim, { baseUrl: `http://127.0.0.1:${port}` }), logger }).suiteql('SELECT 1'));

    assert.deepEqual(
      errors.map((e) => (isNetSuiteError(e) ? e.kind : String(e))),
      ['rejected', 'permission', 'unavailable', 'timeout', 'cancelled', 'rate-limited', 'auth', 'auth', 'auth', 'auth', 'network'],
    );
    assert.ok(wire.tokens.size >= 4, `captured ${wire.tokens.size} tokens`);
    assert.ok(wire.assertions.size >= 6, `captured ${wire.assertions.size} assertions`);
    assert.ok(lines.length > 10);
  });

  test('no error message, stack, JSON or inspection, and no log line, holds a key, a token or an assertion', () => {
    const pemBodies = [sim.defaultClient.privateKeyPem, deadTokens.defaultClient.privateKeyPem, wrongKey].flatMap((pem) =>
      pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
    );
    const secrets = [...pemBodies, ...wire.tokens, ...wire.assertions];
    const texts: [string, string][] = [];
    for (const [i, error] of errors.entries()) {
      const e = error as Error;
      texts.push([`error ${i} message`, e.message], [`error ${i} stack`, String(e.stack)], [`error ${i} JSON`, JSON.stringify(e)]);
      texts.push([`error ${i} inspect`, inspect(e, { depth: 10, showHidden: true })]);
      for (const key of ['cause', 'config', 'request', 'response', 'headers']) assert.equal(key in e, false, `error ${i} has ${key}`);
    }
    for (const [i, line] of lines.entries()) texts.push([`log line ${i}`, line]);
    for (const [where, text] of texts) {
      for (const secret of secrets) assert.equal(text.includes(secret), false, `${where} contains a secret`);
      assert.doesNotMatch(text, /eyJ[\w-]+\.[\w-]+\./, `${where} contains a JWT`);
      assert.doesNotMatch(text, /bearer\s+\S/i, `${where} contains a bearer credential`);
      assert.doesNotMatch(text, /PRIVATE KEY/, `${where} contains a PEM`);
    }
  });
});
