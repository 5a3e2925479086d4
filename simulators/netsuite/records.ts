/**
 * The record API routes (`/services/rest/record/v1/<type>…`, including `!transform`) and the REST shape of a stored
 * record.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DOCUMENT_STATUSES, SHIP_STATUSES, type DocumentLine } from './documents';
import { NsError, badRequest, json, notFound } from './errors';
import type { Governance } from './governance';
import type { PropertyNameValidation } from './options';
import { ORDER_STATUSES } from './order-status';
import { createRecord, deleteRecord, updateRecord, upsertRecord } from './record-writes';
import { canonicalRecordType, isDocumentType, ITEM_TYPES, RECORD_TYPES, STANDARD_FIELDS, type RecordTypeName, type RefTarget } from './schema';
import type { RecordStore } from './store';
import type { SalesOrderLine, StoredRecord } from './stored-record';
import type { TransformService } from './transforms';

export const RECORD_ROOT = '/services/rest/record/v1';
const RESOURCE_TYPE = 'application/vnd.oracle.resource+json; type=singular-resource';
const COLLECTION_TYPE = 'application/vnd.oracle.resource+json; type=collection';

type Json = Record<string, unknown>;

export function recordTypeOrThrow(raw: string): RecordTypeName {
  const type = canonicalRecordType(raw);
  if (!type) throw badRequest('INVALID_PARAMETER', `Record type '${raw}' does not exist. Valid types: ${RECORD_TYPES.join(', ')}.`);
  return type;
}

export function propertyNameValidation(request: FastifyRequest, fallback: PropertyNameValidation): PropertyNameValidation {
  const raw = request.headers['x-netsuite-propertynamevalidation'];
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return value === 'error' ? 'Error' : value === 'warning' ? 'Warning' : value === 'ignore' ? 'Ignore' : fallback;
}

const PERMISSION_LABELS: Partial<Record<RecordTypeName, string>> = {
  salesOrder: 'Transactions -> Sales Order',
  customer: 'Lists -> Customers',
  inventoryItem: 'Lists -> Items',
  itemFulfillment: 'Transactions -> Item Fulfillment',
  invoice: 'Transactions -> Invoice',
  cashSale: 'Transactions -> Cash Sale',
  creditMemo: 'Transactions -> Credit Memo',
  cashRefund: 'Transactions -> Cash Refund',
};

export class RecordApi {
  constructor(
    private readonly store: RecordStore,
    private readonly governance: Governance,
    private readonly transforms: TransformService,
    private readonly baseUrl: () => string,
    private readonly validationDefault: () => PropertyNameValidation,
  ) {}

  href(type: RecordTypeName, id: string): string {
    return `${this.baseUrl()}${RECORD_ROOT}/${type}/${id}`;
  }

  private ref(target: RefTarget, id: unknown): Json {
    const idString = String(id);
    const refName = this.store.refName(target, idString);
    return refName === undefined ? { id: idString } : { id: idString, refName };
  }

  private line(order: StoredRecord, line: SalesOrderLine): Json {
    const out: Json = { links: [], line: line.line, item: this.ref('item', line.item), quantity: line.quantity, rate: line.rate, amount: line.amount };
    if (line.description !== undefined) out.description = line.description;
    const location = line.location ?? line.commitLocation;
    if (location !== undefined) out.location = this.ref('location', location);
    if (line.price !== undefined) out.price = { id: line.price };
    out.isClosed = line.isClosed;
    out.quantityFulfilled = line.quantityFulfilled;
    out.quantityBilled = line.quantityBilled;
    out.quantityCommitted = line.quantityCommitted;
    out.quantityBackOrdered = line.quantityBackOrdered;
    void order;
    return out;
  }

  /** A line of a transformed document; `orderLine` = the line number on the source document. */
  private documentLine(line: DocumentLine): Json {
    const out: Json = { links: [], line: line.line, item: this.ref('item', line.item), quantity: line.quantity, rate: line.rate, amount: line.amount };
    if (line.description !== undefined) out.description = line.description;
    if (line.orderLine !== undefined) out.orderLine = line.orderLine;
    if (line.location !== undefined) out.location = this.ref('location', line.location);
    return out;
  }

  /** The sublist collection of a record (`item` of a transaction, `package` of a fulfilment, `locations` of an inventory item). */
  sublist(record: StoredRecord, name: string): Json | undefined {
    const self = `${this.href(record.type, record.id)}/${name}`;
    let items: Json[];
    if (record.type === 'salesOrder' && name === 'item') items = record.lines.map((l) => this.line(record, l));
    else if (isDocumentType(record.type) && name === 'item') items = record.documentLines.map((l) => this.documentLine(l));
    else if (record.type === 'itemFulfillment' && name === 'package') items = record.packages.map((p) => ({ links: [], ...p }));
    else if (record.type === 'inventoryItem' && name === 'locations') {
      items = [...record.inventory.entries()].map(([location, q]) => {
        const averageCost = q.averageCost ?? Number(record.fields.averageCost ?? 0);
        return {
          links: [],
          location: this.ref('location', location),
          quantityOnHand: q.onHand,
          quantityAvailable: Math.max(0, q.onHand - q.committed),
          quantityCommitted: q.committed,
          quantityOnOrder: q.onOrder,
          quantityBackOrdered: q.backordered,
          averageCostMli: averageCost,
          onHandValueMli: Math.round(q.onHand * averageCost * 100) / 100,
        };
      });
    } else return undefined;
    return { links: [{ rel: 'self', href: self }], count: items.length, hasMore: false, items, offset: 0, totalResults: items.length };
  }

  /** A stored record as REST returns it: references as {id, refName}, sublists as links unless expanded. */
  serialize(record: StoredRecord, expand: boolean): Json {
    const self = this.href(record.type, record.id);
    const out: Json = { links: [{ rel: 'self', href: self }], id: record.id };
    for (const field of STANDARD_FIELDS[record.type]) {
      if (field.kind === 'sublist') {
        out[field.name] = expand ? this.sublist(record, field.name) : { links: [{ rel: 'self', href: `${self}/${field.name}` }] };
        continue;
      }
      if (isDocumentType(record.type) && (field.name === 'status' || field.name === 'shipStatus')) {
        const code = String(record.fields[field.name] ?? '');
        const known = field.name === 'shipStatus' ? SHIP_STATUSES : DOCUMENT_STATUSES[record.type];
        const status = Object.hasOwn(known, code)
          ? ((known as Record<string, { id: string; label: string }>)[code] as { id: string; label: string })
          : { id: code, label: code };
        out[field.name] = field.name === 'shipStatus' ? { id: code, refName: status.label } : { id: status.id, refName: status.label };
        continue;
      }
      if (field.name === 'orderStatus' || field.name === 'status') {
        const code = String(record.fields.orderStatus ?? 'B');
        const status = ORDER_STATUSES[code] ?? { id: code, label: code };
        out[field.name] = field.name === 'orderStatus' ? { id: code, refName: status.label } : { id: status.id, refName: status.label };
        continue;
      }
      if (field.name === 'createdDate' || field.name === 'dateCreated') {
        out[field.name] = record.createdAt;
        continue;
      }
      if (field.name === 'lastModifiedDate') {
        out[field.name] = record.lastModified;
        continue;
      }
      const value = record.fields[field.name];
      if (value === undefined) continue;
      out[field.name] = field.kind === 'ref' ? this.ref(field.ref ?? 'none', value) : value;
    }
    if (ITEM_TYPES.includes(record.type))
      out.itemType = { id: record.type === 'inventoryItem' ? 'InvtPart' : record.type === 'discountItem' ? 'Discount' : 'OthCharge' };
    for (const field of this.store.customFieldsOf(record.type).values()) {
      const value = record.fields[field.scriptId];
      if (value !== undefined) out[field.scriptId] = value;
    }
    return out;
  }

  private checkPermission(type: RecordTypeName, operation: 'create' | 'read' | 'update' | 'delete'): void {
    if (this.governance.isDenied(type, operation)) {
      const label = PERMISSION_LABELS[type] ?? type;
      const level = operation === 'read' ? 'View' : operation === 'create' ? 'Create' : operation === 'update' ? 'Edit' : 'Full';
      throw new NsError(
        403,
        'INSUFFICIENT_PERMISSION',
        `Permission Violation: You need  the '${label}' permission with a level of at least '${level}' to access this page. Please contact your account administrator.`,
      );
    }
  }

  private findOrThrow(type: RecordTypeName, rawId: string): StoredRecord {
    const record = this.store.get(type, rawId);
    if (!record) throw notFound();
    return record;
  }

  private list(type: RecordTypeName, query: Record<string, string | undefined>): Json {
    const limit = query.limit === undefined ? 1000 : Number(query.limit);
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('INVALID_PARAMETER', `Invalid limit ${query.limit}: use an integer from 1 to 1000.`);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('INVALID_PARAMETER', `Invalid offset ${query.offset}: use a non-negative integer.`);
    const predicate = query.q ? compileFilter(query.q, type, this.store) : undefined;
    const matches: StoredRecord[] = [];
    for (const record of this.store.recordsOf(type).values()) if (!predicate || predicate(record)) matches.push(record);
    const page = matches.slice(offset, offset + limit);
    const hasMore = offset + page.length < matches.length;
    const base = `${this.baseUrl()}${RECORD_ROOT}/${type}`;
    const qs = (o: number): string =>
      `${base}?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), limit: String(limit), offset: String(o) }).toString()}`;
    const links: Json[] = [{ rel: 'self', href: qs(offset) }];
    if (hasMore) links.push({ rel: 'next', href: qs(offset + limit) });
    return {
      links,
      count: page.length,
      hasMore,
      items: page.map((r) => ({ links: [{ rel: 'self', href: this.href(type, r.id) }], id: r.id })),
      offset,
      totalResults: matches.length,
    };
  }

  install(app: FastifyInstance): void {
    type Params = { type: string; id: string; sublist: string };
    const ctx = (request: FastifyRequest) => ({ validation: propertyNameValidation(request, this.validationDefault()) });
    const replaceSet = (request: FastifyRequest): Set<string> => {
      const raw = (request.query as Record<string, string | undefined>).replace;
      return new Set(
        (raw ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    };
    const expandOf = (request: FastifyRequest): boolean =>
      String((request.query as Record<string, string | undefined>).expandSubResources ?? '').toLowerCase() === 'true';

    app.post<{ Params: Params }>(`${RECORD_ROOT}/:type`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'create');
      const record = createRecord(this.store, type, request.body, ctx(request));
      return reply.code(204).header('location', this.href(type, record.id)).send();
    });
    app.get<{ Params: Params }>(`${RECORD_ROOT}/:type`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'read');
      return reply.header('content-type', COLLECTION_TYPE).send(json(this.list(type, request.query as Record<string, string | undefined>)));
    });
    app.get<{ Params: Params }>(`${RECORD_ROOT}/:type/:id`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'read');
      const record = this.findOrThrow(type, request.params.id);
      return reply.header('content-type', RESOURCE_TYPE).send(json(this.serialize(record, expandOf(request))));
    });
    app.post<{ Params: { type: string; id: string; target: string } }>(`${RECORD_ROOT}/:type/:id/!transform/:target`, async (request, reply) => {
      const source = recordTypeOrThrow(request.params.type);
      const target = recordTypeOrThrow(request.params.target);
      this.checkPermission(target, 'create');
      const record = this.transforms.transform(source, request.params.id, target, request.body ?? {}, ctx(request));
      return reply.code(204).header('location', this.href(record.type, record.id)).send();
    });
    app.get<{ Params: Params }>(`${RECORD_ROOT}/:type/:id/:sublist`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'read');
      const record = this.findOrThrow(type, request.params.id);
      const sublist = this.sublist(record, request.params.sublist);
      if (!sublist) throw badRequest('INVALID_PARAMETER', `Record type ${type} has no sublist ${request.params.sublist}.`);
      return reply.header('content-type', COLLECTION_TYPE).send(json(sublist));
    });
    app.patch<{ Params: Params }>(`${RECORD_ROOT}/:type/:id`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'update');
      const record = this.findOrThrow(type, request.params.id);
      updateRecord(this.store, type, record.id, request.body ?? {}, { ...ctx(request), replace: replaceSet(request) });
      return reply.code(204).send();
    });
    app.put<{ Params: Params }>(`${RECORD_ROOT}/:type/:id`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      const rawId = request.params.id;
      if (!rawId.startsWith('eid:')) throw badRequest('INVALID_PARAMETER', 'PUT is only supported for upsert by external ID: use /<type>/eid:<externalId>.');
      const exists = this.store.resolveId(type, rawId) !== undefined;
      this.checkPermission(type, exists ? 'update' : 'create');
      const { created, record } = upsertRecord(this.store, type, rawId.slice(4), request.body ?? {}, { ...ctx(request), replace: replaceSet(request) });
      if (created) reply.header('location', this.href(type, record.id));
      return reply.code(204).send();
    });
    app.delete<{ Params: Params }>(`${RECORD_ROOT}/:type/:id`, async (request, reply) => {
      const type = recordTypeOrThrow(request.params.type);
      this.checkPermission(type, 'delete');
      const record = this.findOrThrow(type, request.params.id);
      deleteRecord(this.store, type, record.id);
      return reply.code(204).send();
    });
  }
}

// ---------- the `q` filter of record lists ----------

const OPERATORS = [
  'IS_NOT',
  'IS',
  'DOES_NOT_CONTAIN',
  'CONTAIN',
  'START_WITH',
  'END_WITH',
  'EMPTY_NOT',
  'EMPTY',
  'NOT_EQUAL',
  'EQUAL',
  'GREATER_OR_EQUAL',
  'GREATER',
  'LESS_OR_EQUAL',
  'LESS',
] as const;
type Operator = (typeof OPERATORS)[number];

const CONDITION = new RegExp(`\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+(${OPERATORS.join('|')})(?![A-Za-z_])\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s"]+))?\\s*`, 'iy');
const JOINER = /(AND|OR)\s+/iy;

/**
 * Compiles a record-list `q` (e.g. `email IS "a@b.com" AND externalId START_WITH "woo-"`): conditions joined by AND/OR,
 * evaluated left to right. Text comparisons are case-insensitive, as NetSuite searches are. References compare by ID.
 */
export function compileFilter(q: string, type: RecordTypeName, store: RecordStore): (record: StoredRecord) => boolean {
  const known = new Map<string, string>();
  known.set('id', 'id');
  for (const f of STANDARD_FIELDS[type]) if (f.kind !== 'sublist') known.set(f.name.toLowerCase(), f.name);
  for (const f of store.customFieldsOf(type).keys()) known.set(f, f);
  const conditions: { field: string; op: Operator; value: string; joiner: 'AND' | 'OR' }[] = [];
  let position = 0;
  let joiner: 'AND' | 'OR' = 'AND';
  while (position < q.length) {
    CONDITION.lastIndex = position;
    const m = CONDITION.exec(q);
    if (!m)
      throw badRequest('INVALID_PARAMETER', `Invalid query parameter q near '${q.slice(position, position + 30)}': expected <field> <OPERATOR> "<value>".`);
    const field = known.get((m[1] ?? '').toLowerCase());
    if (!field) throw badRequest('INVALID_PARAMETER', `Invalid query parameter q: field '${m[1]}' cannot be used in a filter on ${type}.`);
    const op = (m[2] ?? '').toUpperCase() as Operator;
    const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
    if (value === '' && op !== 'EMPTY' && op !== 'EMPTY_NOT' && m[3] === undefined)
      throw badRequest('INVALID_PARAMETER', `Invalid query parameter q: operator ${op} needs a value.`);
    conditions.push({ field, op, value, joiner });
    position = CONDITION.lastIndex;
    if (position >= q.length) break;
    JOINER.lastIndex = position;
    const j = JOINER.exec(q);
    if (!j) throw badRequest('INVALID_PARAMETER', `Invalid query parameter q near '${q.slice(position, position + 30)}': expected AND or OR.`);
    joiner = (j[1] ?? 'AND').toUpperCase() as 'AND' | 'OR';
    position = JOINER.lastIndex;
  }
  const test = (record: StoredRecord, c: (typeof conditions)[number]): boolean => {
    const raw = c.field === 'id' ? record.id : c.field === 'orderStatus' ? record.fields.orderStatus : record.fields[c.field];
    const text = raw === undefined || raw === null ? '' : String(raw).toLowerCase();
    const v = c.value.toLowerCase();
    switch (c.op) {
      case 'IS':
      case 'EQUAL':
        return text === v || (raw === true && v === 'true') || (raw === false && v === 'false');
      case 'IS_NOT':
      case 'NOT_EQUAL':
        return text !== v;
      case 'CONTAIN':
        return text.includes(v);
      case 'DOES_NOT_CONTAIN':
        return !text.includes(v);
      case 'START_WITH':
        return text.startsWith(v);
      case 'END_WITH':
        return text.endsWith(v);
      case 'EMPTY':
        return text === '';
      case 'EMPTY_NOT':
        return text !== '';
      case 'GREATER':
        return Number(raw) > Number(c.value);
      case 'GREATER_OR_EQUAL':
        return Number(raw) >= Number(c.value);
      case 'LESS':
        return Number(raw) < Number(c.value);
      case 'LESS_OR_EQUAL':
        return Number(raw) <= Number(c.value);
    }
  };
  return (record) => {
    let result = true;
    conditions.forEach((c, i) => {
      const r = test(record, c);
      result = i === 0 ? r : c.joiner === 'AND' ? result && r : result || r;
    });
    return result;
  };
}
