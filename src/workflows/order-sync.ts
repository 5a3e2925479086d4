/**
 * The order workflow: one WooCommerce order becomes exactly one NetSuite sales order, or waits, visibly, for a human.
 *
 * read the order (the webhook is only a trigger) → sync rules and mapping → resolve items → match the customer →
 * find an existing sales order → create it → record the outcome in WooCommerce.
 *
 * A failure that would fail the same way again puts the order in NeedsAttention: the SyncStatus and FailureType search
 * attributes, the UI's current details and a private order note say what failed and what to fix. The workflow waits
 * for `retry` (re-reads the mapping, resumes from the failed step), `skip` (closes as Skipped), or `orderChanged`
 * (reads the order again); after the configured limit it closes as Failed. Every NetSuite call runs on the NetSuite
 * task queue, whose concurrency is capped across all workers.
 *
 * Once the sales order exists, a later run (started by a webhook, the catch-up poller or `sync` for an order whose
 * content changed since NetSuite last heard of it) follows the order: it reads the refunds, plans the NetSuite changes
 * (close lines of a cancelled order, reduce lines or credit the bill for a refund, update an edited order — see
 * src/lifecycle/plan.ts), applies each as its own step, and records what NetSuite now knows in the order's meta. What
 * it cannot do by itself needs attention, like any other failure; `retry` acknowledges what a human did in NetSuite.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  LIFECYCLE_PATCH,
  NEEDS_ATTENTION,
  ORDER_GONE_PATCH,
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
} from '../api';
import type { NetSuiteActivities, OrderActivities } from '../activities/types';
import type { ShipmentActivities } from '../activities/shipment-activities';
import { describeReverted } from '../fulfilment/plan';
import { parseFulfilmentRecord, type FulfilmentRecord, type SalesOrderShipping } from '../fulfilment/types';
import type { CustomerKey, MatchCustomerResult, PlanResult, SyncPolicy } from '../activities/contracts';
import type { WooOrder } from '../woocommerce/order';
import { OPERATOR_SKIP_RULE, ORDER_META, SKIPPED_BY_OPERATOR, orderMetaValue } from '../woocommerce/order-meta';
import { formatLifecycleRecord, type LifecycleProblem, type LifecycleRecord } from '../lifecycle/types';
import { describeState, describeStateMarkdown } from '../outcome';
import { countOutcome } from './order-metrics';

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

type Outcome = { status: 'Synced' } | { status: 'Skipped' } | { status: 'NeedsAttention'; attention: Attention };

/** Thrown inside a pass when a step needs a human; carries what to tell them. */
class StepNeedsAttention extends Error {
  constructor(readonly attention: Attention) {
    super(attention.message);
  }
}

export async function orderSyncWorkflow(input: OrderSyncInput): Promise<OrderSyncState> {
  const { store, orderId } = input;
  const state: OrderSyncState = { store, orderId, status: 'InProgress', step: 'readOrder', warnings: [], retries: 0, outcomeRecorded: false };
  let changes = 0;
  /** The newest shipping state the fulfilment sync sent and not yet pushed (declared before the handlers: a buffered signal runs at setHandler). */
  let pendingShipping: SalesOrderShipping | undefined;
  let retryRequested = false;
  let skipRequested: SkipRequest | undefined;

  setHandler(statusQuery, () => state);
  setHandler(orderChangedSignal, () => {
    changes++;
  });
  setHandler(retrySignal, (request) => {
    retryRequested = true;
    state.retries++;
    log.info('retry requested', { by: request?.by });
  });
  setHandler(skipSignal, (request) => {
    skipRequested = { reason: request?.reason?.trim() || 'no reason given', by: request?.by };
  });
  // NetSuite shipped (or took back) a fulfilment of the sales order: the newest shipping state is pushed after the pass.
  setHandler(shipmentsChangedSignal, (shipping) => {
    if (pendingShipping === undefined || shipping.readAt >= pendingShipping.readAt) pendingShipping = shipping;
  });
  // A NetSuite step kept waiting for a permit says why, in the current details, until the step ends.
  setHandler(netsuiteDelayedSignal, (delay) => {
    if (state.status !== 'InProgress') return;
    state.delay = delay;
    setCurrentDetails(describeStateMarkdown(state));
  });

  const netsuite = proxyActivities<NetSuiteActivities>({
    taskQueue: netsuiteTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '5s',
    scheduleToCloseTimeout: '30 minutes',
    retry: RETRY,
  });
  /** When the order arrived: its NetSuite requests get permits before younger orders' (src/netsuite/permit-rank.ts). */
  const arrivedAt = workflowInfo().startTime.getTime();

  // What earlier steps found; a retry reuses a result while the inputs it was computed from are unchanged.
  let order: WooOrder | undefined;
  let policy = DEFAULT_POLICY;
  let items: { keys: string; ids: Record<string, string> } | undefined;
  let customer: { key: string; result: MatchCustomerResult } | undefined;
  /** The customer match key of the current plan: every NeedsAttention names it. */
  let matchKey: Attention['matchKey'];
  /** The order's meta already named the sales order: nothing to write back. */
  let alreadyRecorded = false;
  /** The last read found no order in WooCommerce (deleted for good): there is nothing to write the outcome to. */
  let orderGone = false;
  /** The digest of `order` (what NetSuite must follow of it), from the same read. */
  let orderDigest: string | undefined;
  /** Set when the order already has its sales order: the run follows its changes. */
  let follow: { salesOrderId: string; record: LifecycleRecord } | undefined;
  /** The `_netsuite_lifecycle` meta value recordOutcome writes, when it changed. */
  let lifecycleMeta: string | undefined;
  /** Problems of the last lifecycle pass, and the keys a `retry` acknowledged in this run. */
  let lifecycleProblems: LifecycleProblem[] = [];
  const acknowledged = new Set<string>();
  /** The shipping state whose push needs a human: pushed again on `retry`. */
  let shippingToRetry: SalesOrderShipping | undefined;
  /** What was pushed, once this run pushed (the order's meta before that). */
  let fulfilmentRecord: FulfilmentRecord | undefined;
  /** Reverted fulfilments of the last push: a `retry` acknowledges them. */
  let revertedFulfilments: string[] = [];
  let acknowledgeFulfilments: string[] = [];
  /** `changes` when the order was last read: a later `orderChanged` is not reflected in `order`. */
  let changesAtRead = 0;
  /** An `orderChanged` arrived after the order was last read (histories from before the lifecycle steps ignore it). */
  const changedSinceRead = (): boolean => changes > changesAtRead && patched(LIFECYCLE_PATCH);

  let counted: string | undefined;
  const publish = (): void => {
    state.outcomeRecorded = false;
    if (state.status !== counted) countOutcome(state.status, state.attention?.failureType);
    counted = state.status;
    upsertSearchAttributes([
      { key: searchAttributes.SyncStatus, value: state.status },
      {
        key: searchAttributes.FailureType,
        value: state.status === 'NeedsAttention' || state.status === 'Failed' ? (state.attention?.failureType ?? null) : null,
      },
      { key: searchAttributes.NetSuiteSalesOrderId, value: state.salesOrderId ?? null },
    ]);
    setCurrentDetails(describeStateMarkdown(state));
  };

  /** Runs one activity as step `step`; NeedsAttention failures and exhausted retries become StepNeedsAttention. */
  async function step<T>(name: SyncStep, run: () => Promise<T>): Promise<T> {
    state.step = name;
    try {
      return await run();
    } catch (error) {
      // A regular activity's failure arrives as an ActivityFailure; a local activity's non-retryable one as the
      // ApplicationFailure itself.
      if (!(error instanceof ActivityFailure) && !(error instanceof ApplicationFailure)) throw error;
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

  const skip = (rule: string, detail: string, by?: string): Outcome => {
    state.skipped = { rule, detail, ...(by ? { by } : {}) };
    return { status: 'Skipped' };
  };

  /** One pass over the steps, reusing what is still valid. */
  async function pass(): Promise<Outcome> {
    try {
      if (!order) {
        follow = undefined;
        changesAtRead = changes;
        const read = await step('readOrder', () => woo.readOrder.executeWithOptions({ summary: `read WooCommerce order ${orderId}` }, [{ store, orderId }]));
        policy = read.policy;
        orderGone = !read.found;
        if (!read.found) {
          const shipping = pendingShipping ?? shippingToRetry;
          if (shipping) return await shippedOrderMissing(shipping);
          return skip('order-missing', `WooCommerce order ${orderId} no longer exists (deleted or trashed).`);
        }
        order = read.order;
        orderDigest = read.digest;
        state.orderNumber = order.number;
        if (read.alreadySyncedSalesOrderId) {
          state.salesOrderId = read.alreadySyncedSalesOrderId;
          alreadyRecorded = true;
          if (!patched(LIFECYCLE_PATCH)) return { status: 'Synced' };
          const recorded = read.lifecycle ?? { applied: {}, acknowledged: [] };
          follow = {
            salesOrderId: read.alreadySyncedSalesOrderId,
            record: { ...recorded, acknowledged: [...new Set([...recorded.acknowledged, ...acknowledged])] },
          };
        }
      }
      if (follow) return await followOrder(order, follow);
      const current = order;
      const plan: PlanResult = await step('mapOrder', () =>
        woo.planOrder.executeWithOptions({ summary: `sync rules and mapping, order ${orderId}` }, [{ store, order: current }]),
      );
      if (plan.kind === 'skip') return skip(plan.rule, plan.detail);
      state.externalId = plan.externalId;
      addWarnings(plan.warnings);
      const key = plan.customerKey;
      matchKey =
        key.kind === 'default'
          ? { kind: 'default', value: 'id' in key.ref ? `id ${key.ref.id}` : `externalId ${key.ref.externalId}` }
          : { kind: key.kind, value: key.value };

      const itemKeys = JSON.stringify(plan.itemKeys);
      if (items?.keys !== itemKeys) {
        const ids = await step('resolveItems', () =>
          netsuite.resolveItems.executeWithOptions({ summary: `resolve ${plan.itemKeys.length} item(s) in NetSuite` }, [
            { store, keys: plan.itemKeys, arrivedAt },
          ]),
        );
        items = { keys: itemKeys, ids };
      }
      const resolvedItems = items.ids;

      const customerKey = JSON.stringify(plan.customerKey);
      if (customer?.key !== customerKey) {
        const key: CustomerKey = plan.customerKey;
        const result = await step('matchCustomer', () =>
          netsuite.matchCustomer.executeWithOptions({ summary: `match customer by ${key.kind}` }, [{ store, order: current, customerKey: key, arrivedAt }]),
        );
        customer = { key: customerKey, result };
      }
      state.customerId = customer.result.customerId;
      addWarnings(customer.result.warnings);

      const found = await step('findSalesOrder', () =>
        netsuite.findSalesOrder.executeWithOptions({ summary: `find sales order ${plan.externalId}` }, [
          { externalId: plan.externalId, orderKey: current.order_key, orderKeyField: plan.orderKeyField, arrivedAt },
        ]),
      );
      addWarnings(found.warnings);
      if (found.salesOrderId) {
        state.salesOrderId = found.salesOrderId;
        return { status: 'Synced' };
      }
      const customerId = customer.result.customerId;
      const created = await step('createSalesOrder', () =>
        netsuite.createSalesOrder.executeWithOptions({ summary: `create sales order ${plan.externalId}` }, [
          { store, order: current, externalId: plan.externalId, customerId, items: resolvedItems, customerKey: plan.customerKey, arrivedAt },
        ]),
      );
      state.salesOrderId = created.salesOrderId;
      // NetSuite refused the customer given (made inactive, merged) and it was matched again.
      if (created.customerId !== undefined) state.customerId = created.customerId;
      addWarnings(created.warnings);
      // What NetSuite heard: this order as it was read. A refund or cancellation already on it is followed by the
      // next run (started by our own meta write), so the digest is left out then.
      const settledAtCreate = current.refunds.length === 0 && current.status !== 'cancelled' && current.status !== 'trash';
      if (orderDigest !== undefined)
        lifecycleMeta = formatLifecycleRecord({ ...(settledAtCreate ? { digest: orderDigest } : {}), applied: {}, acknowledged: [] });
      return { status: 'Synced' };
    } catch (error) {
      if (error instanceof StepNeedsAttention) return { status: 'NeedsAttention', attention: error.attention };
      throw error;
    }
  }

  /**
   * One lifecycle pass over an order that has its sales order: nothing to do while the order matches what NetSuite
   * last heard; else read the refunds, plan, apply each change, and leave what NetSuite now knows for recordOutcome.
   */
  async function followOrder(current: WooOrder, f: { salesOrderId: string; record: LifecycleRecord }): Promise<Outcome> {
    lifecycleProblems = [];
    if (f.record.digest !== undefined && f.record.digest === orderDigest) return { status: 'Synced' };
    const refunds =
      current.refunds.length > 0 || Object.keys(f.record.applied).length > 0
        ? await step('readRefunds', () =>
            woo.readRefunds.executeWithOptions({ summary: `read the refunds of WooCommerce order ${orderId}` }, [{ store, orderId }]),
          )
        : [];
    const planned = await step('planChanges', () =>
      netsuite.planOrderChanges.executeWithOptions({ summary: `compare order ${orderId} with NetSuite sales order ${f.salesOrderId}` }, [
        { store, order: current, refunds, salesOrderId: f.salesOrderId, record: f.record },
      ]),
    );
    if (planned.salesOrder.externalId) state.externalId = planned.salesOrder.externalId;
    const record: LifecycleRecord = { ...f.record, applied: { ...f.record.applied, ...planned.plan.alreadyApplied } };
    try {
      for (const action of planned.plan.actions) {
        const applied = await step('applyChange', () => netsuite.applyOrderChange.executeWithOptions({ summary: action.describe.slice(0, 200) }, [{ action }]));
        (state.changes ??= []).push({
          at: new Date().toISOString(),
          kind: action.kind,
          describe: action.describe,
          netsuite: applied.netsuite,
          ...(applied.resolvedDuplicate ? { resolvedDuplicate: true } : {}),
        });
        if (action.kind === 'credit') record.applied[String(action.refundId)] = `${applied.netsuite.type}:${applied.netsuite.id}`;
        if (action.kind === 'updateSalesOrder') for (const id of action.refundIds) record.applied[String(id)] = 'reduced';
      }
    } finally {
      // Whatever was applied is recorded, even when a later change needs a human.
      lifecycleProblems = planned.plan.problems;
      if (planned.plan.problems.length === 0) record.digest = orderDigest;
      else delete record.digest;
      const value = formatLifecycleRecord(record);
      if (value !== orderMetaValue(current, ORDER_META.lifecycle)) {
        lifecycleMeta = value;
        alreadyRecorded = false;
      }
      f.record = record;
    }
    const [first, ...more] = planned.plan.problems;
    if (first === undefined) return { status: 'Synced' };
    return {
      status: 'NeedsAttention',
      attention: {
        failureType: first.failureType,
        step: 'planChanges',
        message: [first, ...more].map((p) => p.message).join(' Also: '),
        fix: [first, ...more].map((p) => p.fix).join(' '),
        since: new Date().toISOString(),
      },
    };
  }

  /** NetSuite shipped a fulfilment of an order WooCommerce no longer has: the customer was not told; a human must. */
  async function shippedOrderMissing(shipping: SalesOrderShipping): Promise<Outcome> {
    // Kept for `retry`: an order restored in WooCommerce then gets its shipment.
    pendingShipping = undefined;
    shippingToRetry = shipping;
    // Claimed, so the fulfilment sync does not raise it again on every run of its overlap window.
    await step('pushShipments', () =>
      shipper.claimShipments.executeWithOptions({ summary: `note that order ${orderId} is gone: its shipments are not sent again` }, [
        { store, orderId, shipping },
      ]),
    );
    const shipped = shipping.fulfilments.filter((f) => f.shipped);
    const numbers = shipped.flatMap((f) => f.packages.map((p) => p.trackingNumber));
    return {
      status: 'NeedsAttention',
      attention: {
        failureType: 'ShippedOrderMissing',
        step: 'pushShipments',
        message:
          `NetSuite sales order ${shipping.tranId ?? shipping.salesOrderId} shipped (${shipped.map((f) => f.tranId).join(', ') || 'no shipped fulfilment'}` +
          `${numbers.length > 0 ? `, tracking ${numbers.join(', ')}` : ''}), but WooCommerce order ${orderId} no longer exists: the customer was not told.`,
        fix: 'Tell the customer another way (or restore the order in WooCommerce and send "retry"), then send "skip" with what you did.',
        since: new Date().toISOString(),
      },
    };
  }

  /**
   * Pushes the pending shipping state to the WooCommerce order (src/activities/shipment-activities.ts). Returns a
   * NeedsAttention outcome when NetSuite took back a pushed fulfilment or the push itself needs a human.
   */
  async function pushShipments(): Promise<Outcome | undefined> {
    const shipping = pendingShipping ?? shippingToRetry;
    if (!shipping || !order) return undefined;
    pendingShipping = undefined;
    shippingToRetry = undefined;
    const current = order;
    const record = fulfilmentRecord ?? parseFulfilmentRecord(orderMetaValue(current, ORDER_META.fulfilments));
    const acknowledge = acknowledgeFulfilments;
    let pushed;
    try {
      pushed = await step('pushShipments', () =>
        shipper.pushShipments.executeWithOptions(
          { summary: `push the shipments of NetSuite sales order ${shipping.tranId ?? shipping.salesOrderId} to WooCommerce order ${orderId}` },
          [{ store, orderId, order: { orderKey: current.order_key, status: current.status }, record, shipping, acknowledge }],
        ),
      );
    } catch (error) {
      if (!(error instanceof StepNeedsAttention)) throw error;
      shippingToRetry = shipping;
      return { status: 'NeedsAttention', attention: error.attention };
    }
    acknowledgeFulfilments = [];
    fulfilmentRecord = pushed.record;
    if (pushed.completed) order = { ...current, status: 'completed' };
    if (pushed.events.length > 0) (state.shipments ??= []).push(...pushed.events);
    revertedFulfilments = pushed.reverted.map((r) => r.fulfilment.id);
    if (pushed.reverted.length === 0) return undefined;
    shippingToRetry = shipping;
    return {
      status: 'NeedsAttention',
      attention: {
        failureType: 'FulfilmentReverted',
        step: 'pushShipments',
        message: `${describeReverted(pushed.reverted, shipping.tranId ?? shipping.salesOrderId)} The customer was already told; nothing was taken back in WooCommerce.`,
        fix: 'Tell the customer what changed (a new shipment is pushed when NetSuite ships again), then send "retry" to accept it.',
        since: new Date().toISOString(),
      },
    };
  }

  /** One attention that says both what was already needed and what the shipment push needs. */
  function alsoNeeded(first: Attention, more: Attention): Attention {
    if (first.message.includes(more.message)) return first;
    return { ...first, message: `${first.message} Also: ${more.message}`, fix: `${first.fix} ${more.fix}` };
  }

  function fingerprint(o: WooOrder): string {
    return JSON.stringify({ ...o, meta_data: undefined, date_modified_gmt: undefined });
  }

  function addWarnings(warnings: readonly string[]): void {
    for (const warning of warnings) if (!state.warnings.includes(warning)) state.warnings.push(warning);
  }

  /** Writes the outcome to the order (meta + private note). Best effort: the sales order exists either way. */
  async function recordOutcome(): Promise<void> {
    if (state.status === 'InProgress') return;
    // Writing to an order WooCommerce no longer has fails ("Invalid ID") and says nothing: the state holds the outcome.
    if (orderGone && patched(ORDER_GONE_PATCH)) {
      state.outcomeRecorded = true;
      return;
    }
    const status = state.status;
    // An operator's skip is sticky: later webhooks must not sync the order (planOrder honours this meta value).
    const metaStatus = state.skipped?.rule === OPERATOR_SKIP_RULE ? SKIPPED_BY_OPERATOR : status;
    const previous = state.step;
    // A meta write fires order.updated; never write what the order already says (that would loop through the webhook).
    const metaChanged =
      !order ||
      orderMetaValue(order, ORDER_META.syncStatus) !== metaStatus ||
      (state.salesOrderId !== undefined && orderMetaValue(order, ORDER_META.salesOrderId) !== state.salesOrderId) ||
      (lifecycleMeta !== undefined && orderMetaValue(order, ORDER_META.lifecycle) !== lifecycleMeta);
    if (!metaChanged && status === 'Skipped') {
      state.outcomeRecorded = true;
      return;
    }
    try {
      await step('recordOutcome', () =>
        woo.recordOutcome.executeWithOptions({ summary: `record ${status} on WooCommerce order ${orderId}` }, [
          {
            store,
            orderId,
            status: metaStatus,
            note: describeState(state),
            writeMeta: metaChanged,
            ...(state.salesOrderId ? { salesOrderId: state.salesOrderId } : {}),
            ...(metaStatus === SKIPPED_BY_OPERATOR && state.skipped ? { skipReason: state.skipped.detail } : {}),
            ...(lifecycleMeta !== undefined && metaChanged ? { lifecycle: lifecycleMeta } : {}),
          },
        ]),
      );
      state.outcomeRecorded = true;
    } catch (error) {
      if (!(error instanceof StepNeedsAttention)) throw error;
      addWarnings([`Could not record the outcome in WooCommerce: ${error.attention.message}`]);
      state.step = previous;
    }
  }

  /**
   * Waits for `retry`, `skip`, or a change to the order that matters, up to the NeedsAttention limit. Our own meta write
   * fires order.updated too: an order whose content did not change goes back to waiting. Returns false at the limit.
   */
  async function waitForHuman(attention: Attention): Promise<boolean> {
    const deadline = Date.parse(attention.since) + policy.needsAttentionLimitSeconds * 1000;
    for (;;) {
      const seen = changes;
      const woke = await condition(
        () => retryRequested || skipRequested !== undefined || changes > seen || (pendingShipping !== undefined && state.salesOrderId !== undefined),
        Math.max(0, deadline - Date.now()),
      );
      if (!woke) return false;
      if (retryRequested || skipRequested !== undefined) return true;
      if (pendingShipping !== undefined && changes === seen) {
        // A shipment while a human is needed for something else still reaches the customer.
        const shipped = await pushShipments();
        state.step = attention.step;
        const merged = shipped?.status === 'NeedsAttention' && state.attention ? alsoNeeded(state.attention, shipped.attention) : state.attention;
        if (merged !== state.attention) {
          state.attention = merged;
          publish();
          await recordOutcome();
        } else if (state.shipments?.length) setCurrentDetails(describeStateMarkdown(state));
        continue;
      }
      let read;
      try {
        read = await step('readOrder', () => woo.readOrder.executeWithOptions({ summary: `re-read WooCommerce order ${orderId}` }, [{ store, orderId }]));
      } catch (error) {
        if (!(error instanceof StepNeedsAttention)) throw error;
        state.step = attention.step;
        continue; // WooCommerce could not be read: keep waiting on what we know
      }
      state.step = attention.step;
      if (!read.found || !order || fingerprint(read.order) !== fingerprint(order)) {
        order = undefined; // read it again and run the steps on what it says now
        return true;
      }
      order = read.order;
    }
  }

  publish();
  for (;;) {
    const seen = changes;
    let outcome = await pass();
    // NetSuite's shipments reach the customer whatever else the order is waiting for.
    if (outcome.status !== 'Skipped' && state.salesOrderId !== undefined && (pendingShipping ?? shippingToRetry) !== undefined) {
      const shipped = await pushShipments();
      if (shipped?.status === 'NeedsAttention')
        outcome = outcome.status === 'NeedsAttention' ? { ...outcome, attention: alsoNeeded(outcome.attention, shipped.attention) } : shipped;
    }
    if (outcome.status === 'Synced') {
      state.status = 'Synced';
      state.attention = undefined;
      publish();
      if (alreadyRecorded) state.outcomeRecorded = true;
      else await recordOutcome();
      // A change signalled while this pass ran (a refund webhook, say) is looked at before the run closes.
      if (changedSinceRead()) {
        order = undefined;
        continue;
      }
      break;
    }
    if (outcome.status === 'Skipped') {
      if (changes > seen) {
        order = undefined; // the order changed while we looked at it: read it again before skipping
        continue;
      }
      state.status = 'Skipped';
      publish();
      await recordOutcome();
      // A change signalled while the outcome was written (a refund, a payment) is looked at before the run closes.
      if (changedSinceRead()) {
        order = undefined;
        continue;
      }
      break;
    }

    state.status = 'NeedsAttention';
    state.attention = outcome.attention;
    retryRequested = false; // a retry sent before this failure is not an answer to it
    publish();
    await recordOutcome();
    log.warn('order needs attention', { failureType: outcome.attention.failureType, step: outcome.attention.step });

    const woke = await waitForHuman(outcome.attention);
    if (!woke) {
      state.status = 'Failed';
      publish();
      await recordOutcome();
      await condition(allHandlersFinished);
      throw ApplicationFailure.create({
        type: 'OrderSyncFailed',
        message: `Order ${orderId} needed attention for ${policy.needsAttentionLimitSeconds} s and was not fixed: ${outcome.attention.message}`,
        nonRetryable: true,
        details: [state],
      });
    }
    if (skipRequested !== undefined) {
      const request: SkipRequest = skipRequested;
      skip(OPERATOR_SKIP_RULE, request.reason, request.by);
      state.status = 'Skipped';
      state.attention = undefined;
      publish();
      await recordOutcome();
      break;
    }
    retryRequested = false;
    if (outcome.attention.step === 'pushShipments') {
      // `retry` on a reverted fulfilment: the human told the customer; it is recorded as acknowledged.
      if (outcome.attention.failureType === 'FulfilmentReverted') acknowledgeFulfilments = revertedFulfilments;
      order = undefined;
    }
    if (follow) {
      // `retry` on a lifecycle problem: what a human did in NetSuite is accepted, and the order is read again.
      for (const p of lifecycleProblems) if (p.acknowledgeable) acknowledged.add(p.key);
      order = undefined;
    }
    state.status = 'InProgress';
    state.attention = undefined;
    publish();
  }

  await condition(allHandlersFinished);
  return state;
}
