/**
 * REST authentication as WC_REST_Authentication does it over HTTPS: HTTP Basic `ck_…:cs_…`, or the query string
 * `consumer_key` / `consumer_secret` (the query wins when both are given).
 *
 * The simulator listens on plain HTTP (loopback unless told otherwise) but treats every request as if it had arrived over HTTPS: real
 * WooCommerce accepts Basic auth and query-string keys only over HTTPS (plain HTTP needs OAuth 1.0a, which the
 * simulator does not implement).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { WooError } from './errors';
import type { RouteKind } from './rest-util';

export type Permission = 'read' | 'write' | 'read_write';

export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: Permission;
}

const sameString = (a: string, b: string): boolean => {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
};

function credentials(request: FastifyRequest): { key: string; secret: string } | undefined {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const qk = query.consumer_key;
  const qs = query.consumer_secret;
  if (typeof qk === 'string' && qk !== '' && typeof qs === 'string' && qs !== '') return { key: qk, secret: qs };
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return undefined;
}

/** The error WooCommerce's permission callbacks give a caller that is not authenticated. */
export function permissionError(kind: RouteKind): WooError {
  switch (kind) {
    case 'list':
      return new WooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    case 'view':
      return new WooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
    case 'create':
      return new WooError(401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
    case 'edit':
      return new WooError(401, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
    case 'delete':
      return new WooError(401, 'woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.');
    case 'batch':
      return new WooError(401, 'woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.');
  }
}

/** Route kind from the method and the route template: GET …/:id = view, GET = list, POST …/batch = batch, … */
export function routeKind(method: string, template: string | undefined): RouteKind {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return template && /\/:\w+$/.test(template) ? 'view' : 'list';
  if (m === 'POST') return template?.endsWith('/batch') ? 'batch' : 'create';
  if (m === 'DELETE') return 'delete';
  return 'edit';
}

export class Authenticator {
  private readonly keys = new Map<string, ApiKey>();

  constructor(keys: ApiKey[]) {
    for (const key of keys) this.keys.set(key.consumerKey, key);
  }

  /**
   * Errors raised during authentication itself (before routing): a wrong secret, or a read-only key used to write.
   * Returns the authenticated key, or undefined for no (or an unknown) key.
   */
  authenticate(request: FastifyRequest): ApiKey | undefined {
    const given = credentials(request);
    if (!given) return undefined;
    const key = this.keys.get(given.key);
    if (!key) return undefined;
    if (!sameString(key.consumerSecret, given.secret)) {
      throw new WooError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    }
    const method = request.method.toUpperCase();
    const reading = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
    if (key.permissions === 'read' && !reading) {
      throw new WooError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
    }
    if (key.permissions === 'write' && reading) {
      throw new WooError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
    }
    return key;
  }

  /** Full check for a matched route: authentication errors first, then the route's permission error if anonymous. */
  authorize(request: FastifyRequest, kind: RouteKind): ApiKey {
    const key = this.authenticate(request);
    if (!key) throw permissionError(kind);
    return key;
  }
}
