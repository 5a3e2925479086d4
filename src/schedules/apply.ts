/**
 * `schedules apply`: makes the Temporal Schedules match the definitions, idempotently.
 * - missing → created;
 * - present with another fingerprint (spec, input, task queue, policies changed) → updated in place, keeping an
 *   operator's pause unless the file says `paused`;
 * - present and identical → unchanged;
 * - ours (ID prefix `woo-netsuite-sync:`) but no longer defined (a store removed, a job disabled) → deleted.
 * Running it twice leaves exactly one schedule per definition.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptionsStartWorkflowAction, type Workflow } from '@temporalio/client';
import { scheduleIdPrefix } from '../api';
import { describeSpec, type ScheduleDefinition } from './definitions';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'deleted';

export interface AppliedSchedule {
  name: string;
  scheduleId: string;
  outcome: ApplyOutcome;
}

/** The memo key holding a definition's fingerprint. */
export const FINGERPRINT_MEMO = 'scheduleDefinition';
/** The memo key holding the spec in words ("every 15m (UTC)"), for `schedules list`. */
export const SPEC_MEMO = 'scheduleSpec';

function actionOf(definition: ScheduleDefinition): ScheduleOptionsStartWorkflowAction<Workflow> {
  return {
    type: 'startWorkflow',
    workflowType: definition.workflowType,
    workflowId: definition.workflowId,
    taskQueue: definition.taskQueue,
    args: [definition.input],
    memo: { [FINGERPRINT_MEMO]: definition.fingerprint, [SPEC_MEMO]: describeSpec(definition) },
    staticSummary: definition.summary,
  };
}

/** Applies `definitions`, the whole set of one deployment (one orders task queue): its other schedules are deleted. */
export async function applySchedules(client: Client, definitions: readonly ScheduleDefinition[], taskQueue: string): Promise<AppliedSchedule[]> {
  const applied: AppliedSchedule[] = [];
  for (const definition of definitions) {
    const policies = { overlap: definition.overlap, catchupWindow: definition.catchupWindow };
    try {
      await client.schedule.create({
        scheduleId: definition.scheduleId,
        spec: definition.spec,
        action: actionOf(definition),
        policies,
        state: { paused: definition.paused ?? false, ...(definition.paused ? { note: 'paused by the schedules file' } : {}) },
        memo: { [FINGERPRINT_MEMO]: definition.fingerprint },
      });
      applied.push({ name: definition.name, scheduleId: definition.scheduleId, outcome: 'created' });
      continue;
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
    const handle = client.schedule.getHandle(definition.scheduleId);
    const current = await handle.describe();
    const currentFingerprint = current.action.type === 'startWorkflow' ? current.action.memo?.[FINGERPRINT_MEMO] : undefined;
    const pauseDiffers = definition.paused !== undefined && definition.paused !== current.state.paused;
    if (currentFingerprint === definition.fingerprint && !pauseDiffers) {
      applied.push({ name: definition.name, scheduleId: definition.scheduleId, outcome: 'unchanged' });
      continue;
    }
    await handle.update((previous) => ({
      ...previous,
      spec: definition.spec,
      action: actionOf(definition),
      policies: { ...previous.policies, ...policies },
      state: {
        ...previous.state,
        paused: definition.paused ?? previous.state.paused,
        ...(pauseDiffers ? { note: definition.paused ? 'paused by the schedules file' : 'unpaused by the schedules file' } : {}),
      },
    }));
    applied.push({ name: definition.name, scheduleId: definition.scheduleId, outcome: 'updated' });
  }
  const wanted = new Set(definitions.map((d) => d.scheduleId));
  const prefix = scheduleIdPrefix(taskQueue);
  for (const scheduleId of await ourScheduleIds(client, taskQueue)) {
    if (wanted.has(scheduleId)) continue;
    try {
      await client.schedule.getHandle(scheduleId).delete();
      applied.push({ name: scheduleId.slice(prefix.length), scheduleId, outcome: 'deleted' });
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return applied;
}

/**
 * IDs of every schedule of one deployment (listing is eventually consistent: a schedule created a moment ago may be
 * missing).
 */
export async function ourScheduleIds(client: Client, taskQueue: string): Promise<string[]> {
  const prefix = scheduleIdPrefix(taskQueue);
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.scheduleId.startsWith(prefix)) ids.push(summary.scheduleId);
  }
  return ids.sort();
}
