/**
 * The body of a record transform, validated before anything changes (what the transform does with it: transforms.ts).
 *
 * Body (every field optional): `externalId` (a duplicate is the same 400 as a duplicate on create, checked first so a
 * retried transform says "already exists"), `memo`, `tranDate` (default today), `item: {items: [...]}`, and
 * `shippingCost` (credits), `shipStatus` ('A'|'B'|'C' or {id}, default C Shipped) and
 * `package: {items: [{packageTrackingNumber, packageDescr?, packageWeight?}]}` (fulfilments). Unknown properties
 * follow X-NetSuite-PropertyNameValidation like any write.
 */
import { isCreditType, isShipStatus, type FulfilmentPackage, type ShipStatus } from './documents';
import { badRequest, userError } from './errors';
import { EXTERNAL_ID_PATTERN, isObject, unknownProperty } from './record-bodies';
import type { DocumentTypeName } from './schema';
import type { RecordStore } from './store';
import type { WriteContext } from './stored-record';

/** A line of a transform body, validated. */
export interface RequestedLine {
  /** Position in `item.items` (for error paths). */
  index: number;
  orderLine?: number;
  item?: string;
  quantity?: number;
  rate?: number;
  amount?: number;
  description?: string;
}

/** A transform body, validated. */
export interface TransformRequest {
  externalId?: string;
  memo?: string;
  tranDate?: string;
  shippingCost?: number;
  /** Undefined when the body has no `item`: every eligible source line. */
  lines?: RequestedLine[];
  shipStatus?: ShipStatus;
  /** Internal ID of the ship item a fulfilment ships by (default: the order's ship method). */
  shipMethod?: string;
  packages: FulfilmentPackage[];
}

/** Body fields of a transform, and the targets that take each. */
const BODY_FIELDS: Record<string, (target: DocumentTypeName) => boolean> = {
  externalId: () => true,
  memo: () => true,
  tranDate: () => true,
  item: () => true,
  shippingCost: (target) => isCreditType(target),
  shipStatus: (target) => target === 'itemFulfillment',
  shipMethod: (target) => target === 'itemFulfillment',
  package: (target) => target === 'itemFulfillment',
};
const LINE_FIELDS = new Set(['orderLine', 'item', 'quantity', 'rate', 'amount', 'description']);
const PACKAGE_FIELDS = new Set(['packageTrackingNumber', 'packageDescr', 'packageWeight']);

/** Validates a transform body (types, references, unknown properties per PropertyNameValidation). */
export function parseTransformBody(store: RecordStore, target: DocumentTypeName, body: unknown, ctx: WriteContext): TransformRequest {
  if (!isObject(body)) throw badRequest('INVALID_CONTENT', 'The request body must be a JSON object.');
  const request: TransformRequest = { packages: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'links') continue;
    if (!BODY_FIELDS[key]?.(target)) {
      unknownProperty(key, target, ctx);
      continue;
    }
    if (value === null) continue;
    switch (key) {
      case 'externalId':
        if (typeof value !== 'string' || !EXTERNAL_ID_PATTERN.test(value)) {
          throw badRequest('INVALID_CONTENT', `Invalid external ID ${JSON.stringify(value)}: only letters, digits, _ and - are allowed.`, 'externalId');
        }
        request.externalId = value;
        break;
      case 'memo':
        request.memo = text(value, 'memo', 'memo');
        break;
      case 'tranDate':
        request.tranDate = text(value, 'tranDate', 'tranDate');
        break;
      case 'shippingCost':
        request.shippingCost = numberOf(value, 'shippingCost', 'shippingCost', 0);
        break;
      case 'shipStatus': {
        const code = isObject(value) ? value.id : value;
        if (!isShipStatus(code))
          throw badRequest('INVALID_CONTENT', `Invalid Field Value ${JSON.stringify(code)} for the following field: shipStatus`, 'shipStatus');
        request.shipStatus = code;
        break;
      }
      case 'shipMethod': {
        const raw = isObject(value)
          ? value.id !== undefined
            ? String(value.id)
            : value.externalId !== undefined
              ? `eid:${String(value.externalId)}`
              : ''
          : '';
        const id = raw === '' ? undefined : store.resolveId('shipItem', raw);
        if (id === undefined)
          throw badRequest('INVALID_CONTENT', `Invalid Field Value ${raw || JSON.stringify(value)} for the following field: shipMethod`, 'shipMethod');
        request.shipMethod = id;
        break;
      }
      case 'package':
        request.packages = parsePackages(value, target, ctx);
        break;
      case 'item':
        request.lines = parseLines(store, value, target, ctx);
        break;
    }
  }
  return request;
}

function parseLines(store: RecordStore, value: unknown, target: DocumentTypeName, ctx: WriteContext): RequestedLine[] {
  if (!isObject(value) || !Array.isArray(value.items)) throw badRequest('INVALID_CONTENT', 'The item sublist must be an object with an "items" array.', 'item');
  return value.items.map((raw: unknown, index: number): RequestedLine => {
    const base = `item.items[${index}]`;
    if (!isObject(raw)) throw badRequest('INVALID_CONTENT', 'Each line of the item sublist must be an object.', base);
    const line: RequestedLine = { index };
    for (const [key, v] of Object.entries(raw)) {
      if (key === 'links' || key === 'line') continue;
      if (!LINE_FIELDS.has(key)) {
        unknownProperty(`${base}.${key}`, target, ctx);
        continue;
      }
      if (v === null) continue;
      const path = `${base}.${key}`;
      switch (key) {
        case 'orderLine': {
          const n = numberOf(v, 'orderLine', path, 1);
          if (!Number.isInteger(n))
            throw badRequest('INVALID_CONTENT', `Invalid value for the field orderLine: expected a line number, got ${JSON.stringify(v)}.`, path);
          line.orderLine = n;
          break;
        }
        case 'item': {
          if (!isObject(v) || (v.id === undefined && v.externalId === undefined)) {
            throw badRequest('INVALID_CONTENT', 'Invalid value for the field item: a reference must be an object with an id, e.g. {"id": "1"}.', path);
          }
          const rawId = v.id !== undefined ? String(v.id) : `eid:${String(v.externalId)}`;
          const id = store.resolveItem(rawId);
          if (id === undefined) throw badRequest('INVALID_CONTENT', `Invalid Field Value ${rawId} for the following field: item`, path);
          line.item = id;
          break;
        }
        case 'quantity':
          line.quantity = numberOf(v, 'quantity', path, 0);
          break;
        case 'rate':
          line.rate = numberOf(v, 'rate', path);
          break;
        case 'amount':
          line.amount = numberOf(v, 'amount', path);
          break;
        case 'description':
          line.description = text(v, 'description', path);
          break;
      }
    }
    return line;
  });
}

function parsePackages(value: unknown, target: DocumentTypeName, ctx: WriteContext): FulfilmentPackage[] {
  if (!isObject(value) || !Array.isArray(value.items))
    throw badRequest('INVALID_CONTENT', 'The package sublist must be an object with an "items" array.', 'package');
  return value.items.map((raw: unknown, index: number): FulfilmentPackage => {
    const base = `package.items[${index}]`;
    if (!isObject(raw)) throw badRequest('INVALID_CONTENT', 'Each line of the package sublist must be an object.', base);
    for (const key of Object.keys(raw)) if (key !== 'links' && !PACKAGE_FIELDS.has(key)) unknownProperty(`${base}.${key}`, target, ctx);
    if (raw.packageTrackingNumber === undefined || raw.packageTrackingNumber === null || raw.packageTrackingNumber === '') {
      throw userError('Please enter value(s) for: Tracking Number', `${base}.packageTrackingNumber`);
    }
    const out: FulfilmentPackage = { packageTrackingNumber: text(raw.packageTrackingNumber, 'packageTrackingNumber', `${base}.packageTrackingNumber`) };
    if (raw.packageDescr !== undefined && raw.packageDescr !== null) out.packageDescr = text(raw.packageDescr, 'packageDescr', `${base}.packageDescr`);
    if (raw.packageWeight !== undefined && raw.packageWeight !== null)
      out.packageWeight = numberOf(raw.packageWeight, 'packageWeight', `${base}.packageWeight`, 0);
    return out;
  });
}

function text(value: unknown, field: string, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field}: expected a string.`, path);
}

/** A finite number (a numeric string is accepted), at least `min` when given. */
function numberOf(value: unknown, field: string, path: string, min?: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field}: expected a number, got ${JSON.stringify(value)}.`, path);
  if (min !== undefined && n < min)
    throw badRequest('INVALID_CONTENT', `Invalid value for the field ${field}: expected a number of at least ${min}, got ${n}.`, path);
  return n;
}
