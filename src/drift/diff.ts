/**
 * Compares the live metadata catalog with the checked-in snapshot, through the eyes of the mapping: a field the sync
 * writes that vanished or changed type, and a custom field nobody has seen before, affect the sync and alert; every
 * other difference is recorded but does not alert. A vanished custom field is paired with a new custom field of the
 * same label and type — most likely the same field, renamed by a SuiteScript deploy. Pure.
 */
import { DriftFixtureError } from './errors';
import { ALWAYS } from './mapped-fields';
import { byCodeUnit } from './normalize';
import {
  ALERTING_KINDS,
  SNAPSHOT_COMMAND,
  type DriftChange,
  type DriftChangeKind,
  type DriftDiff,
  type FieldSchema,
  type FieldUse,
  type LiveSchema,
  type MappedFields,
  type SchemaFixture,
} from './types';

export interface DiffInput {
  fixture: SchemaFixture;
  /** Only its record types are compared; each must be in the fixture. */
  live: LiveSchema;
  /** What the mapping writes (mappedFields). */
  mapped: MappedFields;
  /** The fixture file, as configured (named in the diff and in fixes). */
  fixtureFile: string;
  /** The mapping file (named in fixes). Default "the mapping file (MAPPING_FILE)". */
  mappingFile?: string;
}

const KIND_ORDER: readonly DriftChangeKind[] = ['vanished', 'typeChanged', 'newCustomField', 'removed', 'changed', 'added'];

/** `"WooCommerce Order Key", string` / `number (double)`. */
export function describeField(field: FieldSchema): string {
  const type = field.format ? `${field.type} (${field.format})` : field.type;
  return field.title ? `"${field.title}", ${type}` : type;
}

const sameType = (a: FieldSchema, b: FieldSchema): boolean => a.type === b.type && a.format === b.format;

/** "customFields.orderKey (stores main, eu): the WooCommerce order key" */
function describeUses(uses: readonly FieldUse[]): string {
  return uses
    .map((use) => {
      const stores = `store${use.stores.length === 1 ? '' : 's'} ${use.stores.join(', ')}`;
      return use.setting === ALWAYS ? `${use.what}, always written (${stores})` : `${use.what} via ${use.setting} (${stores})`;
    })
    .join('; ');
}

function vanishedFix(field: string, recordType: string, uses: readonly FieldUse[], renamedTo: string | undefined, mappingFile: string): string {
  const setting = uses.find((use) => use.setting !== ALWAYS)?.setting;
  if (setting?.startsWith('customFields.')) {
    const key = setting.slice('customFields.'.length);
    const repoint = `set "customFields": {"${key}": "${renamedTo ?? "<the field's script ID now>"}"} in ${mappingFile} (under "stores.<name>" for a store's own override)`;
    const then = `then run ${SNAPSHOT_COMMAND} and commit the fixture. Until then, orders that need this field end in NeedsAttention (NetSuiteFieldMissing); send them "retry" after the fix`;
    return renamedTo
      ? `If ${field} was renamed to ${renamedTo}, ${repoint}; otherwise restore ${field} in NetSuite. ${capitalise(then)}.`
      : `Restore ${field} in NetSuite, or ${repoint}; ${then}.`;
  }
  if (setting) {
    return `Restore the field in NetSuite (the integration role's form, permissions, or the feature it belongs to), or remove "${setting}" from ${mappingFile}; then run ${SNAPSHOT_COMMAND}.`;
  }
  return `The sync writes this standard field on every ${recordType} it creates: restore it in NetSuite (the integration role's form, permissions, or the feature it belongs to). Writes that carry it fail until then.`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const RESNAPSHOT = `Nothing to change in the sync; run ${SNAPSHOT_COMMAND} and commit the fixture to record it.`;

/** The differences of two versions of a field other than type/format: label, nullability, custom flag. */
function otherDifferences(before: FieldSchema, after: FieldSchema): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push(`label ${JSON.stringify(before.title ?? null)} → ${JSON.stringify(after.title ?? null)}`);
  if (before.nullable !== after.nullable) out.push(`nullable ${String(before.nullable ?? 'unset')} → ${String(after.nullable ?? 'unset')}`);
  if (before.custom !== after.custom) out.push(after.custom ? 'now a custom field' : 'no longer a custom field');
  return out;
}

const typeText = (field: FieldSchema): string => (field.format ? `${field.type} (${field.format})` : field.type);

/**
 * The changes between `fixture` and `live` for the record types of `live`. Throws DriftFixtureError when the fixture
 * lacks one of them (a snapshot taken for other record types: take a new one).
 */
export function diffSchemas(input: DiffInput): DriftDiff {
  const { fixture, live, mapped, fixtureFile } = input;
  const mappingFile = input.mappingFile ?? 'the mapping file (MAPPING_FILE)';
  const recordTypes = Object.keys(live.recordTypes);
  const changes: DriftChange[] = [];

  for (const recordType of recordTypes) {
    const before = fixture.recordTypes[recordType];
    if (!before) {
      throw new DriftFixtureError(
        `the fixture ${fixtureFile} has no ${recordType} (it holds ${Object.keys(fixture.recordTypes).join(', ') || 'no record type'}): run ${SNAPSHOT_COMMAND} to take a snapshot that includes it`,
        fixtureFile,
      );
    }
    const after = live.recordTypes[recordType] ?? {};
    const used = mapped[recordType] ?? {};
    const add = (change: Omit<DriftChange, 'recordType' | 'affectsSync'>): void => {
      changes.push({ recordType, affectsSync: ALERTING_KINDS.includes(change.kind), ...change });
    };

    // Fields the mapping writes: vanished, or changed type.
    for (const [field, uses] of Object.entries(used)) {
      const was = before[field];
      const now = after[field];
      if (!now) {
        add({
          kind: 'vanished',
          field,
          ...(was ? { before: was } : {}),
          usedBy: uses,
          detail: `${recordType}.${field} vanished${was ? '' : ' (it was not in the snapshot either)'}: the sync writes it — ${describeUses(uses)}.`,
          fix: '',
        });
      } else if (was && !sameType(was, now)) {
        add({
          kind: 'typeChanged',
          field,
          before: was,
          after: now,
          usedBy: uses,
          detail: `${recordType}.${field} changed type: ${typeText(was)} → ${typeText(now)}. The sync writes it — ${describeUses(uses)}.`,
          fix: `The sync sends ${typeText(was)} values, as in the snapshot: check what NetSuite now accepts in ${field}, and restore the field or adjust the mapping. If the change is intended and orders still sync, run ${SNAPSHOT_COMMAND}.`,
        });
      }
    }

    // Fields in the snapshot that are gone, and fields that changed, the mapping does not write.
    for (const [field, was] of Object.entries(before)) {
      const now = after[field];
      const isUsed = Object.hasOwn(used, field);
      if (!now) {
        if (!isUsed)
          add({
            kind: 'removed',
            field,
            before: was,
            detail: `${recordType}.${field} (${describeField(was)}) is gone; the sync does not write it.`,
            fix: RESNAPSHOT,
          });
        continue;
      }
      const differences = otherDifferences(was, now);
      if (!sameType(was, now) && !isUsed) differences.unshift(`type ${typeText(was)} → ${typeText(now)}`);
      if (differences.length > 0) {
        add({
          kind: 'changed',
          field,
          before: was,
          after: now,
          detail: `${recordType}.${field} changed: ${differences.join('; ')}${isUsed ? '' : '; the sync does not write it'}.`,
          fix: RESNAPSHOT,
        });
      }
    }

    // Fields that are new.
    for (const [field, now] of Object.entries(after)) {
      if (Object.hasOwn(before, field)) continue;
      if (now.custom) {
        add({
          kind: 'newCustomField',
          field,
          after: now,
          detail: `${recordType}.${field} is a new custom field (${describeField(now)}).`,
          fix: `NetSuite's catalog does not say whether a field is mandatory: if ${recordType} writes start failing with "Please enter value(s) for: ${now.title ?? field}", give the field a default in NetSuite. If the field is expected, run ${SNAPSHOT_COMMAND} and commit the fixture.`,
        });
      } else {
        add({ kind: 'added', field, after: now, detail: `${recordType}.${field} is a new standard field (${describeField(now)}).`, fix: RESNAPSHOT });
      }
    }
  }

  pairRenames(changes);
  for (const change of changes) {
    if (change.kind === 'vanished') change.fix = vanishedFix(change.field, change.recordType, change.usedBy ?? [], change.renamedTo, mappingFile);
  }

  const order = (change: DriftChange): [number, number] => [KIND_ORDER.indexOf(change.kind), recordTypes.indexOf(change.recordType)];
  changes.sort((a, b) => {
    const [ka, ra] = order(a);
    const [kb, rb] = order(b);
    return ka - kb || ra - rb || byCodeUnit(a.field, b.field);
  });
  return {
    account: live.account,
    ...(fixture.account !== undefined ? { fixtureAccount: fixture.account } : {}),
    fixtureFile,
    fixtureTakenAt: fixture.takenAt,
    readAt: live.readAt,
    recordTypes,
    changes: changes.filter((c) => c.affectsSync).length,
    details: changes,
  };
}

/**
 * A custom field that vanished (or was removed) and a new custom field of the same record type with the same label
 * and type: most likely one field, renamed. Each side names the other; a vanished field with several look-alikes is
 * paired with none (the mail would guess).
 */
function pairRenames(changes: DriftChange[]): void {
  const gone = changes.filter((c) => (c.kind === 'vanished' || c.kind === 'removed') && c.before?.custom === true);
  const fresh = changes.filter((c) => c.kind === 'newCustomField');
  for (const old of gone) {
    const was = old.before as FieldSchema;
    const candidates = fresh.filter(
      (c) => c.recordType === old.recordType && c.renameOf === undefined && c.after && c.after.title === was.title && sameType(c.after, was),
    );
    const [match] = candidates;
    if (!match || candidates.length > 1) continue;
    old.renamedTo = match.field;
    match.renameOf = old.field;
    old.detail += ` ${match.field} (same label and type, ${describeField(was)}) appeared: renamed?`;
    match.detail = `${match.recordType}.${match.field} is a new custom field (${describeField(was)}) — likely ${old.field} renamed.`;
    if (old.kind === 'vanished') match.fix = `See ${old.recordType}.${old.field} above: point the mapping at ${match.field}, then run ${SNAPSHOT_COMMAND}.`;
  }
}
