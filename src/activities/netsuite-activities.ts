/**
 * Activities on the NetSuite task queue. Every NetSuite request of an order sync is made here, through the one
 * NetSuite client whose limiter caps in-flight requests across all workers. Each activity heartbeats while its
 * requests are pending (waiting for a permit included), so a killed worker's activity is retried elsewhere quickly;
 * a step kept waiting for a permit says so (permit-wait.ts). An order's requests are ranked by its arrival, so the
 * order that has waited longest gets the next permit (permit-rank.ts).
 *
 * Items and customers found are kept by the worker (lookup-cache.ts): a returning customer or a repeated SKU costs no
 * request. The search for an existing sales order is never cached. A sales order NetSuite refuses because of a cached
 * item or customer (inactive, merged, deleted) has that look-up made again, once, before the order needs a human.
 */
import { createHash } from 'node:crypto';
import { matchKeyOf, type Attention } from '../api';
import { buildSalesOrder, chooseCustomer, customerExternalId, newCustomerBody, normalizeEmail, type Mapping } from '../mapping';
import type { NetSuiteClient } from '../netsuite/client';
import { isNetSuiteError } from '../netsuite/errors';
import { itemIdsByKey } from '../netsuite/items';
import { createLookupCache, shareWhileInFlight, type LookupCache } from '../netsuite/lookup-cache';
import { withPermitRank } from '../netsuite/permit-rank';
import { suiteQlString } from '../netsuite/suiteql';
import type { CreateSalesOrderInput, CreateSalesOrderResult, CustomerKey, MatchCustomerResult } from './contracts';
import { fromMappingProblem, needsAttention, toFailure } from './failures';
import { withPermitWatch, type PermitWaitReporting } from './permit-wait';
import type { MappingSource } from './mapping-source';
import type { NetSuiteActivities } from './types';
import { createLifecycleNetSuiteActivities } from './lifecycle-activities';

export interface NetSuiteActivityDeps {
  netsuite: NetSuiteClient;
  mapping: MappingSource;
  /** Waiting for a permit shows in heartbeats and, past a threshold, in the order's current details. Default: plain heartbeats. */
  permitWaits?: PermitWaitReporting;
  /** How long a found item or customer is reused, in seconds; 0 = always ask NetSuite. Default DEFAULT_LOOKUP_CACHE_SECONDS. */
  lookupCacheSeconds?: number;
}

/** Ten minutes: a burst of returning customers and repeated SKUs asks NetSuite once per customer and SKU. */
export const DEFAULT_LOOKUP_CACHE_SECONDS = 600;

/**
 * The worker's look-up hints: item `<column>:<key>` → internal ID; per mapping (a store's, as loaded: an edited mapping
 * starts afresh, since its customer rules decide matches), customer key → the matched customer.
 */
interface LookupCaches {
  items: LookupCache<string>;
  /** Item look-ups another order of this worker is making now, by cache key (ASK_AGAIN: that look-up failed). */
  itemsAsked: Map<string, Promise<string | undefined | typeof ASK_AGAIN>>;
  customers(mapping: Mapping): { cache: LookupCache<MatchCustomerResult>; asked: Map<string, Promise<MatchCustomerResult | undefined>> };
}

/** A look-up another order was making failed: this order makes its own. */
const ASK_AGAIN = Symbol('ask again');

/** A create NetSuite refused over a referenced record (the customer, a line's item): its error path says which. */
function refusedReference(error: unknown): 'customer' | 'item' | undefined {
  if (!isNetSuiteError(error) || error.kind !== 'rejected' || error.path === undefined) return undefined;
  if (error.path === 'entity') return 'customer';
  return /^item\.items\[\d+\]\.item$/.test(error.path) ? 'item' : undefined;
}

/** SuiteQL identifiers we interpolate (custom field script IDs from the mapping) must be plain names. */
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

export function createNetSuiteActivities(deps: NetSuiteActivityDeps): NetSuiteActivities {
  const { netsuite } = deps;
  const ttlMs = (deps.lookupCacheSeconds ?? DEFAULT_LOOKUP_CACHE_SECONDS) * 1000;
  const customerCaches = new WeakMap<Mapping, ReturnType<LookupCaches['customers']>>();
  const caches: LookupCaches = {
    items: createLookupCache({ ttlMs }),
    itemsAsked: new Map(),
    customers(mapping) {
      let entry = customerCaches.get(mapping);
      if (entry === undefined) customerCaches.set(mapping, (entry = { cache: createLookupCache({ ttlMs }), asked: new Map() }));
      return entry;
    },
  };

  /** Runs `call` with heartbeats; NetSuite errors become failures (`what` names the operation for the engineer). */
  async function call<T>(what: string, run: (signal: AbortSignal) => Promise<T>, matchKey?: Attention['matchKey']): Promise<T> {
    try {
      return await withPermitWatch(deps.permitWaits, run);
    } catch (error) {
      throw toFailure(error, what, matchKey);
    }
  }

  /** `GET <type>/eid:<externalId>` → internal ID, or undefined. */
  const idByExternalId = async (type: string, externalId: string, signal: AbortSignal): Promise<string | undefined> => {
    const record = await netsuite.getRecord<{ id?: string | number }>(type, `eid:${externalId}`, { signal });
    return record?.id === undefined ? undefined : String(record.id);
  };

  /** Key → internal ID of every key, from the cache where it can (`fresh`: never), else one SuiteQL query; UnknownSku for a key NetSuite lacks. */
  async function resolveItems(store: string, keys: readonly string[], fresh: boolean): Promise<Record<string, string>> {
    const mapping = deps.mapping.forStore(store);
    const column = mapping.items.matchBy;
    const ids: Record<string, string> = {};
    const unknown: string[] = [];
    /** Keys another order is looking up now: in a burst with cold caches, one request per SKU, not one per order. */
    const asked: [string, Promise<string | undefined | typeof ASK_AGAIN>][] = [];
    for (const key of keys) {
      const cached = fresh ? undefined : caches.items.get(`${column}:${key}`);
      const pending = fresh ? undefined : caches.itemsAsked.get(`${column}:${key}`);
      if (cached !== undefined) ids[key] = cached;
      else if (pending !== undefined) asked.push([key, pending]);
      else unknown.push(key);
    }
    const lookUp = async (unknownKeys: string[]): Promise<void> => {
      const lookup = call('resolving items', (signal) => itemIdsByKey(netsuite, column, unknownKeys, { signal }));
      const shared = lookup.then(
        (found) => found,
        () => undefined,
      );
      for (const key of unknownKeys) {
        shareWhileInFlight(
          caches.itemsAsked,
          `${column}:${key}`,
          shared.then((found) => (found === undefined ? ASK_AGAIN : found.get(key))),
        );
      }
      for (const [key, id] of await lookup) {
        ids[key] = id;
        caches.items.set(`${column}:${key}`, id);
      }
    };
    if (unknown.length > 0) await lookUp(unknown);
    if (asked.length > 0) {
      const answers = await call('resolving items', () => Promise.all(asked.map(([, answer]) => answer)));
      const again = asked.flatMap(([key], i) => {
        const answer = answers[i];
        if (answer === ASK_AGAIN) return [key];
        if (answer !== undefined) ids[key] = answer;
        return [];
      });
      if (again.length > 0) await lookUp(again);
    }
    const missing = keys.filter((key) => ids[key] === undefined);
    if (missing.length > 0) {
      const list = missing.join(', ');
      throw needsAttention({
        failureType: 'UnknownSku',
        message: `NetSuite has no item whose ${column === 'itemid' ? 'name (itemid)' : 'external ID'} is ${list} (WooCommerce SKU${missing.length > 1 ? 's' : ''} on this order).`,
        fix: `Create the item in NetSuite, or map the SKU to an existing NetSuite item in ${deps.mapping.path}: "items": {"aliases": {"${missing[0]}": "<NetSuite item ${column}>"}}; then send "retry".`,
      });
    }
    return ids;
  }

  /** The customer of `customerKey`, from the cache unless `fresh`; found or created in NetSuite otherwise. */
  async function matchCustomer(store: string, order: CreateSalesOrderInput['order'], customerKey: CustomerKey, fresh: boolean): Promise<MatchCustomerResult> {
    const { cache, asked } = caches.customers(deps.mapping.forStore(store));
    const cacheKey = JSON.stringify(customerKey);
    if (!fresh) {
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      // Another order of this worker is matching the same customer now: its answer serves this one too.
      const pending = asked.get(cacheKey);
      const answer = pending === undefined ? undefined : await call('matching the customer (with another order of the same customer)', () => pending);
      if (answer !== undefined) return answer;
    }
    const own = findOrCreateCustomer(store, order, customerKey);
    shareWhileInFlight(
      asked,
      cacheKey,
      own.then(
        (result) => ({ ...result, created: false }),
        () => undefined,
      ),
    );
    const result = await own;
    cache.set(cacheKey, { ...result, created: false });
    return result;
  }

  async function findOrCreateCustomer(store: string, order: CreateSalesOrderInput['order'], customerKey: CustomerKey): Promise<MatchCustomerResult> {
    const mapping = deps.mapping.forStore(store);
    const matchKey = matchKeyOf(customerKey);
    const what = `matching the customer by ${matchKey?.kind ?? 'key'}`;
    if (customerKey.kind === 'default') {
      const ref = customerKey.ref;
      if ('id' in ref) return { customerId: ref.id, created: false, warnings: [] };
      const id = await call(what, (signal) => idByExternalId('customer', ref.externalId, signal), matchKey);
      if (id === undefined) {
        throw needsAttention({
          failureType: 'InvalidMapping',
          message: `The default customer (external ID ${ref.externalId}) does not exist in NetSuite.`,
          fix: `Correct "customers.defaultCustomer" in ${deps.mapping.path}, then send "retry".`,
          matchKey,
        });
      }
      return { customerId: id, created: false, warnings: [] };
    }

    if (customerKey.kind === 'email') {
      const email = customerKey.value;
      // An inactive customer is no match: NetSuite refuses a sales order that names one.
      const page = await call(
        what,
        (signal) =>
          netsuite.suiteql(`SELECT id, datecreated FROM customer WHERE LOWER(TRIM(email)) = ${suiteQlString(email)} AND isinactive = 'F' ORDER BY id`, {
            signal,
          }),
        matchKey,
      );
      const candidates = page.items.flatMap((row) =>
        row.id === undefined ? [] : [{ id: row.id, ...(row.datecreated ? { dateCreated: row.datecreated } : {}) }],
      );
      if (candidates.length > 0) {
        const chosen = chooseCustomer(candidates, mapping);
        if ('problem' in chosen) throw fromMappingProblem(chosen.problem, matchKey);
        return { customerId: chosen.id, created: false, warnings: chosen.warning ? [chosen.warning] : [] };
      }
    } else {
      const existing = await call(what, (signal) => idByExternalId('customer', customerKey.value, signal), matchKey);
      if (existing !== undefined) return { customerId: existing, created: false, warnings: [] };
    }

    // No match: create the customer under a stable external ID, so a retried create finds the first one.
    const email = customerKey.kind === 'email' ? customerKey.value : undefined;
    const body = newCustomerBody(order, mapping, store);
    const matched = (customerId: string): MatchCustomerResult => ({ customerId, created: false, warnings: [] });

    /** The customer holding `externalId`, and whether it is this e-mail's (every holder is, without an e-mail to compare). */
    const holderOf = async (externalId: string, ofEmail: string | undefined, signal: AbortSignal): Promise<{ id: string; ours: boolean } | undefined> => {
      const record = await netsuite.getRecord<{ id?: string | number; email?: string }>('customer', `eid:${externalId}`, { signal });
      if (record?.id === undefined) return undefined;
      return { id: String(record.id), ours: ofEmail === undefined || normalizeEmail(String(record.email ?? '')) === ofEmail };
    };

    /** This e-mail's customer under `externalId`, found or created; undefined when a customer with another e-mail holds it. */
    const findOrCreate = async (externalId: string, ofEmail: string | undefined, signal: AbortSignal): Promise<MatchCustomerResult | undefined> => {
      const held = await holderOf(externalId, ofEmail, signal);
      if (held) return held.ours ? matched(held.id) : undefined;
      try {
        const { id } = await netsuite.createRecord('customer', { ...body, externalId }, { signal });
        return { customerId: id, created: true, warnings: [] };
      } catch (error) {
        // Created meanwhile: by an earlier attempt whose answer was lost, by another order of this e-mail, or of the other one.
        if (!isNetSuiteError(error) || error.kind !== 'duplicate-external-id') throw error;
        const again = await holderOf(externalId, ofEmail, signal);
        if (again === undefined) throw error;
        return again.ours ? matched(again.id) : undefined;
      }
    };

    return call(
      'creating the customer',
      async (signal) => {
        const plain = customerExternalId(order, mapping, store);
        const found = await findOrCreate(plain, email, signal);
        if (found !== undefined) return found;
        // Another e-mail holds this external ID (so this order has one): the two differ only in characters an external
        // ID cannot carry (zoë@… and zoé@… both become zo_@…). This customer gets an ID only its e-mail spells, never
        // the other's record; whoever holds that one is this e-mail's customer.
        const own = `${plain}-${createHash('sha256')
          .update(email ?? '')
          .digest('hex')
          .slice(0, 12)}`;
        const mine = await findOrCreate(own, undefined, signal);
        if (mine === undefined) throw new Error(`unreachable: customer ${own} accepted with no e-mail to compare`);
        return mine;
      },
      matchKey,
    );
  }

  /** Creates the sales order once; "external ID already exists" resolves to the record an earlier attempt created. */
  async function createOnce(
    input: CreateSalesOrderInput,
    customerId: string,
    items: Record<string, string>,
    signal: AbortSignal,
  ): Promise<CreateSalesOrderResult> {
    const mapping = deps.mapping.forStore(input.store);
    const built = buildSalesOrder({ order: input.order, store: input.store, mapping, customerId, items: new Map(Object.entries(items)) });
    if (!built.ok) throw fromMappingProblem(built.problem);
    try {
      const { id } = await netsuite.createRecord('salesOrder', built.body, { signal });
      return { salesOrderId: id, resolvedDuplicate: false, warnings: built.warnings };
    } catch (error) {
      // An earlier attempt may have been accepted before its answer was lost: the external ID says so.
      if (!isNetSuiteError(error) || error.kind !== 'duplicate-external-id') throw error;
      const id = await idByExternalId('salesOrder', input.externalId, signal);
      if (id === undefined) throw error;
      return { salesOrderId: id, resolvedDuplicate: true, warnings: built.warnings };
    }
  }

  return {
    ...createLifecycleNetSuiteActivities({ netsuite, mapping: deps.mapping }, call),

    resolveItems: ({ store, keys, arrivedAt }) => withPermitRank(arrivedAt, () => resolveItems(store, keys, false)),

    matchCustomer: ({ store, order, customerKey, arrivedAt }) => withPermitRank(arrivedAt, () => matchCustomer(store, order, customerKey, false)),

    findSalesOrder: ({ externalId, orderKey, orderKeyField, arrivedAt }) =>
      withPermitRank(arrivedAt, async () => {
        if (!IDENTIFIER.test(orderKeyField)) {
          throw needsAttention({
            failureType: 'InvalidMapping',
            message: `"customFields.orderKey" is ${JSON.stringify(orderKeyField)}, which is not a NetSuite script ID.`,
            fix: 'Set it to the script ID of the custom body field holding the WooCommerce order key (e.g. custbody_woo_order_key), then send "retry".',
          });
        }
        const page = await call('searching for an existing sales order', async (signal) => {
          try {
            return await netsuite.suiteql(
              `SELECT id, tranid FROM transaction WHERE type = 'SalesOrd' AND (externalid = ${suiteQlString(externalId)} OR ${orderKeyField} = ${suiteQlString(orderKey)}) ORDER BY id`,
              { signal },
            );
          } catch (error) {
            // A SuiteScript deploy that renamed the order-key field breaks the search first: say which field.
            if (isNetSuiteError(error) && error.kind === 'rejected' && error.detail.toLowerCase().includes(orderKeyField)) {
              throw needsAttention({
                failureType: 'NetSuiteFieldMissing',
                message: `NetSuite's search cannot use the custom body field ${orderKeyField} (customFields.orderKey): ${error.detail}`,
                fix: `A SuiteScript deploy may have renamed or removed it. Set "customFields": {"orderKey": "<the field's script ID now>"} in ${deps.mapping.path} (or restore the field), then send "retry".`,
                netsuite: {
                  ...(error.status !== undefined ? { status: error.status } : {}),
                  ...(error.code ? { code: error.code } : {}),
                  path: orderKeyField,
                  detail: error.detail,
                },
              });
            }
            throw error;
          }
        });
        const ids = page.items.flatMap((row) => (row.id === undefined ? [] : [row.id]));
        const [first] = ids;
        if (first === undefined) return { warnings: [] };
        const warnings =
          ids.length > 1
            ? [
                `NetSuite already holds ${ids.length} sales orders for this order (IDs ${ids.join(', ')}); using the oldest, ${first}. Close the others in NetSuite.`,
              ]
            : [];
        return { salesOrderId: first, warnings };
      }),

    createSalesOrder: (input) =>
      withPermitRank(input.arrivedAt, async (): Promise<CreateSalesOrderResult> => {
        const what = 'creating the sales order';
        let refusal: unknown;
        const first = await call(what, async (signal) => {
          try {
            return await createOnce(input, input.customerId, input.items, signal);
          } catch (error) {
            const which = refusedReference(error);
            if (which === undefined || (which === 'customer' && input.customerKey === undefined)) throw error;
            refusal = error;
            return undefined;
          }
        });
        if (first !== undefined) return first;
        const refused = refusedReference(refusal);
        // NetSuite refused a customer or item the worker may have had cached: look it up again, once, and try with
        // what NetSuite says now. The same answer again means the record itself is the problem: the order needs a human.
        const keys = Object.keys(input.items);
        const items = refused === 'item' ? await resolveItems(input.store, keys, true) : input.items;
        const customerId =
          refused === 'customer' && input.customerKey ? (await matchCustomer(input.store, input.order, input.customerKey, true)).customerId : input.customerId;
        if (customerId === input.customerId && keys.every((key) => items[key] === input.items[key])) throw toFailure(refusal, what);
        const second = await call(what, (signal) => createOnce(input, customerId, items, signal));
        return customerId === input.customerId ? second : { ...second, customerId };
      }),
  };
}
