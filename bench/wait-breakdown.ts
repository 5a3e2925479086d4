/**
 * Where an order waits, read from workflow histories: for a sample of order workflows, each activity's queue wait
 * (ActivityTaskScheduled → ActivityTaskStarted) and run time (Started → Completed/Failed), and the workflow tasks'
 * queue wait (WorkflowTaskScheduled → Started) and run time (Started → Completed). Aggregated by step, so a
 * benchmark can say whether orders wait for Temporal (task queues, worker slots) or for NetSuite (the permit, latency).
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { summarizeTimings } from '../simulators/shared/timings';

const EventType = temporal.api.enums.v1.EventType;

/** Median and p90 of one kind of wait or run, over the sampled orders, in ms. */
export interface WaitFigure {
  count: number;
  medianMs: number;
  p90Ms: number;
  meanMs: number;
}

/** One row of the breakdown: an activity type or `workflowTask`. */
export interface StepBreakdown {
  /** Activity type name, or `workflowTask`. */
  step: string;
  /** Time in the task queue before a worker started it. */
  queued: WaitFigure;
  /** Time from start to completion (for NetSuite activities: waiting for a permit + the HTTP requests). */
  running: WaitFigure;
  /** Attempts beyond the first, summed over the sample. */
  retries: number;
}

export interface WaitBreakdown {
  /** Workflows read. */
  sampled: number;
  /** Per order, from the first event to the last: median and p90 in ms. */
  workflowMs: WaitFigure;
  /** Workflow tasks per order (mean). */
  workflowTasksPerOrder: number;
  steps: StepBreakdown[];
  /** Each sampled workflow's first event (its start), epoch ms, in the order read. */
  startedAt: number[];
}

const figure = (samples: number[]): WaitFigure => {
  const s = summarizeTimings(samples);
  return { count: s.count, medianMs: Math.round(s.medianMs), p90Ms: Math.round(s.p90Ms), meanMs: Math.round(s.meanMs) };
};

/** Reads the histories of `workflowIds` (a few dozen: one request each) and aggregates the waits. */
export async function waitBreakdown(client: Client, workflowIds: readonly string[]): Promise<WaitBreakdown> {
  const queued = new Map<string, number[]>();
  const running = new Map<string, number[]>();
  const retries = new Map<string, number>();
  const total: number[] = [];
  const startedAt: number[] = [];
  let workflowTasks = 0;
  const push = (map: Map<string, number[]>, key: string, value: number): void => {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  };

  let sampled = 0;
  for (const workflowId of workflowIds) {
    // An order whose webhooks never reached the receiver has no workflow: skip it.
    const history = await client.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    if (!history) continue;
    sampled++;
    const events = history.events ?? [];
    const scheduled = new Map<string, { step: string; at: number }>();
    const started = new Map<string, number>();
    for (const event of events) {
      const at = tsToMs(event.eventTime);
      const id = String(event.eventId);
      switch (event.eventType) {
        case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
          scheduled.set(id, { step: 'workflowTask', at });
          workflowTasks++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
          const from = scheduled.get(String(event.workflowTaskStartedEventAttributes?.scheduledEventId));
          if (from) push(queued, from.step, at - from.at);
          started.set(String(event.workflowTaskStartedEventAttributes?.scheduledEventId), at);
          break;
        }
        case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
          const key = String(event.workflowTaskCompletedEventAttributes?.scheduledEventId);
          const begun = started.get(key);
          if (begun !== undefined) push(running, 'workflowTask', at - begun);
          break;
        }
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
          scheduled.set(id, { step: event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity', at });
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
          const attributes = event.activityTaskStartedEventAttributes;
          const key = String(attributes?.scheduledEventId);
          const from = scheduled.get(key);
          if (from) {
            push(queued, from.step, at - from.at);
            const attempt = attributes?.attempt ?? 1;
            if (attempt > 1) retries.set(from.step, (retries.get(from.step) ?? 0) + attempt - 1);
          }
          started.set(key, at);
          break;
        }
        case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
          const attributes = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
          const key = String(attributes?.scheduledEventId);
          const from = scheduled.get(key);
          const begun = started.get(key);
          if (from && begun !== undefined) push(running, from.step, at - begun);
          break;
        }
        default:
          break;
      }
    }
    const first = events[0];
    const last = events[events.length - 1];
    if (first && last) total.push(tsToMs(last.eventTime) - tsToMs(first.eventTime));
    if (first) startedAt.push(tsToMs(first.eventTime));
  }

  const steps = [...queued.keys()].map((step) => ({
    step,
    queued: figure(queued.get(step) ?? []),
    running: figure(running.get(step) ?? []),
    retries: retries.get(step) ?? 0,
  }));
  return {
    sampled,
    workflowMs: figure(total),
    workflowTasksPerOrder: sampled === 0 ? 0 : Math.round((workflowTasks / sampled) * 10) / 10,
    steps,
    startedAt,
  };
}
