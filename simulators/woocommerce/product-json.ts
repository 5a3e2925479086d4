/** The REST JSON of a product or a variation, with the price it shows (a variable product's lowest variation price). */
import type { SimContext } from './context';
import type { WooProductJson } from './rest-types';
import { API_PREFIX } from './rest-util';
import type { Product } from './store';

/** WordPress's sanitize_title, as far as product names and attribute names need it. */
export const slugify = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'product';

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
