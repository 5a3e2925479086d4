import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkNetSuiteEnvironment, ConfigError, loadNetSuiteSettings, type NetSuiteSettings } from '../../src/config';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const rsaPkcs8 = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaPkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }).toString();
const ecP256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A line of each key's base64 body: none may appear in any message. */
const keyFragments = [rsaPkcs8, rsaPkcs1, ecP256].map((pem) => pem.split('\n')[2] as string);

const dir = mkdtempSync(join(tmpdir(), 'ns-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sandbox = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  NETSUITE_ENVIRONMENT: 'sandbox',
  NS_SANDBOX_ACCOUNT_ID: '1234567_SB1',
  NS_SANDBOX_CLIENT_ID: 'client-sb',
  NS_SANDBOX_CERTIFICATE_ID: 'cert-sb',
  NS_SANDBOX_PRIVATE_KEY: rsaPkcs8,
  ...extra,
});

const production = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  NETSUITE_ENVIRONMENT: 'production',
  NS_PROD_ACCOUNT_ID: '1234567',
  NS_PROD_CLIENT_ID: 'client-prod',
  NS_PROD_CERTIFICATE_ID: 'cert-prod',
  NS_PROD_PRIVATE_KEY: rsaPkcs8,
  NETSUITE_LIMITER_URL: 'postgres://sync:pg-password-do-not-echo@db.internal:5432/sync',
  ...extra,
});

/** Every refusal seen, to prove no key text or password reached any of them. */
const refusals: ConfigError[] = [];

function refused(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadNetSuiteSettings(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    refusals.push(error);
    return error;
  }
  assert.fail('the settings were accepted');
}

/** Asserts that exactly one problem matches every pattern given. */
function assertProblem(error: ConfigError, ...patterns: (string | RegExp)[]): void {
  const matching = error.problems.filter((problem) => patterns.every((p) => (typeof p === 'string' ? problem.includes(p) : p.test(problem))));
  assert.equal(matching.length, 1, `no single problem matches ${patterns.join(' & ')}; problems:\n${error.problems.join('\n')}`);
  for (const problem of error.problems) assert.ok(error.message.includes(problem), 'the message lists every problem');
}

describe('NetSuite settings and the sandbox/production guard', () => {
  it('a complete sandbox configuration yields its credentials, a base URL derived from the account ID, and the defaults', () => {
    const settings: NetSuiteSettings = loadNetSuiteSettings(sandbox());
    assert.deepEqual(settings.credentials, {
      environment: 'sandbox',
      accountId: '1234567_SB1',
      baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com',
      clientId: 'client-sb',
      certificateId: 'cert-sb',
      privateKeyPem: rsaPkcs8.trim(),
      algorithm: 'PS256',
      scope: 'rest_webservices',
    });
    assert.equal(settings.permits, 5);
    assert.deepEqual(settings.limiter, { kind: 'process' });
    assert.equal(settings.requestTimeoutMs, 60_000);
    assert.deepEqual(settings.warnings, []);
  });

  it('a production configuration with a limiter URL uses the PostgreSQL limiter and its own NS_PROD_* values', () => {
    const settings = loadNetSuiteSettings(
      production({
        NS_PROD_BASE_URL: 'https://1234567.suitetalk.api.netsuite.com/',
        NS_PROD_JWT_ALGORITHM: 'PS512',
        NS_PROD_SCOPE: 'rest_webservices,restlets',
      }),
    );
    assert.equal(settings.credentials.environment, 'production');
    assert.equal(settings.credentials.baseUrl, 'https://1234567.suitetalk.api.netsuite.com');
    assert.equal(settings.credentials.clientId, 'client-prod');
    assert.equal(settings.credentials.algorithm, 'PS512');
    assert.equal(settings.credentials.scope, 'rest_webservices,restlets');
    assert.deepEqual(settings.limiter, {
      kind: 'postgres',
      url: 'postgres://sync:pg-password-do-not-echo@db.internal:5432/sync',
      key: 'woo-netsuite-sync:1234567',
    });
  });

  it('the limiter lock space is per NetSuite account by default, and NETSUITE_LIMITER_KEY separates integrations sharing one', () => {
    const sandboxLimiter = loadNetSuiteSettings(sandbox({ NETSUITE_LIMITER_URL: 'postgres://db/sync' })).limiter;
    assert.deepEqual(sandboxLimiter, { kind: 'postgres', url: 'postgres://db/sync', key: 'woo-netsuite-sync:1234567_SB1' });
    const keyed = loadNetSuiteSettings(production({ NETSUITE_LIMITER_KEY: 'eu-integration' })).limiter;
    assert.equal(keyed.kind === 'postgres' ? keyed.key : undefined, 'eu-integration');
  });

  it('only the declared environment is read: broken NS_SANDBOX_* values do not matter to a production worker', () => {
    const settings = loadNetSuiteSettings(production({ NS_SANDBOX_ACCOUNT_ID: 'garbage', NS_SANDBOX_PRIVATE_KEY: 'nope' }));
    assert.equal(settings.credentials.accountId, '1234567');
  });

  it('refuses to boot without NETSUITE_ENVIRONMENT, and says which NS_* settings it found', () => {
    const env = sandbox();
    delete env.NETSUITE_ENVIRONMENT;
    const error = refused(env);
    assertProblem(error, 'NETSUITE_ENVIRONMENT is not set', 'sandbox or production');
    assertProblem(error, 'NS_SANDBOX_*');
    assertProblem(refused(sandbox({ NETSUITE_ENVIRONMENT: 'prod' })), 'NETSUITE_ENVIRONMENT=prod', 'sandbox or production');
  });

  it('a production worker given only NS_SANDBOX_* settings is refused, naming the missing NS_PROD_* variables', () => {
    const error = refused(sandbox({ NETSUITE_ENVIRONMENT: 'production', NETSUITE_LIMITER_URL: 'postgres://db/sync' }));
    assertProblem(
      error,
      'NETSUITE_ENVIRONMENT=production but only NS_SANDBOX_* settings are present',
      'NS_PROD_ACCOUNT_ID',
      'NS_PROD_CLIENT_ID',
      'NS_PROD_CERTIFICATE_ID',
      'NS_PROD_PRIVATE_KEY',
      'NETSUITE_ENVIRONMENT=sandbox',
    );
  });

  it('a sandbox worker given only NS_PROD_* settings is refused the same way', () => {
    const error = refused(production({ NETSUITE_ENVIRONMENT: 'sandbox' }));
    assertProblem(error, 'NETSUITE_ENVIRONMENT=sandbox but only NS_PROD_* settings are present', 'NS_SANDBOX_ACCOUNT_ID');
  });

  it('a declared environment missing one variable is refused naming exactly that variable', () => {
    const env = sandbox();
    delete env.NS_SANDBOX_CLIENT_ID;
    const error = refused(env);
    assertProblem(error, 'NS_SANDBOX_CLIENT_ID');
    assert.ok(!error.message.includes('NS_SANDBOX_ACCOUNT_ID,'), 'present variables are not reported missing');
  });

  it('a lower-case _sb1 account ID is refused with the INVALID_LOGIN hint', () => {
    const error = refused(sandbox({ NS_SANDBOX_ACCOUNT_ID: '1234567_sb1' }));
    assertProblem(error, 'NS_SANDBOX_ACCOUNT_ID=1234567_sb1', '1234567_SB1', 'INVALID_LOGIN');
  });

  it('an account ID that is not digits plus _SB<n> or _RP<n> is refused', () => {
    assertProblem(refused(sandbox({ NS_SANDBOX_ACCOUNT_ID: 'TSTDRV123' })), 'NS_SANDBOX_ACCOUNT_ID=TSTDRV123', 'not a NetSuite account ID');
    assertProblem(refused(sandbox({ NS_SANDBOX_ACCOUNT_ID: '1234567-SB1' })), 'NS_SANDBOX_ACCOUNT_ID=1234567-SB1');
  });

  it('a sandbox account ID under NETSUITE_ENVIRONMENT=production is refused', () => {
    const error = refused(production({ NS_PROD_ACCOUNT_ID: '1234567_SB1' }));
    assertProblem(error, 'NS_PROD_ACCOUNT_ID=1234567_SB1', 'sandbox account', 'NETSUITE_ENVIRONMENT=production');
  });

  it('a production account ID under NETSUITE_ENVIRONMENT=sandbox is refused', () => {
    const error = refused(sandbox({ NS_SANDBOX_ACCOUNT_ID: '1234567' }));
    assertProblem(error, 'NS_SANDBOX_ACCOUNT_ID=1234567', 'production account', 'NETSUITE_ENVIRONMENT=sandbox');
  });

  it('a release preview account (_RP1) counts as non-production', () => {
    const settings = loadNetSuiteSettings(sandbox({ NS_SANDBOX_ACCOUNT_ID: '1234567_RP1' }));
    assert.equal(settings.credentials.baseUrl, 'https://1234567-rp1.suitetalk.api.netsuite.com');
    assertProblem(
      refused(production({ NS_PROD_ACCOUNT_ID: '1234567_RP1' })),
      'NS_PROD_ACCOUNT_ID=1234567_RP1',
      'release preview',
      'NETSUITE_ENVIRONMENT=production',
    );
  });

  it('a production base URL pointing at a sandbox (-sb1) host is refused', () => {
    const error = refused(production({ NS_PROD_BASE_URL: 'https://1234567-sb1.suitetalk.api.netsuite.com' }));
    assertProblem(
      error,
      'NS_PROD_BASE_URL=https://1234567-sb1.suitetalk.api.netsuite.com',
      'sandbox host',
      'NETSUITE_ENVIRONMENT=production',
      'NS_PROD_ACCOUNT_ID=1234567',
    );
  });

  it('a sandbox base URL pointing at the production host is refused', () => {
    const error = refused(sandbox({ NS_SANDBOX_BASE_URL: 'https://1234567.suitetalk.api.netsuite.com' }));
    assertProblem(error, 'NS_SANDBOX_BASE_URL=https://1234567.suitetalk.api.netsuite.com', 'production host', 'NETSUITE_ENVIRONMENT=sandbox');
  });

  it('a NetSuite host of another account (or another sandbox) is refused', () => {
    assertProblem(
      refused(sandbox({ NS_SANDBOX_BASE_URL: 'https://1234567-sb2.suitetalk.api.netsuite.com' })),
      'NS_SANDBOX_BASE_URL',
      'NS_SANDBOX_ACCOUNT_ID=1234567_SB1',
      '1234567-sb1',
    );
    assertProblem(refused(production({ NS_PROD_BASE_URL: 'https://7654321.suitetalk.api.netsuite.com' })), 'NS_PROD_BASE_URL', 'NS_PROD_ACCOUNT_ID=1234567');
  });

  it('a NetSuite host must be https, an origin, and not end with /services/rest', () => {
    assertProblem(refused(sandbox({ NS_SANDBOX_BASE_URL: 'http://1234567-sb1.suitetalk.api.netsuite.com' })), 'NS_SANDBOX_BASE_URL', 'https');
    assertProblem(
      refused(sandbox({ NS_SANDBOX_BASE_URL: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest' })),
      'NS_SANDBOX_BASE_URL',
      '/services/rest',
    );
    assertProblem(refused(sandbox({ NS_SANDBOX_BASE_URL: 'ftp://1234567-sb1.suitetalk.api.netsuite.com' })), 'NS_SANDBOX_BASE_URL', 'http(s)');
    assertProblem(refused(sandbox({ NS_SANDBOX_BASE_URL: 'not a url' })), 'NS_SANDBOX_BASE_URL', 'not a URL');
  });

  it('a host outside *.netsuite.com is refused unless NETSUITE_ALLOW_CUSTOM_HOST=true, which adds a warning', () => {
    const simulator = 'http://127.0.0.1:45678/';
    assertProblem(refused(sandbox({ NS_SANDBOX_BASE_URL: simulator })), 'NS_SANDBOX_BASE_URL=http://127.0.0.1:45678/', 'NETSUITE_ALLOW_CUSTOM_HOST=true');
    assertProblem(refused(sandbox({ NS_SANDBOX_BASE_URL: simulator, NETSUITE_ALLOW_CUSTOM_HOST: 'false' })), 'NETSUITE_ALLOW_CUSTOM_HOST=true');
    const settings = loadNetSuiteSettings(sandbox({ NS_SANDBOX_BASE_URL: simulator, NETSUITE_ALLOW_CUSTOM_HOST: 'true' }));
    assert.equal(settings.credentials.baseUrl, 'http://127.0.0.1:45678');
    assert.equal(settings.warnings.length, 1);
    assert.match(settings.warnings[0] as string, /NS_SANDBOX_BASE_URL=http:\/\/127\.0\.0\.1:45678\/ is not a NetSuite host/);
    assertProblem(refused(sandbox({ NETSUITE_ALLOW_CUSTOM_HOST: 'maybe' })), 'NETSUITE_ALLOW_CUSTOM_HOST=maybe', 'true or false');
  });

  it('the private key may come from a file; an unreadable file is named with its path', () => {
    const file = join(dir, 'key.pem');
    writeFileSync(file, ecP256);
    const env = sandbox({ NS_SANDBOX_PRIVATE_KEY: undefined, NS_SANDBOX_PRIVATE_KEY_FILE: file, NS_SANDBOX_JWT_ALGORITHM: 'ES256' });
    assert.equal(loadNetSuiteSettings(env).credentials.privateKeyPem, ecP256.trim());
    const missing = join(dir, 'absent.pem');
    assertProblem(refused({ ...env, NS_SANDBOX_PRIVATE_KEY_FILE: missing }), `NS_SANDBOX_PRIVATE_KEY_FILE=${missing}`, 'ENOENT');
    assertProblem(refused({ ...env, NS_SANDBOX_PRIVATE_KEY: ecP256 }), 'NS_SANDBOX_PRIVATE_KEY and NS_SANDBOX_PRIVATE_KEY_FILE');
  });

  it('a key pasted on one line with literal \\n sequences is read as the PEM it is', () => {
    const settings = loadNetSuiteSettings(sandbox({ NS_SANDBOX_PRIVATE_KEY: rsaPkcs8.trim().replace(/\n/g, '\\n') }));
    assert.equal(settings.credentials.privateKeyPem, rsaPkcs8.trim());
  });

  it('a key that is not a PKCS#8 PEM is refused with a way to convert it, never echoing the key', () => {
    assertProblem(refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: rsaPkcs1 })), 'NS_SANDBOX_PRIVATE_KEY', 'PKCS#8', 'openssl pkcs8 -topk8');
    assertProblem(refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: 'hunter2-not-a-key' })), 'NS_SANDBOX_PRIVATE_KEY', 'not a PKCS#8 PEM');
    const damaged = rsaPkcs8.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA');
    assertProblem(refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: damaged })), 'NS_SANDBOX_PRIVATE_KEY', 'cannot be read');
    const error = refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: 'hunter2-not-a-key' }));
    assert.ok(!error.message.includes('hunter2'));
  });

  it('the JWT algorithm must be one NetSuite accepts and must fit the key', () => {
    assertProblem(refused(sandbox({ NS_SANDBOX_JWT_ALGORITHM: 'RS256' })), 'NS_SANDBOX_JWT_ALGORITHM=RS256', 'PS256');
    assertProblem(refused(sandbox({ NS_SANDBOX_JWT_ALGORITHM: 'ES256' })), 'NS_SANDBOX_JWT_ALGORITHM=ES256', 'EC P-256', 'RSA key');
    assertProblem(refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: ecP256 })), 'NS_SANDBOX_JWT_ALGORITHM=PS256', 'RSA', 'EC P-256 key');
    assertProblem(refused(sandbox({ NS_SANDBOX_PRIVATE_KEY: ecP256, NS_SANDBOX_JWT_ALGORITHM: 'ES384' })), 'NS_SANDBOX_JWT_ALGORITHM=ES384', 'EC P-384');
    assert.equal(loadNetSuiteSettings(sandbox({ NS_SANDBOX_PRIVATE_KEY: ecP256, NS_SANDBOX_JWT_ALGORITHM: 'ES256' })).credentials.algorithm, 'ES256');
  });

  it("permits are the integration's share of the account limit, rounded down, at least 1", () => {
    const permits = (limit: string, share: string): number =>
      loadNetSuiteSettings(sandbox({ NETSUITE_ACCOUNT_CONCURRENCY: limit, NETSUITE_CONCURRENCY_SHARE: share })).permits;
    assert.equal(permits('15', '0.2'), 3);
    assert.equal(permits('25', '0.5'), 12);
    assert.equal(permits('100', '0.29'), 29);
    assert.equal(permits('5', '0.1'), 1);
    assert.equal(permits('20', '1'), 20);
    assertProblem(refused(sandbox({ NETSUITE_CONCURRENCY_SHARE: '0' })), 'NETSUITE_CONCURRENCY_SHARE=0');
    assertProblem(refused(sandbox({ NETSUITE_CONCURRENCY_SHARE: '1.5' })), 'NETSUITE_CONCURRENCY_SHARE=1.5');
    assertProblem(refused(sandbox({ NETSUITE_ACCOUNT_CONCURRENCY: '2.5' })), 'NETSUITE_ACCOUNT_CONCURRENCY=2.5');
    assertProblem(refused(sandbox({ NETSUITE_ACCOUNT_CONCURRENCY: 'five' })), 'NETSUITE_ACCOUNT_CONCURRENCY=five');
  });

  it('production refuses a process limiter unless NETSUITE_LIMITER=process is explicit (then warns)', () => {
    assertProblem(
      refused(production({ NETSUITE_LIMITER_URL: undefined })),
      'NETSUITE_ENVIRONMENT=production',
      'NETSUITE_LIMITER_URL',
      'NETSUITE_LIMITER=process',
    );
    const settings = loadNetSuiteSettings(production({ NETSUITE_LIMITER_URL: undefined, NETSUITE_LIMITER: 'process' }));
    assert.deepEqual(settings.limiter, { kind: 'process' });
    assert.ok(settings.warnings.some((w) => w.includes('one worker replica')));
  });

  it('the limiter settings are checked: postgres needs a postgres:// URL, and the URL password is never echoed', () => {
    assertProblem(refused(sandbox({ NETSUITE_LIMITER: 'postgres' })), 'NETSUITE_LIMITER=postgres', 'NETSUITE_LIMITER_URL is not set');
    assertProblem(refused(sandbox({ NETSUITE_LIMITER: 'redis' })), 'NETSUITE_LIMITER=redis', 'postgres or process');
    const error = refused(sandbox({ NETSUITE_LIMITER_URL: 'mysql://sync:pg-password-do-not-echo@db/sync' }));
    assertProblem(error, 'NETSUITE_LIMITER_URL=mysql://***@db/sync', 'postgres://');
    const settings = loadNetSuiteSettings(sandbox({ NETSUITE_LIMITER_URL: 'postgresql://db.internal/sync' }));
    assert.deepEqual(settings.limiter, { kind: 'postgres', url: 'postgresql://db.internal/sync', key: 'woo-netsuite-sync:1234567_SB1' });
  });

  it('the request timeout is read in seconds, default 60', () => {
    assert.equal(loadNetSuiteSettings(sandbox({ NETSUITE_REQUEST_TIMEOUT_SECONDS: '12.5' })).requestTimeoutMs, 12_500);
    assertProblem(refused(sandbox({ NETSUITE_REQUEST_TIMEOUT_SECONDS: '0' })), 'NETSUITE_REQUEST_TIMEOUT_SECONDS=0');
  });

  it('every mismatch is reported at once, not one per boot', () => {
    const error = refused(
      production({
        NS_PROD_ACCOUNT_ID: '1234567_sb1',
        NS_PROD_BASE_URL: 'https://1234567-sb1.suitetalk.api.netsuite.com',
        NS_PROD_JWT_ALGORITHM: 'RS256',
        NETSUITE_CONCURRENCY_SHARE: '3',
        NETSUITE_LIMITER_URL: undefined,
      }),
    );
    assert.ok(error.problems.length >= 4, error.message);
    for (const variable of ['NS_PROD_ACCOUNT_ID', 'NS_PROD_BASE_URL', 'NS_PROD_JWT_ALGORITHM', 'NETSUITE_CONCURRENCY_SHARE', 'NETSUITE_LIMITER_URL']) {
      assert.ok(error.message.includes(variable), `${variable} is named`);
    }
  });

  it('no refusal carries private key text or the database password', () => {
    assert.ok(refusals.length >= 30, `expected the other tests to have collected refusals, got ${refusals.length}`);
    for (const error of refusals) {
      const everything = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}\n${error.problems.join('\n')}`;
      for (const fragment of keyFragments) assert.ok(!everything.includes(fragment), `key text in: ${error.message}`);
      assert.ok(!everything.includes('BEGIN RSA PRIVATE KEY-----\n'), 'no PEM body');
      assert.ok(!everything.includes('pg-password-do-not-echo'), `password in: ${error.message}`);
    }
  });
});

describe('the environment guard without credentials (the receiver)', () => {
  const base = { NETSUITE_ENVIRONMENT: 'production', NS_PROD_ACCOUNT_ID: '1234567' };
  it('accepts a production account with its host and needs no key', () => {
    const checked = checkNetSuiteEnvironment({ ...base });
    assert.equal(checked.baseUrl, 'https://1234567.suitetalk.api.netsuite.com');
    assert.equal(checked.environment, 'production');
  });
  it('refuses a sandbox account declared as production, and sandbox-only settings', () => {
    assert.throws(
      () => checkNetSuiteEnvironment({ ...base, NS_PROD_ACCOUNT_ID: '1234567_SB1' }),
      (e: unknown) => e instanceof ConfigError && /NS_PROD_ACCOUNT_ID/.test(e.message),
    );
    assert.throws(
      () => checkNetSuiteEnvironment({ NETSUITE_ENVIRONMENT: 'production', NS_SANDBOX_ACCOUNT_ID: '1234567_SB1' }),
      (e: unknown) => e instanceof ConfigError && /only NS_SANDBOX_\* settings are present/.test(e.message),
    );
    assert.throws(
      () => checkNetSuiteEnvironment({ ...base, NS_PROD_BASE_URL: 'https://1234567-sb1.suitetalk.api.netsuite.com' }),
      (e: unknown) => e instanceof ConfigError && /1234567-sb1/.test(e.message),
    );
  });
});
