/**
 * The shapes of the schema-drift watcher: a record type's fields as the watcher compares them, the fixture checked
 * into the repository, the fields the mapping writes, and the diff. Types and constants only (no imports, no I/O), so
 * the drift workflow can import them and stay deterministic.
 */

/** One field of a record type, normalised from the metadata catalog's JSON Schema. */
export interface FieldSchema {
  /** JSON Schema `type` (`string`, `number`, `object`, …); `$ref:<name>` for a property that is only a reference. */
  type: string;
  /** JSON Schema `format` (`date`, `date-time`, `double`, `int64`, …), when NetSuite gives one. */
  format?: string;
  /** JSON Schema `nullable`, when NetSuite gives it. */
  nullable?: boolean;
  /** The field is a custom field (`x-ns-custom-field`). */
  custom: boolean;
  /** The field's label, e.g. "WooCommerce Order Key". */
  title?: string;
}

/**
 * A record type's fields by name. Lines of a sublist are flattened under NetSuite's error-path spelling:
 * `item.items[].quantity` is the `quantity` of a line of the `item` sublist.
 */
export type RecordSchema = Record<string, FieldSchema>;

/** What `npm run drift:snapshot` writes (config/netsuite-schema.json) and the watcher diffs against. */
export interface SchemaFixture {
  /** Record type (REST name, e.g. `salesOrder`) → its fields, keys sorted. */
  recordTypes: Record<string, RecordSchema>;
  /** ISO time the snapshot was taken. */
  takenAt: string;
  /** The NetSuite account ID it was taken from, e.g. `1234567_SB1`. */
  account?: string;
}

/** The live metadata catalog of the watched record types, as the watcher read it. */
export interface LiveSchema {
  recordTypes: Record<string, RecordSchema>;
  /** The account ID of the client that read it. */
  account: string;
  /** ISO time it was read. */
  readAt: string;
}

/** Why the mapping writes a field: the mapping setting (or the mapping code) behind it, and the stores it applies to. */
export interface FieldUse {
  /** The mapping path, e.g. `customFields.orderKey` or `defaults.department`; `(always)` for a field the mapping code always writes. */
  setting: string;
  /** Plain words: what the sync writes there, e.g. "the WooCommerce order key". */
  what: string;
  /** The configured stores whose mapping writes it. */
  stores: string[];
}

/** Record type → field → why the mapping writes it. */
export type MappedFields = Record<string, Record<string, FieldUse[]>>;

/**
 * Kinds of change. The first three affect the sync and alert; the others are informational (listed in an alert
 * that goes out anyway, and in the workflow's result, but never a reason to mail on their own).
 * - `vanished`: a field the mapping writes is not in the live catalog.
 * - `typeChanged`: a field the mapping writes changed type or format since the snapshot.
 * - `newCustomField`: a custom field not in the snapshot (it may be a rename, or a new mandatory field — the catalog
 *   has no required flags, so only a failing write would say).
 * - `removed`: a field the mapping does not write is gone.
 * - `changed`: a field changed type/format (not written by the mapping), or any field's label, nullability or custom flag.
 * - `added`: a new standard (non-custom) field.
 */
export type DriftChangeKind = 'vanished' | 'typeChanged' | 'newCustomField' | 'removed' | 'changed' | 'added';

/** The command that takes a snapshot: how the owner records an intended change. */
export const SNAPSHOT_COMMAND = 'npm run drift:snapshot';

/** ApplicationFailure type: the fixture is missing, not JSON, not a snapshot, or lacks a compared record type (not retried). */
export const DRIFT_FIXTURE_INVALID = 'DriftFixtureInvalid';
/** ApplicationFailure type: the catalog answered with something that is not a record type's JSON Schema (retried). */
export const NETSUITE_SCHEMA_SHAPE = 'NetSuiteSchemaShape';
/** ApplicationFailure type: no alert channel accepted the drift alert (retried). */
export const ALERT_NOT_DELIVERED = 'AlertNotDelivered';

/** The kinds that affect the sync: a diff with one of them alerts. */
export const ALERTING_KINDS: readonly DriftChangeKind[] = ['vanished', 'typeChanged', 'newCustomField'];

/** One difference between the snapshot and the live catalog. */
export interface DriftChange {
  kind: DriftChangeKind;
  /** The change affects the sync (kind is vanished, typeChanged or newCustomField). */
  affectsSync: boolean;
  recordType: string;
  field: string;
  /** The field in the snapshot, when it was there. */
  before?: FieldSchema;
  /** The field in the live catalog, when it is there. */
  after?: FieldSchema;
  /** Why the mapping writes it (vanished, typeChanged). */
  usedBy?: FieldUse[];
  /** vanished custom field: the new custom field with the same label and type — likely the same field renamed. */
  renamedTo?: string;
  /** newCustomField: the vanished custom field it likely replaces. */
  renameOf?: string;
  /** What changed, in plain words. */
  detail: string;
  /** What to do about it. */
  fix: string;
}

/** The watcher's finding. */
export interface DriftDiff {
  /** The live account. */
  account: string;
  /** The account the snapshot was taken from, when it says. */
  fixtureAccount?: string;
  /** The fixture file compared against (as configured, e.g. config/netsuite-schema.json). */
  fixtureFile: string;
  /** When the snapshot was taken. */
  fixtureTakenAt: string;
  /** When the live catalog was read. */
  readAt: string;
  /** The record types compared. */
  recordTypes: string[];
  /** How many changes affect the sync (alerting kinds). 0 → no alert. */
  changes: number;
  /** Every change, the ones that affect the sync first; each group by record type and field. */
  details: DriftChange[];
}

/** Input of the drift workflow. Both optional: a scheduled run passes `{}`. */
export interface SchemaDriftInput {
  /** Record types to compare. Default: the ones the mapping writes (salesOrder, customer). */
  recordTypes?: string[];
  /** The fixture file, resolved against the worker's working directory. Default: the worker's setting (config/netsuite-schema.json). */
  fixture?: string;
}

/** Result of the drift workflow (kept as the workflow's result). */
export interface SchemaDriftResult {
  /** Changes that affect the sync. */
  changes: number;
  /** An alert was sent (exactly when changes > 0). */
  alerted: boolean;
  diff: DriftDiff;
}
