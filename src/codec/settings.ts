/**
 * The payload codec's and the codec server's settings (PAYLOAD_CODEC_KEYS, CODEC_SERVER_*): declared and parsed in
 * src/config/codec.ts, with every other setting; re-exported here for the codec's modules.
 */
export {
  CODEC_KEY_BYTES,
  CODEC_KEY_ID_MAX_LENGTH,
  CODEC_KEY_ID_PATTERN,
  CODEC_SERVER_TOKEN_MIN_LENGTH,
  codecServerSettingsSchema,
  codecSettingsSchema,
  DEFAULT_CODEC_SERVER_CORS_ORIGINS,
  DEFAULT_CODEC_SERVER_PORT,
  loadCodecServerSettings,
  loadCodecSettings,
  type CodecKey,
  type CodecServerAuthSettings,
  type CodecServerJwtSettings,
  type CodecServerSettings,
  type CodecSettings,
} from '../config/codec';
