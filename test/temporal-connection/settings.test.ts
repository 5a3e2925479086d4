/**
 * The Temporal connection settings every process reads (src/temporal-connection.ts): the SDK's environment
 * configuration, its TOML profiles, and the refusals that keep a setting from being silently dropped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config';
import { loadTemporalConnectionSettings } from '../../src/config';

const KEY = 'tmprl-secret-api-key-do-not-print';

describe('Temporal connection settings', () => {
  let dir: string;
  let pem: string;
  let profiles: string;
  /** No developer profile leaks in: HOME is an empty folder. */
  let base: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'temporal-settings-'));
    base = { HOME: dir };
    pem = join(dir, 'cert.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    profiles = join(dir, 'temporal.toml');
    writeFileSync(
      profiles,
      [
        '[profile.default]',
        'address = "127.0.0.1:7233"',
        '',
        '[profile.cloud]',
        'address = "acme.a1b2c.tmprl.cloud:7233"',
        'namespace = "acme.a1b2c"',
        `api_key = "${KEY}"`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      loadTemporalConnectionSettings({ ...base, ...env });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      assert.ok(!error.message.includes(KEY), 'the API key is never in a message');
      return error;
    }
    assert.fail(`accepted ${JSON.stringify(env)}`);
  };

  it('defaults to the local dev server: 127.0.0.1:7233, namespace default, no TLS, no key', () => {
    const settings = loadTemporalConnectionSettings(base);
    assert.deepEqual(settings.describe(), { address: '127.0.0.1:7233', namespace: 'default', tls: 'off', apiKey: 'none' });
    assert.equal(settings.connectionOptions.tls, undefined);
  });

  it('reads a TOML profile (TEMPORAL_PROFILE), an API key turns TLS on, and each variable wins over the profile', () => {
    const cloud = loadTemporalConnectionSettings({ ...base, TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'cloud' });
    assert.deepEqual(cloud.describe(), { address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'acme.a1b2c', tls: 'tls', apiKey: 'set', profile: 'cloud' });
    assert.equal(cloud.connectionOptions.apiKey, KEY);
    assert.ok(!JSON.stringify(cloud.describe()).includes(KEY));

    const overridden = loadTemporalConnectionSettings({
      ...base,
      TEMPORAL_CONFIG_FILE: profiles,
      TEMPORAL_PROFILE: 'cloud',
      TEMPORAL_NAMESPACE: 'acme-staging.a1b2c',
      TEMPORAL_TLS: 'false',
    });
    assert.equal(overridden.namespace, 'acme-staging.a1b2c');
    assert.equal(overridden.describe().tls, 'off', 'TEMPORAL_TLS=false wins over the key');
  });

  it('mTLS from TEMPORAL_TLS_* files: the certificate pair and the CA are read, the server name kept', () => {
    const settings = loadTemporalConnectionSettings({
      ...base,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: pem,
      TEMPORAL_TLS_CLIENT_KEY_PATH: pem,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem,
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
    assert.equal(settings.describe().tls, 'mtls');
    const tls = settings.connectionOptions.tls;
    assert.ok(tls && typeof tls === 'object');
    assert.equal(tls.serverNameOverride, 'temporal');
    assert.ok(tls.clientCertPair && tls.serverRootCACertificate);
  });

  it('refuses, naming the variable, what the SDK would silently drop', () => {
    assert.match(refused({ TEMPORAL_CONFIG_FILE: join(dir, 'nope.toml') }).message, /TEMPORAL_CONFIG_FILE=.*nope\.toml does not exist/);
    assert.match(refused({ TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'staging' }).message, /TEMPORAL_PROFILE.*Profile 'staging' not found/);
    assert.match(
      refused({ TEMPORAL_TLS_CLIENT_CERT_PATH: pem }).message,
      /TEMPORAL_TLS_CLIENT_CERT_PATH \(or _DATA\) is set without TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    assert.match(
      refused({ TEMPORAL_TLS_CLIENT_KEY_PATH: pem }).message,
      /TEMPORAL_TLS_CLIENT_KEY_PATH \(or _DATA\) is set without TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
    assert.match(refused({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem') }).message, /TEMPORAL_TLS_SERVER_CA_CERT_PATH=.*ca\.pem does not exist/);
    assert.match(
      refused({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true', TEMPORAL_API_KEY: KEY }).message,
      /TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported .*TEMPORAL_TLS_SERVER_NAME/,
    );
  });
});
