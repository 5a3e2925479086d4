/**
 * Products and variations: loading from the seed catalog, the REST JSON, REST writes and the product routes
 * (`/products`, `/products/<id>`, `/products/batch`, `/products/<pid>/variations[/<id>|/batch]`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sellableItems, type SeedCatalog } from '../seed';
import type { SimContext } from './context';
import { invalidParam, notOneOf, WooError } from './errors';
import {
  API_PREFIX,
  applyFields,
  asBool,
  asInt,
  asObjectArray,
  asString,
  BATCH_LIMIT,
  batchItemError,
  batchTooLarge,
  bodyOf,
  commaList,
  isObject,
  metaUpdates,
  numericId,
  pageOf,
  pagingOf,
  queryOf,
  sendWoo,
  type JsonObject,
} from './rest-util';
import type { WooProductJson } from './rest-types';
import { recomputeStockStatus } from './stock';
import { upsertMeta, type Backorders, type Product, type StockStatus } from './store';
import { loadCustomers } from './customers';

const STOCK_STATUSES = ['instock', 'outofstock', 'onbackorder'] as const;
const BACKORDERS = ['no', 'notify', 'yes'] as const;
/** Locations whose stock feeds the web store; location '3' (retail) does not. */
const WEB_LOCATIONS = ['1', '2'];

const slugify = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'product';

/**
 * Initial stock of a sellable SKU: Σ (onHand − committed) over NetSuite locations '1' and '2' (the web-facing
 * warehouses), never below 0. A reasonable starting point that matches what a stock sync would have pushed.
 */
export function initialStock(stock: Record<string, { onHand: number; committed: number }>): number {
  let total = 0;
  for (const id of WEB_LOCATIONS) {
    const entry = stock[id];
    if (entry) total += Math.max(0, entry.onHand - entry.committed);
  }
  return total;
}

function newProduct(ctx: SimContext, fields: Partial<Product> & Pick<Product, 'type' | 'name'>): Product {
  const now = ctx.clock.now();
  const product: Product = {
    id: ctx.store.postId(),
    parentId: 0,
    slug: slugify(fields.name),
    status: 'publish',
    sku: '',
    regularPrice: '',
    salePrice: '',
    manageStock: false,
    stockQuantity: null,
    stockStatus: 'instock',
    backorders: 'no',
    taxClass: '',
    attributes: [],
    variationIds: [],
    meta: [],
    createdMs: now,
    modifiedMs: now,
    ...fields,
  };
  ctx.store.products.set(product.id, product);
  ctx.store.indexSku(product, '');
  recomputeStockStatus(product);
  return product;
}

/** Replaces the catalog: products, variations, customers, tax rates, coupons, shipping and payment methods. Orders stay. */
export function loadCatalog(ctx: SimContext, catalog: SeedCatalog): void {
  const { store } = ctx;
  store.products.clear();
  store.productIdBySku.clear();
  store.taxRates = catalog.taxRates.map((r) => ({ ...r }));
  store.coupons = catalog.coupons.map((c) => ({ ...c }));
  store.shippingMethods = catalog.shippingMethods.map((m) => ({ ...m }));
  store.paymentMethods = catalog.paymentMethods.map((m) => ({ ...m }));
  store.seedCustomers = catalog.customers.map((c) => ({ ...c, address: { ...c.address } }));
  const sellable = new Map(sellableItems(catalog).map((item) => [item.sku, item]));
  for (const seed of catalog.products) {
    if (seed.type === 'simple') {
      newProduct(ctx, {
        type: 'simple',
        name: seed.name,
        sku: seed.sku,
        regularPrice: seed.price ?? '0.00',
        taxClass: seed.taxClass,
        manageStock: true,
        stockQuantity: initialStock(seed.stock ?? {}),
      });
      continue;
    }
    const attributeNames = [...new Set(seed.variations.flatMap((v) => v.attributes.map((a) => a.name)))];
    const parent = newProduct(ctx, {
      type: 'variable',
      name: seed.name,
      sku: seed.sku,
      taxClass: seed.taxClass,
      attributes: attributeNames.map((name) => ({
        name,
        options: seed.variations.flatMap((v) => v.attributes.filter((a) => a.name === name).map((a) => a.option)),
      })),
    });
    for (const variation of seed.variations) {
      const child = newProduct(ctx, {
        type: 'variation',
        parentId: parent.id,
        name: sellable.get(variation.sku)?.name ?? `${seed.name} - ${variation.attributes.map((a) => a.option).join(', ')}`,
        sku: variation.sku,
        regularPrice: variation.price,
        taxClass: seed.taxClass,
        manageStock: true,
        stockQuantity: initialStock(variation.stock),
        attributes: variation.attributes.map((a) => ({ name: a.name, option: a.option })),
      });
      parent.variationIds.push(child.id);
    }
  }
  loadCustomers(ctx, catalog.customers);
}

export const activePrice = (p: Product): string => (p.salePrice !== '' ? p.salePrice : p.regularPrice);

function variablePrice(ctx: SimContext, parent: Product): string {
  let min: number | undefined;
  for (const id of parent.variationIds) {
    const v = ctx.store.products.get(id);
    if (!v) continue;
    const price = activePrice(v);
    if (price !== '' && (min === undefined || Number(price) < min)) min = Number(price);
  }
  return min === undefined ? '' : String(min);
}

/** The REST representation of a product or a variation (products and variations controllers share it here). */
export function productJson(ctx: SimContext, p: Product): WooProductJson {
  const { clock } = ctx;
  const price = p.type === 'variable' ? variablePrice(ctx, p) : activePrice(p);
  const base = p.type === 'variation' ? `${API_PREFIX}/products/${p.parentId}/variations/${p.id}` : `${API_PREFIX}/products/${p.id}`;
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    permalink: `${ctx.storeUrl()}/product/${p.slug}/`,
    date_created: clock.local(p.createdMs),
    date_created_gmt: clock.gmt(p.createdMs),
    date_modified: clock.local(p.modifiedMs),
    date_modified_gmt: clock.gmt(p.modifiedMs),
    type: p.type,
    status: p.status,
    featured: false,
    catalog_visibility: 'visible',
    description: '',
    short_description: '',
    sku: p.sku,
    price,
    regular_price: p.regularPrice,
    sale_price: p.salePrice,
    on_sale: p.salePrice !== '',
    purchasable: price !== '',
    total_sales: 0,
    virtual: false,
    downloadable: false,
    tax_status: 'taxable',
    tax_class: p.taxClass,
    manage_stock: p.manageStock,
    stock_quantity: p.manageStock ? p.stockQuantity : null,
    stock_status: p.stockStatus,
    backorders: p.backorders,
    backorders_allowed: p.backorders !== 'no',
    backordered: p.manageStock && (p.stockQuantity ?? 0) < 0,
    low_stock_amount: null,
    parent_id: p.parentId,
    categories: [],
    tags: [],
    images: [],
    attributes:
      p.type === 'variation'
        ? p.attributes.map((a) => ({ id: 0, name: a.name, slug: slugify(a.name), option: a.option ?? '' }))
        : p.attributes.map((a, position) => ({
            id: 0,
            name: a.name,
            slug: slugify(a.name),
            position,
            visible: true,
            variation: true,
            options: a.options ?? [],
          })),
    default_attributes: [],
    variations: p.variationIds,
    menu_order: 0,
    meta_data: p.meta.map((m) => ({ id: m.id, key: m.key, value: m.value })),
    _links: { self: [{ href: `${ctx.storeUrl()}${base}` }], collection: [{ href: `${ctx.storeUrl()}${base.replace(/\/\d+$/, '')}` }] },
  };
}

const invalidProductId = (status: number, variation = false): WooError =>
  new WooError(status, variation ? 'woocommerce_rest_product_variation_invalid_id' : 'woocommerce_rest_product_invalid_id', 'Invalid ID.');

/** Applies REST input to a product (create or update) and saves it: stock status recomputed, date_modified bumped. */
export function applyProductInput(ctx: SimContext, product: Product, body: JsonObject): void {
  if (body.sku !== undefined) {
    const sku = asString(body.sku).trim();
    const owner = sku ? ctx.store.productIdBySku.get(sku) : undefined;
    if (owner !== undefined && owner !== product.id)
      throw new WooError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: owner, unique_sku: sku });
  }
  if (body.stock_quantity !== undefined && body.stock_quantity !== null && asInt(body.stock_quantity) === undefined) {
    throw invalidParam('stock_quantity', 'rest_invalid_type', 'stock_quantity is not of type integer.');
  }
  if (body.stock_status !== undefined && !(STOCK_STATUSES as readonly unknown[]).includes(body.stock_status)) throw notOneOf('stock_status', STOCK_STATUSES);
  if (body.backorders !== undefined && !(BACKORDERS as readonly unknown[]).includes(body.backorders)) throw notOneOf('backorders', BACKORDERS);
  for (const name of ['regular_price', 'sale_price'] as const) {
    if (body[name] !== undefined && typeof body[name] !== 'string') throw invalidParam(name, 'rest_invalid_type', `${name} is not of type string.`);
  }

  if (body.name !== undefined) product.name = asString(body.name);
  if (body.slug !== undefined) product.slug = asString(body.slug);
  if (body.status !== undefined) product.status = asString(body.status, product.status);
  if (body.sku !== undefined) {
    const previous = product.sku;
    product.sku = asString(body.sku).trim();
    ctx.store.indexSku(product, previous);
  }
  if (typeof body.regular_price === 'string') product.regularPrice = body.regular_price;
  if (typeof body.sale_price === 'string') product.salePrice = body.sale_price;
  if (body.tax_class !== undefined) product.taxClass = asString(body.tax_class);
  if (body.manage_stock !== undefined) product.manageStock = asBool(body.manage_stock) ?? product.manageStock;
  if (body.backorders !== undefined) product.backorders = body.backorders as Backorders;
  if (body.stock_quantity !== undefined) product.stockQuantity = body.stock_quantity === null ? null : (asInt(body.stock_quantity) as number);
  if (product.manageStock && product.stockQuantity === null) product.stockQuantity = 0;
  if (body.stock_status !== undefined && !product.manageStock) product.stockStatus = body.stock_status as StockStatus;
  if (body.meta_data !== undefined) upsertMeta(ctx.store, product.meta, metaUpdates(body.meta_data));
  recomputeStockStatus(product);
  product.modifiedMs = ctx.clock.now();
}

function createProduct(ctx: SimContext, body: JsonObject, parent?: Product): Product {
  const type = parent ? 'variation' : asString(body.type, 'simple');
  if (type !== 'simple' && type !== 'variable' && type !== 'variation') throw notOneOf('type', ['simple', 'grouped', 'external', 'variable']);
  const attrs = asObjectArray(body.attributes).map((a) => ({ name: asString(a.name), option: asString(a.option) }));
  const name = parent ? `${parent.name} - ${attrs.map((a) => a.option).join(', ')}` : asString(body.name, 'Product');
  // Validate before allocating an id.
  if (body.sku !== undefined && asString(body.sku).trim() && ctx.store.productIdBySku.has(asString(body.sku).trim())) {
    throw new WooError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.');
  }
  const product = newProduct(ctx, { type, name, parentId: parent?.id ?? 0, attributes: parent ? attrs : [] });
  try {
    applyProductInput(ctx, product, { ...body, name });
  } catch (error) {
    ctx.store.products.delete(product.id);
    ctx.store.indexSku({ ...product, sku: '' }, product.sku);
    throw error;
  }
  if (parent) parent.variationIds.push(product.id);
  ctx.emit('product', 'created', product.id);
  return product;
}

function deleteProduct(ctx: SimContext, product: Product, force: boolean): JsonObject {
  const json = productJson(ctx, product);
  if (!force && product.type !== 'variation') {
    product.status = 'trash';
    product.modifiedMs = ctx.clock.now();
    ctx.emit('product', 'deleted', product.id);
    return productJson(ctx, product);
  }
  for (const childId of product.variationIds) {
    const child = ctx.store.products.get(childId);
    if (child) {
      ctx.store.products.delete(childId);
      ctx.store.indexSku({ ...child, sku: '' }, child.sku);
    }
  }
  ctx.store.products.delete(product.id);
  ctx.store.indexSku({ ...product, sku: '' }, product.sku);
  if (product.parentId) {
    const parent = ctx.store.products.get(product.parentId);
    if (parent) parent.variationIds = parent.variationIds.filter((id) => id !== product.id);
  }
  ctx.emit('product', 'deleted', product.id);
  return json;
}

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

function listProducts(ctx: SimContext, request: FastifyRequest, reply: FastifyReply, parent?: Product): JsonObject[] {
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

function batch(ctx: SimContext, body: JsonObject, parent?: Product): JsonObject {
  const create = asObjectArray(body.create);
  const update = asObjectArray(body.update);
  const del = Array.isArray(body.delete) ? body.delete : [];
  if (create.length + update.length + del.length > BATCH_LIMIT) throw batchTooLarge();
  const out: JsonObject = {};
  if (body.create !== undefined) {
    out.create = create.map((item) => {
      try {
        return productJson(ctx, createProduct(ctx, item, parent));
      } catch (error) {
        return batchItemError(0, error);
      }
    });
  }
  if (body.update !== undefined) {
    out.update = update.map((item) => {
      const id = asInt(item.id) ?? 0;
      try {
        const product = findProduct(ctx, id, parent);
        if (!product) throw invalidProductId(400, !!parent);
        applyProductInput(ctx, product, item);
        ctx.emit('product', 'updated', product.id);
        return productJson(ctx, product);
      } catch (error) {
        return batchItemError(id, error);
      }
    });
  }
  if (body.delete !== undefined) {
    out.delete = del.map((raw) => {
      const id = asInt(isObject(raw) ? raw.id : raw) ?? 0;
      try {
        const product = findProduct(ctx, id, parent);
        if (!product) throw invalidProductId(400, !!parent);
        return deleteProduct(ctx, product, true);
      } catch (error) {
        return batchItemError(id, error);
      }
    });
  }
  return out;
}

function findProduct(ctx: SimContext, id: number, parent?: Product): Product | undefined {
  const product = ctx.store.products.get(id);
  if (!product) return undefined;
  if (parent && product.parentId !== parent.id) return undefined;
  return product;
}

function routeProduct(ctx: SimContext, raw: string | undefined, status: number): Product {
  const id = numericId(raw);
  const product = id === undefined ? undefined : ctx.store.products.get(id);
  if (!product) throw invalidProductId(status);
  return product;
}

function routeParent(ctx: SimContext, raw: string | undefined): Product {
  const parent = routeProduct(ctx, raw, 404);
  if (parent.type !== 'variable') throw new WooError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
  return parent;
}

function routeVariation(ctx: SimContext, parent: Product, raw: string | undefined, status: number): Product {
  const id = numericId(raw);
  const variation = id === undefined ? undefined : findProduct(ctx, id, parent);
  if (!variation) throw invalidProductId(status, true);
  return variation;
}

type Params = Record<string, string | undefined>;
const params = (request: FastifyRequest): Params => request.params as Params;

export function registerProductRoutes(app: FastifyInstance, ctx: SimContext): void {
  const P = `${API_PREFIX}/products`;
  app.get(P, async (request, reply) => sendWoo(reply, 200, listProducts(ctx, request, reply)));
  app.post(P, async (request, reply) => {
    const product = createProduct(ctx, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${P}/${product.id}`);
    return sendWoo(reply, 201, productJson(ctx, product));
  });
  app.post(`${P}/batch`, async (request, reply) => sendWoo(reply, 200, batch(ctx, bodyOf(request))));
  app.get(`${P}/:id`, async (request, reply) =>
    sendWoo(reply, 200, applyFields(productJson(ctx, routeProduct(ctx, params(request).id, 404)), queryOf(request)._fields)),
  );
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${P}/:id`,
    handler: async (request, reply) => {
      const product = routeProduct(ctx, params(request).id, 400);
      applyProductInput(ctx, product, bodyOf(request));
      ctx.emit('product', 'updated', product.id);
      return sendWoo(reply, 200, productJson(ctx, product));
    },
  });
  app.delete(`${P}/:id`, async (request, reply) => {
    const product = routeProduct(ctx, params(request).id, 404);
    return sendWoo(reply, 200, deleteProduct(ctx, product, asBool(queryOf(request).force) ?? false));
  });

  const V = `${P}/:pid/variations`;
  app.get(V, async (request, reply) => sendWoo(reply, 200, listProducts(ctx, request, reply, routeParent(ctx, params(request).pid))));
  app.post(V, async (request, reply) => {
    const parent = routeParent(ctx, params(request).pid);
    const variation = createProduct(ctx, bodyOf(request), parent);
    reply.header('Location', `${ctx.storeUrl()}${P}/${parent.id}/variations/${variation.id}`);
    return sendWoo(reply, 201, productJson(ctx, variation));
  });
  app.post(`${V}/batch`, async (request, reply) => sendWoo(reply, 200, batch(ctx, bodyOf(request), routeParent(ctx, params(request).pid))));
  app.get(`${V}/:id`, async (request, reply) => {
    const parent = routeParent(ctx, params(request).pid);
    return sendWoo(reply, 200, applyFields(productJson(ctx, routeVariation(ctx, parent, params(request).id, 404)), queryOf(request)._fields));
  });
  app.route({
    method: ['PUT', 'PATCH'],
    url: `${V}/:id`,
    handler: async (request, reply) => {
      const parent = routeParent(ctx, params(request).pid);
      const variation = routeVariation(ctx, parent, params(request).id, 400);
      applyProductInput(ctx, variation, bodyOf(request));
      ctx.emit('product', 'updated', variation.id);
      return sendWoo(reply, 200, productJson(ctx, variation));
    },
  });
  app.delete(`${V}/:id`, async (request, reply) => {
    const parent = routeParent(ctx, params(request).pid);
    return sendWoo(reply, 200, deleteProduct(ctx, routeVariation(ctx, parent, params(request).id, 404), true));
  });
}
