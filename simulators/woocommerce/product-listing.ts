/** `GET /products` and `GET /products/<pid>/variations`: filters (sku, include, status, type, parent, search), order and paging. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from './context';
import { notOneOf } from './errors';
import { productJson } from './product-json';
import { applyFields, commaList, pageOf, pagingOf, queryOf, type JsonObject } from './rest-util';
import type { Product } from './store';

function sortProducts(items: Product[], orderby: string, order: string): Product[] {
  const dir = order === 'asc' ? 1 : -1;
  const key = (p: Product): number | string =>
    orderby === 'id' ? p.id : orderby === 'title' ? p.name : orderby === 'slug' ? p.slug : orderby === 'modified' ? p.modifiedMs : p.createdMs;
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return (a.id - b.id) * dir;
  });
}

/** One page of products, or with a parent of its variations. */
export function listProducts(ctx: SimContext, request: FastifyRequest, reply: FastifyReply, parent?: Product): JsonObject[] {
  const query = queryOf(request);
  const paging = pagingOf(query);
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw notOneOf('order', ['asc', 'desc']);
  const skus = commaList(query.sku);
  const include = new Set(commaList(query.include).map(Number));
  const search = query.search?.toLowerCase();
  let items: Product[];
  if (parent) items = parent.variationIds.map((id) => ctx.store.products.get(id)).filter((p): p is Product => !!p);
  else if (skus.length) items = skus.map((sku) => ctx.store.productBySku(sku)).filter((p): p is Product => !!p);
  else items = [...ctx.store.products.values()].filter((p) => p.type !== 'variation');
  items = items.filter((p) => {
    if (!parent && p.status === 'trash' && query.status !== 'trash') return false;
    if (query.status && query.status !== 'any' && p.status !== query.status) return false;
    if (query.type && p.type !== query.type) return false;
    if (include.size && !include.has(p.id)) return false;
    if (query.parent && String(p.parentId) !== query.parent) return false;
    if (search && !p.name.toLowerCase().includes(search) && !p.sku.toLowerCase().includes(search)) return false;
    return true;
  });
  sortProducts(items, query.orderby ?? 'date', order);
  return pageOf(ctx, request, reply, items, paging).map((p) => applyFields(productJson(ctx, p), query._fields));
}
