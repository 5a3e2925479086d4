/**
 * The reconciliation's input, checked and completed with its defaults before anything is read: thresholds (each
 * omitted one is 0), grace period, time zone. Pure and deterministic (the workflow runs it): an invalid input fails
 * the run at once, naming every problem, rather than producing a report nobody can trust.
 */
import { DEFAULT_GRACE_MINUTES, DEFAULT_TIME_ZONE, type ReconcileStoreInput, type ReconciliationInput, type ReconciliationThresholds } from './types';
import { isKnownTimeZone } from '../time-zone';

/** The input with its defaults, or every problem found. `asOf` is the instant the report is dated from. */
export function resolveReconciliationInput(
  input: ReconciliationInput,
  asOf: string,
): { ok: true; value: ReconcileStoreInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const store = typeof input?.store === 'string' ? input.store.trim() : '';
  if (store === '') problems.push('store: the configured store name is required');
  const timeZone = input?.timeZone ?? DEFAULT_TIME_ZONE;
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone))
    problems.push(`timeZone: ${JSON.stringify(timeZone)} is not an IANA time zone (e.g. "Europe/Berlin", "UTC")`);
  const graceMinutes = input?.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  if (typeof graceMinutes !== 'number' || !Number.isFinite(graceMinutes) || graceMinutes < 0)
    problems.push(`graceMinutes: must be a number ≥ 0, got ${JSON.stringify(graceMinutes)}`);
  const thresholds: ReconciliationThresholds = { itemCount: 0, inventoryValue: 0, openOrderValue: 0 };
  for (const name of Object.keys(thresholds) as (keyof ReconciliationThresholds)[]) {
    const value = input?.thresholds?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`thresholds.${name}: must be a number ≥ 0, got ${JSON.stringify(value)}`);
      continue;
    }
    thresholds[name] = value;
  }
  const unknown = Object.keys(input?.thresholds ?? {}).filter((key) => !(key in thresholds));
  if (unknown.length > 0)
    problems.push(`thresholds: unknown ${unknown.length > 1 ? 'keys' : 'key'} ${unknown.join(', ')} (itemCount, inventoryValue, openOrderValue)`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { store, timeZone, thresholds, graceMinutes, asOf } };
}
