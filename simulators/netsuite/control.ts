/**
 * The control API: the same operations in-process (`NetSuiteControl`) and over HTTP on a separate listener under
 * `/control/...`. Every input is validated with zod; bad input is a 400 `{"error", "issues"}`, never a crash.
 * Control operations bypass governance (no concurrency limit, latency, faults or auth).
 */
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SeedCatalog } from '../seed';
import { ControlInputError, installControlErrorHandling, parseControlInput } from '../shared/http';
import type { DefaultClient, OAuthServer } from './auth';
import { NsError } from './errors';
import type { Counters, Fault, Governance, RequestLogEntry, TimingSummary } from './governance';
import type { Jwk } from './jose';
import type { PropertyNameValidation } from './options';
import type { RecordApi } from './records';
import { canonicalRecordType, CUSTOM_FIELD_HOSTS, RECORD_TYPES, type CustomField, type RecordTypeName } from './schema';
import { loadCatalog, type SeedResult } from './seeding';
import type { RecordStore } from './store';
import type { TransformService } from './transforms';
import { bill, billSchema, documentsOf, fulfil, fulfilSchema, type CreatedBill, type CreatedFulfilment, type DocumentSummary } from './warehouse';

// ---------- input schemas ----------

const stockSchema = z.record(z.string(), z.object({ onHand: z.number().int().min(0), committed: z.number().int().min(0) }));
const addressSchema = z.object({
  address1: z.string().default(''),
  address2: z.string().default(''),
  city: z.string().default(''),
  state: z.string().default(''),
  postcode: z.string().default(''),
  country: z.string().default('US'),
});
export const seedCatalogSchema = z.object({
  seed: z.number().default(0),
  currency: z.string().default('USD'),
  locations: z.array(z.object({ id: z.string().regex(/^\d+$/, 'location IDs are numeric strings'), name: z.string() })).default([]),
  products: z
    .array(
      z.object({
        sku: z.string().min(1),
        name: z.string(),
        type: z.enum(['simple', 'variable']).default('simple'),
        taxClass: z.enum(['', 'reduced-rate']).default(''),
        price: z.string().optional(),
        cost: z.string().optional(),
        stock: stockSchema.optional(),
        variations: z
          .array(
            z.object({
              sku: z.string().min(1),
              attributes: z.array(z.object({ name: z.string(), option: z.string() })).default([]),
              price: z.string(),
              cost: z.string(),
              stock: stockSchema,
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  customers: z
    .array(
      z.object({
        email: z.string().min(1),
        emailAsTyped: z.string().default(''),
        firstName: z.string().default(''),
        lastName: z.string().default(''),
        company: z.string().default(''),
        phone: z.string().default(''),
        address: addressSchema.default({ address1: '', address2: '', city: '', state: '', postcode: '', country: 'US' }),
        registered: z.boolean().default(true),
        inNetSuite: z.boolean().default(false),
      }),
    )
    .default([]),
  taxRates: z
    .array(z.object({ id: z.number(), country: z.string(), state: z.string(), rate: z.string(), name: z.string(), taxClass: z.enum(['', 'reduced-rate']) }))
    .default([]),
  coupons: z.array(z.object({ code: z.string(), discountType: z.enum(['percent', 'fixed_cart']), amount: z.string() })).default([]),
  shippingMethods: z.array(z.object({ methodId: z.string().min(1), title: z.string().min(1), cost: z.string().default('0.00') })).default([]),
  paymentMethods: z.array(z.object({ id: z.string(), title: z.string() })).default([]),
});

const recordTypeSchema = z
  .string()
  .min(1)
  .transform((value, context) => {
    const type = canonicalRecordType(value);
    if (!type) {
      context.addIssue({ code: 'custom', message: `unknown record type '${value}'; use one of ${RECORD_TYPES.join(', ')}` });
      return z.NEVER;
    }
    return type;
  });

const routeSchema = z
  .object({ method: z.string().min(1).optional(), pathPrefix: z.string().startsWith('/', 'pathPrefix must start with /').optional() })
  .strict();

export const faultSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('5xx'),
        status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(500),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('hang'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        ms: z.number().int().min(0).optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('429'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        /** Retry-After (seconds) of this fault's answers, overriding the governance-wide setting; null = no header; absent = the governance-wide setting. */
        retryAfterSeconds: z
          .number({ error: 'retryAfterSeconds must be a whole number of seconds ≥ 0, or null for no Retry-After header' })
          .int('retryAfterSeconds must be a whole number of seconds')
          .min(0, 'retryAfterSeconds must be ≥ 0')
          .nullable()
          .optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('slow-response'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        ms: z.number().int().min(0),
      })
      .strict(),
  ])
  .refine((f) => (f.count === undefined) !== (f.rate === undefined), {
    message: 'give exactly one of count (next N matching requests) or rate (0..1)',
    path: ['count'],
  });

export const governanceSchema = z
  .object({
    concurrencyLimit: z.number().int().min(1).optional(),
    latency: z
      .object({ fixedMs: z.number().min(0).optional(), jitterMs: z.number().min(0).optional() })
      .strict()
      .optional(),
    retryAfterSeconds: z.number().int().min(0).nullable().optional(),
    propertyNameValidationDefault: z.enum(['Error', 'Warning', 'Ignore']).optional(),
  })
  .strict();

export const clientSchema = z
  .object({
    clientId: z.string().min(1),
    certificateId: z.string().min(1),
    publicKey: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    scopes: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const permissionSchema = z
  .object({
    recordType: recordTypeSchema.default('salesOrder'),
    operation: z.enum(['create', 'read', 'update', 'delete']).default('create'),
    allowed: z.boolean(),
  })
  .strict();

export const renameFieldSchema = z.object({ recordType: recordTypeSchema, from: z.string().min(1), to: z.string().min(1) }).strict();
export const makeMandatorySchema = z.object({ recordType: recordTypeSchema, scriptId: z.string().min(1), mandatory: z.boolean().default(true) }).strict();
export const addFieldSchema = z
  .object({
    recordType: recordTypeSchema,
    scriptId: z.string().min(1),
    label: z.string().min(1).optional(),
    type: z.enum(['text', 'textarea', 'integer', 'decimal', 'checkbox', 'date']).default('text'),
    mandatory: z.boolean().default(false),
  })
  .strict();

export const quantitiesSchema = z
  .object({
    location: z.union([z.string().regex(/^\d+$/), z.number().int().min(0).transform(String)]).default('1'),
    onHand: z.number().int().min(0).optional(),
    committed: z.number().int().min(0).optional(),
    onOrder: z.number().int().min(0).optional(),
    backordered: z.number().int().min(0).optional(),
    averageCost: z.number().min(0).optional(),
  })
  .strict();

const recordBodySchema = z.object({}).catchall(z.unknown());

// ---------- the in-process control ----------

export interface GovernanceView {
  concurrencyLimit: number;
  latency: { fixedMs: number; jitterMs: number };
  retryAfterSeconds: number | null;
  propertyNameValidationDefault: PropertyNameValidation;
}

/** Everything the HTTP control API does, callable in-process. Inputs are validated exactly as over HTTP (ControlInputError on bad input). */
export interface NetSuiteControl {
  /** Loads a SeedCatalog (idempotent by SKU / customer external ID). */
  seed(catalog: SeedCatalog | z.input<typeof seedCatalogSchema>): SeedResult;
  /** Creates a record directly (no auth, governance or faults; unknown properties are errors). */
  createRecord(type: string, body: Record<string, unknown>): { id: string; record: Record<string, unknown> };
  /** Changes a record directly as a user in NetSuite would (e.g. `{"isInactive": true}`, a new `itemId`); `id` may be `eid:<externalId>`. */
  updateRecord(type: string, id: string, body: Record<string, unknown>): Record<string, unknown>;
  /** A record as REST shows it with `expandSubResources=true`; `id` may be `eid:<externalId>`. */
  getRecord(type: string, id: string): Record<string, unknown>;
  /** Every record of a type, expanded. */
  listRecords(type: string): Record<string, unknown>[];
  /** Sets stock of an inventory item (internal ID, `eid:…` or itemid/SKU) at one location. */
  setItemQuantities(item: string, input: z.input<typeof quantitiesSchema>): Record<string, unknown>;
  registerClient(input: z.input<typeof clientSchema>): { clientId: string; certificateId: string };
  revokeAllTokens(): { revoked: number };
  defaultClient(): DefaultClient;
  addFault(input: z.input<typeof faultSchema>): Fault;
  clearFaults(): { cleared: number };
  faults(): Fault[];
  setGovernance(input: z.input<typeof governanceSchema>): GovernanceView;
  governance(): GovernanceView;
  /** Permission switch, e.g. `{allowed: false}` makes sales-order create answer 403 INSUFFICIENT_PERMISSION. */
  setPermission(input: z.input<typeof permissionSchema>): { denied: string[] };
  /** SuiteScript deploy: rename a custom field. */
  renameField(input: z.input<typeof renameFieldSchema>): CustomField;
  /** SuiteScript deploy: make a custom field mandatory (or not, with `mandatory: false`). */
  makeMandatory(input: z.input<typeof makeMandatorySchema>): CustomField;
  /** SuiteScript deploy: add a custom field. */
  addField(input: z.input<typeof addFieldSchema>): CustomField;
  customFields(type: string): CustomField[];
  counters(): Counters;
  resetCounters(): void;
  /** Server time of each vendor request (Fastify onRequest → onResponse), with samples. */
  serverTimings(): TimingSummary;
  /** Recent vendor requests with arrival and answer times (epoch ms), oldest first; cleared by resetCounters(). */
  requestLog(): RequestLogEntry[];
  /** The warehouse ships a sales order (internal ID or `eid:…`): an item fulfilment (warehouse.ts). Refusals are 400s with the transform's message. */
  fulfilSalesOrder(id: string, input?: z.input<typeof fulfilSchema>): CreatedFulfilment;
  /** The warehouse changes a fulfilment's ship status (A Picked, B Packed, C Shipped), e.g. takes a shipment back to packed. */
  setFulfilmentShipStatus(id: string, shipStatus: 'A' | 'B' | 'C'): DocumentSummary;
  /** Deletes an item fulfilment: its quantities come off the sales order, its stock back on hand (refused once billed). */
  deleteFulfilment(id: string): void;
  /** Bills a sales order with an invoice (default) or a cash sale. */
  billSalesOrder(id: string, input?: z.input<typeof billSchema>): CreatedBill;
  /** Every document created from a sales order, directly or through its bills, oldest first. */
  salesOrderDocuments(id: string): DocumentSummary[];
}

export interface ControlDeps {
  store: RecordStore;
  records: RecordApi;
  transforms: TransformService;
  governance: Governance;
  auth: OAuthServer;
  defaultClient: DefaultClient;
  validation: { value: PropertyNameValidation };
}

function asControlError(error: unknown): never {
  if (error instanceof ControlInputError) throw error;
  if (error instanceof NsError)
    throw new ControlInputError(`${error.code}: ${error.message}`, error.path ? [`${error.path}: ${error.message}`] : [error.message]);
  throw new ControlInputError((error as Error).message, [(error as Error).message]);
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    return asControlError(error);
  }
}

function parseType(type: string): RecordTypeName {
  return parseControlInput(recordTypeSchema, type, 'record type');
}

const shipStatusSchema = z.object({ shipStatus: z.enum(['A', 'B', 'C']) }).strict();

export function createControl(deps: ControlDeps): NetSuiteControl {
  const { store, records, governance, auth } = deps;
  const findRecord = (type: RecordTypeName, id: string) => {
    const record = store.get(type, id);
    if (!record) throw new ControlInputError(`no ${type} with ID ${id}`, [`id: no ${type} ${id}`], 404);
    return record;
  };
  const view = (): GovernanceView => ({
    concurrencyLimit: governance.settings.concurrencyLimit,
    latency: { ...governance.settings.latency },
    retryAfterSeconds: governance.settings.retryAfterSeconds ?? null,
    propertyNameValidationDefault: deps.validation.value,
  });
  return {
    seed: (catalog) => {
      const parsed = parseControlInput(seedCatalogSchema, catalog, 'seed catalog');
      return guarded(() => loadCatalog(store, parsed));
    },
    createRecord: (type, body) => {
      const t = parseType(type);
      const parsed = parseControlInput(recordBodySchema, body, `${t} body`);
      const record = guarded(() => store.create(t, parsed, { validation: 'Error' }));
      return { id: record.id, record: records.serialize(record, true) };
    },
    updateRecord: (type, id, body) => {
      const t = parseType(type);
      const parsed = parseControlInput(recordBodySchema, body, `${t} body`);
      const record = guarded(() => store.update(t, findRecord(t, id).id, parsed, { validation: 'Error', replace: new Set() }));
      return records.serialize(record, true);
    },
    getRecord: (type, id) => records.serialize(findRecord(parseType(type), id), true),
    listRecords: (type) => [...store.recordsOf(parseType(type)).values()].map((r) => records.serialize(r, true)),
    setItemQuantities: (item, input) => {
      const parsed = parseControlInput(quantitiesSchema, input, 'quantities');
      let id = store.resolveId('inventoryItem', item);
      if (id === undefined) {
        for (const record of store.recordsOf('inventoryItem').values()) {
          if (record.fields.itemId === item) {
            id = record.id;
            break;
          }
        }
      }
      if (id === undefined)
        throw new ControlInputError(
          `no inventory item ${item} (give an internal ID, eid:<externalId> or the itemid/SKU)`,
          [`id: no inventory item ${item}`],
          404,
        );
      const itemId = id;
      const q = guarded(() => store.setQuantities(itemId, parsed.location, parsed));
      return {
        item: itemId,
        location: parsed.location,
        quantityOnHand: q.onHand,
        quantityCommitted: q.committed,
        quantityAvailable: Math.max(0, q.onHand - q.committed),
        quantityOnOrder: q.onOrder,
        quantityBackOrdered: q.backordered,
      };
    },
    registerClient: (input) => {
      const parsed = parseControlInput(clientSchema, input, 'client registration');
      try {
        if (typeof parsed.publicKey === 'string') createPublicKey(parsed.publicKey);
        else createPublicKey({ key: parsed.publicKey as import('node:crypto').JsonWebKey, format: 'jwk' });
      } catch (error) {
        throw new ControlInputError(`invalid client registration: publicKey is not a public key (SPKI PEM or JWK): ${(error as Error).message}`, [
          'publicKey: not a valid SPKI PEM or JWK',
        ]);
      }
      auth.registerClient({
        clientId: parsed.clientId,
        certificateId: parsed.certificateId,
        publicKey: parsed.publicKey as string | Jwk,
        ...(parsed.scopes ? { scopes: parsed.scopes } : {}),
      });
      return { clientId: parsed.clientId, certificateId: parsed.certificateId };
    },
    revokeAllTokens: () => ({ revoked: auth.revokeAll() }),
    defaultClient: () => ({ ...deps.defaultClient }),
    addFault: (input) => {
      const parsed = parseControlInput(faultSchema, input, 'fault');
      const fault: Omit<Fault, 'id'> = { kind: parsed.kind, status: parsed.kind === '5xx' ? parsed.status : 500, route: parsed.route ?? {} };
      if (parsed.count !== undefined) fault.remaining = parsed.count;
      if (parsed.rate !== undefined) fault.rate = parsed.rate;
      if ((parsed.kind === 'hang' || parsed.kind === 'slow-response') && parsed.ms !== undefined) fault.ms = parsed.ms;
      if (parsed.kind === '429' && parsed.retryAfterSeconds !== undefined) fault.retryAfterSeconds = parsed.retryAfterSeconds;
      return governance.addFault(fault);
    },
    clearFaults: () => ({ cleared: governance.clearFaults() }),
    faults: () => governance.listFaults(),
    setGovernance: (input) => {
      const parsed = parseControlInput(governanceSchema, input, 'governance settings');
      if (parsed.concurrencyLimit !== undefined) governance.settings.concurrencyLimit = parsed.concurrencyLimit;
      if (parsed.latency?.fixedMs !== undefined) governance.settings.latency.fixedMs = parsed.latency.fixedMs;
      if (parsed.latency?.jitterMs !== undefined) governance.settings.latency.jitterMs = parsed.latency.jitterMs;
      if (parsed.retryAfterSeconds !== undefined) governance.settings.retryAfterSeconds = parsed.retryAfterSeconds ?? undefined;
      if (parsed.propertyNameValidationDefault !== undefined) deps.validation.value = parsed.propertyNameValidationDefault;
      return view();
    },
    governance: view,
    setPermission: (input) => {
      const parsed = parseControlInput(permissionSchema, input, 'permission');
      governance.setPermission(parsed.recordType, parsed.operation, parsed.allowed);
      return { denied: governance.deniedPermissions() };
    },
    renameField: (input) => {
      const parsed = parseControlInput(renameFieldSchema, input, 'rename-field request');
      return guarded(() => store.renameCustomField(parsed.recordType, parsed.from, parsed.to));
    },
    makeMandatory: (input) => {
      const parsed = parseControlInput(makeMandatorySchema, input, 'make-mandatory request');
      return guarded(() => store.setCustomFieldMandatory(parsed.recordType, parsed.scriptId, parsed.mandatory));
    },
    addField: (input) => {
      const parsed = parseControlInput(addFieldSchema, input, 'add-field request');
      if (!CUSTOM_FIELD_HOSTS[parsed.recordType])
        throw new ControlInputError(`record type ${parsed.recordType} has no custom fields`, ['recordType: no custom fields on this type']);
      const field: CustomField = { scriptId: parsed.scriptId, label: parsed.label ?? parsed.scriptId, type: parsed.type, mandatory: parsed.mandatory };
      guarded(() => store.addCustomField(parsed.recordType, field));
      return field;
    },
    customFields: (type) => [...store.customFieldsOf(parseType(type)).values()].map((f) => ({ ...f })),
    counters: () => governance.counters(),
    resetCounters: () => governance.resetCounters(),
    serverTimings: () => governance.serverTimings(true),
    requestLog: () => governance.requestLog(),
    fulfilSalesOrder: (id, input) => {
      const parsed = parseControlInput(fulfilSchema, input, 'fulfil request');
      const order = findRecord('salesOrder', id);
      return guarded(() => fulfil(deps.transforms, order.id, parsed));
    },
    setFulfilmentShipStatus: (id, shipStatus) => {
      const parsed = parseControlInput(shipStatusSchema, { shipStatus }, 'ship-status request');
      const fulfilment = findRecord('itemFulfillment', id);
      guarded(() => store.update('itemFulfillment', fulfilment.id, { shipStatus: parsed.shipStatus }, { validation: 'Error', replace: new Set() }));
      const summary = documentsOf(store, findRecord('salesOrder', fulfilment.source?.id ?? '')).find((d) => d.id === fulfilment.id);
      if (!summary) throw new ControlInputError(`fulfilment ${id} has no sales order`, ['id: not a fulfilment of a sales order']);
      return summary;
    },
    deleteFulfilment: (id) => {
      const fulfilment = findRecord('itemFulfillment', id);
      guarded(() => store.delete('itemFulfillment', fulfilment.id));
    },
    billSalesOrder: (id, input) => {
      const parsed = parseControlInput(billSchema, input, 'bill request');
      const order = findRecord('salesOrder', id);
      return guarded(() => bill(deps.transforms, order.id, parsed));
    },
    salesOrderDocuments: (id) => documentsOf(store, findRecord('salesOrder', id)),
  };
}

// ---------- HTTP routes ----------

export function installControlRoutes(app: FastifyInstance, control: NetSuiteControl): void {
  installControlErrorHandling(app);
  type TypeParams = { type: string; id: string };
  const body = (raw: unknown): Record<string, unknown> => parseControlInput(recordBodySchema, raw, 'request body');

  app.get('/control/counters', async () => control.counters());
  app.post('/control/counters/reset', async () => {
    control.resetCounters();
    return { ok: true };
  });
  app.get('/control/timings', async (request) => {
    const { samples } = request.query as { samples?: string };
    const summary = control.serverTimings();
    if (samples !== 'true') delete summary.samplesMs;
    return summary;
  });
  app.get('/control/requests', async () => control.requestLog());
  app.post('/control/seed', async (request) => control.seed(body(request.body) as z.input<typeof seedCatalogSchema>));
  app.get('/control/faults', async () => control.faults());
  app.post('/control/faults', async (request) => control.addFault(body(request.body) as z.input<typeof faultSchema>));
  app.delete('/control/faults', async () => control.clearFaults());
  app.get('/control/governance', async () => control.governance());
  app.post('/control/governance', async (request) => control.setGovernance(body(request.body)));
  app.post('/control/oauth/clients', async (request) => control.registerClient(body(request.body) as z.input<typeof clientSchema>));
  app.post('/control/oauth/revoke-all', async () => control.revokeAllTokens());
  app.get('/control/oauth/default-client', async () => control.defaultClient());
  app.post('/control/permissions', async (request) => control.setPermission(body(request.body) as z.input<typeof permissionSchema>));
  app.post('/control/schema/rename-field', async (request) => control.renameField(body(request.body) as z.input<typeof renameFieldSchema>));
  app.post('/control/schema/make-mandatory', async (request) => control.makeMandatory(body(request.body) as z.input<typeof makeMandatorySchema>));
  app.post('/control/schema/add-field', async (request) => control.addField(body(request.body) as z.input<typeof addFieldSchema>));
  app.get<{ Params: TypeParams }>('/control/schema/:type', async (request) => control.customFields(request.params.type));
  app.get<{ Params: TypeParams }>('/control/records/:type', async (request) => control.listRecords(request.params.type));
  app.get<{ Params: TypeParams }>('/control/records/:type/:id', async (request) => control.getRecord(request.params.type, request.params.id));
  app.post<{ Params: TypeParams }>('/control/records/:type', async (request) => control.createRecord(request.params.type, body(request.body)));
  app.patch<{ Params: TypeParams }>('/control/records/:type/:id', async (request) =>
    control.updateRecord(request.params.type, request.params.id, body(request.body)),
  );
  app.post<{ Params: TypeParams }>('/control/sales-orders/:id/fulfil', async (request) =>
    control.fulfilSalesOrder(request.params.id, body(request.body) as z.input<typeof fulfilSchema>),
  );
  app.patch<{ Params: TypeParams }>('/control/fulfilments/:id', async (request) => {
    const parsed = parseControlInput(shipStatusSchema, request.body, 'ship-status request');
    return control.setFulfilmentShipStatus(request.params.id, parsed.shipStatus);
  });
  app.delete<{ Params: TypeParams }>('/control/fulfilments/:id', async (request) => {
    control.deleteFulfilment(request.params.id);
    return { ok: true };
  });
  app.post<{ Params: TypeParams }>('/control/sales-orders/:id/bill', async (request) =>
    control.billSalesOrder(request.params.id, body(request.body) as z.input<typeof billSchema>),
  );
  app.get<{ Params: TypeParams }>('/control/sales-orders/:id/documents', async (request) => control.salesOrderDocuments(request.params.id));
  app.post<{ Params: TypeParams }>('/control/items/:id/quantities', async (request) =>
    control.setItemQuantities(request.params.id, body(request.body) as z.input<typeof quantitiesSchema>),
  );
}
