/**
 * The WooCommerce client's one error class: every failure of a REST call, classified once, here, so the activities can
 * decide retry vs. needs-a-human from `kind` alone. It never carries request headers, credentials or the raw axios
 * error (which holds the Basic auth header).
 */

/**
 * What went wrong:
 * - `not-found`: the resource does not exist (404, or WooCommerce's `…_invalid_id` on a write).
 * - `auth`: the consumer key/secret was refused (401/403) — fix the configuration.
 * - `rejected`: WooCommerce refused the request (other 4xx), or answered something this client cannot read.
 * - `unavailable`: 408/429/5xx — the store or its host is struggling; try again later.
 * - `timeout`: no answer within the client's timeout.
 * - `network`: no HTTP answer at all (connection refused/reset, DNS).
 * - `cancelled`: the caller's AbortSignal fired.
 */
export type WooCommerceErrorKind = 'not-found' | 'auth' | 'rejected' | 'unavailable' | 'timeout' | 'network' | 'cancelled';

const RETRYABLE: ReadonlySet<WooCommerceErrorKind> = new Set(['unavailable', 'timeout', 'network']);

/** A failed WooCommerce REST call. The message names the operation, the kind, the status and WooCommerce's code. */
export class WooCommerceError extends Error {
  /** The classification (see WooCommerceErrorKind). */
  readonly kind: WooCommerceErrorKind;
  /** Method and path below `/wp-json/wc/v3`, without the query string, e.g. `GET /orders/123`. */
  readonly operation: string;
  /** HTTP status, when WooCommerce answered. */
  readonly status?: number;
  /** WooCommerce's error code, e.g. `woocommerce_rest_shop_order_invalid_id`, when the body carried one. */
  readonly code?: string;
  /** WooCommerce's message, or what this client could not read. Never contains credentials. */
  readonly detail: string;

  constructor(init: { kind: WooCommerceErrorKind; operation: string; status?: number; code?: string; detail: string }) {
    const parts = [init.status !== undefined ? String(init.status) : undefined, init.code].filter((p) => p !== undefined);
    super(`WooCommerce ${init.operation} failed (${init.kind}${parts.length ? `, ${parts.join(' ')}` : ''}): ${init.detail}`);
    this.name = 'WooCommerceError';
    this.kind = init.kind;
    this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    this.detail = init.detail;
  }

  /** true for `unavailable`, `timeout` and `network`: the same call may succeed later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** WordPress's answer for a REST route that does not exist (404 `rest_no_route`, or a 404 without a code): e.g. an extension that is not installed. */
export function isNoRouteError(error: unknown): boolean {
  return error instanceof WooCommerceError && error.status === 404 && (error.code === undefined || error.code === 'rest_no_route');
}
