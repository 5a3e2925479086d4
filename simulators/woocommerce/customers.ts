/** Customers: accounts for the seed's registered customers (guests have none), `GET /customers[?email=]`, `GET /customers/<id>`. */
import type { FastifyInstance } from 'fastify';
import type { SeedCustomer } from '../seed';
import type { SimContext } from './context';
import { WooError } from './errors';
import { API_PREFIX, applyFields, numericId, pageOf, pagingOf, queryOf, sendWoo, type JsonObject } from './rest-util';
import type { Customer } from './store';

export function loadCustomers(ctx: SimContext, customers: SeedCustomer[]): void {
  ctx.store.customers.clear();
  const now = ctx.clock.now();
  for (const seed of customers) {
    if (!seed.registered) continue;
    const address = {
      first_name: seed.firstName,
      last_name: seed.lastName,
      company: seed.company,
      address_1: seed.address.address1,
      address_2: seed.address.address2,
      city: seed.address.city,
      state: seed.address.state,
      postcode: seed.address.postcode,
      country: seed.address.country,
      phone: seed.phone,
    };
    const customer: Customer = {
      id: ctx.store.customerId(),
      email: seed.email,
      firstName: seed.firstName,
      lastName: seed.lastName,
      username: seed.email.split('@')[0] ?? seed.email,
      role: 'customer',
      billing: { ...address, email: seed.email },
      shipping: { ...address },
      createdMs: now,
      modifiedMs: now,
    };
    ctx.store.customers.set(customer.id, customer);
  }
}

export function customerJson(ctx: SimContext, c: Customer): JsonObject {
  return {
    id: c.id,
    date_created: ctx.clock.local(c.createdMs),
    date_created_gmt: ctx.clock.gmt(c.createdMs),
    date_modified: ctx.clock.local(c.modifiedMs),
    date_modified_gmt: ctx.clock.gmt(c.modifiedMs),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    role: c.role,
    username: c.username,
    billing: c.billing,
    shipping: c.shipping,
    is_paying_customer: true,
    avatar_url: 'https://secure.gravatar.com/avatar/?s=96&d=mm&r=g',
    meta_data: [],
  };
}

export function registerCustomerRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get(`${API_PREFIX}/customers`, async (request, reply) => {
    const query = queryOf(request);
    const paging = pagingOf(query);
    const email = query.email?.trim().toLowerCase();
    const role = query.role ?? 'customer';
    const search = query.search?.toLowerCase();
    const items = [...ctx.store.customers.values()]
      .filter((c) => (email ? c.email.toLowerCase() === email : true))
      .filter((c) => role === 'all' || c.role === role)
      .filter((c) => !search || `${c.email} ${c.firstName} ${c.lastName}`.toLowerCase().includes(search))
      .sort((a, b) => (query.order === 'desc' ? b.id - a.id : a.id - b.id));
    return sendWoo(
      reply,
      200,
      pageOf(ctx, request, reply, items, paging).map((c) => applyFields(customerJson(ctx, c), query._fields)),
    );
  });
  app.get(`${API_PREFIX}/customers/:id`, async (request, reply) => {
    const id = numericId((request.params as Record<string, string | undefined>).id);
    const customer = id === undefined ? undefined : ctx.store.customers.get(id);
    if (!customer) throw new WooError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
    return sendWoo(reply, 200, applyFields(customerJson(ctx, customer), queryOf(request)._fields));
  });
}
