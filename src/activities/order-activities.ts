/**
 * Activities on the orders task queue: read the order from WooCommerce, apply the sync rules and plan the mapping,
 * and record the outcome on the order. Each is thin: one client call or one pure function, errors turned into failures.
 */
import { Context } from '@temporalio/activity';
import type { OrderSyncInput } from '../api';
import {
  buildSalesOrder,
  customerMatchKey,
  evaluateSyncRules,
  distinctItemKeys,
  InvalidMoneyError,
  salesOrderExternalId,
  type BuildSalesOrderResult,
} from '../mapping';
import { parseLifecycleRecord } from '../lifecycle/types';
import type { WooOrder } from '../woocommerce/order';
import { lifecycleDigest } from '../woocommerce/order-digest';
import { OPERATOR_SKIP_RULE, ORDER_META, SKIPPED_BY_OPERATOR, orderMetaValue } from '../woocommerce/order-meta';
import type { WooClient } from '../woocommerce/client';
import type { PlanResult, ReadOrderResult, RecordOutcomeInput, SyncPolicy } from './contracts';
import { fromMappingProblem, needsAttention, storeClientOf, toFailure } from './failures';
import type { MappingSource } from './mapping-source';
import type { OrderActivities } from './types';

export interface OrderActivityDeps {
  /** One REST client per configured store, by store name. */
  stores: ReadonlyMap<string, WooClient>;
  mapping: MappingSource;
  policy: SyncPolicy;
}

/** The prefix of every note this integration writes, so a human sees at once where it came from. */
export const NOTE_PREFIX = '[woo-netsuite-sync]';

export function createOrderActivities(deps: OrderActivityDeps): OrderActivities {
  const storeClient = (store: string): WooClient => storeClientOf(deps.stores, store, 'then send "retry"');
  const signal = (): AbortSignal => Context.current().cancellationSignal;

  return {
    async readOrder({ store, orderId }: OrderSyncInput): Promise<ReadOrderResult> {
      const client = storeClient(store);
      let order: WooOrder | undefined;
      try {
        order = await client.getOrder(orderId, { signal: signal() });
      } catch (error) {
        throw toFailure(error, `reading order ${orderId}`);
      }
      if (!order) return { found: false, policy: deps.policy };
      const alreadySyncedSalesOrderId = orderMetaValue(order, ORDER_META.salesOrderId);
      const lifecycle = parseLifecycleRecord(orderMetaValue(order, ORDER_META.lifecycle));
      return {
        found: true,
        order,
        policy: deps.policy,
        digest: lifecycleDigest(order),
        lifecycle,
        ...(alreadySyncedSalesOrderId ? { alreadySyncedSalesOrderId } : {}),
      };
    },

    async planOrder({ store, order }): Promise<PlanResult> {
      const mapping = deps.mapping.forStore(store);
      if (orderMetaValue(order, ORDER_META.syncStatus) === SKIPPED_BY_OPERATOR) {
        const reason = orderMetaValue(order, ORDER_META.skipReason);
        return {
          kind: 'skip',
          rule: OPERATOR_SKIP_RULE,
          detail: `An operator skipped this order earlier${reason ? `: ${reason}` : ''} (${ORDER_META.syncStatus} = ${SKIPPED_BY_OPERATOR}; delete that meta value to let it sync).`,
        };
      }
      const rules = evaluateSyncRules(order, mapping);
      if (!rules.sync) return { kind: 'skip', rule: rules.rule, detail: rules.detail };

      const keys = distinctItemKeys(order, mapping);
      const customerKey = customerMatchKey(order, mapping, store);
      if (customerKey.kind === 'none') {
        throw needsAttention({
          failureType: 'MissingCustomerEmail',
          message: `Order ${order.number} has no billing e-mail, and no default customer is configured for orders without one.`,
          fix: 'Set "customers.defaultCustomer" in the mapping file (e.g. {"id": "<NetSuite customer ID>"}), or add an e-mail to the order, then send "retry".',
          matchKey: { kind: 'email', value: '(none)' },
        });
      }
      // Validate the whole mapping now (shipping method, payment method, deleted products…) with placeholder IDs, so a
      // mapping gap is reported before any NetSuite call; unknown SKUs are reported by resolveItems, which asks NetSuite.
      let probe: BuildSalesOrderResult;
      try {
        probe = buildSalesOrder({ order, store, mapping, customerId: '0', items: new Map(keys.map((k) => [k, '0'])) });
      } catch (error) {
        // An amount WooCommerce itself never writes (e.g. "1e3"): the same order fails the same way on every attempt.
        if (!(error instanceof InvalidMoneyError)) throw error;
        throw needsAttention({
          failureType: 'InvalidOrderData',
          message: `Order ${order.number}: ${error.message}. WooCommerce writes amounts as plain decimals (e.g. "1000.00"); this one was written by a plugin or an import, and is not guessed at.`,
          fix: 'Correct the amount on the order in WooCommerce (or the plugin that wrote it), then send "retry".',
        });
      }
      if (!probe.ok) throw fromMappingProblem(probe.problem);
      return {
        kind: 'plan',
        externalId: salesOrderExternalId(mapping, store, order.order_key),
        itemKeys: keys,
        customerKey: customerKey.kind === 'default' ? { kind: 'default', ref: customerKey.ref } : { kind: customerKey.kind, value: customerKey.value },
        orderKeyField: mapping.customFields.orderKey,
        warnings: probe.warnings,
      };
    },

    async readRefunds({ store, orderId }: OrderSyncInput) {
      try {
        return await storeClient(store).listRefunds(orderId, { signal: signal() });
      } catch (error) {
        throw toFailure(error, `reading the refunds of order ${orderId}`);
      }
    },

    async recordOutcome({ store, orderId, status, note, salesOrderId, writeMeta, skipReason, lifecycle }: RecordOutcomeInput): Promise<void> {
      const client = storeClient(store);
      const meta: { key: string; value: string }[] = [{ key: ORDER_META.syncStatus, value: status }];
      if (salesOrderId) meta.push({ key: ORDER_META.salesOrderId, value: salesOrderId });
      if (skipReason) meta.push({ key: ORDER_META.skipReason, value: skipReason });
      if (lifecycle !== undefined) meta.push({ key: ORDER_META.lifecycle, value: lifecycle });
      try {
        if (writeMeta) await client.updateOrderMeta(orderId, meta, { signal: signal() });
        await client.addPrivateNote(orderId, `${NOTE_PREFIX} ${note}`, { signal: signal() });
      } catch (error) {
        throw toFailure(error, `recording the outcome on order ${orderId}`);
      }
    },
  };
}
