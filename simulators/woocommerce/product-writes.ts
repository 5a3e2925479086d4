/**
 * Product and variation writes shared by the product and variation routes and the control API: REST input checked and
 * applied, create, delete (a product with its variations), batch; finding a product or a variation by id.
 */
import type { SimContext } from './context';
import { invalidParam, notOneOf, WooError } from './errors';
import { newProduct } from './product-catalog';
import { productJson } from './product-json';
import { asBool, asInt, asObjectArray, asString, BATCH_LIMIT, batchItemError, batchTooLarge, isObject, metaUpdates, type JsonObject } from './rest-util';
import { recomputeStockStatus } from './stock';
import { upsertMeta, type Backorders, type Product, type StockStatus } from './store';

const STOCK_STATUSES = ['instock', 'outofstock', 'onbackorder'] as const;
const BACKORDERS = ['no', 'notify', 'yes'] as const;

export const invalidProductId = (status: number, variation = false): WooError =>
  new WooError(status, variation ? 'woocommerce_rest_product_variation_invalid_id' : 'woocommerce_rest_product_invalid_id', 'Invalid ID.');

/** The product with this id; with a parent, only a variation of that parent. */
export function findProduct(ctx: SimContext, id: number, parent?: Product): Product | undefined {
  const product = ctx.store.products.get(id);
  if (!product) return undefined;
  if (parent && product.parentId !== parent.id) return undefined;
  return product;
}

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

/** Creates a product, or a variation of `parent`, from REST input; fires product.created. */
export function createProduct(ctx: SimContext, body: JsonObject, parent?: Product): Product {
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

/** Trashes a product, or deletes it for good (always for a variation; with its variations); fires product.deleted. */
export function deleteProduct(ctx: SimContext, product: Product, force: boolean): JsonObject {
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

/** `POST /products/batch` or `/products/<pid>/variations/batch`: create, update, delete; each item fails on its own. */
export function productBatch(ctx: SimContext, body: JsonObject, parent?: Product): JsonObject {
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
