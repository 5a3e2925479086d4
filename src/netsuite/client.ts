/**
 * The NetSuite REST client every NetSuite call of the product goes through: record create / read, SuiteQL and the
 * metadata catalog, with OAuth 2.0 bearer tokens (replayed once on 401 with a freshly minted token), a concurrency
 * permit held for each HTTP request, a request timeout, and every failure classified once as a NetSuiteError (errors.ts).
 *
 * It never retries 429 or 5xx itself: Temporal retries the activity (with `nextRetryDelay` from `retryAfterMs` or
 * backoff.ts). Axios errors never escape: they carry request headers, and the headers carry the token.
 */
import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { createHttpClient, createTokenProvider, type TokenProvider } from './auth';
import type { NetSuiteCredentials } from './credentials';
import { cancelledError, errorFromResponse, errorFromTransport, isNetSuiteError, NetSuiteError, notJsonDetail } from './errors';
import { noPermit, type ConcurrencyLimiter, type ReleasePermit } from './limiter';
import { requestDeadline } from './deadline';
import { apiOf, type NetSuiteObserver } from './observer';
import { currentPermitRank } from './permit-rank';

/** Default of `requestTimeoutMs`: 60 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** SuiteQL page size: default and maximum 1000. */
export const SUITEQL_MAX_LIMIT = 1000;

/** One page of a SuiteQL result. Values are strings as NetSuite sends them; NULL columns are absent from a row. */
export interface SuiteQlPage {
  /** The rows, lower-case column names. */
  items: Record<string, string>[];
  /** More rows follow this page. */
  hasMore: boolean;
  /** Rows the query matches in all (NetSuite returns at most 100,000 of them). */
  totalResults: number;
  /** Offset of this page. */
  offset: number;
  /** Rows on this page. */
  count: number;
}

/** Options every call accepts. */
export interface RequestOptions {
  /** Cancels the call (waiting for a token or a permit included): it then fails with kind 'cancelled'. */
  signal?: AbortSignal;
}

export interface NetSuiteClient {
  /** The account ID of the credentials. */
  readonly accountId: string;
  /** POST /query/v1/suiteql?limit&offset with `Prefer: transient`. limit default 1000 (max 1000), offset default 0. */
  suiteql(query: string, options?: RequestOptions & { limit?: number; offset?: number }): Promise<SuiteQlPage>;
  /** POST /record/v1/<type> → 204 + Location; returns the internal ID parsed from Location. */
  createRecord(type: string, body: Record<string, unknown>, options?: RequestOptions): Promise<{ id: string }>;
  /** PATCH /record/v1/<type>/<id or eid:X> with the changed fields only → 204. `replace` names sublists sent whole (`?replace=item`). */
  updateRecord(type: string, id: string, body: Record<string, unknown>, options?: RequestOptions & { replace?: readonly string[] }): Promise<void>;
  /**
   * POST /record/v1/<type>/<id or eid:X>/!transform/<targetType> (e.g. invoice → creditMemo) → 204 + Location; returns
   * the new record's internal ID. `body` may carry its externalId and lines (`orderLine` = the source line).
   */
  transformRecord(type: string, id: string, targetType: string, body: Record<string, unknown>, options?: RequestOptions): Promise<{ id: string }>;
  /** GET /record/v1/<type>/<id or eid:X>; undefined on 404. `expandSubResources` default false. */
  getRecord<T = Record<string, unknown>>(type: string, id: string, options?: RequestOptions & { expandSubResources?: boolean }): Promise<T | undefined>;
  /**
   * GET /record/v1/metadata-catalog/<type> with `Accept: application/schema+json`: the record type's JSON Schema
   * (`properties`, each with `title`, `type`, `format`, `nullable`; custom fields carry `x-ns-custom-field: true`).
   * An unknown record type is a NetSuiteError of kind 'rejected' (NetSuite answers 400).
   */
  getRecordSchema(type: string, options?: RequestOptions): Promise<Record<string, unknown>>;
  /** Counters since creation. */
  stats(): { requests: number; tokensMinted: number; replays401: number; http429: number };
}

/** Options of `createNetSuiteClient`. */
export interface NetSuiteClientOptions {
  /** From src/netsuite/credentials.ts; REST root = baseUrl + '/services/rest'. */
  credentials: NetSuiteCredentials;
  /** Every HTTP request (records, SuiteQL) holds a permit for its whole duration; token requests too when countTokenRequests. Default: none. */
  limiter?: ConcurrencyLimiter;
  /** Token requests also hold a limiter permit. Default false. */
  countTokenRequests?: boolean;
  /** Timeout of one HTTP request (token requests included), in ms. Default 60000. */
  requestTimeoutMs?: number;
  /** pino logger: a debug line per request (method, path, status, ms) — never headers or bodies. Default: silent. */
  logger?: Logger;
  /** Told of every request's latency and status, and every token minted (metrics). Default: nobody. */
  observer?: NetSuiteObserver;
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string | undefined;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path below the REST root, without the query string. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses handed back instead of thrown (404 for getRecord). */
  accept?: readonly number[];
}

const headerValue = (headers: Record<string, unknown>, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
};

/** `eid:ext-1` keeps its colon; everything else is percent-encoded as one path segment. */
function idSegment(id: string): string {
  return id.startsWith('eid:') ? `eid:${encodeURIComponent(id.slice(4))}` : encodeURIComponent(id);
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The internal ID in the Location header of a 204 that created a record. */
function createdId(answer: Answer, operation: string): string {
  const location = headerValue(answer.headers, 'location');
  const id = location
    ? decodeURIComponent(
        location
          .replace(/[?#].*$/, '')
          .replace(/\/+$/, '')
          .split('/')
          .pop() ?? '',
      )
    : '';
  if (!id) {
    const body =
      answer.body?.trim() && !isJson(answer.body) ? `${notJsonDetail(answer.status, headerValue(answer.headers, 'content-type'), answer.body)} ` : '';
    throw new NetSuiteError({
      kind: 'unavailable',
      operation,
      status: answer.status,
      detail: `${body}NetSuite answered ${answer.status} without a Location header: the record may exist; look it up by external ID.`,
    });
  }
  return id;
}

/** A record type as a path segment; anything but letters, digits and `_` is refused before a request is sent. */
function typeSegment(type: string, method: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(type)) {
    throw new NetSuiteError({ kind: 'rejected', operation: `${method} /record/v1/<type>`, detail: `Not a NetSuite record type: ${JSON.stringify(type)}.` });
  }
  return type;
}

/** Creates the client of one NetSuite account. */
export function createNetSuiteClient(options: NetSuiteClientOptions): NetSuiteClient {
  const { credentials, limiter, logger, observer } = options;
  const restRoot = `${credentials.baseUrl.replace(/\/+$/, '')}/services/rest`;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const http: AxiosInstance = createHttpClient();
  const tokens: TokenProvider = createTokenProvider(credentials, {
    ...(limiter && options.countTokenRequests ? { limiter } : {}),
    timeoutMs,
    ...(logger ? { logger } : {}),
    ...(observer ? { onMint: () => observer.tokenMinted() } : {}),
    http,
  });
  const counters = { requests: 0, replays401: 0, http429: 0 };

  /** One HTTP request with `token`, holding a permit; an answer or a NetSuiteError (cancelled / timeout / network). */
  async function sendOnce(call: Call, operation: string, token: string): Promise<Answer> {
    const { signal } = call;
    if (signal?.aborted) throw cancelledError(operation);
    let release: ReleasePermit = () => undefined;
    if (limiter) {
      try {
        release = await limiter.acquire(signal, currentPermitRank());
      } catch (error) {
        if (signal?.aborted) throw cancelledError(operation);
        throw new NetSuiteError({ kind: 'unavailable', operation, detail: noPermit(error) });
      }
    }
    const deadline = requestDeadline(timeoutMs, signal);
    const started = Date.now();
    try {
      counters.requests++;
      const response = await http.request<string>({
        url: `${restRoot}${call.path}`,
        method: call.method,
        ...(call.query ? { params: call.query } : {}),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'X-NetSuite-PropertyNameValidation': 'Error',
          ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...call.headers,
        },
        ...(call.body !== undefined ? { data: JSON.stringify(call.body) } : {}),
        signal: deadline.signal,
      });
      if (response.status === 429) counters.http429++;
      observer?.request({ api: apiOf(call.path), method: call.method, status: String(response.status), ms: Date.now() - started });
      logger?.debug({ method: call.method, path: call.path, status: response.status, ms: Date.now() - started }, 'NetSuite request');
      return {
        status: response.status,
        headers: response.headers as Record<string, unknown>,
        body: typeof response.data === 'string' ? response.data : undefined,
      };
    } catch (error) {
      // Only the error's system code is read; the axios error (headers, config) is dropped here.
      const failure = errorFromTransport({ operation, cancelled: signal?.aborted === true, timedOut: deadline.timedOut(), timeoutMs, error });
      observer?.request({ api: apiOf(call.path), method: call.method, status: failure.kind, ms: Date.now() - started });
      logger?.debug({ method: call.method, path: call.path, kind: failure.kind, ms: Date.now() - started }, 'NetSuite request failed');
      throw failure;
    } finally {
      deadline.clear();
      release();
    }
  }

  /** Sends `call` with a bearer token; on 401 invalidates the token and replays once with a fresh one. */
  async function send(call: Call): Promise<Answer> {
    const operation = `${call.method} ${call.path}`;
    for (let replay = false; ; replay = true) {
      let token: string;
      try {
        token = await tokens.getToken(call.signal);
      } catch (error) {
        if (call.signal?.aborted) throw cancelledError(operation);
        throw isNetSuiteError(error) ? error : new NetSuiteError({ kind: 'auth', operation, detail: 'No access token could be obtained.' });
      }
      const answer = await sendOnce(call, operation, token);
      if (answer.status === 401) {
        tokens.invalidate(token);
        if (!replay) {
          counters.replays401++;
          logger?.debug({ method: call.method, path: call.path }, 'NetSuite answered 401: replaying once with a new token');
          continue;
        }
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (call.accept?.includes(answer.status)) return answer;
      const retryAfter = headerValue(answer.headers, 'retry-after');
      throw errorFromResponse({
        operation,
        status: answer.status,
        ...(answer.body !== undefined ? { body: answer.body } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
        secrets: [token],
      });
    }
  }

  function parseJson(answer: Answer, operation: string): unknown {
    try {
      return JSON.parse(answer.body ?? '');
    } catch {
      throw new NetSuiteError({
        kind: 'unavailable',
        operation,
        status: answer.status,
        detail: notJsonDetail(answer.status, headerValue(answer.headers, 'content-type'), answer.body),
      });
    }
  }

  return {
    accountId: credentials.accountId,

    async suiteql(query, requestOptions = {}) {
      const path = '/query/v1/suiteql';
      const operation = `POST ${path}`;
      const limit = requestOptions.limit ?? SUITEQL_MAX_LIMIT;
      const offset = requestOptions.offset ?? 0;
      if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_LIMIT) {
        throw new NetSuiteError({ kind: 'rejected', operation, detail: `limit must be an integer from 1 to ${SUITEQL_MAX_LIMIT}, got ${limit}.` });
      }
      if (!Number.isInteger(offset) || offset < 0)
        throw new NetSuiteError({ kind: 'rejected', operation, detail: `offset must be a non-negative integer, got ${offset}.` });
      const answer = await send({
        method: 'POST',
        path,
        query: { limit: String(limit), offset: String(offset) },
        body: { q: query },
        headers: { Prefer: 'transient' },
        ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
      });
      const page = parseJson(answer, operation) as Record<string, unknown>;
      const rawItems = Array.isArray(page?.items) ? (page.items as unknown[]) : [];
      const items = rawItems.map((raw) => {
        const row: Record<string, string> = {};
        if (typeof raw !== 'object' || raw === null) return row;
        for (const [column, value] of Object.entries(raw)) {
          if (column === 'links' || value === null || value === undefined) continue;
          row[column] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
        }
        return row;
      });
      const number = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
      return {
        items,
        hasMore: page?.hasMore === true,
        totalResults: number(page?.totalResults, items.length),
        offset: number(page?.offset, offset),
        count: number(page?.count, items.length),
      };
    },

    async createRecord(type, body, requestOptions = {}) {
      const path = `/record/v1/${typeSegment(type, 'POST')}`;
      const answer = await send({ method: 'POST', path, body, ...(requestOptions.signal ? { signal: requestOptions.signal } : {}) });
      return { id: createdId(answer, `POST ${path}`) };
    },

    async updateRecord(type, id, body, requestOptions = {}) {
      const path = `/record/v1/${typeSegment(type, 'PATCH')}/${idSegment(id)}`;
      const replace = requestOptions.replace?.length ? { query: { replace: requestOptions.replace.join(',') } } : {};
      await send({ method: 'PATCH', path, body, ...replace, ...(requestOptions.signal ? { signal: requestOptions.signal } : {}) });
    },

    async transformRecord(type, id, targetType, body, requestOptions = {}) {
      const path = `/record/v1/${typeSegment(type, 'POST')}/${idSegment(id)}/!transform/${typeSegment(targetType, 'POST')}`;
      const answer = await send({ method: 'POST', path, body, ...(requestOptions.signal ? { signal: requestOptions.signal } : {}) });
      return { id: createdId(answer, `POST ${path}`) };
    },

    async getRecord<T = Record<string, unknown>>(
      type: string,
      id: string,
      requestOptions: RequestOptions & { expandSubResources?: boolean } = {},
    ): Promise<T | undefined> {
      const path = `/record/v1/${typeSegment(type, 'GET')}/${idSegment(id)}`;
      const answer = await send({
        method: 'GET',
        path,
        ...(requestOptions.expandSubResources ? { query: { expandSubResources: 'true' } } : {}),
        ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
        accept: [404],
      });
      if (answer.status === 404) return undefined;
      return parseJson(answer, `GET ${path}`) as T;
    },

    async getRecordSchema(type, requestOptions = {}) {
      const path = `/record/v1/metadata-catalog/${typeSegment(type, 'GET')}`;
      const answer = await send({
        method: 'GET',
        path,
        headers: { Accept: 'application/schema+json' },
        ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
      });
      const schema = parseJson(answer, `GET ${path}`);
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        throw new NetSuiteError({
          kind: 'unavailable',
          operation: `GET ${path}`,
          status: answer.status,
          detail: 'NetSuite answered with a JSON Schema that is not an object.',
        });
      }
      return schema as Record<string, unknown>;
    },

    stats() {
      return { requests: counters.requests, tokensMinted: tokens.minted, replays401: counters.replays401, http429: counters.http429 };
    },
  };
}
