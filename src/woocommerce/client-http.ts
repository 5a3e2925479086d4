/**
 * The WooCommerce client's HTTP core: one axios instance per store (HTTP Basic with the consumer key and secret,
 * connections kept alive, no redirects followed, nothing retried — the activities' retry policy does that), the
 * request every endpoint goes through, and the reading of its answers. Every failure becomes a WooCommerceError
 * (errors.ts), classified once, here.
 *
 * The axios error of a failed call is never rethrown nor attached as a cause: it carries the request headers, and with
 * them the Authorization header.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { StoreSettings } from '../config';
import { WooCommerceError, type WooCommerceErrorKind } from './errors';

/** Options of one call. */
export interface WooCallOptions {
  /** Aborts the call; the error is then a WooCommerceError of kind `cancelled`. */
  signal?: AbortSignal;
}

/** Options of createWooClient. */
export interface WooClientOptions {
  /** Timeout of one request, in ms. Default 30000. */
  timeoutMs?: number;
  /** Debug line per request (operation, status, ms; never credentials). Default: no logging. */
  logger?: Logger;
}

/** The Shipment Tracking extension's REST namespace, below /wp-json. */
export const SHIPMENT_TRACKING_NAMESPACE = 'wc-shipment-tracking/v3';

/** WooCommerce's upper bound of `per_page`. */
export const MAX_PER_PAGE = 100;

/** The REST base of a store URL: `https://shop.example.com/` → `https://shop.example.com/wp-json/wc/v3`. */
export function restBaseUrl(storeUrl: string): string {
  return `${storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`;
}

interface ErrorBody {
  code?: string;
  message?: string;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function errorBody(text: string): ErrorBody {
  const parsed = parseJson(text);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return {};
  const { code, message } = parsed.value as Record<string, unknown>;
  return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

/** Classifies a non-2xx answer. */
function kindOfStatus(status: number, code: string | undefined): WooCommerceErrorKind {
  if (status === 404) return code !== undefined && code !== 'rest_no_route' ? 'not-found' : 'rejected';
  if (status === 400 && code !== undefined && code.endsWith('_invalid_id')) return 'not-found';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

function statusError(operation: string, response: AxiosResponse<string>): WooCommerceError {
  const { status } = response;
  const body = errorBody(typeof response.data === 'string' ? response.data : '');
  let detail = body.message ?? `HTTP ${status} without a WooCommerce error body`;
  if (status >= 300 && status < 400) {
    detail = `redirected${typeof response.headers.location === 'string' ? ` to ${response.headers.location}` : ''}: check the store URL (https, www)`;
  } else if (status === 404 && (body.code === undefined || body.code === 'rest_no_route')) {
    detail = `${detail} — no such REST route: is WooCommerce active and the store URL right?`;
  }
  return new WooCommerceError({ kind: kindOfStatus(status, body.code), operation, status, ...(body.code !== undefined ? { code: body.code } : {}), detail });
}

/** Turns a thrown axios (or other) error into a WooCommerceError without keeping anything of the request. */
function transportError(operation: string, error: unknown, timeoutMs: number): WooCommerceError {
  if (axios.isCancel(error) || (axios.isAxiosError(error) && error.code === 'ERR_CANCELED')) {
    return new WooCommerceError({ kind: 'cancelled', operation, detail: 'the call was cancelled' });
  }
  if (axios.isAxiosError(error)) {
    if (error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED') {
      return new WooCommerceError({ kind: 'timeout', operation, detail: `no answer within ${timeoutMs} ms` });
    }
    return new WooCommerceError({ kind: 'network', operation, detail: `${error.code ?? 'connection failed'}: ${error.message}` });
  }
  return new WooCommerceError({ kind: 'network', operation, detail: error instanceof Error ? error.message : 'request failed' });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return `${path || '(root)'}: ${issue.message}`;
}

/** Refuses an ID that is not a positive integer before anything is sent. */
export function positiveId(operation: string, orderId: number): void {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) {
    throw new WooCommerceError({ kind: 'rejected', operation, detail: `order ID must be a positive integer, got ${orderId}` });
  }
}

/** X-WP-Total / X-WP-TotalPages of a listing, with fallbacks when a proxy dropped them. */
export function pagingHeaders(headers: AxiosResponse['headers'], count: number): { total: number; totalPages: number } {
  const header = (name: string): number | undefined => {
    const raw: unknown = headers[name];
    const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const total = header('x-wp-total') ?? count;
  return { total, totalPages: header('x-wp-totalpages') ?? (total > 0 ? 1 : 0) };
}

/** What one request sends: `params`, a JSON body, an abort signal; `extension` puts `path` below the Shipment Tracking namespace. */
export interface WooRequest {
  params?: Record<string, string>;
  data?: unknown;
  signal?: AbortSignal | undefined;
  extension?: boolean;
}

/** The requests of one store, and the reading of their answers; the endpoints are built on it. */
export interface WooHttp {
  /**
   * Sends one request; returns the 2xx body text, throws a WooCommerceError otherwise. `path` is below /wc/v3, or with
   * `extension` below the Shipment Tracking namespace (the operation then names the namespace).
   */
  call(method: Method, path: string, init: WooRequest): Promise<{ text: string; headers: AxiosResponse['headers'] }>;
  /** The answer's JSON, or a `rejected` error. */
  json(operation: string, text: string): unknown;
  /** `value` parsed with `schema`, or a `rejected` error naming `what` and the first offending path. */
  parsed<S extends z.ZodType>(schema: S, operation: string, value: unknown, what: string): z.output<S>;
  /** A listing's JSON array (`of` names its items in the error when the answer is something else). */
  jsonArray(operation: string, text: string, of?: string): unknown[];
}

/** The HTTP core for one store. Connections are kept alive; nothing is retried here. */
export function createWooHttp(store: StoreSettings, options: WooClientOptions = {}): WooHttp {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const logger = options.logger?.child({ store: store.name });
  const rest: AxiosInstance = axios.create({
    baseURL: restBaseUrl(store.url),
    timeout: timeoutMs,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    auth: { username: store.consumerKey, password: store.consumerSecret },
    headers: { Accept: 'application/json' },
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true },
  });

  const extensionBase = `${store.url.replace(/\/+$/, '')}/wp-json/${SHIPMENT_TRACKING_NAMESPACE}`;

  function json(operation: string, text: string): unknown {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new WooCommerceError({ kind: 'rejected', operation, detail: 'the answer is not JSON' });
    return parsed.value;
  }

  return {
    async call(method, path, init) {
      const operation = init.extension ? `${method} /${SHIPMENT_TRACKING_NAMESPACE}${path}` : `${method} ${path}`;
      const started = performance.now();
      let response: AxiosResponse<string>;
      try {
        response = await rest.request<string>({
          method,
          url: path,
          ...(init.extension ? { baseURL: extensionBase } : {}),
          ...(init.params ? { params: init.params } : {}),
          ...(init.data !== undefined ? { data: init.data } : {}),
          ...(init.signal ? { signal: init.signal } : {}),
        });
      } catch (error) {
        const failure = transportError(operation, error, timeoutMs);
        logger?.debug({ operation, kind: failure.kind, ms: Math.round(performance.now() - started) }, 'woocommerce call failed');
        throw failure;
      }
      logger?.debug({ operation, status: response.status, ms: Math.round(performance.now() - started) }, 'woocommerce call');
      if (response.status < 200 || response.status >= 300) throw statusError(operation, response);
      return { text: typeof response.data === 'string' ? response.data : '', headers: response.headers };
    },

    json,

    parsed(schema, operation, value, what) {
      const result = schema.safeParse(value);
      if (!result.success) {
        throw new WooCommerceError({ kind: 'rejected', operation, detail: `${what} does not have the expected shape at ${firstIssue(result.error)}` });
      }
      return result.data;
    },

    jsonArray(operation, text, of) {
      const body = json(operation, text);
      if (!Array.isArray(body)) throw new WooCommerceError({ kind: 'rejected', operation, detail: `the answer is not a JSON array${of ? ` of ${of}` : ''}` });
      return body;
    },
  };
}
