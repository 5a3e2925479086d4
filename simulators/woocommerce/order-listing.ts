/** `GET /orders`: WooCommerce's filters (status, dates, customer, include / exclude, parent, product, search), order and paging. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from './context';
import { invalidParam, notOneOf } from './errors';
import { encodedOrderJson, orderJson } from './order-json';
import { ORDER_STATUSES } from './order-lifecycle';
import { phpJsonEncode } from './php-json';
import { applyFields, asBool, asInt, commaList, pageOf, pagingOf, queryOf } from './rest-util';
import type { Order } from './store';

const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const;

function dateParam(ctx: SimContext, query: Record<string, string | undefined>, name: string, asGmt: boolean): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const value = ctx.clock.parse(raw, asGmt);
  if (value === undefined) throw invalidParam(name, 'rest_invalid_date', 'Invalid date.');
  return value;
}

/** One page of orders, already encoded (the cached encoded JSON of each order unless `_fields` is given). */
export function listOrders(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): string {
  const query = queryOf(request);
  const paging = pagingOf(query);
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw notOneOf('order', ['asc', 'desc']);
  const orderby = query.orderby ?? 'date';
  if (!(ORDERBY as readonly string[]).includes(orderby)) throw notOneOf('orderby', ORDERBY);
  const statuses = commaList(query.status ?? 'any');
  for (const status of statuses) {
    if (status !== 'any' && status !== 'trash' && !(ORDER_STATUSES as readonly string[]).includes(status)) {
      throw invalidParam('status[0]', 'rest_not_in_enum', `status[0] is not one of any, trash, ${ORDER_STATUSES.join(', ')}.`);
    }
  }
  const any = statuses.includes('any');
  const wanted = new Set(statuses);
  // dates_are_gmt=true: the values are UTC; otherwise they are site-local (WooCommerce compares with the local columns).
  const asGmt = asBool(query.dates_are_gmt) ?? false;
  const after = dateParam(ctx, query, 'after', asGmt);
  const before = dateParam(ctx, query, 'before', asGmt);
  const modifiedAfter = dateParam(ctx, query, 'modified_after', asGmt);
  const modifiedBefore = dateParam(ctx, query, 'modified_before', asGmt);
  const customer = query.customer !== undefined ? asInt(query.customer) : undefined;
  const include = commaList(query.include).map(Number);
  const includeSet = new Set(include);
  const exclude = new Set(commaList(query.exclude).map(Number));
  const product = query.product !== undefined ? asInt(query.product) : undefined;
  const search = query.search?.trim().toLowerCase();

  const items: Order[] = [];
  for (const o of ctx.store.orders.values()) {
    if (any ? o.status === 'trash' || o.status === 'checkout-draft' : !wanted.has(o.status)) continue;
    if (after !== undefined && !(o.createdMs > after)) continue;
    if (before !== undefined && !(o.createdMs < before)) continue;
    if (modifiedAfter !== undefined && !(o.modifiedMs > modifiedAfter)) continue;
    if (modifiedBefore !== undefined && !(o.modifiedMs < modifiedBefore)) continue;
    if (customer !== undefined && o.customerId !== customer) continue;
    if (includeSet.size && !includeSet.has(o.id)) continue;
    if (exclude.has(o.id)) continue;
    if (query.parent !== undefined && String(o.parentId) !== query.parent) continue;
    if (product !== undefined && !o.lineItems.some((l) => l.productId === product || l.variationId === product)) continue;
    if (search) {
      const haystack =
        `${o.id} ${o.billing.email} ${o.billing.first_name} ${o.billing.last_name} ${o.billing.company} ${o.lineItems.map((l) => l.name).join(' ')}`.toLowerCase();
      if (!haystack.includes(search)) continue;
    }
    items.push(o);
  }
  const dir = order === 'asc' ? 1 : -1;
  if (orderby === 'include') items.sort((a, b) => include.indexOf(a.id) - include.indexOf(b.id));
  else if (orderby === 'modified') items.sort((a, b) => (a.modifiedMs - b.modifiedMs || a.id - b.id) * dir);
  else if (orderby === 'date') items.sort((a, b) => (a.createdMs - b.createdMs || a.id - b.id) * dir);
  else items.sort((a, b) => (a.id - b.id) * dir); // id, title, slug
  const page = pageOf(ctx, request, reply, items, paging);
  if (query._fields) return phpJsonEncode(page.map((o) => applyFields(orderJson(ctx, o), query._fields)));
  return `[${page.map((o) => encodedOrderJson(ctx, o)).join(',')}]`;
}
