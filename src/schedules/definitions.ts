/**
 * The schedules this integration registers, computed from the schedules file and the configured stores:
 * inventory, catch-up, fulfilment and reconciliation once per store, schema-drift once (it watches the NetSuite account).
 * Each definition carries a fingerprint of everything `apply` would send, so `apply` can tell "unchanged" from "changed".
 */
import { createHash } from 'node:crypto';
import { ScheduleOverlapPolicy, type ScheduleSpec } from '@temporalio/client';
import { SCHEDULED_WORKFLOW_TYPES, scheduleIdOf, scheduleName, type ScheduleKind } from '../api';
import type { SchedulesConfig } from './config';

export interface ScheduleDefinition {
  /** `inventory:main`, `schema-drift`. */
  name: string;
  kind: ScheduleKind;
  store?: string;
  scheduleId: string;
  spec: ScheduleSpec;
  workflowType: string;
  /** Prefix of the started workflows' IDs (Temporal appends the scheduled time). */
  workflowId: string;
  taskQueue: string;
  input: Record<string, unknown>;
  overlap: ScheduleOverlapPolicy;
  /** How late a missed run (server down, schedule paused) may still start. */
  catchupWindow: string;
  /** From the file; undefined = leave the operator's pause state alone. */
  paused: boolean | undefined;
  /** The Web UI's one-line summary of each started run. */
  summary: string;
  /** sha256 of what is sent to Temporal, kept in the action's memo. */
  fingerprint: string;
}

/** Jobs that run once per store. */
const PER_STORE: ReadonlySet<ScheduleKind> = new Set(['inventory', 'catch-up', 'fulfilment', 'reconciliation']);

const SUMMARIES: Record<ScheduleKind, (store?: string) => string> = {
  inventory: (store) => `Inventory: NetSuite available − in-flight → WooCommerce stock (${store})`,
  'catch-up': (store) => `Catch-up: start orders whose webhook never fired (${store})`,
  fulfilment: (store) => `Fulfilments: NetSuite shipments → tracking and completion in WooCommerce (${store})`,
  'schema-drift': () => 'Schema drift: NetSuite metadata catalog vs the checked-in fixture',
  reconciliation: (store) => `Reconciliation report: WooCommerce (${store}) vs NetSuite`,
};

/** Missed frequent runs are not worth catching up; a missed morning report or weekly check still is, hours later. */
const CATCHUP_WINDOWS: Record<ScheduleKind, string> = { inventory: '10m', 'catch-up': '10m', fulfilment: '10m', 'schema-drift': '12h', reconciliation: '6h' };

export function scheduleDefinitions(config: SchedulesConfig, stores: readonly string[], taskQueue: string): ScheduleDefinition[] {
  const definitions: ScheduleDefinition[] = [];
  for (const kind of Object.keys(SCHEDULED_WORKFLOW_TYPES) as ScheduleKind[]) {
    const job = config.jobs[kind];
    if (!job.enabled) continue;
    const zone = job.timeZone ?? config.timeZone;
    const spec: ScheduleSpec = {
      ...(job.every !== undefined ? { intervals: [{ every: job.every }] } : {}),
      ...(job.cron !== undefined ? { cronExpressions: [job.cron] } : {}),
      timezone: zone,
      ...(job.jitter !== undefined ? { jitter: job.jitter } : {}),
    };
    for (const store of PER_STORE.has(kind) ? stores : [undefined]) {
      const name = scheduleName(kind, store);
      const input: Record<string, unknown> = {
        ...(kind === 'reconciliation' ? { timeZone: zone } : {}),
        ...job.input,
        ...(store !== undefined ? { store } : {}),
      };
      const sent = {
        spec,
        workflowType: SCHEDULED_WORKFLOW_TYPES[kind],
        workflowId: name,
        taskQueue,
        input,
        overlap: ScheduleOverlapPolicy.SKIP,
        catchupWindow: CATCHUP_WINDOWS[kind],
      };
      definitions.push({
        name,
        kind,
        ...(store !== undefined ? { store } : {}),
        scheduleId: scheduleIdOf(name, taskQueue),
        ...sent,
        paused: job.paused,
        summary: SUMMARIES[kind](store),
        fingerprint: createHash('sha256').update(JSON.stringify(sent)).digest('hex').slice(0, 16),
      });
    }
  }
  return definitions;
}

/** A spec in words for `schedules list`: "every 15m (UTC)", "cron 0 7 * * * (Europe/Berlin)". */
export function describeSpec(definition: Pick<ScheduleDefinition, 'spec'>): string {
  const { spec } = definition;
  const parts = [...(spec.intervals ?? []).map((i) => `every ${String(i.every)}`), ...(spec.cronExpressions ?? []).map((c) => `cron ${c}`)];
  return `${parts.join(', ')} (${spec.timezone ?? 'UTC'})`;
}
