/**
 * The record store: the records themselves (kept as JS objects for the record API) with every write mirrored
 * synchronously into the SuiteQL tables, inventory commitment on sales orders, external IDs, references and
 * the custom-field registry. All validation failures are NsErrors (NetSuite-shaped 400s).
 */
import type { SqlValue } from 'sql.js';
import { SuiteQlDatabase } from './database';
import { NsError, badRequest } from './errors';
import type { PropertyNameValidation, ResolvedOptions } from './options';
import {
  CUSTOM_FIELD_HOSTS,
  DEFAULT_CUSTOM_FIELDS,
  ITEM_TYPES,
  ITEM_TYPE_CODES,
  RECORD_TYPES,
  SALES_ORDER_LINE_FIELDS,
  SCRIPT_ID_PATTERN,
  STANDARD_FIELDS,
  sqlTypeOf,
  type CustomField,
  type RecordTypeName,
  type RefTarget,
  type StandardField,
} from './schema';

export interface LocationQuantities {
  onHand: number;
  committed: number;
  onOrder: number;
  backordered: number;
  /** Per-location average cost; falls back to the item's averageCost. */
  averageCost?: number;
}

export interface SalesOrderLine {
  line: number;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  description?: string;
  location?: string;
  price?: string;
  isClosed: boolean;
  quantityCommitted: number;
  quantityBackOrdered: number;
  /** Location whose inventory this line committed (set while committed). */
  commitLocation?: string;
}

export interface StoredRecord {
  id: string;
  type: RecordTypeName;
  /** Body fields: scalars, reference IDs (as strings), objects, and custom fields keyed by script ID. */
  fields: Record<string, unknown>;
  /** Sales-order item lines. */
  lines: SalesOrderLine[];
  /** Inventory items: quantities per location ID. */
  inventory: Map<string, LocationQuantities>;
  createdAt: string;
  lastModified: string;
}

export interface NamedEntity {
  id: string;
  name: string;
}

export interface WriteContext {
  validation: PropertyNameValidation;
}

export interface UpdateContext extends WriteContext {
  /** Sublists named in `?replace=`: replaced as a whole instead of merged by `line`. */
  replace: Set<string>;
}

/** Sales-order statuses: `orderStatus` letter → REST status ID and label. */
export const ORDER_STATUSES: Record<string, { id: string; label: string }> = {
  A: { id: 'pendingApproval', label: 'Pending Approval' },
  B: { id: 'pendingFulfillment', label: 'Pending Fulfillment' },
  C: { id: 'cancelled', label: 'Cancelled' },
  D: { id: 'partiallyFulfilled', label: 'Partially Fulfilled' },
  E: { id: 'pendingBillingPartFulfilled', label: 'Pending Billing/Partially Fulfilled' },
  F: { id: 'pendingBilling', label: 'Pending Billing' },
  G: { id: 'billed', label: 'Billed' },
  H: { id: 'closed', label: 'Closed' },
};

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The externalId the seed gives an existing NetSuite customer: `woo-customer-` + the e-mail with every character other than letters, digits, `_`, `-` replaced by `_`. */
export function seedCustomerExternalId(email: string): string {
  return `woo-customer-${email.trim().toLowerCase().replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tf = (v: unknown): string => (v === true ? 'T' : 'F');
const today = (): string => new Date().toISOString().slice(0, 10);

interface NormalizedLine {
  index: number;
  values: Partial<SalesOrderLine>;
  hasLine: boolean;
}

interface NormalizedBody {
  fields: Record<string, unknown>;
  /** Keys explicitly set to null (cleared). */
  cleared: string[];
  lines?: NormalizedLine[];
}

export class RecordStore {
  readonly records = new Map<RecordTypeName, Map<string, StoredRecord>>();
  private readonly externalIds = new Map<RecordTypeName, Map<string, string>>();
  /** Every record in the item ID space (inventory, discount, other-charge and ship items). */
  private readonly items = new Map<string, StoredRecord>();
  readonly locations = new Map<string, NamedEntity>();
  readonly subsidiaries = new Map<string, NamedEntity>();
  private readonly customFields = new Map<RecordTypeName, Map<string, CustomField>>();
  private nextCustomerId = 100;
  private nextTransactionId = 1000;
  private nextItemId = 1;
  private nextTranNumber = 1001;

  constructor(
    readonly db: SuiteQlDatabase,
    private readonly options: ResolvedOptions,
  ) {
    for (const type of RECORD_TYPES) {
      this.records.set(type, new Map());
      this.externalIds.set(type, new Map());
      this.customFields.set(type, new Map());
    }
    for (const [type, fields] of Object.entries(DEFAULT_CUSTOM_FIELDS) as [RecordTypeName, CustomField[]][]) {
      for (const field of fields) this.addCustomField(type, { ...field });
    }
    this.addSubsidiary({ id: '1', name: 'Parent Company' });
  }

  // ---------- registries ----------

  addLocation(location: NamedEntity): void {
    this.locations.set(location.id, { ...location });
    this.db.upsertRow('location', { id: Number(location.id), name: location.name, isinactive: 'F', subsidiary: 1 });
    for (const item of this.recordsOf('inventoryItem').values()) {
      if (!item.inventory.has(location.id)) {
        item.inventory.set(location.id, { onHand: 0, committed: 0, onOrder: 0, backordered: 0 });
        this.mirrorInventory(item, location.id);
      }
    }
  }

  addSubsidiary(subsidiary: NamedEntity): void {
    this.subsidiaries.set(subsidiary.id, { ...subsidiary });
    this.db.upsertRow('subsidiary', { id: Number(subsidiary.id), name: subsidiary.name, isinactive: 'F' });
  }

  recordsOf(type: RecordTypeName): Map<string, StoredRecord> {
    return this.records.get(type) as Map<string, StoredRecord>;
  }

  customFieldsOf(type: RecordTypeName): Map<string, CustomField> {
    return this.customFields.get(type) as Map<string, CustomField>;
  }

  /** Adds a custom field (and its SuiteQL column). */
  addCustomField(type: RecordTypeName, field: CustomField): void {
    const host = CUSTOM_FIELD_HOSTS[type];
    if (!host) throw new Error(`record type ${type} has no custom fields`);
    if (!SCRIPT_ID_PATTERN.test(field.scriptId) || !field.scriptId.startsWith(`${host.prefix}_`)) {
      throw new Error(`script ID ${field.scriptId} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
    }
    const registry = this.customFieldsOf(type);
    if (registry.has(field.scriptId) || STANDARD_FIELDS[type].some((s) => s.name.toLowerCase() === field.scriptId)) {
      throw new Error(`field ${field.scriptId} already exists on ${type}`);
    }
    registry.set(field.scriptId, { ...field });
    this.db.alter(`ALTER TABLE "${host.table}" ADD COLUMN "${field.scriptId}" ${sqlTypeOf(field.type)}`);
  }

  /** Renames a custom field: the old name stops existing, values move to the new name, the SuiteQL column is renamed. */
  renameCustomField(type: RecordTypeName, from: string, to: string): CustomField {
    const host = CUSTOM_FIELD_HOSTS[type];
    const registry = this.customFieldsOf(type);
    const field = registry.get(from);
    if (!host || !field) throw new Error(`no custom field ${from} on ${type}`);
    if (!SCRIPT_ID_PATTERN.test(to) || !to.startsWith(`${host.prefix}_`)) throw new Error(`new script ID ${to} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
    if (registry.has(to)) throw new Error(`field ${to} already exists on ${type}`);
    const renamed = { ...field, scriptId: to };
    const entries = [...registry.entries()].map(([k, v]): [string, CustomField] => (k === from ? [to, renamed] : [k, v]));
    registry.clear();
    for (const [k, v] of entries) registry.set(k, v);
    for (const record of this.recordsOf(type).values()) {
      if (from in record.fields) {
        record.fields[to] = record.fields[from];
        delete record.fields[from];
      }
    }
    this.db.alter(`ALTER TABLE "${host.table}" RENAME COLUMN "${from}" TO "${to}"`);
    return renamed;
  }

  setCustomFieldMandatory(type: RecordTypeName, scriptId: string, mandatory: boolean): CustomField {
    const field = this.customFieldsOf(type).get(scriptId);
    if (!field) throw new Error(`no custom field ${scriptId} on ${type}`);
    field.mandatory = mandatory;
    return field;
  }

  // ---------- lookups ----------

  /** Resolves an internal ID or `eid:<externalId>` to an internal ID of that type. */
  resolveId(type: RecordTypeName, raw: string): string | undefined {
    if (raw.startsWith('eid:')) return this.externalIds.get(type)?.get(raw.slice(4));
    return this.recordsOf(type).has(raw) ? raw : undefined;
  }

  get(type: RecordTypeName, idOrEid: string): StoredRecord | undefined {
    const id = this.resolveId(type, idOrEid);
    return id === undefined ? undefined : this.recordsOf(type).get(id);
  }

  item(id: string): StoredRecord | undefined {
    return this.items.get(id);
  }

  /** Display name of a referenced record, as REST's `refName`. */
  refName(target: RefTarget, id: string): string | undefined {
    switch (target) {
      case 'customer': {
        const c = this.recordsOf('customer').get(id);
        return c ? String(c.fields.entityId ?? '') : undefined;
      }
      case 'item':
      case 'shipItem': {
        const i = this.items.get(id);
        return i ? String(i.fields.itemId ?? '') : undefined;
      }
      case 'location':
        return this.locations.get(id)?.name;
      case 'subsidiary':
        return this.subsidiaries.get(id)?.name;
      default:
        return undefined;
    }
  }

  // ---------- writes ----------

  /** Creates a record; `prepare` (seeding) may adjust it, e.g. set inventory, before it is mirrored to SuiteQL. */
  create(type: RecordTypeName, body: unknown, ctx: WriteContext, prepare?: (record: StoredRecord) => void): StoredRecord {
    const normalized = this.normalize(type, body, ctx, true);
    const externalId = normalized.fields.externalId;
    if (typeof externalId === 'string' && this.externalIds.get(type)?.has(externalId)) {
      throw badRequest(this.options.duplicateExternalIdErrorCode, `A record with the external ID '${externalId}' already exists.`, 'externalId');
    }
    this.checkMandatory(type, normalized.fields);
    if (type === 'salesOrder' && (!normalized.lines || normalized.lines.length === 0)) {
      throw badRequest('USER_ERROR', 'You must enter at least one line item for this transaction.', 'item');
    }
    const now = new Date().toISOString();
    const id = this.allocateId(type);
    const record: StoredRecord = { id, type, fields: normalized.fields, lines: [], inventory: new Map(), createdAt: now, lastModified: now };
    this.applyDefaults(record);
    if (type === 'salesOrder') {
      record.lines = (normalized.lines ?? []).map((l, i) => this.buildLine(l.values, i + 1));
      this.computeTotals(record);
    }
    if (type === 'inventoryItem') {
      for (const location of this.locations.keys()) record.inventory.set(location, { onHand: 0, committed: 0, onOrder: 0, backordered: 0 });
    }
    this.recordsOf(type).set(id, record);
    if (typeof externalId === 'string') this.externalIds.get(type)?.set(externalId, id);
    if (ITEM_TYPES.includes(type) || type === 'shipItem') this.items.set(id, record);
    if (type === 'salesOrder') this.commit(record);
    prepare?.(record);
    this.mirror(record);
    return record;
  }

  update(type: RecordTypeName, id: string, body: unknown, ctx: UpdateContext): StoredRecord {
    const record = this.recordsOf(type).get(id);
    if (!record) throw notFound();
    const normalized = this.normalize(type, body, ctx, false);
    const externalId = normalized.fields.externalId;
    if (typeof externalId === 'string' && externalId !== record.fields.externalId) {
      if (this.externalIds.get(type)?.has(externalId)) {
        throw badRequest(this.options.duplicateExternalIdErrorCode, `A record with the external ID '${externalId}' already exists.`, 'externalId');
      }
    }
    if (type === 'salesOrder') this.release(record);
    const oldExternalId = record.fields.externalId;
    Object.assign(record.fields, normalized.fields);
    for (const key of normalized.cleared) delete record.fields[key];
    if (oldExternalId !== record.fields.externalId) {
      if (typeof oldExternalId === 'string') this.externalIds.get(type)?.delete(oldExternalId);
      if (typeof record.fields.externalId === 'string') this.externalIds.get(type)?.set(record.fields.externalId, id);
    }
    if (type === 'salesOrder') {
      if (normalized.lines) {
        if (ctx.replace.has('item')) {
          record.lines = normalized.lines.map((l, i) => this.buildLine(l.values, i + 1));
        } else {
          let next = record.lines.reduce((m, l) => Math.max(m, l.line), 0) + 1;
          for (const incoming of normalized.lines) {
            const existing = incoming.hasLine ? record.lines.find((l) => l.line === incoming.values.line) : undefined;
            if (existing) {
              Object.assign(existing, incoming.values);
              if (incoming.values.amount === undefined && (incoming.values.quantity !== undefined || incoming.values.rate !== undefined)) {
                existing.amount = round2(existing.quantity * existing.rate);
              }
            } else {
              record.lines.push(this.buildLine({ ...incoming.values, line: undefined }, next++));
            }
          }
        }
      }
      this.computeTotals(record);
      this.commit(record);
    }
    record.lastModified = new Date().toISOString();
    this.mirror(record);
    return record;
  }

  /** `PUT /<type>/eid:<externalId>`: creates the record with that external ID, or updates it. */
  upsert(type: RecordTypeName, externalId: string, body: unknown, ctx: UpdateContext): { created: boolean; record: StoredRecord } {
    if (!EXTERNAL_ID_PATTERN.test(externalId)) {
      throw badRequest('INVALID_CONTENT', `Invalid external ID '${externalId}': only letters, digits, _ and - are allowed.`, 'externalId');
    }
    if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
    const withId = { ...body, externalId };
    const existing = this.externalIds.get(type)?.get(externalId);
    if (existing !== undefined) return { created: false, record: this.update(type, existing, withId, ctx) };
    return { created: true, record: this.create(type, withId, ctx) };
  }

  delete(type: RecordTypeName, id: string): void {
    const record = this.recordsOf(type).get(id);
    if (!record) throw notFound();
    if (type === 'customer') {
      for (const order of this.recordsOf('salesOrder').values()) {
        if (order.fields.entity === id) throw badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
      }
    }
    if (this.items.has(id)) {
      for (const order of this.recordsOf('salesOrder').values()) {
        if (order.lines.some((l) => l.item === id) || order.fields.shipMethod === id) {
          throw badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
        }
      }
    }
    if (type === 'salesOrder') this.release(record);
    this.recordsOf(type).delete(id);
    this.items.delete(id);
    if (typeof record.fields.externalId === 'string') this.externalIds.get(type)?.delete(record.fields.externalId);
    const table = tableOf(type);
    this.db.write(`DELETE FROM "${table}" WHERE id = ?`, [Number(id)]);
    if (type === 'salesOrder') this.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [Number(id)]);
    if (type === 'inventoryItem') this.db.write('DELETE FROM inventoryitemlocations WHERE item = ?', [Number(id)]);
  }

  /** Sets inventory quantities of one item at one location (control API); available is recomputed. */
  setQuantities(itemId: string, location: string, values: Partial<LocationQuantities>): LocationQuantities {
    const item = this.recordsOf('inventoryItem').get(itemId);
    if (!item) throw new Error(`no inventory item ${itemId}`);
    if (!this.locations.has(location)) throw new Error(`no location ${location}`);
    const q = this.quantities(item, location);
    for (const key of ['onHand', 'committed', 'onOrder', 'backordered', 'averageCost'] as const) {
      const v = values[key];
      if (v !== undefined) q[key] = v;
    }
    this.mirrorInventory(item, location);
    return q;
  }

  setAverageCost(item: StoredRecord, cost: number): void {
    item.fields.averageCost = cost;
    this.mirror(item);
  }

  // ---------- internals ----------

  private allocateId(type: RecordTypeName): string {
    if (type === 'customer') return String(this.nextCustomerId++);
    if (type === 'salesOrder') return String(this.nextTransactionId++);
    return String(this.nextItemId++);
  }

  private applyDefaults(record: StoredRecord): void {
    const f = record.fields;
    if (record.type === 'customer') {
      if (f.isPerson === undefined) f.isPerson = !f.companyName && (f.firstName !== undefined || f.lastName !== undefined);
      if (f.entityId === undefined) f.entityId = (f.companyName as string | undefined) || `${String(f.firstName ?? '')} ${String(f.lastName ?? '')}`.trim() || `CUST${record.id}`;
      if (f.subsidiary === undefined) f.subsidiary = '1';
    } else if (record.type === 'salesOrder') {
      if (f.tranId === undefined) f.tranId = `SO${this.nextTranNumber++}`;
      if (f.tranDate === undefined) f.tranDate = today();
      if (f.orderStatus === undefined) f.orderStatus = 'B';
      if (f.subsidiary === undefined) f.subsidiary = '1';
    } else {
      if (f.isInactive === undefined) f.isInactive = false;
      if (f.displayName === undefined) f.displayName = f.itemId;
    }
  }

  private checkMandatory(type: RecordTypeName, fields: Record<string, unknown>): void {
    const empty = (v: unknown): boolean => v === undefined || v === null || v === '';
    if (type === 'salesOrder' && empty(fields.entity)) throw badRequest('USER_ERROR', 'Please enter value(s) for: Customer', 'entity');
    if (type === 'customer' && empty(fields.companyName) && (empty(fields.firstName) || empty(fields.lastName))) {
      throw badRequest('USER_ERROR', fields.isPerson === true ? 'Please enter value(s) for: First Name, Last Name' : 'Please enter value(s) for: Company Name', fields.isPerson === true ? 'firstName' : 'companyName');
    }
    if ((ITEM_TYPES.includes(type) || type === 'shipItem') && empty(fields.itemId)) throw badRequest('USER_ERROR', 'Please enter value(s) for: Item Name/Number', 'itemId');
    for (const field of this.customFieldsOf(type).values()) {
      if (field.mandatory && (empty(fields[field.scriptId]) || (field.type === 'checkbox' && fields[field.scriptId] !== true))) {
        throw badRequest('USER_ERROR', `Please enter value(s) for: ${field.label}`, field.scriptId);
      }
    }
  }

  /** Validates a request body: unknown properties (per PropertyNameValidation), value types, references, external ID. */
  private normalize(type: RecordTypeName, body: unknown, ctx: WriteContext, creating: boolean): NormalizedBody {
    if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
    const standard = new Map(STANDARD_FIELDS[type].map((s) => [s.name, s]));
    const custom = this.customFieldsOf(type);
    const out: NormalizedBody = { fields: {}, cleared: [] };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'links' || key === 'id' || key === 'refName') continue;
      const def = standard.get(key);
      const customDef = def ? undefined : custom.get(key);
      if (!def && !customDef) {
        this.unknownProperty(key, type, ctx);
        continue;
      }
      if (def?.readOnly) continue;
      if (value === null) {
        if (!creating) out.cleared.push(key);
        continue;
      }
      if (customDef) {
        out.fields[key] = coerceCustom(customDef, value);
        continue;
      }
      const field = def as StandardField;
      if (field.kind === 'sublist') {
        out.lines = this.normalizeLines(value, ctx);
        continue;
      }
      if (key === 'orderStatus') {
        const code = isObject(value) ? value.id : value;
        if (typeof code !== 'string' || !ORDER_STATUSES[code]) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${JSON.stringify(code)} for the following field: orderStatus`, 'orderStatus');
        out.fields[key] = code;
        continue;
      }
      out.fields[key] = this.normalizeValue(field, value, key);
    }
    const externalId = out.fields.externalId;
    if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID_PATTERN.test(externalId))) {
      throw badRequest('INVALID_CONTENT', `Invalid external ID ${JSON.stringify(externalId)}: only letters, digits, _ and - are allowed.`, 'externalId');
    }
    return out;
  }

  private unknownProperty(path: string, type: RecordTypeName, ctx: WriteContext): void {
    if (ctx.validation === 'Error') {
      throw badRequest('NONEXISTENT_FIELD', `Error while accessing a resource. Field '${path.split('.').pop() ?? path}' does not exist on record type ${type}.`, path);
    }
  }

  private normalizeValue(field: StandardField, value: unknown, path: string): unknown {
    switch (field.kind) {
      case 'string':
      case 'date':
      case 'datetime':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected a string.`, path);
      case 'number':
      case 'integer': {
        const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (!Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n))) {
          throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected a number, got ${JSON.stringify(value)}.`, path);
        }
        return n;
      }
      case 'boolean':
        if (typeof value === 'boolean') return value;
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: expected true or false.`, path);
      case 'object':
        return value;
      case 'ref':
        return this.resolveRef(field, value, path);
      default:
        return value;
    }
  }

  private resolveRef(field: StandardField, value: unknown, path: string): string {
    if (!isObject(value) || (value.id === undefined && value.externalId === undefined)) {
      throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: a reference must be an object with an id, e.g. {"id": "1"}.`, path);
    }
    const raw = value.id !== undefined ? String(value.id) : `eid:${String(value.externalId)}`;
    const target = field.ref ?? 'none';
    if (target === 'none') return raw;
    let id: string | undefined;
    if (target === 'customer') id = this.resolveId('customer', raw);
    else if (target === 'location') id = this.locations.has(raw) ? raw : undefined;
    else if (target === 'subsidiary') id = this.subsidiaries.has(raw) ? raw : undefined;
    else if (target === 'shipItem') id = this.resolveId('shipItem', raw);
    else if (target === 'item') {
      for (const t of ITEM_TYPES) {
        id = this.resolveId(t, raw);
        if (id !== undefined) break;
      }
    }
    if (id === undefined) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${raw} for the following field: ${field.name}`, path);
    return id;
  }

  private normalizeLines(value: unknown, ctx: WriteContext): NormalizedLine[] {
    if (!isObject(value) || !Array.isArray(value.items)) {
      throw badRequest('INVALID_CONTENT', 'The item sublist must be an object with an "items" array.', 'item');
    }
    const defs = new Map(SALES_ORDER_LINE_FIELDS.map((s) => [s.name, s]));
    return value.items.map((line: unknown, index: number): NormalizedLine => {
      const base = `item.items[${index}]`;
      if (!isObject(line)) throw badRequest('INVALID_CONTENT', 'Each line of the item sublist must be an object.', base);
      const values: Partial<SalesOrderLine> = {};
      for (const [key, raw] of Object.entries(line)) {
        if (key === 'links') continue;
        const def = defs.get(key);
        if (!def) {
          this.unknownProperty(`${base}.${key}`, 'salesOrder', ctx);
          continue;
        }
        if (def.readOnly || raw === null) continue;
        const path = `${base}.${key}`;
        if (key === 'taxCode') {
          if (this.options.legacyTaxCode === 'reject') {
            throw badRequest('USER_ERROR', 'Legacy tax is not supported by REST web services: a line taxCode requires SuiteTax. Remove taxCode from the line.', path);
          }
          continue;
        }
        const v = this.normalizeValue(def, raw, path);
        switch (key) {
          case 'line': values.line = v as number; break;
          case 'item': values.item = v as string; break;
          case 'quantity': values.quantity = v as number; break;
          case 'rate': values.rate = v as number; break;
          case 'amount': values.amount = v as number; break;
          case 'description': values.description = v as string; break;
          case 'location': values.location = v as string; break;
          case 'price': values.price = v as string; break;
          case 'isClosed': values.isClosed = v as boolean; break;
        }
      }
      return { index, values, hasLine: values.line !== undefined };
    }).map((l) => {
      if (l.values.item === undefined && !l.hasLine) {
        throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${l.index}].item`);
      }
      return l;
    });
  }

  /** Line amount = `amount` if given, else quantity × rate; rate defaults to the item's base price / rate. */
  private buildLine(values: Partial<SalesOrderLine>, line: number): SalesOrderLine {
    const item = values.item !== undefined ? this.items.get(values.item) : undefined;
    const quantity = values.quantity ?? 1;
    const itemRate = Number(item?.fields.basePrice ?? item?.fields.rate ?? 0);
    const rate = values.rate ?? (values.amount !== undefined && quantity !== 0 ? round2(values.amount / quantity) : Number.isFinite(itemRate) ? itemRate : 0);
    const built: SalesOrderLine = {
      line,
      item: values.item ?? '',
      quantity,
      rate,
      amount: values.amount ?? round2(quantity * rate),
      isClosed: values.isClosed ?? false,
      quantityCommitted: 0,
      quantityBackOrdered: 0,
    };
    if (values.description !== undefined) built.description = values.description;
    if (values.location !== undefined) built.location = values.location;
    if (values.price !== undefined) built.price = values.price;
    return built;
  }

  /** subtotal = Σ line amounts; discountTotal = header discountRate (an amount, or "N%" of subtotal); total = subtotal + discountTotal + shippingCost. */
  private computeTotals(order: StoredRecord): void {
    const subtotal = round2(order.lines.reduce((sum, l) => sum + l.amount, 0));
    const rateRaw = order.fields.discountRate;
    let discount = 0;
    if (typeof rateRaw === 'string' && rateRaw.trim().endsWith('%')) discount = round2((subtotal * Number(rateRaw.trim().slice(0, -1))) / 100);
    else if (rateRaw !== undefined && Number.isFinite(Number(rateRaw))) discount = Number(rateRaw);
    const shipping = typeof order.fields.shippingCost === 'number' ? order.fields.shippingCost : 0;
    order.fields.subtotal = subtotal;
    order.fields.discountTotal = Number.isFinite(discount) ? discount : 0;
    order.fields.total = round2(subtotal + (Number.isFinite(discount) ? discount : 0) + shipping);
  }

  private quantities(item: StoredRecord, location: string): LocationQuantities {
    let q = item.inventory.get(location);
    if (!q) {
      q = { onHand: 0, committed: 0, onOrder: 0, backordered: 0 };
      item.inventory.set(location, q);
    }
    return q;
  }

  /** Commits inventory for open InvtPart lines at the line location, else the order location, else location 1. */
  private commit(order: StoredRecord): void {
    const touched = new Map<StoredRecord, Set<string>>();
    const closed = order.fields.orderStatus === 'C' || order.fields.orderStatus === 'H';
    for (const line of order.lines) {
      const item = this.items.get(line.item);
      line.quantityCommitted = 0;
      line.quantityBackOrdered = 0;
      delete line.commitLocation;
      if (!item || item.type !== 'inventoryItem' || line.isClosed || closed || line.quantity <= 0) continue;
      const location = line.location ?? (order.fields.location as string | undefined) ?? '1';
      const q = this.quantities(item, location);
      const available = Math.max(0, q.onHand - q.committed);
      const committed = Math.min(line.quantity, available);
      q.committed += committed;
      q.backordered += line.quantity - committed;
      line.quantityCommitted = committed;
      line.quantityBackOrdered = line.quantity - committed;
      line.commitLocation = location;
      const set = touched.get(item) ?? new Set<string>();
      set.add(location);
      touched.set(item, set);
    }
    for (const [item, locations] of touched) for (const location of locations) this.mirrorInventory(item, location);
  }

  private release(order: StoredRecord): void {
    for (const line of order.lines) {
      const item = this.items.get(line.item);
      if (!item || line.commitLocation === undefined) continue;
      const q = this.quantities(item, line.commitLocation);
      q.committed = Math.max(0, q.committed - line.quantityCommitted);
      q.backordered = Math.max(0, q.backordered - line.quantityBackOrdered);
      this.mirrorInventory(item, line.commitLocation);
      line.quantityCommitted = 0;
      line.quantityBackOrdered = 0;
      delete line.commitLocation;
    }
  }

  // ---------- SuiteQL mirror ----------

  private customColumns(record: StoredRecord): Record<string, SqlValue> {
    const row: Record<string, SqlValue> = {};
    for (const field of this.customFieldsOf(record.type).values()) {
      const v = record.fields[field.scriptId];
      row[field.scriptId] = v === undefined ? null : field.type === 'checkbox' ? tf(v) : typeof v === 'number' ? v : String(v);
    }
    return row;
  }

  mirror(record: StoredRecord): void {
    const f = record.fields;
    const str = (v: unknown): SqlValue => (v === undefined || v === null ? null : String(v));
    const num = (v: unknown): SqlValue => (v === undefined || v === null || v === '' ? null : Number(v));
    switch (record.type) {
      case 'customer':
        this.db.upsertRow('customer', {
          id: Number(record.id), entityid: str(f.entityId), email: str(f.email), externalid: str(f.externalId),
          datecreated: record.createdAt, lastmodifieddate: record.lastModified, companyname: str(f.companyName),
          firstname: str(f.firstName), lastname: str(f.lastName), isperson: tf(f.isPerson), isinactive: tf(f.isInactive),
          phone: str(f.phone), subsidiary: num(f.subsidiary), ...this.customColumns(record),
        });
        return;
      case 'salesOrder': {
        const id = Number(record.id);
        this.db.upsertRow('transaction', {
          id, tranid: str(f.tranId), type: 'SalesOrd', externalid: str(f.externalId), status: str(f.orderStatus),
          foreigntotal: num(f.total), entity: num(f.entity), trandate: str(f.tranDate), createddate: record.createdAt,
          lastmodifieddate: record.lastModified, location: num(f.location), subsidiary: num(f.subsidiary), memo: str(f.memo),
          otherrefnum: str(f.otherRefNum), shipmethod: num(f.shipMethod), shippingcost: num(f.shippingCost), email: str(f.email),
          ...this.customColumns(record),
        });
        this.db.write('DELETE FROM transactionline WHERE "transaction" = ?', [id]);
        for (const line of record.lines) {
          this.db.upsertRow('transactionline', {
            transaction: id, linesequencenumber: line.line, id: line.line, item: Number(line.item), quantity: line.quantity,
            rate: line.rate, foreignamount: line.amount, location: num(line.location ?? line.commitLocation), memo: str(line.description),
            mainline: 'F', taxline: 'F', isclosed: tf(line.isClosed), quantitycommitted: line.quantityCommitted,
            quantitybackordered: line.quantityBackOrdered,
          });
        }
        return;
      }
      case 'shipItem':
        this.db.upsertRow('shipitem', {
          id: Number(record.id), itemid: str(f.itemId), displayname: str(f.displayName), externalid: str(f.externalId),
          isinactive: tf(f.isInactive), description: str(f.description),
        });
        return;
      default: {
        this.db.upsertRow('item', {
          id: Number(record.id), itemid: str(f.itemId), displayname: str(f.displayName), externalid: str(f.externalId),
          isinactive: tf(f.isInactive), itemtype: ITEM_TYPE_CODES[record.type] ?? null, description: str(f.description),
          baseprice: num(f.basePrice ?? f.rate), averagecost: num(f.averageCost), createddate: record.createdAt,
          lastmodifieddate: record.lastModified, ...(record.type === 'inventoryItem' ? this.customColumns(record) : {}),
        });
        if (record.type === 'inventoryItem') for (const location of record.inventory.keys()) this.mirrorInventory(record, location);
      }
    }
  }

  mirrorInventory(item: StoredRecord, location: string): void {
    const q = this.quantities(item, location);
    const averageCost = q.averageCost ?? Number(item.fields.averageCost ?? 0);
    this.db.upsertRow('inventoryitemlocations', {
      item: Number(item.id), location: Number(location), quantityonhand: q.onHand, quantityavailable: Math.max(0, q.onHand - q.committed),
      quantitycommitted: q.committed, quantityonorder: q.onOrder, quantitybackordered: q.backordered, averagecostmli: averageCost,
      onhandvaluemli: round2(q.onHand * averageCost),
    });
  }
}

export function tableOf(type: RecordTypeName): string {
  return type === 'customer' ? 'customer' : type === 'salesOrder' ? 'transaction' : type === 'shipItem' ? 'shipitem' : 'item';
}

export function notFound(): NsError {
  return new NsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');
}

function coerceCustom(field: CustomField, value: unknown): unknown {
  switch (field.type) {
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) {
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected a number, got ${JSON.stringify(value)}.`, field.scriptId);
      }
      return n;
    }
    case 'checkbox':
      if (typeof value !== 'boolean') throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected true or false.`, field.scriptId);
      return value;
    default:
      if (typeof value === 'object') throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected text.`, field.scriptId);
      return String(value);
  }
}
