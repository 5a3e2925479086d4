/**
 * Loading the mapping config: a mapping file read and validated against the schema (schema.ts), with a store's
 * overrides deep-merged over the top level, and the messages of an invalid one — every offending path, named with
 * the file. `loadMappingFile` is the only function here that does I/O; workflow code must import the pure modules
 * (schema, rules, customer, sales-order) rather than this one.
 */
import { readJsonFile } from '../json-file';
import type { z } from 'zod';
import { MAPPING_FILE_HINT, mappingProblem, type MappingProblem } from './problems';
import { mappingSchema, type Mapping } from './schema';

/** The mapping is invalid: the message names the file (when there is one) and every offending path. */
export class MappingConfigError extends Error {
  constructor(
    message: string,
    /** Each problem as `<path>: <what is wrong>`. */
    readonly issues: string[] = [],
    /** The mapping file, when the mapping came from one. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'MappingConfigError';
  }

  /** The InvalidMapping problem an order shows while the mapping cannot be loaded. */
  toProblem(): MappingProblem {
    return mappingProblem('InvalidMapping', this.message, `correct ${this.file ?? MAPPING_FILE_HINT}: ${this.issues.join('; ') || this.message}`, {
      ...(this.file ? { file: this.file } : {}),
      issues: this.issues.join('; '),
    });
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths (dot-separated, `*` = any key) whose values are replaced whole by an override, never merged: NetSuite references. */
const REPLACED_PATHS = [
  'shipping.methods.*',
  'shipping.default',
  'paymentMethods.*',
  'currencies.*',
  'discount.item',
  'fees.item',
  'tax.item',
  'defaults.*',
  'customers.defaultCustomer',
  'customers.subsidiary',
  'lifecycle.refunds.adjustmentItem',
].map((p) => p.split('.'));

const isReplacedPath = (path: string[]): boolean =>
  REPLACED_PATHS.some((pattern) => pattern.length === path.length && pattern.every((part, i) => part === '*' || part === path[i]));

/** Deep-merges raw JSON: objects merge key by key; arrays, scalars and NetSuite references replace. */
function deepMerge(base: unknown, override: unknown, path: string[] = []): unknown {
  if (!isPlainObject(base) || !isPlainObject(override) || isReplacedPath(path)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = key in base ? deepMerge(base[key], value, [...path, key]) : value;
  }
  return out;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String)].join('.') || '(root)';
    const message = issue.code === 'invalid_key' ? `invalid key: ${issue.issues.map((inner) => inner.message).join(', ')}` : issue.message;
    return `${path}: ${message}`;
  });
}

function fail(issues: string[], file: string | undefined, what: string): never {
  const where = file ? `mapping file ${file}` : 'mapping';
  throw new MappingConfigError(`invalid ${where}${what} — ${issues.join('; ')}`, issues, file);
}

/**
 * Validates a mapping (the parsed JSON of a mapping file) and returns the mapping of `store`: the top level with
 * `stores.<store>` deep-merged over it (a store without overrides gets the top level). Throws MappingConfigError
 * naming every offending path (`stores.<store>.…` for an override). `file` only names the source in messages.
 */
export function parseMapping(json: unknown, store: string, file?: string): Mapping {
  if (!isPlainObject(json)) fail(['(root): the mapping must be a JSON object'], file, '');
  const checked = mappingSchema.safeParse(json);
  if (!checked.success) {
    // A refinement that only fails on the top level (e.g. tax.item given by every store) is judged after merging.
    const structural = checked.error.issues.filter((issue) => issue.code !== 'custom');
    if (structural.length > 0) fail(describeIssues(structural), file, '');
  }
  const { stores, ...top } = json;
  const overrides = isPlainObject(stores) ? stores[store] : undefined;
  const merged = overrides === undefined ? top : deepMerge(top, overrides);
  const result = mappingSchema.safeParse(merged);
  if (!result.success)
    fail(describeIssues(result.error.issues), file, overrides === undefined ? '' : ` for store ${store} (top level merged with stores.${store})`);
  const { stores: _ignored, ...mapping } = result.data;
  void _ignored;
  return mapping;
}

/**
 * Reads and parses a mapping file (JSON) for one store. Throws MappingConfigError naming the file and, for invalid
 * content, every offending path; an unreadable file or invalid JSON names the file and the cause.
 */
export function loadMappingFile(path: string, store: string): Mapping {
  const read = readJsonFile(path);
  if (!read.ok && read.problem === 'unreadable') {
    const code = read.code ?? 'read error';
    throw new MappingConfigError(`cannot read mapping file ${path} (${code})`, [`(file): ${code}`], path);
  }
  if (!read.ok) throw new MappingConfigError(`mapping file ${path} is not valid JSON: ${read.message}`, [`(file): ${read.message}`], path);
  return parseMapping(read.json, store, path);
}
