/**
 * THE NetSuite error taxonomy: every failure of a NetSuite call — an HTTP answer, a token-endpoint refusal, a timeout,
 * a dropped connection, a cancellation — becomes one `NetSuiteError` with a `kind` that says what to do about it
 * (retry, back off, or hand it to a human). Classification happens here and nowhere else.
 *
 * A NetSuiteError never carries request headers, bodies, tokens, assertions or keys: only the operation
 * (method + path), the status, NetSuite's error code / path / detail, and Retry-After.
 */

/** What went wrong, as far as the caller's next move is concerned. */
export type NetSuiteErrorKind =
  /** 429 (or a concurrency-limit error code): retry later, after `retryAfterMs` when Retry-After was sent. */
  | 'rate-limited'
  /** 5xx: NetSuite's side; retry with back-off. */
  | 'unavailable'
  /** No answer within the request timeout: retry. */
  | 'timeout'
  /** Connection refused / reset, DNS failure: retry. */
  | 'network'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** 401 even with a freshly minted token, or the token endpoint refused the assertion: a human must fix credentials. */
  | 'auth'
  /** 403 (INSUFFICIENT_PERMISSION): a human must grant the permission. */
  | 'permission'
  /** Any other 4xx: the request itself is wrong (USER_ERROR, NONEXISTENT_FIELD, INVALID_CONTENT, INVALID_PARAMETER …). */
  | 'rejected'
  /** 400 (or 409) "a record with the external ID … already exists" (matched on the detail text, whatever the code). */
  | 'duplicate-external-id'
  /** 404. */
  | 'not-found';

/** Kinds a retry may cure. */
export const RETRYABLE_KINDS: readonly NetSuiteErrorKind[] = ['rate-limited', 'unavailable', 'timeout', 'network'];

/** Fields of a NetSuiteError. */
export interface NetSuiteErrorInit {
  /** The classification. */
  kind: NetSuiteErrorKind;
  /** Method and path below the REST root, e.g. `POST /record/v1/salesOrder` (never a query string or host). */
  operation: string;
  /** HTTP status, when NetSuite answered. */
  status?: number;
  /** `o:errorCode` of the first error detail (or the OAuth `error` of the token endpoint). */
  code?: string;
  /** `o:errorPath` of the first error detail, e.g. `item.items[0].item`. */
  path?: string;
  /** Plain words: NetSuite's detail, or what happened. */
  detail: string;
  /** Milliseconds to wait, from Retry-After (seconds or HTTP date). */
  retryAfterMs?: number;
}

/** A classified failure of one NetSuite operation. Safe to log and to put into a Temporal failure: it holds no secrets. */
export class NetSuiteError extends Error {
  /** The classification: what the caller should do next. */
  readonly kind: NetSuiteErrorKind;
  /** Method and path below the REST root, e.g. `POST /record/v1/salesOrder`. */
  readonly operation: string;
  /** HTTP status, when NetSuite answered. */
  readonly status?: number;
  /** `o:errorCode` of the first error detail. */
  readonly code?: string;
  /** `o:errorPath` of the first error detail. */
  readonly path?: string;
  /** Plain words: NetSuite's detail, or what happened. */
  readonly detail: string;
  /** Milliseconds to wait before retrying, from Retry-After. Undefined when the header was absent. */
  readonly retryAfterMs?: number;

  constructor(init: NetSuiteErrorInit) {
    super(describe(init));
    this.name = 'NetSuiteError';
    this.kind = init.kind;
    this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.path !== undefined) this.path = init.path;
    this.detail = init.detail;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /** True for rate-limited, unavailable, timeout and network: a later attempt may succeed. */
  get retryable(): boolean {
    return RETRYABLE_KINDS.includes(this.kind);
  }

  /** The fields, the message and `retryable`, for JSON logs. */
  toJSON(): NetSuiteErrorInit & { name: string; message: string; retryable: boolean } {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      operation: this.operation,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...(this.path !== undefined ? { path: this.path } : {}),
      detail: this.detail,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      retryable: this.retryable,
    };
  }
}

function describe(init: NetSuiteErrorInit): string {
  const answer = init.status !== undefined ? `HTTP ${init.status}${init.code ? ` ${init.code}` : ''}` : init.kind;
  const where = init.path ? ` (field ${init.path})` : '';
  return `NetSuite ${init.operation} failed [${init.kind}] ${answer}${where}: ${init.detail}`;
}

/** True when `e` is a NetSuiteError (also across copies of this module). */
export function isNetSuiteError(e: unknown): e is NetSuiteError {
  if (e instanceof NetSuiteError) return true;
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'NetSuiteError' &&
    typeof (e as { kind?: unknown }).kind === 'string' &&
    typeof (e as { operation?: unknown }).operation === 'string'
  );
}

// ---------- parsing answers ----------

/** Longest detail kept from an answer (an HTML error page must not become a 100 kB message). */
const MAX_DETAIL_LENGTH = 1000;

/** The first entry of a NetSuite error body (`o:errorDetails[0]`), or the OAuth error of the token endpoint. */
export interface ParsedErrorBody {
  /** `detail` (or the OAuth `error_description`, or the body's `title`). */
  detail?: string;
  /** `o:errorCode` (or the OAuth `error`). */
  code?: string;
  /** `o:errorPath`. */
  path?: string;
}

/** Reads `o:errorDetails[0]` (detail, o:errorCode, o:errorPath), else an RFC 6749 `{error, error_description}`, else `title`. */
export function parseErrorBody(text: string | undefined): ParsedErrorBody {
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const details = record['o:errorDetails'];
  if (Array.isArray(details) && typeof details[0] === 'object' && details[0] !== null) {
    const first = details[0] as Record<string, unknown>;
    const parsed: ParsedErrorBody = {};
    if (typeof first.detail === 'string') parsed.detail = first.detail;
    if (typeof first['o:errorCode'] === 'string') parsed.code = first['o:errorCode'];
    if (typeof first['o:errorPath'] === 'string') parsed.path = first['o:errorPath'];
    return parsed;
  }
  if (typeof record.error === 'string') {
    const parsed: ParsedErrorBody = { code: record.error };
    if (typeof record.error_description === 'string') parsed.detail = record.error_description;
    return parsed;
  }
  if (typeof record.title === 'string') return { detail: record.title };
  return {};
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (relative to `now`, never negative). Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Replaces every occurrence of each secret (≥ 8 characters) in `text` with `[redacted]`, and trims the text. */
export function withoutSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  out = out.replace(/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g, '[redacted JWT]');
  return out.length > MAX_DETAIL_LENGTH ? `${out.slice(0, MAX_DETAIL_LENGTH)}…` : out;
}

/**
 * Plain words for a 2xx answer whose body is not the JSON the API sends: an HTML page (a login, single sign-on or
 * maintenance page: the base URL points at NetSuite's web UI, or something in front of NetSuite answered), or a body
 * cut off on the way. Names the status, the content type and an HTML page's title — never the body itself.
 */
export function notJsonDetail(status: number, contentType: string | undefined, body: string | undefined): string {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase() || 'no content type';
  const text = body ?? '';
  const head = text.trimStart().slice(0, 200).toLowerCase();
  if (type === 'text/html' || head.startsWith('<!doctype html') || head.startsWith('<html')) {
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
    return (
      `NetSuite answered HTTP ${status} with an HTML page${title ? ` titled "${withoutSecrets(title.slice(0, 80))}"` : ''} instead of JSON: ` +
      "the base URL may point at NetSuite's web UI instead of the account's REST host (<account>.suitetalk.api.netsuite.com), " +
      'or a proxy or single sign-on page answered in its place.'
    );
  }
  return `NetSuite answered HTTP ${status} with a body that is not JSON (${type}, ${Buffer.byteLength(text)} bytes): it may have been cut off on the way.`;
}

/** "A record with the external ID 'x' already exists." and its variants, in either order (NetSuite's wording is unconfirmed). */
const DUPLICATE_EXTERNAL_ID = [/external[\s_-]*id\b/i, /\balready\s+exists?\b/i];
const RATE_LIMIT_CODES = new Set(['CONCURRENCY_LIMIT_EXCEEDED', 'SSS_REQUEST_LIMIT_EXCEEDED']);

/** What a record / query request answered, as far as classification needs it. */
export interface ErrorAnswer {
  /** `POST /record/v1/salesOrder` etc. */
  operation: string;
  /** HTTP status of the answer. */
  status: number;
  /** The raw body text (parsed here; never kept). */
  body?: string;
  /** The Retry-After header. */
  retryAfter?: string;
  /** Strings to scrub from NetSuite's detail (the bearer token the request carried). */
  secrets?: readonly (string | undefined)[];
}

/** Classifies a non-2xx answer of the record or query API. */
export function errorFromResponse(answer: ErrorAnswer): NetSuiteError {
  const { status, operation } = answer;
  const parsed = parseErrorBody(answer.body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter);
  const detail = withoutSecrets(parsed.detail ?? `NetSuite answered HTTP ${status} without an error detail.`, answer.secrets);
  const base = {
    operation,
    status,
    detail,
    ...(parsed.code !== undefined ? { code: parsed.code } : {}),
    ...(parsed.path !== undefined ? { path: parsed.path } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
  return new NetSuiteError({ ...base, kind: kindOfStatus(status, parsed) });
}

function kindOfStatus(status: number, parsed: ParsedErrorBody): NetSuiteErrorKind {
  if (status === 429 || (parsed.code !== undefined && RATE_LIMIT_CODES.has(parsed.code))) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  if (status === 408) return 'timeout';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if ((status === 400 || status === 409) && parsed.detail !== undefined && DUPLICATE_EXTERNAL_ID.every((pattern) => pattern.test(parsed.detail as string)))
    return 'duplicate-external-id';
  return 'rejected';
}

/** OAuth errors that mean "these credentials are wrong" (RFC 6749 §5.2). */
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client', 'invalid_scope', 'access_denied']);

/** Classifies a non-200 answer of the token endpoint: a refused assertion is 'auth'; 429 / 5xx as for any request. */
export function errorFromTokenResponse(answer: ErrorAnswer): NetSuiteError {
  const { status, operation } = answer;
  const parsed = parseErrorBody(answer.body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter);
  const retry = retryAfterMs !== undefined ? { retryAfterMs } : {};
  const code = parsed.code !== undefined ? { code: parsed.code } : {};
  const said = parsed.detail ? `: ${parsed.detail}` : '';
  if (status === 429)
    return new NetSuiteError({
      kind: 'rate-limited',
      operation,
      status,
      ...code,
      ...retry,
      detail: withoutSecrets(`The token endpoint is rate limiting${said}`, answer.secrets),
    });
  if (status >= 500)
    return new NetSuiteError({
      kind: 'unavailable',
      operation,
      status,
      ...code,
      ...retry,
      detail: withoutSecrets(`The token endpoint failed${said}`, answer.secrets),
    });
  const refused =
    status === 401 || status === 403 || (parsed.code !== undefined && CREDENTIAL_ERRORS.has(parsed.code)) || (status === 400 && parsed.code === undefined);
  const detail = withoutSecrets(
    `NetSuite refused the client-credentials assertion${said || ` (HTTP ${status})`}. Check the client ID, the certificate ID and that the key pair is the one uploaded to the OAuth 2.0 client-credentials mapping.`,
    answer.secrets,
  );
  return new NetSuiteError({ kind: refused ? 'auth' : 'rejected', operation, status, ...code, detail });
}

/** How a request ended without an answer. */
export interface TransportFailure {
  /** `POST /record/v1/salesOrder` etc. */
  operation: string;
  /** The caller's AbortSignal fired. */
  cancelled: boolean;
  /** The request timeout fired. */
  timedOut: boolean;
  /** The timeout, for the message. */
  timeoutMs: number;
  /** The thrown value (an AxiosError or a Node system error); only its `code` is read, never its headers or config. */
  error: unknown;
}

/** Classifies a request that got no answer: cancelled, timeout or network. */
export function errorFromTransport(failure: TransportFailure): NetSuiteError {
  const { operation } = failure;
  if (failure.cancelled) return new NetSuiteError({ kind: 'cancelled', operation, detail: 'The caller cancelled the request.' });
  const code = systemCode(failure.error);
  if (failure.timedOut || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new NetSuiteError({ kind: 'timeout', operation, detail: `NetSuite did not answer within ${failure.timeoutMs} ms.` });
  }
  return new NetSuiteError({
    kind: 'network',
    operation,
    ...(code !== undefined ? { code } : {}),
    detail: `The connection to NetSuite failed${code ? ` (${code})` : ''}.`,
  });
}

/** A Node system error code (`ECONNREFUSED`…) of a thrown value, or of its cause. */
function systemCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && code !== 'ERR_CANCELED') return code;
  }
  return undefined;
}

/** A NetSuiteError for a caller that cancelled before or while waiting (for a permit or a shared token mint). */
export function cancelledError(operation: string): NetSuiteError {
  return new NetSuiteError({ kind: 'cancelled', operation, detail: 'The caller cancelled the request.' });
}
