/**
 * The control API in-process (`NetSuiteControl`); the same operations over HTTP on a separate listener under
 * `/control/...`: control-routes.ts. Every input is validated with zod (control-schemas.ts); bad input is a
 * ControlInputError (over HTTP a 400 `{"error", "issues"}`), never a crash.
 * Control operations bypass governance (no concurrency limit, latency, faults or auth).
 */
import { createPublicKey } from 'node:crypto';
import type { z } from 'zod';
import type { SeedCatalog } from '../seed';
import { ControlInputError, parseControlInput } from '../shared/http';
import type { DefaultClient, OAuthServer } from './auth';
import {
  addFieldSchema,
  clientSchema,
  faultSchema,
  governanceSchema,
  makeMandatorySchema,
  permissionSchema,
  quantitiesSchema,
  recordBodySchema,
  recordTypeSchema,
  renameFieldSchema,
  seedCatalogSchema,
  shipStatusSchema,
} from './control-schemas';
import { addCustomField, renameCustomField, setCustomFieldMandatory } from './custom-fields';
import { NsError } from './errors';
import type { Counters, Fault, Governance, RequestLogEntry, TimingSummary } from './governance';
import type { Jwk } from './jose';
import { setQuantities } from './inventory';
import type { PropertyNameValidation } from './options';
import { createRecord, deleteRecord, updateRecord } from './record-writes';
import type { RecordApi } from './records';
import { CUSTOM_FIELD_HOSTS, type CustomField, type RecordTypeName } from './schema';
import { loadCatalog, type SeedResult } from './seeding';
import type { RecordStore } from './store';
import type { TransformService } from './transforms';
import { bill, billSchema, documentsOf, fulfil, fulfilSchema, type CreatedBill, type CreatedFulfilment, type DocumentSummary } from './warehouse';

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
      const record = guarded(() => createRecord(store, t, parsed, { validation: 'Error' }));
      return { id: record.id, record: records.serialize(record, true) };
    },
    updateRecord: (type, id, body) => {
      const t = parseType(type);
      const parsed = parseControlInput(recordBodySchema, body, `${t} body`);
      const record = guarded(() => updateRecord(store, t, findRecord(t, id).id, parsed, { validation: 'Error', replace: new Set() }));
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
      const q = guarded(() => setQuantities(store, itemId, parsed.location, parsed));
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
      return guarded(() => renameCustomField(store, parsed.recordType, parsed.from, parsed.to));
    },
    makeMandatory: (input) => {
      const parsed = parseControlInput(makeMandatorySchema, input, 'make-mandatory request');
      return guarded(() => setCustomFieldMandatory(store, parsed.recordType, parsed.scriptId, parsed.mandatory));
    },
    addField: (input) => {
      const parsed = parseControlInput(addFieldSchema, input, 'add-field request');
      if (!CUSTOM_FIELD_HOSTS[parsed.recordType])
        throw new ControlInputError(`record type ${parsed.recordType} has no custom fields`, ['recordType: no custom fields on this type']);
      const field: CustomField = { scriptId: parsed.scriptId, label: parsed.label ?? parsed.scriptId, type: parsed.type, mandatory: parsed.mandatory };
      guarded(() => addCustomField(store, parsed.recordType, field));
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
      guarded(() => updateRecord(store, 'itemFulfillment', fulfilment.id, { shipStatus: parsed.shipStatus }, { validation: 'Error', replace: new Set() }));
      const summary = documentsOf(store, findRecord('salesOrder', fulfilment.source?.id ?? '')).find((d) => d.id === fulfilment.id);
      if (!summary) throw new ControlInputError(`fulfilment ${id} has no sales order`, ['id: not a fulfilment of a sales order']);
      return summary;
    },
    deleteFulfilment: (id) => {
      const fulfilment = findRecord('itemFulfillment', id);
      guarded(() => deleteRecord(store, 'itemFulfillment', fulfilment.id));
    },
    billSalesOrder: (id, input) => {
      const parsed = parseControlInput(billSchema, input, 'bill request');
      const order = findRecord('salesOrder', id);
      return guarded(() => bill(deps.transforms, order.id, parsed));
    },
    salesOrderDocuments: (id) => documentsOf(store, findRecord('salesOrder', id)),
  };
}
