/** The codec's and the codec server's settings: what is accepted, every problem named, and no key or token ever echoed. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadCodecServerSettings, loadCodecSettings } from '../../src/config';
import { ConfigError } from '../../src/config';

const key = (bytes = 32): string => randomBytes(bytes).toString('base64');
const token = 'tok_' + randomBytes(24).toString('hex');

/** Runs `load`, expects a ConfigError, checks none of `secrets` is in its message, and returns the message. */
function refusal(load: () => unknown, secrets: readonly string[]): string {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
    for (const secret of secrets) assert.ok(!error.message.includes(secret), 'the message holds no secret');
    return error.message;
  }
  assert.fail('the settings were accepted');
}

describe('codec settings (PAYLOAD_CODEC_KEYS, PAYLOAD_CODEC_KEY_ID)', () => {
  it('absent → codec off; blank counts as absent', () => {
    assert.equal(loadCodecSettings({}), undefined);
    assert.equal(loadCodecSettings({ PAYLOAD_CODEC_KEYS: '  ' }), undefined);
  });

  it('reads every key as a 32-byte secret KeyObject; the active key defaults to the first listed', () => {
    const [a, b] = [key(), key()];
    const settings = loadCodecSettings({ PAYLOAD_CODEC_KEYS: ` k2.2026-11:${b} , k1_old-2025:${a} ` });
    assert.ok(settings);
    assert.deepEqual(
      settings.keys.map((k) => k.id),
      ['k2.2026-11', 'k1_old-2025'],
    );
    assert.equal(settings.activeKeyId, 'k2.2026-11');
    assert.deepEqual(
      settings.keys.map((k) => k.key.export().toString('base64')),
      [b, a],
    );
    assert.ok(settings.keys.every((k) => k.key.type === 'secret' && k.key.symmetricKeySize === 32));
    // Serialising or logging the settings shows no key bytes.
    assert.ok(!JSON.stringify(settings).includes(a) && !JSON.stringify(settings).includes(b));
    assert.equal(loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${a},k2:${b}`, PAYLOAD_CODEC_KEY_ID: 'k2' })?.activeKeyId, 'k2');
    // base64url (what some secret managers emit) is accepted too.
    assert.equal(loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${randomBytes(32).toString('base64url')}` })?.keys.length, 1);
  });

  it('a short key, a long key and a key that is not base64 are refused, naming the entry and key ID, not the key', () => {
    const short = key(16);
    const long = key(33);
    const good = key();
    const message = refusal(() => loadCodecSettings({ PAYLOAD_CODEC_KEYS: `a:${short},b:${long},c:not*base64!,d:${good}` }), [short, long, good, 'not*base64']);
    assert.match(message, /entry 1 \(key ID "a"\): the key is 16 bytes; AES-256 needs exactly 32/);
    assert.match(message, /entry 2 \(key ID "b"\): the key is 33 bytes/);
    assert.match(message, /entry 3 \(key ID "c"\): the key is not base64/);
    assert.doesNotMatch(message, /entry 4/);
  });

  it('a duplicate key ID, a bad key ID, an entry without an ID and an active ID that is not listed are refused', () => {
    const [a, b] = [key(), key()];
    const message = refusal(() => loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${a},k1:${b},bad id:${a},${b}`, PAYLOAD_CODEC_KEY_ID: 'k3' }), [a, b]);
    assert.match(message, /entry 2: the key ID "k1" is listed twice/);
    assert.match(message, /entry 3: the key ID must be 1–64 characters of \[A-Za-z0-9._-\]/);
    assert.match(message, /entry 4 is not keyId:base64key/);
    assert.match(message, /PAYLOAD_CODEC_KEY_ID is "k3", which PAYLOAD_CODEC_KEYS does not list/);
    // A key pasted into PAYLOAD_CODEC_KEY_ID by mistake is not echoed.
    const pasted = refusal(() => loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${a}`, PAYLOAD_CODEC_KEY_ID: b }), [a, b]);
    assert.match(pasted, /PAYLOAD_CODEC_KEY_ID is not a key ID .* that PAYLOAD_CODEC_KEYS lists/);
    assert.match(
      refusal(() => loadCodecSettings({ PAYLOAD_CODEC_KEY_ID: 'k1' }), []),
      /PAYLOAD_CODEC_KEY_ID is set but PAYLOAD_CODEC_KEYS is not/,
    );
    assert.match(
      refusal(() => loadCodecSettings({ PAYLOAD_CODEC_KEYS: ',,' }), []),
      /lists no key/,
    );
  });
});

describe('codec server settings (CODEC_SERVER_*)', () => {
  it('defaults: 0.0.0.0:8888, the local Web UI origin; tokens split on commas', () => {
    const other = 'second-token-' + randomBytes(12).toString('hex');
    assert.deepEqual(loadCodecServerSettings({ CODEC_SERVER_TOKEN: `${token}, ${other}` }), {
      host: '0.0.0.0',
      port: 8888,
      corsOrigins: ['http://localhost:8233'],
      auth: { tokens: [token, other] },
      logLevel: 'info',
    });
    const custom = loadCodecServerSettings({
      CODEC_SERVER_HOST: '127.0.0.1',
      CODEC_SERVER_PORT: '0',
      CODEC_SERVER_TOKEN: token,
      CODEC_SERVER_CORS_ORIGINS: 'https://temporal.example.com, http://localhost:8233/',
    });
    assert.equal(custom.host, '127.0.0.1');
    assert.equal(custom.port, 0);
    assert.deepEqual(custom.corsOrigins, ['https://temporal.example.com', 'http://localhost:8233']);
  });

  it('a token shorter than 24 characters is refused without echoing it', () => {
    const short = 'short-token-12345';
    const message = refusal(() => loadCodecServerSettings({ CODEC_SERVER_TOKEN: `${token},${short}` }), [token, short]);
    assert.match(message, /CODEC_SERVER_TOKEN token 2 is 17 characters; each must be at least 24/);
    assert.equal(loadCodecServerSettings({ CODEC_SERVER_TOKEN: 'x'.repeat(24) }).auth.tokens.length, 1, '24 is enough');
  });

  it('no way to authenticate configured → refused', () => {
    assert.match(
      refusal(() => loadCodecServerSettings({}), []),
      /needs a way to authenticate callers: set CODEC_SERVER_TOKEN .* and\/or CODEC_SERVER_JWKS_URL/,
    );
    assert.match(
      refusal(() => loadCodecServerSettings({ CODEC_SERVER_TOKEN: ' , ' }), []),
      /needs a way to authenticate callers/,
    );
  });

  it('JWT mode: JWKS URL with issuer and audience; each missing piece named; tokens optional beside it', () => {
    const jwt = loadCodecServerSettings({
      CODEC_SERVER_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      CODEC_SERVER_JWT_ISSUER: 'https://idp.example.com/',
      CODEC_SERVER_JWT_AUDIENCE: 'temporal-ui, temporal-codec',
    });
    assert.deepEqual(jwt.auth, {
      tokens: [],
      jwt: { jwksUrl: 'https://idp.example.com/.well-known/jwks.json', issuer: 'https://idp.example.com/', audience: ['temporal-ui', 'temporal-codec'] },
    });
    const missing = refusal(
      () => loadCodecServerSettings({ CODEC_SERVER_JWKS_URL: 'ftp://u:pw-secret@idp.example.com/jwks?k=query-secret' }),
      ['pw-secret', 'query-secret'],
    );
    assert.match(missing, /CODEC_SERVER_JWKS_URL=ftp:\/\/idp.example.com\/jwks must be an http\(s\) URL/);
    assert.match(missing, /CODEC_SERVER_JWT_ISSUER is required/);
    assert.match(missing, /CODEC_SERVER_JWT_AUDIENCE is required/);
    assert.match(
      refusal(() => loadCodecServerSettings({ CODEC_SERVER_JWT_ISSUER: 'https://idp', CODEC_SERVER_JWT_AUDIENCE: 'a' }), []),
      /CODEC_SERVER_JWKS_URL is required/,
    );
  });

  it('CORS origins must be origins (no path, no wildcard); a bad port is named', () => {
    const message = refusal(
      () =>
        loadCodecServerSettings({
          CODEC_SERVER_TOKEN: token,
          CODEC_SERVER_CORS_ORIGINS: '*,https://ui.example.com/path,ui.example.com',
          CODEC_SERVER_PORT: 'eighty',
        }),
      [token],
    );
    assert.match(message, /CODEC_SERVER_PORT/);
    const origins = refusal(
      () => loadCodecServerSettings({ CODEC_SERVER_TOKEN: token, CODEC_SERVER_CORS_ORIGINS: '*,https://ui.example.com/path,ui.example.com' }),
      [token],
    );
    for (const bad of ['"*"', '"https://ui.example.com/path"', '"ui.example.com"']) assert.ok(origins.includes(`CODEC_SERVER_CORS_ORIGINS has ${bad}`), bad);
  });
});
