import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phpJsonEncode } from '../../simulators/woocommerce/php-json';

test('phpJsonEncode escapes forward slashes as \\/', () => {
  assert.equal(phpJsonEncode({ url: 'https://shop.example/a/b' }), '{"url":"https:\\/\\/shop.example\\/a\\/b"}');
});

test('phpJsonEncode escapes non-ASCII BMP characters as lower-case \\uXXXX', () => {
  assert.equal(phpJsonEncode('Zoë Ångström ☕ 田中'), '"Zo\\u00eb \\u00c5ngstr\\u00f6m \\u2615 \\u7530\\u4e2d"');
});

test('phpJsonEncode writes astral characters as UTF-16 surrogate pairs like PHP', () => {
  assert.equal(phpJsonEncode('door 🚪'), '"door \\ud83d\\udeaa"');
});

test('phpJsonEncode escapes control characters like PHP and leaves DEL and ASCII punctuation alone', () => {
  assert.equal(phpJsonEncode('a\nb\tc\u0001\u007f<>&\'"\\'), '"a\\nb\\tc\\u0001\u007f<>&\'\\"\\\\"');
});

test('phpJsonEncode keeps a backslash before a slash unambiguous', () => {
  const encoded = phpJsonEncode('a\\/b');
  assert.equal(encoded, '"a\\\\\\/b"');
  assert.equal(JSON.parse(encoded), 'a\\/b');
});

test('phpJsonEncode output is pure ASCII and parses back to the same value', () => {
  const value = { name: 'Crème Mug — “quoted” 🚪', n: 12.5, ok: true, none: null, list: [1, 'x/y', { é: 'ü' }] };
  const encoded = phpJsonEncode(value);
  assert.match(encoded, /^[\x20-\x7e]*$/);
  assert.deepEqual(JSON.parse(encoded), value);
  assert.equal(Buffer.byteLength(encoded, 'utf8'), encoded.length);
});

test('phpJsonEncode encodes numbers, booleans, null, empty arrays and objects like JSON', () => {
  assert.equal(phpJsonEncode([0, -1, 3.25, true, false, null, [], {}]), '[0,-1,3.25,true,false,null,[],{}]');
  assert.equal(phpJsonEncode(undefined), 'null');
});
