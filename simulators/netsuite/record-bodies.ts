/**
 * The body of a record write validated and normalized before anything changes: unknown properties (per
 * X-NetSuite-PropertyNameValidation), value types, references resolved to internal IDs, the item sublist, custom-field
 * values, the external ID; then a create's mandatory fields and a new sales order's inactive references. Every
 * failure is a NetSuite-shaped 400.
 */
import { SHIP_STATUSES } from './documents';
import { badRequest } from './errors';
import { ORDER_STATUSES } from './order-status';
import {
  ITEM_TYPES,
  SALES_ORDER_LINE_FIELDS,
  SALES_ORDER_PROGRESS_LINE_FIELDS,
  STANDARD_FIELDS,
  type CustomField,
  type RecordTypeName,
  type StandardField,
} from './schema';
import type { RecordStore } from './store';
import type { SalesOrderLine, WriteContext } from './stored-record';

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface NormalizedLine {
  index: number;
  values: Partial<SalesOrderLine>;
  hasLine: boolean;
}

export interface NormalizedBody {
  fields: Record<string, unknown>;
  /** Keys explicitly set to null (cleared). */
  cleared: string[];
  lines?: NormalizedLine[];
}

/** Validates a request body: unknown properties (per PropertyNameValidation), value types, references, external ID. */
export function normalizeBody(store: RecordStore, type: RecordTypeName, body: unknown, ctx: WriteContext, creating: boolean): NormalizedBody {
  if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
  const standard = new Map(STANDARD_FIELDS[type].map((s) => [s.name, s]));
  const custom = store.customFieldsOf(type);
  const out: NormalizedBody = { fields: {}, cleared: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'links' || key === 'id' || key === 'refName') continue;
    const def = standard.get(key);
    const customDef = def ? undefined : custom.get(key);
    if (!def && !customDef) {
      unknownProperty(key, type, ctx);
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
      out.lines = normalizeLines(store, value, ctx);
      continue;
    }
    if (key === 'orderStatus' || key === 'shipStatus') {
      const code = isObject(value) ? value.id : value;
      const known = key === 'orderStatus' ? ORDER_STATUSES : SHIP_STATUSES;
      if (typeof code !== 'string' || !Object.hasOwn(known, code))
        throw badRequest('INVALID_CONTENT', `Invalid Field Value ${JSON.stringify(code)} for the following field: ${key}`, key);
      out.fields[key] = code;
      continue;
    }
    out.fields[key] = normalizeValue(store, field, value, key);
  }
  const externalId = out.fields.externalId;
  if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID_PATTERN.test(externalId))) {
    throw badRequest('INVALID_CONTENT', `Invalid external ID ${JSON.stringify(externalId)}: only letters, digits, _ and - are allowed.`, 'externalId');
  }
  return out;
}

/** A property the record type does not have: a 400 NONEXISTENT_FIELD under validation Error, otherwise ignored. */
export function unknownProperty(path: string, type: RecordTypeName, ctx: WriteContext): void {
  if (ctx.validation === 'Error') {
    throw badRequest(
      'NONEXISTENT_FIELD',
      `Error while accessing a resource. Field '${path.split('.').pop() ?? path}' does not exist on record type ${type}.`,
      path,
    );
  }
}

function normalizeValue(store: RecordStore, field: StandardField, value: unknown, path: string): unknown {
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
      return resolveRef(store, field, value, path);
    default:
      return value;
  }
}

function resolveRef(store: RecordStore, field: StandardField, value: unknown, path: string): string {
  if (!isObject(value) || (value.id === undefined && value.externalId === undefined)) {
    throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.name}: a reference must be an object with an id, e.g. {"id": "1"}.`, path);
  }
  const raw = value.id !== undefined ? String(value.id) : `eid:${String(value.externalId)}`;
  const target = field.ref ?? 'none';
  if (target === 'none') return raw;
  let id: string | undefined;
  if (target === 'customer') id = store.resolveId('customer', raw);
  else if (target === 'location') id = store.locations.has(raw) ? raw : undefined;
  else if (target === 'subsidiary') id = store.subsidiaries.has(raw) ? raw : undefined;
  else if (target === 'shipItem') id = store.resolveId('shipItem', raw);
  else if (target === 'item') {
    for (const t of ITEM_TYPES) {
      id = store.resolveId(t, raw);
      if (id !== undefined) break;
    }
  }
  if (id === undefined) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${raw} for the following field: ${field.name}`, path);
  return id;
}

function normalizeLines(store: RecordStore, value: unknown, ctx: WriteContext): NormalizedLine[] {
  if (!isObject(value) || !Array.isArray(value.items)) {
    throw badRequest('INVALID_CONTENT', 'The item sublist must be an object with an "items" array.', 'item');
  }
  const defs = new Map([...SALES_ORDER_LINE_FIELDS, ...SALES_ORDER_PROGRESS_LINE_FIELDS].map((s) => [s.name, s]));
  return value.items
    .map((line: unknown, index: number): NormalizedLine => {
      const base = `item.items[${index}]`;
      if (!isObject(line)) throw badRequest('INVALID_CONTENT', 'Each line of the item sublist must be an object.', base);
      const values: Partial<SalesOrderLine> = {};
      for (const [key, raw] of Object.entries(line)) {
        if (key === 'links') continue;
        const def = defs.get(key);
        if (!def) {
          unknownProperty(`${base}.${key}`, 'salesOrder', ctx);
          continue;
        }
        if (def.readOnly || raw === null) continue;
        const path = `${base}.${key}`;
        if (key === 'taxCode') {
          if (store.options.legacyTaxCode === 'reject') {
            throw badRequest(
              'USER_ERROR',
              'Legacy tax is not supported by REST web services: a line taxCode requires SuiteTax. Remove taxCode from the line.',
              path,
            );
          }
          continue;
        }
        const v = normalizeValue(store, def, raw, path);
        switch (key) {
          case 'line':
            values.line = v as number;
            break;
          case 'item':
            values.item = v as string;
            break;
          case 'quantity':
            values.quantity = v as number;
            break;
          case 'rate':
            values.rate = v as number;
            break;
          case 'amount':
            values.amount = v as number;
            break;
          case 'description':
            values.description = v as string;
            break;
          case 'location':
            values.location = v as string;
            break;
          case 'price':
            values.price = v as string;
            break;
          case 'isClosed':
            values.isClosed = v as boolean;
            break;
        }
      }
      return { index, values, hasLine: values.line !== undefined };
    })
    .map((l) => {
      if (l.values.item === undefined && !l.hasLine) {
        throw badRequest('USER_ERROR', 'Please enter value(s) for: Item', `item.items[${l.index}].item`);
      }
      return l;
    });
}

/** The fields a create must have: a sales order's customer, a customer's name, an item's name, mandatory custom fields. */
export function checkMandatory(store: RecordStore, type: RecordTypeName, fields: Record<string, unknown>): void {
  const empty = (v: unknown): boolean => v === undefined || v === null || v === '';
  if (type === 'salesOrder' && empty(fields.entity)) throw badRequest('USER_ERROR', 'Please enter value(s) for: Customer', 'entity');
  if (type === 'customer' && empty(fields.companyName) && (empty(fields.firstName) || empty(fields.lastName))) {
    throw badRequest(
      'USER_ERROR',
      fields.isPerson === true ? 'Please enter value(s) for: First Name, Last Name' : 'Please enter value(s) for: Company Name',
      fields.isPerson === true ? 'firstName' : 'companyName',
    );
  }
  if ((ITEM_TYPES.includes(type) || type === 'shipItem') && empty(fields.itemId))
    throw badRequest('USER_ERROR', 'Please enter value(s) for: Item Name/Number', 'itemId');
  for (const field of store.customFieldsOf(type).values()) {
    if (field.mandatory && (empty(fields[field.scriptId]) || (field.type === 'checkbox' && fields[field.scriptId] !== true))) {
      throw badRequest('USER_ERROR', `Please enter value(s) for: ${field.label}`, field.scriptId);
    }
  }
}

/** A new sales order cannot name an inactive customer or item: NetSuite answers as for an unknown reference. */
export function refuseInactiveReferences(store: RecordStore, normalized: NormalizedBody): void {
  const entity = normalized.fields.entity;
  if (typeof entity === 'string' && store.recordsOf('customer').get(entity)?.fields.isInactive === true) {
    throw badRequest('INVALID_CONTENT', `Invalid Field Value ${entity} for the following field: entity`, 'entity');
  }
  for (const line of normalized.lines ?? []) {
    const item = line.values.item;
    if (item !== undefined && store.items.get(item)?.fields.isInactive === true) {
      throw badRequest('INVALID_CONTENT', `Invalid Field Value ${item} for the following field: item`, `item.items[${line.index}].item`);
    }
  }
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
      if (typeof value !== 'boolean')
        throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected true or false.`, field.scriptId);
      return value;
    default:
      if (typeof value === 'object') throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field.scriptId}: expected text.`, field.scriptId);
      return String(value);
  }
}
