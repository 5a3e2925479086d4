/**
 * The data converter of every Temporal client and worker of this integration: with PAYLOAD_CODEC_KEYS set, payloads
 * (inputs, results, queries, memos, current details) are encrypted by the AES-256-GCM codec, and failure messages and
 * stack traces are moved into an encoded payload so they are encrypted too (a NeedsAttention message may name a
 * customer). Without keys it is undefined: the SDK's default, plain JSON.
 */
import type { DataConverter } from '@temporalio/common';
import { createPayloadCodec } from './aes-gcm-codec';
import { loadCodecSettings } from '../config/codec';

/** The failure converter module (workers load it by path; the prebuilt bundle compiles it in). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter for `env`'s codec settings (default: the process's); undefined when the codec is off. Throws ConfigError on bad keys. */
export function codecDataConverter(env?: NodeJS.ProcessEnv): DataConverter | undefined {
  const codec = createPayloadCodec(loadCodecSettings(env));
  return codec ? { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH } : undefined;
}
