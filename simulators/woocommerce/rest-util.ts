/** Helpers shared by the vendor-API routes: responses, paging, `_fields`, loose input coercion. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from './context';
import { invalidParam, WooError } from './errors';
import { phpJsonEncode } from './php-json';

/** What a route does, for the permission error WooCommerce gives when the caller is not authenticated. */
export type RouteKind = 'list' | 'view' | 'create' | 'edit' | 'delete' | 'batch';

export type JsonObject = Record<string, unknown>;
export type Query = Record<string, string | undefined>;

export const API_PREFIX = '/wp-json/wc/v3';

/** Sends a body encoded like WordPress does (wp_json_encode: `\/` and `\uXXXX` escapes). */
export function sendWoo(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=UTF-8').send(phpJsonEncode(body));
}

/** Sends text that is already wp_json_encode-encoded. */
export function sendEncoded(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=UTF-8').send(text);
}

export function sendError(reply: FastifyReply, error: WooError): FastifyReply {
  return sendWoo(reply, error.status, error.toJSON());
}

/** The query as flat strings (a repeated parameter keeps its last value, like PHP). */
export function queryOf(request: FastifyRequest): Query {
  const out: Query = {};
  const q = (request.query ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(q)) {
    if (Array.isArray(value)) out[key] = String(value[value.length - 1]);
    else if (value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}

export function bodyOf(request: FastifyRequest): JsonObject {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {};
}

export function numericId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function integerParam(query: Query, name: string, fallback: number, min: number, max?: number): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidParam(name, 'rest_invalid_type', `${name} is not of type integer.`);
  const value = Number(raw);
  if (max !== undefined && (value < min || value > max)) {
    throw invalidParam(name, 'rest_out_of_bounds', `${name} must be between ${min} (inclusive) and ${max} (inclusive)`);
  }
  if (value < min) throw invalidParam(name, 'rest_out_of_bounds', `${name} must be greater than or equal to ${min}`);
  return value;
}

export interface Paging {
  page: number;
  perPage: number;
}

export function pagingOf(query: Query): Paging {
  return { perPage: integerParam(query, 'per_page', 10, 1, 100), page: integerParam(query, 'page', 1, 1) };
}

/** Slices one page and sets X-WP-Total, X-WP-TotalPages and Link (prev/next only), like WC's REST controllers. */
export function pageOf<T>(ctx: SimContext, request: FastifyRequest, reply: FastifyReply, items: T[], paging: Paging): T[] {
  const total = items.length;
  const maxPages = Math.ceil(total / paging.perPage);
  reply.header('X-WP-Total', String(total));
  reply.header('X-WP-TotalPages', String(maxPages));
  const path = request.url.split('?')[0] ?? '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(queryOf(request))) {
    if (key === 'page' || key === 'consumer_key' || key === 'consumer_secret' || value === undefined) continue;
    params.set(key, value);
  }
  const link = (page: number): string => {
    const p = new URLSearchParams(params);
    p.set('page', String(page));
    return `<${ctx.storeUrl()}${path}?${p.toString()}>`;
  };
  const links: string[] = [];
  if (paging.page > 1) links.push(`${link(Math.min(paging.page - 1, Math.max(maxPages, 1)))}; rel="prev"`);
  if (maxPages > paging.page) links.push(`${link(paging.page + 1)}; rel="next"`);
  if (links.length) reply.header('Link', links);
  const start = (paging.page - 1) * paging.perPage;
  return items.slice(start, start + paging.perPage);
}

/** `_fields=a,b,c.d`: keeps only the named top-level fields (a dotted name keeps that nested field). */
export function applyFields(object: JsonObject, fields: string | undefined): JsonObject {
  if (!fields) return object;
  const out: JsonObject = {};
  for (const field of fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)) {
    const [head, ...rest] = field.split('.') as [string, ...string[]];
    if (!(head in object)) continue;
    if (rest.length === 0) {
      out[head] = object[head];
      continue;
    }
    const nested = object[head];
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      const inner = applyFields(nested as JsonObject, rest.join('.'));
      const current = out[head];
      out[head] = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as JsonObject), ...inner } : inner;
    }
  }
  return out;
}

export const asString = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;

export function asInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1 || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 0 || value === 'no' || value === '') return false;
  return undefined;
}

export const isObject = (value: unknown): value is JsonObject => !!value && typeof value === 'object' && !Array.isArray(value);

export function asObjectArray(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** `a,b,c` or a JSON array → trimmed non-empty strings. */
export function commaList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Meta updates from a REST body's `meta_data`. */
export function metaUpdates(value: unknown): { id?: number; key?: string; value?: unknown }[] {
  return asObjectArray(value).map((m) => {
    const id = asInt(m.id);
    const update: { id?: number; key?: string; value?: unknown } = { value: m.value };
    if (id !== undefined) update.id = id;
    if (typeof m.key === 'string') update.key = m.key;
    return update;
  });
}

export const BATCH_LIMIT = 100;

export function batchTooLarge(): WooError {
  return new WooError(413, 'woocommerce_rest_request_entity_too_large', `Unable to accept more than ${BATCH_LIMIT} items for this request.`);
}

/** Inline error of one batch item: `{id, error:{code,message,data:{status}}}`. */
export function batchItemError(id: number, error: unknown): JsonObject {
  const woo = error instanceof WooError ? error : new WooError(500, 'woocommerce_rest_error', error instanceof Error ? error.message : String(error));
  return { id, error: woo.toJSON() };
}
