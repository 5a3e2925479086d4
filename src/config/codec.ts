/**
 * Settings of the payload codec (PII at rest, src/codec/) and of its codec server (src/codec-server.ts), read from the
 * environment and validated with zod.
 *
 * Nothing secret is ever echoed in a ConfigError: not a key, not a token, not an entry that failed to parse (it may be
 * a key pasted in the wrong place). Key IDs are echoed only when they look like key IDs.
 *
 *   PAYLOAD_CODEC_KEYS          k2:<base64 32 bytes>,k1:<base64 32 bytes>   absent → the codec is off
 *   PAYLOAD_CODEC_KEY_ID        the key new payloads are encrypted with
 *   CODEC_SERVER_HOST / _PORT   the codec server's listener
 *   CODEC_SERVER_TOKEN          static bearer token(s), comma-separated, ≥ 24 characters each
 *   CODEC_SERVER_CORS_ORIGINS   origins of the Web UI(s) allowed to call it
 *   CODEC_SERVER_JWKS_URL, CODEC_SERVER_JWT_ISSUER, CODEC_SERVER_JWT_AUDIENCE
 *                               accept the Web UI user's OIDC access token ("pass access token"), verified against the JWKS
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, envValue, parseSettings, processEnv, secretSetting, settingsGroup, splitList } from './env';
import { processSettingsSchema } from './process';

/** Bytes of an AES-256 key. */
export const CODEC_KEY_BYTES = 32;
/** What a key ID may consist of (it is stored in every encrypted payload's metadata). */
export const CODEC_KEY_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
/** Longest key ID accepted (it travels in every payload). */
export const CODEC_KEY_ID_MAX_LENGTH = 64;
/** Shortest static bearer token accepted. */
export const CODEC_SERVER_TOKEN_MIN_LENGTH = 24;
/** The codec server's default port. */
export const DEFAULT_CODEC_SERVER_PORT = 8888;
/** The local Temporal Web UI (`temporal server start-dev`). */
export const DEFAULT_CODEC_SERVER_CORS_ORIGINS = ['http://localhost:8233'] as const;

/** One encryption key. The key is a KeyObject, so logging or serialising settings never prints its bytes. */
export interface CodecKey {
  id: string;
  key: KeyObject;
}

/** The payload codec's keys: all that may decrypt, and the one that encrypts. */
export interface CodecSettings {
  /** Every key that may decrypt a stored payload, in the order listed (PAYLOAD_CODEC_KEYS). */
  keys: readonly CodecKey[];
  /** The key new payloads are encrypted with; one of `keys` (PAYLOAD_CODEC_KEY_ID). */
  activeKeyId: string;
}

/** Accepting the Web UI user's OIDC access token: a JWT verified against a JWKS. */
export interface CodecServerJwtSettings {
  /** The identity provider's JWKS (CODEC_SERVER_JWKS_URL). */
  jwksUrl: string;
  /** The `iss` the tokens must carry (CODEC_SERVER_JWT_ISSUER). */
  issuer: string;
  /** Accepted `aud` values, the token must carry one of them (CODEC_SERVER_JWT_AUDIENCE). */
  audience: readonly string[];
}

/** Who may call the codec server: static tokens and/or OIDC tokens. At least one is configured. */
export interface CodecServerAuthSettings {
  /** Static bearer tokens, e.g. one for the CLI, one for the Web UI (CODEC_SERVER_TOKEN). */
  tokens: readonly string[];
  jwt?: CodecServerJwtSettings;
}

/** The codec server's listener, CORS and authentication. */
export interface CodecServerSettings {
  /** Interface to listen on (CODEC_SERVER_HOST). */
  host: string;
  /** TCP port (CODEC_SERVER_PORT). */
  port: number;
  /** Origins allowed to call from a browser (the Web UI's), exactly as the browser sends them (CODEC_SERVER_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  auth: CodecServerAuthSettings;
  /** Log level (LOG_LEVEL). */
  logLevel: string;
}

/** The codec's variables (zod over env). */
export const codecSettingsSchema = settingsGroup(
  z.object({
    PAYLOAD_CODEC_KEYS: secretSetting(envValue(z.string().optional())).describe(
      'Payload encryption keys, comma-separated `keyId:base64key` (each key 32 random bytes, e.g. `openssl rand -base64 32`; IDs [A-Za-z0-9._-]+, unique). Absent → payloads are stored unencrypted. Keep retired keys listed while histories encrypted with them are kept; every worker, receiver and CLI needs the same keys.',
    ),
    PAYLOAD_CODEC_KEY_ID: envValue(z.string().optional()).describe(
      'ID of the key new payloads are encrypted with; one of PAYLOAD_CODEC_KEYS. Default: the first listed.',
    ),
  }),
  { title: 'Payload codec', description: 'Encryption of payloads at rest (PII in workflow histories), src/codec/.' },
);

/** The codec server's variables (zod over env). */
export const codecServerSettingsSchema = settingsGroup(
  z.object({
    CODEC_SERVER_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe('Interface the codec server listens on.'),
    CODEC_SERVER_PORT: envValue(z.coerce.number({ error: 'set a port number' }).int().min(0).max(65535).default(DEFAULT_CODEC_SERVER_PORT)).describe(
      'Port of the codec server (0 = any free port).',
    ),
    CODEC_SERVER_TOKEN: secretSetting(envValue(z.string().optional())).describe(
      'Static bearer token(s) the codec server accepts, comma-separated, each ≥ 24 characters (e.g. `openssl rand -base64 32`). The CLI sends one with `--codec-auth "Bearer <token>"`.',
    ),
    CODEC_SERVER_CORS_ORIGINS: envValue(z.string().default(DEFAULT_CODEC_SERVER_CORS_ORIGINS.join(','))).describe(
      'Origins of the Temporal Web UI allowed to call the codec server from a browser, comma-separated.',
    ),
    CODEC_SERVER_JWKS_URL: envValue(z.string().optional()).describe(
      'JWKS URL of the identity provider whose access tokens the Web UI passes (codec setting "pass access token"). Needs CODEC_SERVER_JWT_ISSUER and CODEC_SERVER_JWT_AUDIENCE.',
    ),
    CODEC_SERVER_JWT_ISSUER: envValue(z.string().optional()).describe('The `iss` the access tokens must carry.'),
    CODEC_SERVER_JWT_AUDIENCE: envValue(z.string().optional()).describe('The `aud` the access tokens must carry (comma-separated: any of them).'),
    LOG_LEVEL: processSettingsSchema.shape.LOG_LEVEL,
  }),
  {
    title: 'Codec server',
    description:
      'The codec server (`npm run codec-server`), which decodes payloads for the Temporal Web UI and `temporal --codec-endpoint`: its listener, CORS, and who may call it (at least one of CODEC_SERVER_TOKEN and CODEC_SERVER_JWKS_URL).',
  },
);

const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/** A value that may be echoed as a key ID: it has the shape of one (a base64 key does not: 44 characters ending in `=`). */
const showableId = (value: string): boolean => CODEC_KEY_ID_PATTERN.test(value) && value.length <= CODEC_KEY_ID_MAX_LENGTH;

/**
 * Reads PAYLOAD_CODEC_KEYS and PAYLOAD_CODEC_KEY_ID. Returns undefined when no keys are set (the codec is off).
 * Throws a ConfigError listing every problem; no key material is ever in it.
 */
export function loadCodecSettings(env: NodeJS.ProcessEnv = processEnv()): CodecSettings | undefined {
  const settings = parseSettings(codecSettingsSchema, env, 'codec settings');
  if (settings.PAYLOAD_CODEC_KEYS === undefined) {
    if (settings.PAYLOAD_CODEC_KEY_ID !== undefined) {
      throw new ConfigError('invalid codec settings — PAYLOAD_CODEC_KEY_ID is set but PAYLOAD_CODEC_KEYS is not: list the keys as keyId:base64key,…');
    }
    return undefined;
  }
  const problems: string[] = [];
  const keys: CodecKey[] = [];
  const seen = new Set<string>();
  splitList(settings.PAYLOAD_CODEC_KEYS).forEach((entry, index) => {
    const where = `PAYLOAD_CODEC_KEYS entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      problems.push(`${where} is not keyId:base64key (no key ID before a colon)`);
      return;
    }
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!showableId(id)) {
      problems.push(`${where}: the key ID must be 1–${CODEC_KEY_ID_MAX_LENGTH} characters of [A-Za-z0-9._-]`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`${where}: the key ID "${id}" is listed twice; each key needs its own ID`);
      return;
    }
    seen.add(id);
    const bytes = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
    if (bytes === undefined) {
      problems.push(`${where} (key ID "${id}"): the key is not base64; generate one with \`openssl rand -base64 32\``);
      return;
    }
    if (bytes.length !== CODEC_KEY_BYTES) {
      problems.push(`${where} (key ID "${id}"): the key is ${bytes.length} bytes; AES-256 needs exactly ${CODEC_KEY_BYTES} (\`openssl rand -base64 32\`)`);
      bytes.fill(0);
      return;
    }
    keys.push({ id, key: createSecretKey(bytes) });
    bytes.fill(0);
  });
  if (keys.length === 0 && problems.length === 0)
    problems.push('PAYLOAD_CODEC_KEYS lists no key: set keyId:base64key,… or leave it unset to turn the codec off');
  const active = settings.PAYLOAD_CODEC_KEY_ID ?? keys[0]?.id;
  if (settings.PAYLOAD_CODEC_KEY_ID !== undefined && !seen.has(settings.PAYLOAD_CODEC_KEY_ID)) {
    problems.push(
      showableId(settings.PAYLOAD_CODEC_KEY_ID)
        ? `PAYLOAD_CODEC_KEY_ID is "${settings.PAYLOAD_CODEC_KEY_ID}", which PAYLOAD_CODEC_KEYS does not list; set it to one of the listed key IDs`
        : 'PAYLOAD_CODEC_KEY_ID is not a key ID ([A-Za-z0-9._-]+) that PAYLOAD_CODEC_KEYS lists; set it to one of the listed key IDs (not a key)',
    );
  }
  if (problems.length > 0 || active === undefined) throw new ConfigError(`invalid codec settings — ${problems.join('; ')}`, problems);
  return { keys, activeKeyId: active };
}

/** An http(s) origin as a browser sends it (`scheme://host[:port]`, no path), or undefined. */
function asOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** A URL for messages: user name, password and query removed. */
function urlForMessages(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * Reads the codec server's settings (codecServerSettingsSchema). At least one way in is required: CODEC_SERVER_TOKEN
 * and/or CODEC_SERVER_JWKS_URL with its issuer and audience. Tokens are never echoed.
 */
export function loadCodecServerSettings(env: NodeJS.ProcessEnv = processEnv()): CodecServerSettings {
  const settings = parseSettings(codecServerSettingsSchema, env, 'codec settings');
  const problems: string[] = [];

  const tokens = settings.CODEC_SERVER_TOKEN === undefined ? [] : splitList(settings.CODEC_SERVER_TOKEN);
  tokens.forEach((token, index) => {
    if (token.length < CODEC_SERVER_TOKEN_MIN_LENGTH) {
      problems.push(
        `CODEC_SERVER_TOKEN token ${index + 1} is ${token.length} characters; each must be at least ${CODEC_SERVER_TOKEN_MIN_LENGTH} (\`openssl rand -base64 32\`)`,
      );
    } else if (/\s/.test(token)) {
      problems.push(`CODEC_SERVER_TOKEN token ${index + 1} contains white space; a bearer token cannot`);
    }
  });

  const corsOrigins: string[] = [];
  for (const entry of splitList(settings.CODEC_SERVER_CORS_ORIGINS)) {
    const origin = asOrigin(entry);
    if (origin === undefined)
      problems.push(`CODEC_SERVER_CORS_ORIGINS has "${entry.slice(0, 200)}", which is not an origin like https://temporal.example.com (no path, no "*")`);
    else if (!corsOrigins.includes(origin)) corsOrigins.push(origin);
  }

  let jwt: CodecServerJwtSettings | undefined;
  const jwtVariables = [settings.CODEC_SERVER_JWKS_URL, settings.CODEC_SERVER_JWT_ISSUER, settings.CODEC_SERVER_JWT_AUDIENCE];
  if (jwtVariables.some((value) => value !== undefined)) {
    const [jwksUrl, issuer, audience] = jwtVariables;
    if (jwksUrl === undefined)
      problems.push("CODEC_SERVER_JWKS_URL is required with CODEC_SERVER_JWT_ISSUER / CODEC_SERVER_JWT_AUDIENCE: the identity provider's JWKS URL");
    else if (!/^https?:$/.test(safeProtocol(jwksUrl))) problems.push(`CODEC_SERVER_JWKS_URL=${urlForMessages(jwksUrl)} must be an http(s) URL`);
    if (issuer === undefined) problems.push('CODEC_SERVER_JWT_ISSUER is required with CODEC_SERVER_JWKS_URL: the `iss` of the access tokens the Web UI passes');
    const audiences = audience === undefined ? [] : splitList(audience);
    if (audiences.length === 0)
      problems.push('CODEC_SERVER_JWT_AUDIENCE is required with CODEC_SERVER_JWKS_URL: the `aud` of the access tokens the Web UI passes');
    if (jwksUrl !== undefined && issuer !== undefined && audiences.length > 0) jwt = { jwksUrl, issuer, audience: audiences };
  }

  if (tokens.length === 0 && jwtVariables.every((value) => value === undefined)) {
    problems.push(
      'the codec server needs a way to authenticate callers: set CODEC_SERVER_TOKEN (static bearer tokens) and/or CODEC_SERVER_JWKS_URL with CODEC_SERVER_JWT_ISSUER and CODEC_SERVER_JWT_AUDIENCE',
    );
  }
  if (problems.length > 0) throw new ConfigError(`invalid codec server settings — ${problems.join('; ')}`, problems);
  return {
    host: settings.CODEC_SERVER_HOST,
    port: settings.CODEC_SERVER_PORT,
    corsOrigins,
    auth: { tokens, ...(jwt !== undefined ? { jwt } : {}) },
    logLevel: settings.LOG_LEVEL,
  };
}

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}
