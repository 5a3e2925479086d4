/**
 * The variation routes of a variable product: `/products/<pid>/variations[/<id>|/batch]`. A parent that is not a
 * variable product, or a variation of another parent, is WooCommerce's invalid-id error.
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { WooError } from './errors';
import { productJson } from './product-json';
import { listProducts } from './product-listing';
import { applyProductInput, createProduct, deleteProduct, findProduct, invalidProductId, productBatch } from './product-writes';
import { params, routeProduct } from './products';
import { API_PREFIX, applyFields, bodyOf, numericId, queryOf, sendWoo } from './rest-util';
import type { Product } from './store';

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

export function registerVariationRoutes(app: FastifyInstance, ctx: SimContext): void {
  const P = `${API_PREFIX}/products`;
  const V = `${P}/:pid/variations`;
  app.get(V, async (request, reply) => sendWoo(reply, 200, listProducts(ctx, request, reply, routeParent(ctx, params(request).pid))));
  app.post(V, async (request, reply) => {
    const parent = routeParent(ctx, params(request).pid);
    const variation = createProduct(ctx, bodyOf(request), parent);
    reply.header('Location', `${ctx.storeUrl()}${P}/${parent.id}/variations/${variation.id}`);
    return sendWoo(reply, 201, productJson(ctx, variation));
  });
  app.post(`${V}/batch`, async (request, reply) => sendWoo(reply, 200, productBatch(ctx, bodyOf(request), routeParent(ctx, params(request).pid))));
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
