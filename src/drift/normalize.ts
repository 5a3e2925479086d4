/**
 * Normalises a record type's JSON Schema from NetSuite's metadata catalog into what the drift watcher compares: per
 * field only its type, format, nullability, label and custom flag, keys sorted, so a snapshot is stable byte for byte
 * and a change to it reads well in a code review. Sublist lines are flattened (`item.items[].quantity`). Pure.
 */
import type { FieldSchema, RecordSchema } from './types';

/** The metadata catalog's answer is not a record type's JSON Schema. */
export class SchemaShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaShapeError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Code-unit order, the same on every machine and locale. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The name of a field of a sublist line: NetSuite's `o:errorPath` spelling without the index. */
export const sublistLineField = (sublist: string, field: string): string => `${sublist}.items[].${field}`;

function typeOf(raw: Json): string {
  if (typeof raw.type === 'string') return raw.type;
  if (Array.isArray(raw.type)) {
    const types = raw.type.filter((t): t is string => typeof t === 'string').sort(byCodeUnit);
    if (types.length > 0) return types.join('|');
  }
  if (typeof raw.$ref === 'string') return `$ref:${raw.$ref.split('/').pop() ?? raw.$ref}`;
  return 'unknown';
}

/** One property of the JSON Schema → the compared shape, keys in code-unit order. */
export function normalizeField(raw: Json): FieldSchema {
  const field: FieldSchema = { custom: raw['x-ns-custom-field'] === true, type: typeOf(raw) };
  if (typeof raw.format === 'string') field.format = raw.format;
  if (typeof raw.nullable === 'boolean') field.nullable = raw.nullable;
  if (typeof raw.title === 'string') field.title = raw.title;
  return sortKeys(field);
}

/** The line properties of a sublist property (`{type: object, properties: {items: {type: array, items: {properties}}}}`), if it is one. */
function sublistLines(raw: Json): Json | undefined {
  const items = isObject(raw.properties) ? raw.properties.items : undefined;
  if (!isObject(items) || items.type !== 'array' || !isObject(items.items)) return undefined;
  const lines = items.items.properties;
  return isObject(lines) ? lines : undefined;
}

/** Returns a copy of `record` with its keys in code-unit order. */
export function sortKeys<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodeUnit(a, b))) as T;
}

/**
 * A record type's JSON Schema (`GET /record/v1/metadata-catalog/<type>`, `application/schema+json`) → its fields.
 * Throws SchemaShapeError when the answer has no `properties` object.
 */
export function normalizeRecordSchema(schema: unknown): RecordSchema {
  if (!isObject(schema) || !isObject(schema.properties))
    throw new SchemaShapeError('the metadata catalog answered without a "properties" object: not a record type\'s JSON Schema');
  const fields: RecordSchema = {};
  for (const [name, raw] of Object.entries(schema.properties)) {
    if (!isObject(raw)) continue;
    fields[name] = normalizeField(raw);
    const lines = sublistLines(raw);
    if (!lines) continue;
    for (const [lineName, lineRaw] of Object.entries(lines)) {
      if (isObject(lineRaw)) fields[sublistLineField(name, lineName)] = normalizeField(lineRaw);
    }
  }
  return sortKeys(fields);
}
