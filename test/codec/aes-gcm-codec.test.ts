/**
 * The AES-256-GCM payload codec on its own: what an encrypted payload looks like, that it reveals nothing of the
 * plaintext, that keys rotate by the key ID in the metadata, and that every failure is loud and names the key ID
 * (never the key).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../src/codec/aes-gcm-codec';
import { loadCodecSettings } from '../../src/config';
import { secretForms } from './helpers';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

function codecFor(env: Record<string, string>): AesGcmPayloadCodec {
  const settings = loadCodecSettings(env);
  assert.ok(settings, 'the codec is on');
  return new AesGcmPayloadCodec(settings);
}

const customer = { email: 'jane.doe@example.com', name: 'Jane Doe', address: { line1: '12 Rosemary Lane', city: 'Springfield', postcode: 'SP1 2AB' } };
const customerPayload = (): Payload => defaultPayloadConverter.toPayload(customer);
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? new Uint8Array(0)).toString('utf8');

/** Where `secret` shows in a payload's bytes (data and metadata): raw, or base64 at any alignment. */
function leaks(payload: Payload, secret: string): string[] {
  const haystacks = [payload.data, ...Object.values(payload.metadata ?? {})].map((b) => Buffer.from(b ?? new Uint8Array(0)).toString('latin1'));
  const found: string[] = [];
  for (const hay of haystacks) {
    if (hay.includes(secret)) found.push('raw');
    secretForms(secret).forEach((form, shift) => {
      if (hay.includes(form)) found.push(`base64 (alignment ${shift})`);
    });
  }
  return found;
}

describe('AES-256-GCM payload codec', () => {
  it('encrypts to binary/encrypted with the key ID, data = 12-byte IV | ciphertext | 16-byte tag, and decrypts to the same payload', async () => {
    const codec = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const originals: Payload[] = [
      customerPayload(),
      defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2, 250, 255])),
      defaultPayloadConverter.toPayload(undefined),
      { metadata: { encoding: Buffer.from('json/plain'), 'custom-header': Buffer.from('kept') }, data: Buffer.from('"x"') },
    ];
    const encoded = await codec.encode(originals);
    assert.equal(encoded.length, originals.length);
    for (const [index, payload] of encoded.entries()) {
      assert.deepEqual(Object.keys(payload.metadata ?? {}).sort(), ['encoding', KEY_ID_METADATA].sort());
      assert.equal(text(payload.metadata?.encoding), ENCRYPTED_ENCODING);
      assert.equal(text(payload.metadata?.[KEY_ID_METADATA]), 'k1');
      const serialised = temporal.api.common.v1.Payload.encode(originals[index] as Payload).finish();
      assert.equal(payload.data?.length, 12 + serialised.length + 16, 'IV | ciphertext (same length as the serialised payload) | tag');
    }
    const decoded = await codec.decode(encoded);
    for (const [index, payload] of decoded.entries()) {
      const original = originals[index] as Payload;
      assert.deepEqual(
        Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, text(v)])),
        Object.fromEntries(Object.entries(original.metadata ?? {}).map(([k, v]) => [k, text(v)])),
      );
      assert.ok(Buffer.from(payload.data ?? []).equals(Buffer.from(original.data ?? [])), `payload ${index} data round-trips`);
    }
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded[0] as Payload), customer);
    assert.deepEqual(await codec.encode([]), []);
  });

  it('the ciphertext shows none of the plaintext, raw or base64 (and the check itself finds a plain payload)', async () => {
    const codec = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const [encrypted] = await codec.encode([customerPayload()]);
    for (const secret of [customer.email, customer.name, customer.address.line1, 'json/plain']) {
      assert.deepEqual(leaks(encrypted as Payload, secret), [], `${secret} is not in the encrypted payload`);
      assert.deepEqual(leaks(customerPayload(), secret), ['raw'], `${secret} is found in the plain payload`);
    }
    // The base64 probe finds the secret base64-encoded at every alignment (else "not base64 either" would prove nothing).
    for (const [shift, prefix] of ['', 'a', 'ab'].entries()) {
      const framed: Payload = { metadata: {}, data: Buffer.from(`{"blob":"${Buffer.from(`${prefix}${customer.email} and more`).toString('base64')}"}`) };
      assert.ok(leaks(framed, customer.email).includes(`base64 (alignment ${shift})`), `alignment ${shift}`);
    }
  });

  it('two encodes of the same payload differ (a fresh IV each time), and both decode', async () => {
    const codec = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const [a, b] = await codec.encode([customerPayload(), customerPayload()]);
    const dataA = Buffer.from(a?.data ?? []);
    const dataB = Buffer.from(b?.data ?? []);
    assert.ok(!dataA.equals(dataB), 'ciphertexts differ');
    assert.ok(!dataA.subarray(0, 12).equals(dataB.subarray(0, 12)), 'IVs differ');
    const decoded = await codec.decode([a as Payload, b as Payload]);
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      [customer, customer],
    );
  });

  it('rotation: with k2 active and k1 still listed, k1 payloads decode and new payloads name k2', async () => {
    const before = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const [old] = await before.encode([customerPayload()]);
    assert.equal(text(old?.metadata?.[KEY_ID_METADATA]), 'k1');

    const after = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1},k2:${k2}`, PAYLOAD_CODEC_KEY_ID: 'k2' });
    assert.equal(after.activeKeyId, 'k2');
    const [fresh] = await after.encode([customerPayload()]);
    assert.equal(text(fresh?.metadata?.[KEY_ID_METADATA]), 'k2');
    assert.deepEqual(
      (await after.decode([old as Payload, fresh as Payload])).map((p) => defaultPayloadConverter.fromPayload(p)),
      [customer, customer],
    );

    // The old codec (k1 only) cannot read the new payload: the key ID in the metadata is what selects the key.
    await assert.rejects(before.decode([fresh as Payload]), (error: Error) => error instanceof PayloadDecryptionError && error.keyId === 'k2');
  });

  it('an unknown key ID is a clear error naming the ID and what to do, with no key material', async () => {
    const writer = codecFor({ PAYLOAD_CODEC_KEYS: `retired-2025:${k2}` });
    const reader = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const [payload] = await writer.encode([customerPayload()]);
    await assert.rejects(reader.decode([payload as Payload]), (error: Error) => {
      assert.ok(error instanceof PayloadDecryptionError);
      assert.match(error.message, /key "retired-2025", which is not configured \(known: k1\)/);
      assert.match(error.message, /add "retired-2025:<its base64 key>" to PAYLOAD_CODEC_KEYS/);
      for (const key of [k1, k2]) {
        const bytes = Buffer.from(key, 'base64');
        for (const form of [key, bytes.toString('hex'), bytes.toString('base64url'), bytes.toString('latin1')])
          assert.ok(!error.message.includes(form), 'no key material');
      }
      return true;
    });
  });

  it('a tampered byte (IV, ciphertext, tag), a swapped key ID, a truncated payload or a different key under the same ID → an error', async () => {
    const codec = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1},k2:${k2}` });
    const [good] = await codec.encode([customerPayload()]);
    const data = Buffer.from(good?.data ?? []);
    for (const position of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const altered = Buffer.from(data);
      altered[position] = (altered[position] as number) ^ 0x01;
      await assert.rejects(
        codec.decode([{ metadata: good?.metadata ?? null, data: altered }]),
        /key "k1" does not authenticate: either its bytes were altered/,
        `byte ${position}`,
      );
    }
    // The key ID is authenticated: relabelling a k1 payload as k2 does not decrypt (nor would it with k1's key, see AAD).
    await assert.rejects(codec.decode([{ metadata: { ...good?.metadata, [KEY_ID_METADATA]: Buffer.from('k2') }, data }]), /key "k2" does not authenticate/);
    await assert.rejects(codec.decode([{ metadata: good?.metadata ?? null, data: data.subarray(0, 20) }]), /is 20 bytes, shorter than IV and tag/);
    await assert.rejects(codec.decode([{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data }]), /has no "encryption-key-id" metadata/);
    const wrongKey = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k2}` });
    await assert.rejects(wrongKey.decode([good as Payload]), /PAYLOAD_CODEC_KEYS holds a different key under the ID "k1"/);
    // The untouched payload still decodes: the failures above are the alterations, not the codec.
    assert.deepEqual(defaultPayloadConverter.fromPayload((await codec.decode([good as Payload]))[0] as Payload), customer);
  });

  it('decode passes through payloads that are not binary/encrypted (histories written before the codec was on)', async () => {
    const codec = codecFor({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    const plain = [
      customerPayload(),
      defaultPayloadConverter.toPayload(null),
      { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from([1, 2, 3]) },
    ];
    const decoded = await codec.decode(plain);
    assert.equal(decoded.length, 3);
    for (const [index, payload] of decoded.entries()) assert.equal(payload, plain[index], 'the very same payload object');
  });

  it('refuses keys that are not 32-byte secret keys and an active ID that is not listed', () => {
    const settings = loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${k1}` });
    assert.ok(settings);
    assert.throws(() => new AesGcmPayloadCodec({ ...settings, activeKeyId: 'k9' }), /active key "k9" is not among the keys/);
    assert.throws(() => new AesGcmPayloadCodec({ keys: [...settings.keys, ...settings.keys], activeKeyId: 'k1' }), /listed twice/);
  });
});
