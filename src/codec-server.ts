/**
 * The codec server: lets the Temporal Web UI and `temporal … --codec-endpoint` show the payloads the workers store
 * encrypted (src/codec/aes-gcm-codec.ts), without the keys ever leaving this process. Temporal's remote codec protocol:
 *
 *   POST …/encode, POST …/decode   body and answer: proto3 JSON of Payloads, {"payloads":[{"metadata":{k: base64}, "data": base64}]};
 *                                  only the last path segment counts, so it may be mounted under any prefix.
 *                                  Malformed request or a payload that cannot be decoded → 400 with the reason.
 *   OPTIONS (CORS preflight)       answered for the allowed Web UI origins only (credentials allowed); 403 otherwise
 *   GET /livez                     liveness: 200 {"status":"ok"}
 *
 * Every encode/decode needs `Authorization: Bearer …`: a static token (compared in constant time) or the Web UI user's
 * OIDC access token ("pass access token"), a JWT verified against the identity provider's JWKS; else 401. Only the
 * caller's identity, the namespace and payload counts are logged: never payloads, tokens or keys.
 *
 * Run it with `tsx src/codec-server.ts` (see `main`); serve it behind TLS when the Web UI is not on localhost.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createPayloadCodec } from './codec/aes-gcm-codec';
import { exitOnBootFailure, listenFailure } from './boot';
import { ConfigError, loadCodecServerSettings, loadCodecSettings, type CodecServerAuthSettings, type CodecServerJwtSettings } from './config';
import { createLogger } from './logger';
import { loadJose, type Jose } from './netsuite/jose';
import { listeningUrl, untilStopSignal } from './server-process';

/** Liveness path. */
export const LIVENESS_PATH = '/livez';
/** Default largest request body: a page of a long history's payloads, each up to Temporal's 2 MiB blob limit. */
export const DEFAULT_CODEC_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** Headers the Web UI sends with codec requests. */
export const CORS_ALLOWED_HEADERS = 'authorization, content-type, x-namespace';
/** JWT algorithms accepted from the identity provider (asymmetric only: the JWKS holds public keys). */
export const CODEC_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

// ─── Authentication ───────────────────────────────────────────────────────────────────────────────────────────────

/** Who a request was let in as, or why not. */
export type AuthDecision = { ok: true; via: 'token' | 'jwt'; subject?: string } | { ok: false; status: 401 | 503; reason: string };

/** Checks an `Authorization` header. */
export interface Authenticator {
  check(authorization: string | undefined): Promise<AuthDecision>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Static tokens compared in constant time (equal-length SHA-256 digests, every token compared, no early exit), then —
 * if configured — the token as a JWT verified against the JWKS: signature, `iss`, `aud`, `exp` (required), `nbf`.
 */
export function createAuthenticator(settings: CodecServerAuthSettings): Authenticator {
  const tokenDigests = settings.tokens.map(digest);
  const jwt = settings.jwt === undefined ? undefined : createJwtVerifier(settings.jwt);
  return {
    async check(authorization) {
      const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(authorization ?? '');
      if (match === null)
        return { ok: false, status: 401, reason: authorization === undefined ? 'no Authorization header' : 'Authorization is not "Bearer <token>"' };
      const token = match[1] as string;
      const presented = digest(token);
      let matched = false;
      for (const candidate of tokenDigests) matched = timingSafeEqual(presented, candidate) || matched;
      if (matched) return { ok: true, via: 'token' };
      if (jwt !== undefined && token.split('.').length === 3) return jwt(token);
      return { ok: false, status: 401, reason: 'unknown token' };
    },
  };
}

type RemoteJwks = ReturnType<Jose['createRemoteJWKSet']>;

/** Errors that say the JWKS could not be read (the caller's token may be fine): 503, not 401. */
const JWKS_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function createJwtVerifier(settings: CodecServerJwtSettings): (token: string) => Promise<AuthDecision> {
  let jwks: RemoteJwks | undefined;
  return async (token) => {
    const jose = await loadJose();
    jwks ??= jose.createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    try {
      const { payload } = await jose.jwtVerify(token, jwks, {
        issuer: settings.issuer,
        audience: [...settings.audience],
        algorithms: CODEC_JWT_ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: 30,
      });
      return { ok: true, via: 'jwt', ...(typeof payload.sub === 'string' ? { subject: payload.sub.slice(0, 200) } : {}) };
    } catch (error) {
      if (error instanceof jose.errors.JOSEError && !JWKS_UNAVAILABLE.has(error.code)) {
        const claim = (error as { claim?: unknown }).claim;
        return { ok: false, status: 401, reason: `JWT rejected: ${error.code}${typeof claim === 'string' ? ` (${claim})` : ''}` };
      }
      const code = error instanceof jose.errors.JOSEError ? error.code : error instanceof Error ? error.message : String(error);
      return { ok: false, status: 503, reason: `the JWKS could not be read to verify the JWT: ${code}` };
    }
  };
}

// ─── The remote codec protocol's JSON ─────────────────────────────────────────────────────────────────────────────

/** A Payload in proto3 JSON: bytes are base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64_JSON = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** A request that is not Payloads JSON; the message names where (never a payload's contents). */
class BadCodecRequest extends Error {}

function bytesOf(value: unknown, where: string): Uint8Array {
  if (value === undefined || value === null) return new Uint8Array(0);
  if (typeof value !== 'string' || !BASE64_JSON.test(value)) throw new BadCodecRequest(`${where} is not a base64 string`);
  return Buffer.from(value, 'base64');
}

/** Reads `{"payloads":[…]}` (proto3 JSON: absent fields are empty) into SDK Payloads. */
export function payloadsFromJson(body: unknown): Payload[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadCodecRequest('the body is not a JSON object with "payloads"');
  const list = (body as { payloads?: unknown }).payloads;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new BadCodecRequest('"payloads" is not an array');
  return list.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new BadCodecRequest(`payloads[${index}] is not an object`);
    const { metadata, data } = item as { metadata?: unknown; data?: unknown };
    if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata)))
      throw new BadCodecRequest(`payloads[${index}].metadata is not an object`);
    const decodedMetadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries((metadata ?? {}) as Record<string, unknown>))
      decodedMetadata[key] = bytesOf(value, `payloads[${index}].metadata.${key.slice(0, 100)}`);
    return { metadata: decodedMetadata, data: bytesOf(data, `payloads[${index}].data`) };
  });
}

/** SDK Payloads → `{"payloads":[…]}` with base64 bytes. */
export function payloadsToJson(payloads: readonly Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((payload) => {
      const metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(payload.metadata ?? {})) if (value != null) metadata[key] = Buffer.from(value).toString('base64');
      return { metadata, data: Buffer.from(payload.data ?? new Uint8Array(0)).toString('base64') };
    }),
  };
}

// ─── The server ───────────────────────────────────────────────────────────────────────────────────────────────────

export interface CodecServerOptions {
  /** The same codec the workers and clients use. */
  codec: PayloadCodec;
  /** Static tokens and/or the JWT settings (or a ready Authenticator). */
  auth: CodecServerAuthSettings | Authenticator;
  /** Origins allowed to call from a browser, exactly as sent in `Origin` (e.g. https://temporal.example.com). */
  corsOrigins: readonly string[];
  /** Where the server logs (no payloads, tokens or keys are ever logged). */
  logger: Logger;
  /** Largest request body, in bytes. Default 16 MiB. */
  bodyLimitBytes?: number;
}

export interface CodecServer {
  /** The Fastify app (tests may use `app.inject`). */
  readonly app: FastifyInstance;
  /** Listens on host:port (0 = any free port) and returns the base URL, e.g. http://127.0.0.1:8888. */
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
}

type Operation = 'encode' | 'decode';

/** `encode` or `decode` when the last path segment names one (the protocol allows any prefix). */
function operationOf(url: string): Operation | undefined {
  const path = url.split('?')[0] ?? '';
  const last = path.replace(/\/+$/, '').split('/').pop();
  return last === 'encode' || last === 'decode' ? last : undefined;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.slice(0, 8192);
}

const isAuthenticator = (auth: CodecServerAuthSettings | Authenticator): auth is Authenticator => typeof (auth as Authenticator).check === 'function';

/** Creates the codec server (not yet listening). */
export function createCodecServer(options: CodecServerOptions): CodecServer {
  const { codec, logger } = options;
  const authenticator = isAuthenticator(options.auth) ? options.auth : createAuthenticator(options.auth);
  const allowedOrigins = new Set(options.corsOrigins);
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_CODEC_BODY_LIMIT_BYTES;
  const app = Fastify({ logger: false, bodyLimit, return503OnClosing: true });

  // CORS for the actual request: only an allowed origin gets the headers that let its page read the answer.
  app.addHook('onRequest', async (request, reply) => {
    const origin = header(request, 'origin');
    if (origin !== undefined && allowedOrigins.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
    }
    reply.header('vary', 'Origin');
  });

  // Authentication before the body is read: an unauthenticated caller cannot make the server parse 16 MiB.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const operation = operationOf(request.url);
    if (operation === undefined) return;
    const decision = await authenticator.check(header(request, 'authorization'));
    const namespace = header(request, 'x-namespace')?.slice(0, 200);
    if (!decision.ok) {
      logger.warn(
        { operation, namespace, origin: header(request, 'origin')?.slice(0, 200), reason: decision.reason, status: decision.status },
        'codec request refused',
      );
      if (decision.status === 401) reply.header('www-authenticate', 'Bearer realm="temporal-codec"');
      return reply.code(decision.status).send({ error: decision.status === 401 ? 'unauthorized' : 'cannot verify the token now' });
    }
    (request as FastifyRequest & { caller?: { via: string; subject?: string } }).caller = {
      via: decision.via,
      ...(decision.subject !== undefined ? { subject: decision.subject } : {}),
    };
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      const message = statusCode === 413 ? 'payload too large' : statusCode === 415 ? 'send Content-Type: application/json' : 'the body is not valid JSON';
      return reply.code(statusCode).send({ error: message });
    }
    logger.error({ path: request.url.slice(0, 200), error: error instanceof Error ? error.message : String(error) }, 'codec request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.get(LIVENESS_PATH, async () => ({ status: 'ok' }));

  const preflight = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const origin = header(request, 'origin');
    if (operationOf(request.url) === undefined) return reply.code(404).send({ error: 'not found' });
    if (origin === undefined || !allowedOrigins.has(origin)) {
      // No CORS headers at all: the browser refuses the call. (The onRequest hook added none for this origin.)
      logger.warn({ origin: origin?.slice(0, 200) }, 'CORS preflight from an origin that is not allowed');
      return reply.code(403).send();
    }
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
      .header('access-control-max-age', '600')
      .send();
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const operation = operationOf(request.url);
    if (operation === undefined) return reply.code(404).send({ error: 'not found' });
    const namespace = header(request, 'x-namespace')?.slice(0, 200);
    const caller = (request as FastifyRequest & { caller?: { via: string; subject?: string } }).caller;
    let payloads: Payload[];
    try {
      payloads = payloadsFromJson(request.body);
    } catch (error) {
      if (!(error instanceof BadCodecRequest)) throw error;
      logger.warn({ operation, namespace, caller, reason: error.message }, 'codec request malformed');
      return reply.code(400).send({ error: error.message });
    }
    let result: Payload[];
    try {
      result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    } catch (error) {
      // The codec's messages name key IDs and what to do, never key bytes or payload contents.
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ operation, namespace, caller, payloads: payloads.length, error: message }, `codec ${operation} failed`);
      return reply.code(400).send({ error: message });
    }
    logger.info({ operation, namespace, caller, payloads: payloads.length }, `codec ${operation}`);
    return reply.code(200).header('content-type', 'application/json').send(payloadsToJson(result));
  };

  app.route({ method: 'OPTIONS', url: '/*', handler: preflight });
  app.route({ method: 'POST', url: '/*', handler: handle });

  return {
    app,
    async listen(host, port) {
      await app.listen({ host, port });
      return listeningUrl(app.server);
    },
    close: () => app.close(),
  };
}

// ─── The process ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The codec server process: reads PAYLOAD_CODEC_KEYS (required here: it decrypts with the workers' keys) and the
 * CODEC_SERVER_* settings, listens, and on SIGTERM or SIGINT answers the requests in flight and stops. A refused
 * configuration prints its message (no key, no token) to stderr and exits 78.
 */
export async function main(): Promise<void> {
  let settings: { codec: NonNullable<ReturnType<typeof loadCodecSettings>>; server: ReturnType<typeof loadCodecServerSettings> };
  {
    const problems: string[] = [];
    let codecSettings: ReturnType<typeof loadCodecSettings>;
    let serverSettings: ReturnType<typeof loadCodecServerSettings> | undefined;
    try {
      codecSettings = loadCodecSettings();
      if (codecSettings === undefined)
        problems.push('PAYLOAD_CODEC_KEYS is required: the codec server decrypts with the same keys as the workers (keyId:base64key,…)');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    try {
      serverSettings = loadCodecServerSettings();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0 || codecSettings === undefined || serverSettings === undefined)
      throw new ConfigError(`invalid codec server settings — ${problems.join('; ')}`, problems);
    settings = { codec: codecSettings, server: serverSettings };
  }

  const logger = createLogger({ level: settings.server.logLevel, name: 'codec-server' });
  const codec = createPayloadCodec(settings.codec);
  if (codec === undefined) throw new Error('unreachable: codec settings were checked');
  const server = createCodecServer({ codec, auth: settings.server.auth, corsOrigins: settings.server.corsOrigins, logger });
  const url = await server.listen(settings.server.host, settings.server.port).catch((error: unknown) => {
    throw listenFailure('the codec server (CODEC_SERVER_HOST, CODEC_SERVER_PORT)', settings.server.host, settings.server.port, error);
  });
  logger.info(
    {
      url,
      keyIds: codec.keyIds,
      activeKeyId: codec.activeKeyId,
      corsOrigins: settings.server.corsOrigins,
      staticTokens: settings.server.auth.tokens.length,
      jwt: settings.server.auth.jwt === undefined ? 'off' : { issuer: settings.server.auth.jwt.issuer, audience: settings.server.auth.jwt.audience },
    },
    'codec server listening',
  );

  await untilStopSignal(async (signal) => {
    logger.info({ signal }, 'codec server stopping: answering requests in flight');
    await server
      .close()
      .catch((error: unknown) => logger.error({ error: error instanceof Error ? error.message : String(error) }, 'closing the listener failed'));
    logger.info('codec server stopped');
  });
}

if (require.main === module) main().catch((error: unknown) => exitOnBootFailure('codec server', error));
