/**
 * The metadata catalog: `GET /record/v1/metadata-catalog` (record types with links, `?select=` limits the list) and
 * `GET /record/v1/metadata-catalog/<type>` → JSON Schema (`Accept: application/schema+json`, the default) or a small
 * OpenAPI 3 document (`Accept: application/swagger+json`). Custom fields carry `"x-ns-custom-field": true` and follow
 * every rename or addition. There are no required-field flags, as in NetSuite.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, json } from './errors';
import { RECORD_ROOT } from './records';
import {
  canonicalRecordType,
  RECORD_TYPES,
  SALES_ORDER_LINE_FIELDS,
  STANDARD_FIELDS,
  type CustomField,
  type RecordTypeName,
  type StandardField,
} from './schema';
import type { RecordStore } from './store';

type Json = Record<string, unknown>;

function standardProperty(field: StandardField): Json {
  const base: Json = { title: field.title, nullable: true };
  if (field.readOnly) base.readOnly = true;
  switch (field.kind) {
    case 'string':
      return { ...base, type: 'string' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'number':
      return { ...base, type: 'number', format: 'double' };
    case 'integer':
      return { ...base, type: 'integer', format: 'int64' };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'ref':
      return {
        ...base,
        type: 'object',
        properties: { id: { title: 'Internal identifier', type: 'string' }, refName: { title: 'Reference Name', type: 'string' } },
      };
    case 'sublist': {
      const lineProps = Object.fromEntries(SALES_ORDER_LINE_FIELDS.map((f) => [f.name, standardProperty(f)]));
      return { ...base, type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: lineProps } } } };
    }
    default:
      return { ...base, type: 'object' };
  }
}

function customProperty(field: CustomField): Json {
  const type =
    field.type === 'integer'
      ? { type: 'integer', format: 'int64' }
      : field.type === 'decimal'
        ? { type: 'number', format: 'double' }
        : field.type === 'checkbox'
          ? { type: 'boolean' }
          : field.type === 'date'
            ? { type: 'string', format: 'date' }
            : { type: 'string' };
  return { title: field.label, ...type, nullable: true, 'x-ns-custom-field': true };
}

export class MetadataCatalog {
  constructor(
    private readonly store: RecordStore,
    private readonly baseUrl: () => string,
  ) {}

  schema(type: RecordTypeName): Json {
    const properties: Json = {
      links: { title: 'Links', type: 'array', readOnly: true, items: { type: 'object' } },
      id: { title: 'Internal ID', type: 'string', nullable: true },
      refName: { title: 'Reference Name', type: 'string', nullable: true },
    };
    for (const field of STANDARD_FIELDS[type]) {
      properties[field.name] =
        field.kind === 'sublist' && type !== 'salesOrder' ? { title: field.title, type: 'object', readOnly: true, nullable: true } : standardProperty(field);
    }
    for (const field of this.store.customFieldsOf(type).values()) properties[field.scriptId] = customProperty(field);
    return { type: 'object', title: type, properties, $schema: 'http://json-schema.org/draft-06/schema#' };
  }

  list(select: string | undefined): Json {
    const wanted = select
      ? new Set(
          select
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        )
      : undefined;
    const base = `${this.baseUrl()}${RECORD_ROOT}/metadata-catalog`;
    const items = RECORD_TYPES.filter((t) => !wanted || wanted.has(t.toLowerCase())).map((t) => ({
      name: t,
      links: [
        { rel: 'canonical', href: `${base}/${t}`, mediaType: 'application/json' },
        { rel: 'alternate', href: `${base}/${t}`, mediaType: 'application/swagger+json' },
        { rel: 'alternate', href: `${base}/${t}`, mediaType: 'application/schema+json' },
        { rel: 'describes', href: `${this.baseUrl()}${RECORD_ROOT}/${t}` },
      ],
    }));
    return { items, links: [{ rel: 'self', href: select ? `${base}?select=${encodeURIComponent(select)}` : base }] };
  }

  install(app: FastifyInstance): void {
    app.get(`${RECORD_ROOT}/metadata-catalog`, async (request, reply) => {
      const { select } = request.query as { select?: string };
      return reply.header('content-type', 'application/json').send(json(this.list(select)));
    });
    app.get<{ Params: { type: string } }>(`${RECORD_ROOT}/metadata-catalog/:type`, async (request, reply) => {
      const type = canonicalRecordType(request.params.type);
      if (!type) throw badRequest('INVALID_PARAMETER', `Record type '${request.params.type}' does not exist.`);
      const schema = this.schema(type);
      const accept = String(request.headers.accept ?? '');
      if (accept.includes('application/swagger+json')) {
        const doc = {
          openapi: '3.0.1',
          info: { title: 'NetSuite REST Record API (simulated)', version: 'v1' },
          paths: {},
          components: { schemas: { [type]: schema } },
        };
        return reply.header('content-type', 'application/swagger+json').send(json(doc));
      }
      return reply.header('content-type', 'application/schema+json').send(json(schema));
    });
  }
}
