import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseExpiresIn } from '../../src/netsuite/auth';
import { backoffDelayMs } from '../../src/netsuite/backoff';
import { errorFromResponse, errorFromTokenResponse, isNetSuiteError, NetSuiteError, parseRetryAfter } from '../../src/netsuite/errors';
import { suiteQlString, suiteQlStringList } from '../../src/netsuite/suiteql';

const nsBody = (status: number, code: string, detail: string, path?: string): string =>
  JSON.stringify({ type: 'x', title: 't', status, 'o:errorDetails': [{ detail, 'o:errorCode': code, ...(path ? { 'o:errorPath': path } : {}) }] });

describe('backoffDelayMs', () => {
  test('doubles from the base, caps at maxMs, and spreads by a factor in [0.5, 1.5)', () => {
    const mid = (): number => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => backoffDelayMs(a, { random: mid })),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(backoffDelayMs(7, { random: mid }), 60_000);
    assert.equal(backoffDelayMs(500, { random: mid }), 60_000);
    assert.equal(backoffDelayMs(2000, { random: mid }), 60_000);
    assert.equal(backoffDelayMs(1, { random: () => 0 }), 500);
    assert.equal(backoffDelayMs(1, { random: () => 0.999999 }), 1500);
    assert.equal(backoffDelayMs(3, { baseMs: 100, maxMs: 300, random: mid }), 300);
  });

  test('refuses an attempt below 1', () => {
    assert.throws(() => backoffDelayMs(0), RangeError);
    assert.throws(() => backoffDelayMs(1.5), RangeError);
  });
});

describe('suiteQlString and suiteQlStringList', () => {
  test('double every quote so a value can never end the literal', () => {
    assert.equal(suiteQlString("O'Brien"), "'O''Brien'");
    assert.equal(suiteQlString("' OR '1'='1"), "''' OR ''1''=''1'");
    assert.equal(suiteQlString('back\\slash'), "'back\\slash'");
    assert.equal(suiteQlString(''), "''");
    assert.throws(() => suiteQlString('nul\u0000'), RangeError);
    assert.equal(suiteQlStringList(['a', "b'c"]), "('a', 'b''c')");
    assert.throws(() => suiteQlStringList([]), RangeError);
  });
});

describe('error classification', () => {
  const op = 'POST /record/v1/salesOrder';

  test('maps statuses and codes to kinds', () => {
    const kind = (status: number, body?: string): string => errorFromResponse({ operation: op, status, ...(body ? { body } : {}) }).kind;
    assert.equal(kind(429), 'rate-limited');
    assert.equal(kind(400, nsBody(400, 'SSS_REQUEST_LIMIT_EXCEEDED', 'Too many')), 'rate-limited');
    assert.equal(kind(500), 'unavailable');
    assert.equal(kind(502, '<html>bad gateway</html>'), 'unavailable');
    assert.equal(kind(401, nsBody(401, 'INVALID_LOGIN', 'Invalid login attempt.')), 'auth');
    assert.equal(kind(403, nsBody(403, 'INSUFFICIENT_PERMISSION', 'no')), 'permission');
    assert.equal(kind(404, nsBody(404, 'NONEXISTENT_ID', 'gone')), 'not-found');
    assert.equal(kind(400, nsBody(400, 'USER_ERROR', 'Please enter value(s) for: Customer')), 'rejected');
    assert.equal(kind(400, nsBody(400, 'DUP_RCRD', "A record with the external ID 'woo-1' already exists.")), 'duplicate-external-id');
    assert.equal(kind(400, nsBody(400, 'USER_ERROR', 'This record already exists with external id = woo-1')), 'duplicate-external-id');
    assert.equal(kind(400, nsBody(400, 'USER_ERROR', 'A customer record with this ID already exists.')), 'rejected');
    assert.equal(kind(400, nsBody(400, 'INVALID_CONTENT', "Invalid external ID 'a b': only letters, digits, _ and - are allowed.")), 'rejected');
    assert.equal(kind(400, nsBody(400, 'USER_ERROR', 'A record with that externalId already exists')), 'duplicate-external-id');
  });

  test('keeps code, path and detail of the first error detail, and a status-only detail when the body is not JSON', () => {
    const error = errorFromResponse({
      operation: op,
      status: 400,
      body: nsBody(400, 'INVALID_CONTENT', 'Invalid Field Value 9 for the following field: item', 'item.items[0].item'),
    });
    assert.equal(error.code, 'INVALID_CONTENT');
    assert.equal(error.path, 'item.items[0].item');
    assert.equal(error.detail, 'Invalid Field Value 9 for the following field: item');
    assert.match(error.message, /POST \/record\/v1\/salesOrder.*INVALID_CONTENT.*item\.items\[0\]\.item/);
    const html = errorFromResponse({ operation: op, status: 503, body: '<html>maintenance</html>' });
    assert.equal(html.detail, 'NetSuite answered HTTP 503 without an error detail.');
  });

  test('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(errorFromResponse({ operation: op, status: 429, retryAfter: '3' }).retryAfterMs, 3000);
  });

  test('token endpoint: a refused assertion is auth, a 5xx is unavailable, a malformed request is rejected', () => {
    const t = 'POST /auth/oauth2/v1/token';
    const oauth = (error: string): string => JSON.stringify({ error, error_description: 'why' });
    assert.equal(errorFromTokenResponse({ operation: t, status: 401, body: oauth('invalid_client') }).kind, 'auth');
    assert.equal(errorFromTokenResponse({ operation: t, status: 400, body: oauth('invalid_grant') }).kind, 'auth');
    assert.equal(errorFromTokenResponse({ operation: t, status: 400, body: oauth('unsupported_grant_type') }).kind, 'rejected');
    assert.equal(errorFromTokenResponse({ operation: t, status: 503 }).kind, 'unavailable');
    assert.equal(errorFromTokenResponse({ operation: t, status: 429, retryAfter: '2' }).retryAfterMs, 2000);
  });

  test('a NetSuiteError is recognisable, knows whether it is retryable, and serialises its fields', () => {
    const error = new NetSuiteError({ kind: 'timeout', operation: 'GET /record/v1/customer/1', detail: 'slow' });
    assert.ok(isNetSuiteError(error));
    assert.ok(!isNetSuiteError(new Error('x')));
    assert.equal(error.retryable, true);
    assert.equal(new NetSuiteError({ kind: 'rejected', operation: 'x', detail: 'y' }).retryable, false);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    assert.equal(json.kind, 'timeout');
    assert.equal(json.retryable, true);
    assert.equal(json.name, 'NetSuiteError');
  });

  test('expires_in is read as a number or a numeric string', () => {
    assert.equal(parseExpiresIn(3600), 3600);
    assert.equal(parseExpiresIn('1800'), 1800);
    assert.equal(parseExpiresIn(undefined), 3600);
    assert.equal(parseExpiresIn('soon'), 3600);
  });
});
