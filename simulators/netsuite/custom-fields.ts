/**
 * Changes to the custom-field registry ("SuiteScript deploys"): a field added (with its SuiteQL column), renamed (its
 * values and column move to the new name), made mandatory or not.
 */
import { CUSTOM_FIELD_HOSTS, SCRIPT_ID_PATTERN, STANDARD_FIELDS, sqlTypeOf, type CustomField, type RecordTypeName } from './schema';
import type { RecordStore } from './store';

/** Adds a custom field (and its SuiteQL column). */
export function addCustomField(store: RecordStore, type: RecordTypeName, field: CustomField): void {
  const host = CUSTOM_FIELD_HOSTS[type];
  if (!host) throw new Error(`record type ${type} has no custom fields`);
  if (!SCRIPT_ID_PATTERN.test(field.scriptId) || !field.scriptId.startsWith(`${host.prefix}_`)) {
    throw new Error(`script ID ${field.scriptId} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
  }
  const registry = store.customFieldsOf(type);
  if (registry.has(field.scriptId) || STANDARD_FIELDS[type].some((s) => s.name.toLowerCase() === field.scriptId)) {
    throw new Error(`field ${field.scriptId} already exists on ${type}`);
  }
  registry.set(field.scriptId, { ...field });
  store.db.alter(`ALTER TABLE "${host.table}" ADD COLUMN "${field.scriptId}" ${sqlTypeOf(field.type)}`);
}

/** Renames a custom field: the old name stops existing, values move to the new name, the SuiteQL column is renamed. */
export function renameCustomField(store: RecordStore, type: RecordTypeName, from: string, to: string): CustomField {
  const host = CUSTOM_FIELD_HOSTS[type];
  const registry = store.customFieldsOf(type);
  const field = registry.get(from);
  if (!host || !field) throw new Error(`no custom field ${from} on ${type}`);
  if (!SCRIPT_ID_PATTERN.test(to) || !to.startsWith(`${host.prefix}_`))
    throw new Error(`new script ID ${to} must be lower-case letters, digits and _ and start with ${host.prefix}_`);
  if (registry.has(to)) throw new Error(`field ${to} already exists on ${type}`);
  const renamed = { ...field, scriptId: to };
  const entries = [...registry.entries()].map(([k, v]): [string, CustomField] => (k === from ? [to, renamed] : [k, v]));
  registry.clear();
  for (const [k, v] of entries) registry.set(k, v);
  for (const record of store.recordsOf(type).values()) {
    if (from in record.fields) {
      record.fields[to] = record.fields[from];
      delete record.fields[from];
    }
  }
  store.db.alter(`ALTER TABLE "${host.table}" RENAME COLUMN "${from}" TO "${to}"`);
  return renamed;
}

export function setCustomFieldMandatory(store: RecordStore, type: RecordTypeName, scriptId: string, mandatory: boolean): CustomField {
  const field = store.customFieldsOf(type).get(scriptId);
  if (!field) throw new Error(`no custom field ${scriptId} on ${type}`);
  field.mandatory = mandatory;
  return field;
}
