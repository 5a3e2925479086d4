/** The catalog from a SeedCatalog: products and variations with their initial stock, customers, tax rates, coupons, shipping and payment methods. */
import { sellableItems, type SeedCatalog } from '../seed';
import type { SimContext } from './context';
import { loadCustomers } from './customers';
import { slugify } from './product-json';
import { recomputeStockStatus } from './stock';
import type { Product } from './store';

/** Locations whose stock feeds the web store; location '3' (retail) does not. */
const WEB_LOCATIONS = ['1', '2'];

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

/** A new product saved in the store (SKU indexed, stock status computed); `fields` override the defaults. */
export function newProduct(ctx: SimContext, fields: Partial<Product> & Pick<Product, 'type' | 'name'>): Product {
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
