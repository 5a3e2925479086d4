/**
 * The product routes: `/products`, `/products/<id>`, `/products/batch`. Variations are product-variations.ts; the JSON
 * product-json.ts, writes product-writes.ts, the list product-listing.ts, loading the seed catalog product-catalog.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context';
import { productJson } from './product-json';
import { listProducts } from './product-listing';
import { applyProductInput, createProduct, deleteProduct, invalidProductId, productBatch } from './product-writes';
import { API_PREFIX, applyFields, asBool, bodyOf, numericId, queryOf, sendWoo } from './rest-util';
import type { Product } from './store';

type Params = Record<string, string | undefined>;
export const params = (request: FastifyRequest): Params => request.params as Params;

/** The product a route's id names (a variation too), or the REST error with this status. */
export function routeProduct(ctx: SimContext, raw: string | undefined, status: number): Product {
  const id = numericId(raw);
  const product = id === undefined ? undefined : ctx.store.products.get(id);
  if (!product) throw invalidProductId(status);
  return product;
}

export function registerProductRoutes(app: FastifyInstance, ctx: SimContext): void {
  const P = `${API_PREFIX}/products`;
  app.get(P, async (request, reply) => sendWoo(reply, 200, listProducts(ctx, request, reply)));
  app.post(P, async (request, reply) => {
    const product = createProduct(ctx, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${P}/${product.id}`);
    return sendWoo(reply, 201, productJson(ctx, product));
  });
  app.post(`${P}/batch`, async (request, reply) => sendWoo(reply, 200, productBatch(ctx, bodyOf(request))));
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
}
