/**
 * The payload codec that keeps customers' personal data (names, e-mails, addresses in order payloads) out of Temporal's
 * database: every payload — workflow and activity inputs and results, signals, queries, memos, failure details — is
 * encrypted with AES-256-GCM before it leaves the process, and decrypted when it comes back.
 *
 * An encrypted payload is `{ metadata: { encoding: "binary/encrypted", "encryption-key-id": <id> }, data: IV | ciphertext | tag }`
 * where the plaintext is the whole original Payload (metadata and data) serialised as `temporal.api.common.v1.Payload`,
 * the IV is 12 fresh random bytes, the tag 16 bytes, and the key ID is authenticated too (additional data), so a
 * payload cannot be made to claim another key. Keys rotate: new payloads use the active key, and a payload is decrypted
 * with the key it names, so retired keys stay listed until no kept history needs them.
 *
 * Errors name the key ID and what to do — never key bytes, never payload contents.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CODEC_KEY_BYTES, type CodecSettings } from '../config/codec';

/** `encoding` of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (value: string): Uint8Array => Buffer.from(value, 'utf8');
const text = (value: Uint8Array | null | undefined): string | undefined => (value == null ? undefined : Buffer.from(value).toString('utf8'));

/** A payload could not be decrypted: unknown key, altered bytes, or a malformed encrypted payload. */
export class PayloadDecryptionError extends Error {
  /** The key ID the payload names, when it names one. */
  readonly keyId: string | undefined;

  constructor(message: string, keyId?: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
    this.keyId = keyId;
  }
}

/** AES-256-GCM PayloadCodec with key IDs in the metadata (see the module comment). */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, KeyObject>;
  /** The key new payloads are encrypted with. */
  readonly activeKeyId: string;

  constructor(settings: CodecSettings) {
    const keys = new Map<string, KeyObject>();
    for (const { id, key } of settings.keys) {
      if (key.type !== 'secret' || key.symmetricKeySize !== CODEC_KEY_BYTES)
        throw new Error(`payload codec: key "${id}" is not a ${CODEC_KEY_BYTES}-byte secret key`);
      if (keys.has(id)) throw new Error(`payload codec: key ID "${id}" is listed twice`);
      keys.set(id, key);
    }
    if (!keys.has(settings.activeKeyId)) throw new Error(`payload codec: the active key "${settings.activeKeyId}" is not among the keys`);
    this.keys = keys;
    this.activeKeyId = settings.activeKeyId;
  }

  /** The IDs of every key that can decrypt. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (text(payload.metadata?.encoding) === ENCRYPTED_ENCODING ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.activeKeyId;
    const key = this.keys.get(keyId) as KeyObject;
    const plaintext = ProtoPayload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(utf8(keyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (keyId === undefined || keyId === '') {
      throw new PayloadDecryptionError(
        `payload codec: an encrypted payload has no "${KEY_ID_METADATA}" metadata, so no key can decrypt it; it was not written by this codec`,
      );
    }
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `payload codec: a payload was encrypted with key "${keyId}", which is not configured (known: ${this.keyIds.join(', ')}); ` +
          `add "${keyId}:<its base64 key>" to PAYLOAD_CODEC_KEYS — retired keys must stay listed while histories encrypted with them are kept`,
        keyId,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array(0));
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(
        `payload codec: a payload encrypted with key "${keyId}" is ${data.length} bytes, shorter than IV and tag; it was truncated`,
        keyId,
      );
    }
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(utf8(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `payload codec: a payload encrypted with key "${keyId}" does not authenticate: either its bytes were altered, ` +
          `or PAYLOAD_CODEC_KEYS holds a different key under the ID "${keyId}" than the one that encrypted it (check the key for that ID)`,
        keyId,
      );
    }
    const decoded = ProtoPayload.decode(plaintext);
    return {
      metadata: { ...decoded.metadata },
      data: decoded.data,
      ...(decoded.externalPayloads.length > 0 ? { externalPayloads: decoded.externalPayloads } : {}),
    };
  }
}

/** The codec for these settings, or undefined when the codec is off (no PAYLOAD_CODEC_KEYS). */
export function createPayloadCodec(settings: CodecSettings | undefined): AesGcmPayloadCodec | undefined {
  return settings === undefined ? undefined : new AesGcmPayloadCodec(settings);
}
