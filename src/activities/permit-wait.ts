/**
 * A NetSuite step that waits for a concurrency permit says so, instead of looking stuck: its heartbeat details carry
 * `waitingForNetSuitePermit` while a request waits, and once the step has waited longer than the threshold since it was
 * first scheduled (all permits busy, or the limiter's database unreachable — each retry counts from the first
 * attempt), its workflow is told once per attempt (`netsuiteDelayed`), so the order's current details say why.
 */
import { Context } from '@temporalio/activity';
import type { NetSuiteDelay } from '../api';
import type { PermitWaits } from '../netsuite/permit-waits';
import { withHeartbeat } from './heartbeat';

/** How often a NetSuite step heartbeats (its heartbeat timeout is 5 s; see order-sync.ts). */
export const PERMIT_WAIT_HEARTBEAT_MS = 2_000;

export interface PermitWaitReporting {
  waits: PermitWaits;
  /** The account's permits (for the words "all N permits are in use"). */
  permits: number;
  /** How long a step may wait before its workflow is told. */
  reportAfterMs: number;
  /** Tells the order workflow (a signal); failures are the caller's to swallow. */
  report(workflowId: string, delay: NetSuiteDelay): Promise<void>;
}

/** withHeartbeat, plus what the module comment says when `reporting` is given. */
export async function withPermitWatch<T>(reporting: PermitWaitReporting | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (!reporting) return withHeartbeat(run);
  const context = Context.current();
  const { info } = context;
  const signal = context.cancellationSignal;
  const firstScheduled = info.scheduledTimestampMs;
  let told = false;
  const tell = (reason: string): void => {
    const workflowId = info.workflowExecution?.workflowId;
    if (told || workflowId === undefined || Date.now() - firstScheduled < reporting.reportAfterMs) return;
    told = true;
    reporting.report(workflowId, { since: new Date(firstScheduled).toISOString(), reason }).catch(() => undefined);
  };
  // Read at every heartbeat: what the beat carries, and the moment to tell the workflow.
  const beat = (): unknown => {
    const since = reporting.waits.waitingSince(signal);
    if (since === undefined) return undefined;
    const seconds = Math.round((Date.now() - since) / 1000);
    tell(`all ${reporting.permits} of the account's NetSuite concurrency permits are in use; this request has waited ${seconds} s for one`);
    return { waitingForNetSuitePermit: { seconds, permits: reporting.permits } };
  };
  try {
    // Every 2 s, not every second: the SDK sends at most one heartbeat per 0.8 × the 5 s timeout anyway, and in a flash
    // sale a thousand steps wait at once — each call costs the worker CPU that the orders need.
    return await withHeartbeat(run, { details: beat, everyMs: PERMIT_WAIT_HEARTBEAT_MS });
  } catch (error) {
    const refusal = reporting.waits.refusal(signal);
    if (refusal) tell(refusal.reason);
    throw error;
  }
}
