/**
 * The codec server over real HTTP on 127.0.0.1: the remote codec protocol (proto3 JSON Payloads), CORS for the Web UI's
 * origin only, static bearer tokens, and OIDC access tokens verified against a JWKS served by this test; and the log
 * never holds a payload, a token or a key.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../src/codec/aes-gcm-codec';
import { loadCodecSettings } from '../../src/config';
import { createCodecServer, payloadsToJson, type CodecServer } from '../../src/codec-server';
import { createLogger } from '../../src/logger';
import { loadJose } from '../../src/netsuite/jose';
import { secretForms } from './helpers';

const UI_ORIGIN = 'http://localhost:8233';
const keyBase64 = randomBytes(32).toString('base64');
const token = randomBytes(32).toString('base64url');
const codec = new AesGcmPayloadCodec(loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${keyBase64}` }) ?? assert.fail('codec on'));
const customer = { email: 'maria.gonzalez@example.org', name: 'María González', address: '7 Calle Mayor, Madrid' };

/** Log lines written by the server, to check what it never logs. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: 'debug', name: 'codec-server-test', destination: { write: (line: string) => void lines.push(line) } }),
    text: () => lines.join(''),
  };
}

// The answer's JSON, of whatever shape each assertion compares.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

const fromJson = (json: { payloads: { metadata?: Record<string, string>; data?: string }[] }): Payload[] =>
  json.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));

describe('codec server with static tokens', () => {
  let server: CodecServer;
  let url: string;
  const log = capturedLogger();
  before(async () => {
    server = createCodecServer({ codec, auth: { tokens: [token] }, corsOrigins: [UI_ORIGIN], logger: log.logger });
    url = await server.listen('127.0.0.1', 0);
  });
  after(async () => server?.close());

  it('GET /livez answers without a token', async () => {
    const response = await fetch(`${url}/livez`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('a preflight from the Web UI origin is answered with the CORS headers; from another origin, refused with none', async () => {
    const ask = (origin: string, path = '/decode') =>
      fetch(`${url}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const allowed = await ask(UI_ORIGIN);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), UI_ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(allowed.headers.get('access-control-allow-headers'), 'authorization, content-type, x-namespace');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.equal((await ask(UI_ORIGIN, '/some/prefix/encode')).status, 204, 'any prefix: only the last segment counts');

    const other = await ask('https://evil.example.com');
    assert.equal(other.status, 403);
    const corsHeaders = [...other.headers.keys()].filter((name) => name.startsWith('access-control-'));
    assert.deepEqual(corsHeaders, []);
    assert.equal((await ask('http://localhost:8234')).status, 403, 'another port is another origin');
  });

  it('no token, a wrong token, a near-miss token or a non-Bearer scheme → 401, before the body is read', async () => {
    const body = payloadsToJson(await codec.encode([defaultPayloadConverter.toPayload(customer)]));
    const nearMiss = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-wrong-token-wrong' },
      { authorization: `Bearer ${nearMiss}` },
      { authorization: `Basic ${token}` },
      { authorization: token },
    ]) {
      const response = await post(`${url}/decode`, body, headers);
      assert.equal(response.status, 401, JSON.stringify(Object.keys(headers)));
      assert.deepEqual(response.json, { error: 'unauthorized' });
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="temporal-codec"');
    }
    // An oversized body from an unauthenticated caller is refused by the token check, not parsed.
    const huge = await fetch(`${url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [{ data: 'A'.repeat(1_000_000) }] }),
    });
    assert.equal(huge.status, 401);
  });

  it('with the right token, /decode returns the original payloads (and /encode output decodes back)', async () => {
    const originals = [defaultPayloadConverter.toPayload(customer), defaultPayloadConverter.toPayload(42), defaultPayloadConverter.toPayload(null)];
    const stored = await codec.encode(originals);
    const headers = { authorization: `Bearer ${token}`, 'x-namespace': 'default', origin: UI_ORIGIN };
    const decoded = await post(`${url}/decode`, payloadsToJson(stored), headers);
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), UI_ORIGIN, 'the Web UI may read the answer');
    assert.deepEqual(decoded.json, payloadsToJson(originals));
    assert.deepEqual(
      fromJson(decoded.json).map((p) => defaultPayloadConverter.fromPayload(p)),
      [customer, 42, null],
    );

    const encoded = await post(`${url}/api/codec/encode`, payloadsToJson(originals), { authorization: `bearer ${token}` });
    assert.equal(encoded.status, 200);
    assert.equal(encoded.headers.get('access-control-allow-origin'), null, 'no Origin, no CORS headers');
    assert.ok(
      encoded.json.payloads.every(
        (p: { metadata: Record<string, string> }) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString() === 'binary/encrypted',
      ),
    );
    assert.deepEqual(
      (await codec.decode(fromJson(encoded.json))).map((p) => defaultPayloadConverter.fromPayload(p)),
      [customer, 42, null],
    );

    // proto3 JSON leaves out empty fields: {} and a payload without data are valid.
    assert.deepEqual((await post(`${url}/decode`, {}, headers)).json, { payloads: [] });
    assert.deepEqual((await post(`${url}/decode`, { payloads: [{ metadata: { encoding: Buffer.from('binary/null').toString('base64') } }] }, headers)).json, {
      payloads: [{ metadata: { encoding: Buffer.from('binary/null').toString('base64') }, data: '' }],
    });
    // Another origin's page gets the answer without CORS headers: its browser will not let it read them.
    const foreign = await post(`${url}/decode`, payloadsToJson(stored), { ...headers, origin: 'https://evil.example.com' });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('a malformed request or a payload under an unknown key → 400 with the reason', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const notArray = await post(`${url}/decode`, { payloads: 'nope' }, headers);
    assert.equal(notArray.status, 400);
    assert.deepEqual(notArray.json, { error: '"payloads" is not an array' });
    assert.match((await post(`${url}/decode`, { payloads: [{ data: 'not base64!' }] }, headers)).json.error, /payloads\[0\]\.data is not a base64 string/);
    const broken = await fetch(`${url}/decode`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"payloads": [' });
    assert.equal(broken.status, 400);
    const otherKey = new AesGcmPayloadCodec(loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k-retired:${randomBytes(32).toString('base64')}` }) ?? assert.fail());
    const unknown = await post(`${url}/decode`, payloadsToJson(await otherKey.encode([defaultPayloadConverter.toPayload(customer)])), headers);
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error, /key "k-retired", which is not configured/);
    assert.equal((await post(`${url}/other`, {}, headers)).status, 404);
  });

  it('the log names operations, namespaces and refusals, but holds no payload, token or key', async () => {
    const text = log.text();
    assert.match(text, /"operation":"decode"/);
    assert.match(text, /"namespace":"default"/);
    assert.match(text, /codec request refused/);
    const key = Buffer.from(keyBase64, 'base64');
    for (const secret of [token, keyBase64, key.toString('hex'), customer.email, customer.address, ...secretForms(customer.email)])
      assert.ok(!text.includes(secret), 'a secret in the log');
  });
});

describe('codec server with OIDC access tokens (JWKS)', () => {
  const ISSUER = 'https://idp.example.test/';
  const AUDIENCE = 'temporal-ui';
  let jwks: Server;
  let jwksUrl: string;
  let server: CodecServer;
  let url: string;
  let sign: (
    claims: Record<string, unknown>,
    options?: { issuer?: string; audience?: string; expiresIn?: string | number | null; otherKey?: boolean },
  ) => Promise<string>;

  before(async () => {
    const jose = await loadJose();
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const stranger = await jose.generateKeyPair('ES256');
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    sign = async (claims, options = {}) => {
      let jwt = new jose.SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1' })
        .setIssuedAt()
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setSubject('operator@shop.test');
      if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
      return jwt.sign(options.otherKey ? stranger.privateKey : privateKey);
    };
    server = createCodecServer({
      codec,
      auth: { tokens: [], jwt: { jwksUrl, issuer: ISSUER, audience: [AUDIENCE] } },
      corsOrigins: [UI_ORIGIN],
      logger: capturedLogger().logger,
    });
    url = await server.listen('127.0.0.1', 0);
  });
  after(async () => {
    await server?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('a valid access token decodes; wrong issuer, wrong audience, expired, no exp or a foreign signature → 401', async () => {
    const body = payloadsToJson(await codec.encode([defaultPayloadConverter.toPayload(customer)]));
    const good = await post(`${url}/decode`, body, { authorization: `Bearer ${await sign({})}`, 'x-namespace': 'default' });
    assert.equal(good.status, 200);
    assert.deepEqual(defaultPayloadConverter.fromPayload(fromJson(good.json)[0] as Payload), customer);

    const now = Math.floor(Date.now() / 1000);
    const rejected = {
      'wrong issuer': await sign({}, { issuer: 'https://other-idp.example.test/' }),
      'wrong audience': await sign({}, { audience: 'someone-else' }),
      expired: await sign({}, { expiresIn: now - 3600 }),
      'no exp': await sign({}, { expiresIn: null }),
      'signed by another key': await sign({}, { otherKey: true }),
      'static-looking token': token,
    };
    for (const [why, jwt] of Object.entries(rejected)) {
      const response = await post(`${url}/decode`, body, { authorization: `Bearer ${jwt}` });
      assert.equal(response.status, 401, why);
    }
  });

  it('a JWKS that cannot be read → 503 (the token may be fine), not 401', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const blind = createCodecServer({
      codec,
      auth: { tokens: [], jwt: { jwksUrl: `http://127.0.0.1:${closedPort}/jwks`, issuer: ISSUER, audience: [AUDIENCE] } },
      corsOrigins: [],
      logger: capturedLogger().logger,
    });
    const blindUrl = await blind.listen('127.0.0.1', 0);
    try {
      const response = await post(`${blindUrl}/decode`, { payloads: [] }, { authorization: `Bearer ${await sign({})}` });
      assert.equal(response.status, 503);
    } finally {
      await blind.close();
    }
  });
});

describe('the codec server process (tsx src/codec-server.ts)', () => {
  const entry = join(__dirname, '..', '..', 'src', 'codec-server.ts');
  const spawnServer = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('refuses to start with exit 78 when the keys or the auth are missing or bad, printing no key or token', async () => {
    const shortToken = 'too-short-token';
    const badKey = randomBytes(16).toString('base64');
    const child = spawnServer({ PAYLOAD_CODEC_KEYS: `k1:${badKey}`, CODEC_SERVER_TOKEN: shortToken });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 78);
    assert.match(stderr, /codec server refused to boot/);
    assert.match(stderr, /key ID "k1"\): the key is 16 bytes/);
    assert.match(stderr, /CODEC_SERVER_TOKEN token 1 is 15 characters/);
    assert.ok(!stderr.includes(badKey) && !stderr.includes(shortToken), 'no secret printed');

    const noKeys = spawnServer({ CODEC_SERVER_TOKEN: token });
    let noKeysErr = '';
    noKeys.stderr.on('data', (chunk: Buffer) => (noKeysErr += chunk.toString('utf8')));
    assert.equal(((await once(noKeys, 'close')) as [number | null])[0], 78);
    assert.match(noKeysErr, /PAYLOAD_CODEC_KEYS is required/);
  });

  it('starts, decodes over HTTP, logs no secret, and stops on SIGTERM with exit 0', async () => {
    const child = spawnServer({ PAYLOAD_CODEC_KEYS: `k1:${keyBase64}`, CODEC_SERVER_TOKEN: token, CODEC_SERVER_HOST: '127.0.0.1', CODEC_SERVER_PORT: '0' });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const closed = once(child, 'close');
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
          if (match) resolve(match[1] as string);
        });
        child.on('close', (code) => reject(new Error(`exited ${code} before listening: ${stdout}`)));
      });
      const stored = await codec.encode([defaultPayloadConverter.toPayload(customer)]);
      const decoded = await post(`${baseUrl}/decode`, payloadsToJson(stored), { authorization: `Bearer ${token}` });
      assert.equal(decoded.status, 200);
      assert.deepEqual(defaultPayloadConverter.fromPayload(fromJson(decoded.json)[0] as Payload), customer);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await closed) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, /codec server stopped/);
    assert.match(stdout, /"keyIds":\["k1"\]/);
    for (const secret of [token, keyBase64, customer.email]) assert.ok(!stdout.includes(secret), 'no secret in the log');
  });
});
