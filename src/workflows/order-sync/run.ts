/**
 * What one run of the order workflow knows, in one object: the state the `status` query answers, what the signals
 * brought, what the last read of the order found, what earlier steps found (a retry reuses it while its inputs are
 * unchanged), the lifecycle and shipment bookkeeping; and the plumbing every step shares — `step` (one activity as one
 * step; a failure that needs a human becomes StepNeedsAttention) and `publish` (search attributes, current details).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityInterfaceFor,
} from '@temporalio/workflow';
import {
  LIFECYCLE_PATCH,
  NEEDS_ATTENTION,
  netsuiteDelayedSignal,
  netsuiteTaskQueueFor,
  orderChangedSignal,
  retrySignal,
  searchAttributes,
  shipmentsChangedSignal,
  skipSignal,
  statusQuery,
  type Attention,
  type OrderSyncInput,
  type OrderSyncState,
  type SkipRequest,
  type SyncStep,
} from '../../api';
import type { NetSuiteActivities, OrderActivities, ShipmentActivities } from '../../activities/types';
import type { MatchCustomerResult, SyncPolicy } from '../../activities/contracts';
import type { FulfilmentRecord, SalesOrderShipping } from '../../fulfilment/types';
import type { LifecycleProblem, LifecycleRecord } from '../../lifecycle/types';
import { describeStateMarkdown } from '../../outcome';
import type { WooOrder } from '../../woocommerce/order';
import { countOutcome } from '../order-metrics';

/** Used until the worker's policy is known (it comes with the order). */
const DEFAULT_POLICY: SyncPolicy = { needsAttentionLimitSeconds: 30 * 24 * 3600 };

/** Retried with back-off for up to 30 minutes (a NetSuite or WooCommerce outage); then the order needs attention. */
const RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [NEEDS_ATTENTION] };

/**
 * WooCommerce reads, the mapping and the outcome write are short and need no cluster-wide cap: local activities, run by
 * the worker that runs the workflow, recorded as markers — three fewer workflow tasks per order than regular ones.
 */
const woo = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: RETRY,
});

/** The shipment push writes to WooCommerce only: a local activity like the others. */
const shipper = proxyLocalActivities<ShipmentActivities>({ startToCloseTimeout: '2 minutes', scheduleToCloseTimeout: '30 minutes', retry: RETRY });

/** How a pass over the steps ended. */
export type Outcome = { status: 'Synced' } | { status: 'Skipped' } | { status: 'NeedsAttention'; attention: Attention };

/** After an outcome: the run closes, or goes round again (a retry, a change that came in meanwhile). */
export type Next = 'close' | 'again';

/** Thrown inside a pass when a step needs a human; carries what to tell them. */
export class StepNeedsAttention extends Error {
  constructor(readonly attention: Attention) {
    super(attention.message);
  }
}

/** What the signals brought and the run has not yet acted on. */
export interface Inbox {
  /** How many `orderChanged` signals arrived. */
  changes: number;
  retryRequested: boolean;
  skipRequested?: SkipRequest;
  /** The newest shipping state the fulfilment sync sent and not yet pushed. */
  shipping?: SalesOrderShipping;
}

/** The WooCommerce order as last read, and what came with the read. */
export interface OrderRead {
  /** Undefined until read, and after something made it stale: the next pass reads it again. */
  order?: WooOrder;
  /** The digest of `order` (what NetSuite must follow of it), from the same read. */
  digest?: string;
  /** The last read found no order in WooCommerce (deleted for good): there is nothing to write the outcome to. */
  gone: boolean;
  /** The order's meta already named the sales order: nothing to write back. */
  alreadyRecorded: boolean;
  /** `inbox.changes` when the order was last read: a later `orderChanged` is not reflected in `order`. */
  changesAtRead: number;
  policy: SyncPolicy;
}

/** What earlier steps found; a retry reuses a result while the inputs it was computed from are unchanged. */
export interface Found {
  items?: { keys: string; ids: Record<string, string> };
  customer?: { key: string; result: MatchCustomerResult };
  /** The customer match key of the current plan: every NeedsAttention names it. */
  matchKey?: Attention['matchKey'];
}

/** The run that follows an order after its sales order (src/workflows/order-sync/follow-order.ts). */
export interface LifecycleBook {
  /** Set when the order already has its sales order: the run follows its changes. */
  follow?: { salesOrderId: string; record: LifecycleRecord };
  /** The `_netsuite_lifecycle` meta value recordOutcome writes, when it changed. */
  meta?: string;
  /** Problems of the last lifecycle pass. */
  problems: LifecycleProblem[];
  /** The problem keys a `retry` acknowledged in this run. */
  acknowledged: Set<string>;
}

/** The shipment pushes (src/workflows/order-sync/shipments.ts). */
export interface ShipmentBook {
  /** The shipping state whose push needs a human: pushed again on `retry`. */
  toRetry?: SalesOrderShipping;
  /** What was pushed, once this run pushed (the order's meta before that). */
  record?: FulfilmentRecord;
  /** Reverted fulfilments of the last push: a `retry` acknowledges them. */
  reverted: string[];
  /** The reverted fulfilments the next push records as acknowledged. */
  acknowledge: string[];
}

export class OrderRun {
  readonly store: string;
  readonly orderId: number;
  /** What the `status` query answers and the workflow returns. */
  readonly state: OrderSyncState;
  /** Declared before the handlers are set: a buffered signal runs at setHandler. */
  readonly inbox: Inbox = { changes: 0, retryRequested: false };
  readonly read: OrderRead = { gone: false, alreadyRecorded: false, changesAtRead: 0, policy: DEFAULT_POLICY };
  readonly found: Found = {};
  readonly lifecycle: LifecycleBook = { problems: [], acknowledged: new Set() };
  readonly shipments: ShipmentBook = { reverted: [], acknowledge: [] };

  readonly woo = woo;
  readonly shipper = shipper;
  /** Every NetSuite call runs on the NetSuite task queue, whose concurrency is capped across all workers. */
  readonly netsuite: ActivityInterfaceFor<NetSuiteActivities>;
  /** When the order arrived: its NetSuite requests get permits before younger orders' (src/netsuite/permit-rank.ts). */
  readonly arrivedAt: number;

  /** The status last counted in the metrics (a status is counted on the transition, not on every publish). */
  private counted: string | undefined;

  constructor({ store, orderId }: OrderSyncInput) {
    this.store = store;
    this.orderId = orderId;
    const state: OrderSyncState = { store, orderId, status: 'InProgress', step: 'readOrder', warnings: [], retries: 0, outcomeRecorded: false };
    this.state = state;
    const inbox = this.inbox;

    setHandler(statusQuery, () => state);
    setHandler(orderChangedSignal, () => {
      inbox.changes++;
    });
    setHandler(retrySignal, (request) => {
      inbox.retryRequested = true;
      state.retries++;
      log.info('retry requested', { by: request?.by });
    });
    setHandler(skipSignal, (request) => {
      inbox.skipRequested = { reason: request?.reason?.trim() || 'no reason given', by: request?.by };
    });
    // NetSuite shipped (or took back) a fulfilment of the sales order: the newest shipping state is pushed after the pass.
    setHandler(shipmentsChangedSignal, (shipping) => {
      if (inbox.shipping === undefined || shipping.readAt >= inbox.shipping.readAt) inbox.shipping = shipping;
    });
    // A NetSuite step kept waiting for a permit says why, in the current details, until the step ends.
    setHandler(netsuiteDelayedSignal, (delay) => {
      if (state.status !== 'InProgress') return;
      state.delay = delay;
      setCurrentDetails(describeStateMarkdown(state));
    });

    this.netsuite = proxyActivities<NetSuiteActivities>({
      taskQueue: netsuiteTaskQueueFor(workflowInfo().taskQueue),
      startToCloseTimeout: '5 minutes',
      heartbeatTimeout: '5s',
      scheduleToCloseTimeout: '30 minutes',
      retry: RETRY,
    });
    this.arrivedAt = workflowInfo().startTime.getTime();
  }

  /** The order as last read is stale: the next pass reads it again. */
  forgetOrder(): void {
    this.read.order = undefined;
  }

  /** An `orderChanged` arrived after the order was last read (histories from before the lifecycle steps ignore it). */
  changedSinceRead(): boolean {
    return this.inbox.changes > this.read.changesAtRead && patched(LIFECYCLE_PATCH);
  }

  /** The status, failure type and sales order as search attributes; the state as the UI's current details. */
  publish(): void {
    const state = this.state;
    state.outcomeRecorded = false;
    if (state.status !== this.counted) countOutcome(state.status, state.attention?.failureType);
    this.counted = state.status;
    upsertSearchAttributes([
      { key: searchAttributes.SyncStatus, value: state.status },
      {
        key: searchAttributes.FailureType,
        value: state.status === 'NeedsAttention' || state.status === 'Failed' ? (state.attention?.failureType ?? null) : null,
      },
      { key: searchAttributes.NetSuiteSalesOrderId, value: state.salesOrderId ?? null },
    ]);
    setCurrentDetails(describeStateMarkdown(state));
  }

  /** Runs one activity as step `name`; NeedsAttention failures and exhausted retries become StepNeedsAttention. */
  async step<T>(name: SyncStep, call: () => Promise<T>): Promise<T> {
    const state = this.state;
    state.step = name;
    try {
      return await call();
    } catch (error) {
      // A regular activity's failure arrives as an ActivityFailure; a local activity's non-retryable one as the
      // ApplicationFailure itself.
      if (!(error instanceof ActivityFailure) && !(error instanceof ApplicationFailure)) throw error;
      const matchKey = this.found.matchKey;
      const cause = error instanceof ActivityFailure ? error.cause : error;
      if (cause instanceof ApplicationFailure && cause.type === NEEDS_ATTENTION) {
        const details = (cause.details?.[0] ?? {}) as Partial<Attention>;
        throw new StepNeedsAttention({
          failureType: details.failureType ?? 'Unknown',
          message: details.message ?? cause.message,
          fix: details.fix ?? 'Read the activity failure in the history, fix the cause, then send "retry".',
          ...(details.netsuite ? { netsuite: details.netsuite } : {}),
          ...((details.matchKey ?? matchKey) ? { matchKey: details.matchKey ?? matchKey } : {}),
          step: name,
          since: new Date().toISOString(),
        });
      }
      throw new StepNeedsAttention({
        failureType: 'RetriesExhausted',
        message: `The ${name} step kept failing for 30 minutes: ${cause?.message ?? error.message}`,
        fix: 'Check that WooCommerce and NetSuite are reachable and the credentials are valid, then send "retry".',
        ...(matchKey ? { matchKey } : {}),
        step: name,
        since: new Date().toISOString(),
      });
    } finally {
      if (state.delay) {
        state.delay = undefined;
        setCurrentDetails(describeStateMarkdown(state));
      }
    }
  }

  /** The order is skipped by `rule`: the state says why (and who, for an operator's skip). */
  skip(rule: string, detail: string, by?: string): Outcome {
    this.state.skipped = { rule, detail, ...(by ? { by } : {}) };
    return { status: 'Skipped' };
  }

  /** Adds the warnings the state does not list yet. */
  addWarnings(warnings: readonly string[]): void {
    for (const warning of warnings) if (!this.state.warnings.includes(warning)) this.state.warnings.push(warning);
  }
}
