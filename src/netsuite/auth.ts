/**
 * OAuth 2.0 client credentials (machine to machine) for NetSuite: signs a JWT assertion with jose, trades it for an
 * access token at `/services/rest/auth/oauth2/v1/token`, and caches the token as a hint. There is no refresh token:
 * a new token always comes from a new assertion. Concurrent callers share one mint (single flight), so when every
 * token is revoked while N requests are in flight, the process mints exactly one new token.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { NetSuiteCredentials } from './credentials';
import { cancelledError, errorFromTokenResponse, errorFromTransport, isNetSuiteError, NetSuiteError, notJsonDetail, withoutSecrets } from './errors';
import { loadJose, type JoseKey } from './jose';
import { noPermit, type ConcurrencyLimiter, type ReleasePermit } from './limiter';
import { requestDeadline } from './deadline';
import { currentPermitRank } from './permit-rank';

/** Path of the token endpoint below the origin. */
export const TOKEN_ENDPOINT_PATH = '/services/rest/auth/oauth2/v1/token';
/** `client_assertion_type` of a JWT bearer assertion. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Lifetime of a signed assertion (`exp − iat`), in seconds. NetSuite allows at most 3600. */
export const ASSERTION_LIFETIME_SECONDS = 300;
/** Token lifetime assumed when the answer has no readable `expires_in`: NetSuite tokens live 60 minutes. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Default of `refreshMarginSeconds`. */
export const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
/** Default of `timeoutMs`. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 60_000;

/** The operation name token failures carry. */
const OPERATION = 'POST /auth/oauth2/v1/token';

export interface TokenProvider {
  /** A cached token when it has more than `refreshMarginSeconds` left, else a new one. Concurrent callers share one mint (single flight). */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forget `token` if it is still the cached one (a 401 answered it). Later getToken mints once for all callers. */
  invalidate(token: string): void;
  /** Tokens minted since creation. */
  readonly minted: number;
}

/** Options of `createTokenProvider`. */
export interface TokenProviderOptions {
  /** When given, each token request holds a permit for its whole duration. Default: none. */
  limiter?: ConcurrencyLimiter;
  /** Timeout of one token request (waiting for a limiter permit included), in ms. Default 60000. */
  timeoutMs?: number;
  /**
   * A cached token is reused while it has more than this many seconds left. Default 300. For tokens that live less than
   * twice the margin, half the token's lifetime is used instead, so a short-lived token is still reused.
   */
  refreshMarginSeconds?: number;
  /** pino logger: a debug line per mint (never the token, the assertion or the key). Default: silent. */
  logger?: Logger;
  /** HTTP client to use (the NetSuite client shares its keep-alive one). Default: a new keep-alive client. */
  http?: AxiosInstance;
  /** Called after each token minted (metrics). */
  onMint?: () => void;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is no longer reused. */
  reuseUntil: number;
}

/** A keep-alive axios instance that never throws on a status and never parses bodies. */
export function createHttpClient(): AxiosInstance {
  return axios.create({
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
}

/** `expires_in` as seconds: a number or a numeric string; DEFAULT_TOKEN_LIFETIME_SECONDS when absent or unreadable. */
export function parseExpiresIn(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_TOKEN_LIFETIME_SECONDS;
}

/** Creates the token provider of one NetSuite account. */
export function createTokenProvider(credentials: NetSuiteCredentials, options: TokenProviderOptions = {}): TokenProvider {
  const origin = credentials.baseUrl.replace(/\/+$/, '');
  const tokenUrl = `${origin}${TOKEN_ENDPOINT_PATH}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;
  const marginMs = (options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000;
  const client = options.http ?? createHttpClient();
  const scope = credentials.scope.trim() || 'rest_webservices';
  let signingKey: Promise<JoseKey> | undefined;
  let cached: CachedToken | undefined;
  let minting: Promise<string> | undefined;
  let minted = 0;

  const keyFor = async (): Promise<JoseKey> => {
    const jose = await loadJose();
    try {
      return await jose.importPKCS8(credentials.privateKeyPem, credentials.algorithm);
    } catch {
      // jose's message is not echoed: it is about the key, and the key is a secret.
      throw new NetSuiteError({
        kind: 'auth',
        operation: OPERATION,
        detail: `The private key is not a PKCS#8 PEM key usable with ${credentials.algorithm}.`,
      });
    }
  };

  const signAssertion = async (): Promise<string> => {
    signingKey ??= keyFor().catch((error: unknown) => {
      signingKey = undefined;
      throw error;
    });
    const key = await signingKey;
    const jose = await loadJose();
    const iat = Math.floor(Date.now() / 1000);
    return new jose.SignJWT({ scope })
      .setProtectedHeader({ alg: credentials.algorithm, kid: credentials.certificateId, typ: 'JWT' })
      .setIssuer(credentials.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
      .setJti(randomUUID())
      .sign(key);
  };

  const requestToken = async (assertion: string): Promise<{ token: string; expiresInSeconds: number }> => {
    const deadline = requestDeadline(timeoutMs);
    let release: ReleasePermit | undefined;
    try {
      if (options.limiter) {
        try {
          release = await options.limiter.acquire(deadline.signal, currentPermitRank());
        } catch (error) {
          throw deadline.timedOut()
            ? errorFromTransport({ operation: OPERATION, cancelled: false, timedOut: true, timeoutMs, error: undefined })
            : new NetSuiteError({ kind: 'unavailable', operation: OPERATION, detail: noPermit(error, 'for the token request') });
        }
      }
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion });
      let response;
      try {
        response = await client.request<string>({
          url: tokenUrl,
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          data: form.toString(),
          signal: deadline.signal,
        });
      } catch (error) {
        // Never rethrow the axios error: its config holds the assertion.
        throw errorFromTransport({ operation: OPERATION, cancelled: false, timedOut: deadline.timedOut(), timeoutMs, error });
      }
      const retryAfter = response.headers['retry-after'];
      const body = typeof response.data === 'string' ? response.data : undefined;
      if (response.status !== 200) {
        throw errorFromTokenResponse({
          operation: OPERATION,
          status: response.status,
          ...(body !== undefined ? { body } : {}),
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          secrets: [assertion],
        });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body ?? '');
      } catch {
        const contentType = response.headers['content-type'];
        throw new NetSuiteError({
          kind: 'unavailable',
          operation: OPERATION,
          status: response.status,
          detail: notJsonDetail(response.status, typeof contentType === 'string' ? contentType : undefined, body),
        });
      }
      const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
      if (typeof fields.access_token !== 'string' || fields.access_token === '') {
        throw new NetSuiteError({
          kind: 'unavailable',
          operation: OPERATION,
          status: response.status,
          detail: 'The token endpoint answered 200 without an access_token.',
        });
      }
      return { token: fields.access_token, expiresInSeconds: parseExpiresIn(fields.expires_in) };
    } finally {
      deadline.clear();
      release?.();
    }
  };

  const mint = async (): Promise<string> => {
    const started = Date.now();
    let assertion: string | undefined;
    try {
      assertion = await signAssertion();
      const { token, expiresInSeconds } = await requestToken(assertion);
      minted++;
      options.onMint?.();
      const lifetimeMs = expiresInSeconds * 1000;
      cached = { token, reuseUntil: started + lifetimeMs - Math.min(marginMs, lifetimeMs / 2) };
      options.logger?.debug({ expiresInSeconds, ms: Date.now() - started, minted }, 'NetSuite access token minted');
      return token;
    } catch (error) {
      const failure = isNetSuiteError(error)
        ? error
        : new NetSuiteError({
            kind: 'auth',
            operation: OPERATION,
            detail: withoutSecrets(`The client assertion could not be signed: ${(error as Error).name ?? 'Error'}.`, [assertion]),
          });
      options.logger?.debug(
        { kind: failure.kind, status: failure.status, code: failure.code, ms: Date.now() - started },
        'NetSuite access token request failed',
      );
      throw failure;
    }
  };

  const shared = (): Promise<string> => {
    if (cached && cached.reuseUntil > Date.now()) return Promise.resolve(cached.token);
    minting ??= mint().finally(() => {
      minting = undefined;
    });
    return minting;
  };

  return {
    get minted() {
      return minted;
    },
    getToken(signal?: AbortSignal): Promise<string> {
      if (signal?.aborted) return Promise.reject(cancelledError(OPERATION));
      const pending = shared();
      if (!signal) return pending;
      // A caller that gives up stops waiting; the mint itself goes on for the others.
      return new Promise<string>((resolve, reject) => {
        const onAbort = (): void => reject(cancelledError(OPERATION));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then(
          (token) => {
            signal.removeEventListener('abort', onAbort);
            resolve(token);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
    invalidate(token: string): void {
      if (cached?.token === token) cached = undefined;
    },
  };
}
