import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { loadJose } from '../../simulators/netsuite/jose';
import { getAccessToken, requestToken, signAssertion } from '../../simulators/netsuite/testing';

const EXPECTED_401_BODY = {
  type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [
    {
      detail:
        'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ],
};

async function expectRefused(response: Response, status: number, error: string, descriptionPart: RegExp): Promise<void> {
  const body = (await response.json()) as { error: string; error_description: string };
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error, error);
  assert.match(body.error_description, descriptionPart);
}

describe('NetSuite simulator: OAuth 2.0 client credentials', () => {
  let sim: NetSuiteSimulator;
  before(async () => {
    sim = await startNetSuiteSimulator({ accountId: '1234567_SB1' });
  });
  after(async () => sim.close());

  const get = (token: string | undefined) =>
    fetch(`${sim.url}/services/rest/record/v1/customer`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('a well-formed ES256 assertion gives a bearer token that opens the record API', async () => {
    const response = await requestToken(sim, await signAssertion(sim));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 3600);
    assert.ok(body.access_token.length > 20);
    assert.equal((await get(body.access_token)).status, 200);
  });

  test('an assertion signed with RS256 is refused', async () => {
    const jose = await loadJose();
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    await sim.control.registerClient({ clientId: 'rsa-client', certificateId: 'rsa-cert', publicKey: await jose.exportSPKI(publicKey) });
    const assertion = await signAssertion(sim, { alg: 'RS256', kid: 'rsa-cert', iss: 'rsa-client', privateKeyPem: await jose.exportPKCS8(privateKey) });
    await expectRefused(await requestToken(sim, assertion), 400, 'invalid_grant', /alg RS256 is not allowed/);
  });

  test('an assertion signed with PS256 by a registered RSA key is accepted', async () => {
    const jose = await loadJose();
    const { privateKey, publicKey } = await jose.generateKeyPair('PS256', { extractable: true });
    await sim.control.registerClient({
      clientId: 'ps-client',
      certificateId: 'ps-cert',
      publicKey: (await jose.exportJWK(publicKey)) as Record<string, unknown>,
    });
    const assertion = await signAssertion(sim, { alg: 'PS256', kid: 'ps-cert', iss: 'ps-client', privateKeyPem: await jose.exportPKCS8(privateKey) });
    assert.equal((await requestToken(sim, assertion)).status, 200);
  });

  test('an assertion with the wrong aud is refused', async () => {
    await expectRefused(
      await requestToken(sim, await signAssertion(sim, { aud: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token' })),
      400,
      'invalid_grant',
      /aud .* is not the token endpoint URL/,
    );
  });

  test('an aud array containing the token URL is accepted', async () => {
    assert.equal((await requestToken(sim, await signAssertion(sim, { aud: ['https://other', sim.tokenUrl] }))).status, 200);
  });

  test('an expired assertion is refused', async () => {
    const iat = Math.floor(Date.now() / 1000) - 1000;
    await expectRefused(await requestToken(sim, await signAssertion(sim, { iat, exp: iat + 60 })), 400, 'invalid_grant', /expired/);
  });

  test('an assertion signed by another key is refused as a bad signature', async () => {
    const jose = await loadJose();
    const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    await expectRefused(
      await requestToken(sim, await signAssertion(sim, { privateKeyPem: await jose.exportPKCS8(privateKey) })),
      400,
      'invalid_grant',
      /signature is invalid/,
    );
  });

  test('an assertion with exp - iat over 3600 s is refused', async () => {
    const iat = Math.floor(Date.now() / 1000);
    await expectRefused(await requestToken(sim, await signAssertion(sim, { iat, exp: iat + 3601 })), 400, 'invalid_grant', /exp - iat is 3601 s/);
  });

  test('an assertion without the rest_webservices scope is refused; an array scope is accepted', async () => {
    await expectRefused(await requestToken(sim, await signAssertion(sim, { scope: 'restlets' })), 400, 'invalid_grant', /rest_webservices/);
    assert.equal((await requestToken(sim, await signAssertion(sim, { scope: ['restlets', 'rest_webservices'] }))).status, 200);
    assert.equal((await requestToken(sim, await signAssertion(sim, { scope: 'restlets,rest_webservices' }))).status, 200);
  });

  test('an unknown certificate ID is refused as invalid_client (401)', async () => {
    await expectRefused(await requestToken(sim, await signAssertion(sim, { kid: 'no-such-cert' })), 401, 'invalid_client', /kid no-such-cert/);
  });

  test('a request without a token gets the exact 401 header and body', async () => {
    const response = await get(undefined);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="1234567_SB1", error="invalid_token", error_description="Invalid login attempt."');
    assert.deepEqual(await response.json(), EXPECTED_401_BODY);
  });

  test('a revoked token gets the exact 401 header and body', async () => {
    const token = await getAccessToken(sim);
    assert.equal((await get(token)).status, 200);
    const { revoked } = sim.control.revokeAllTokens();
    assert.ok(revoked >= 1);
    const response = await get(token);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="1234567_SB1", error="invalid_token", error_description="Invalid login attempt."');
    assert.match(String(response.headers.get('content-type')), /application\/vnd\.oracle\.resource\+json; type=error/);
    assert.deepEqual(await response.json(), EXPECTED_401_BODY);
  });

  test('counters count minted tokens', async () => {
    assert.ok(sim.control.counters().tokensMinted >= 3);
  });
});

describe('NetSuite simulator: token lifetime', () => {
  let sim: NetSuiteSimulator;
  before(async () => {
    sim = await startNetSuiteSimulator({ tokenLifetimeSeconds: 1, expiresInAsString: true, accountId: '999_SB2' });
  });
  after(async () => sim.close());

  test('an expired token (lifetime 1 s) gets the exact 401 header and body', async () => {
    const response = await requestToken(sim, await signAssertion(sim));
    const body = (await response.json()) as { access_token: string; expires_in: unknown };
    assert.equal(body.expires_in, '1');
    const call = () =>
      fetch(`${sim.url}/services/rest/query/v1/suiteql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ q: 'SELECT id FROM item' }),
      });
    assert.equal((await call()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await call();
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer realm="999_SB2", error="invalid_token", error_description="Invalid login attempt."');
    assert.deepEqual(await expired.json(), EXPECTED_401_BODY);
  });
});
