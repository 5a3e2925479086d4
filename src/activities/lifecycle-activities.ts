/**
 * The NetSuite side of an order's life after its sales order (on the NetSuite task queue, holding the shared limiter's
 * permits): read what NetSuite holds and plan the changes, then apply one change at a time. Applying is idempotent:
 * line closes and updates set a state, and a credit is looked up by its external ID before it is made, so a worker
 * killed after NetSuite accepted it never makes a second one.
 */
import type { SalesOrderState } from '../lifecycle/types';
import { planLifecycle } from '../lifecycle/plan';
import { refundExternalIdPrefix } from '../lifecycle/refund-plan';
import { distinctItemKeys } from '../mapping';
import type { Mapping, NsRef } from '../mapping/schema';
import type { NetSuiteClient } from '../netsuite/client';
import { isNetSuiteError } from '../netsuite/errors';
import { itemIdsByKey } from '../netsuite/items';
import { readSalesOrderState } from '../netsuite/sales-order-state';
import { suiteQlStringList } from '../netsuite/suiteql';
import { needsAttention } from './failures';
import type { MappingSource } from './mapping-source';
import type { LifecycleNetSuiteActivities } from './types';

type Call = <T>(what: string, run: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** The external IDs of the mapping's item references a lifecycle plan may need (fees, tax, refund adjustments). */
function referencedExternalIds(mapping: Mapping): string[] {
  const refs: (NsRef | undefined)[] = [mapping.fees.item, mapping.tax.item, mapping.lifecycle.refunds.adjustmentItem];
  return [...new Set(refs.flatMap((r) => (r && 'externalId' in r ? [r.externalId] : [])))];
}

export function createLifecycleNetSuiteActivities(deps: { netsuite: NetSuiteClient; mapping: MappingSource }, call: Call): LifecycleNetSuiteActivities {
  const { netsuite } = deps;
  return {
    async planOrderChanges({ store, order, refunds, salesOrderId, record }) {
      const mapping = deps.mapping.forStore(store);
      const keys = distinctItemKeys(order, mapping);
      const externalIds = referencedExternalIds(mapping);
      const { state, items, refs } = await call('reading the sales order and its bills', async (signal) => {
        const found: SalesOrderState | undefined = await readSalesOrderState(
          netsuite,
          { salesOrderId, creditExternalIdPrefix: refundExternalIdPrefix(mapping, store, order.id) },
          signal,
        );
        const ids = keys.length > 0 ? await itemIdsByKey(netsuite, mapping.items.matchBy, keys, { signal }) : new Map<string, string>();
        const refRows =
          externalIds.length > 0
            ? (await netsuite.suiteql(`SELECT id, externalid FROM item WHERE externalid IN ${suiteQlStringList(externalIds)}`, { signal })).items
            : [];
        return { state: found, items: ids, refs: new Map(refRows.flatMap((r) => (r.id && r.externalid ? [[r.externalid, r.id] as [string, string]] : []))) };
      });
      if (!state) {
        throw needsAttention({
          failureType: 'SalesOrderMissing',
          message: `NetSuite sales order ${salesOrderId}, which WooCommerce order ${order.number} names (meta _netsuite_sales_order_id), no longer exists; its changes cannot be applied.`,
          fix: 'If the sales order was deleted on purpose, delete the order meta _netsuite_sales_order_id and _netsuite_lifecycle and run `sync` to create it again; otherwise correct the meta to the right internal ID. Then send "retry".',
        });
      }
      const missing = keys.filter((k) => !items.has(k));
      if (missing.length > 0 && order.status !== 'cancelled' && order.status !== 'trash') {
        throw needsAttention({
          failureType: 'UnknownSku',
          message: `The edited order has item(s) NetSuite does not know: ${missing.join(', ')}.`,
          fix: `Create the item in NetSuite, or map the SKU in ${deps.mapping.path} ("items": {"aliases": {"${missing[0]}": "<NetSuite item>"}}); then send "retry".`,
        });
      }
      const plan = planLifecycle({ store, order, refunds, salesOrder: state, mapping, items, refs, record });
      return {
        plan,
        salesOrder: {
          id: state.id,
          ...(state.tranId ? { tranId: state.tranId } : {}),
          ...(state.externalId ? { externalId: state.externalId } : {}),
          status: state.status,
        },
      };
    },

    async applyOrderChange({ action }) {
      switch (action.kind) {
        case 'closeLines':
          await call(`closing lines of sales order ${action.salesOrderId}`, (signal) =>
            netsuite.updateRecord('salesOrder', action.salesOrderId, { item: { items: action.lines.map((line) => ({ line, isClosed: true })) } }, { signal }),
          );
          return { netsuite: { type: 'salesOrder', id: action.salesOrderId }, resolvedDuplicate: false };
        case 'updateSalesOrder':
          await call(`updating sales order ${action.salesOrderId}`, (signal) =>
            netsuite.updateRecord('salesOrder', action.salesOrderId, action.body, { signal, ...(action.replaceItems ? { replace: ['item'] } : {}) }),
          );
          return { netsuite: { type: 'salesOrder', id: action.salesOrderId }, resolvedDuplicate: false };
        case 'credit':
          return call(`creating the ${action.target} ${action.externalId}`, async (signal) => {
            const existing = await netsuite.getRecord<{ id?: string | number }>(action.target, `eid:${action.externalId}`, { signal });
            if (existing?.id !== undefined) return { netsuite: { type: action.target, id: String(existing.id) }, resolvedDuplicate: true };
            try {
              const { id } = await netsuite.transformRecord(action.source.type, action.source.id, action.target, action.body, { signal });
              return { netsuite: { type: action.target, id }, resolvedDuplicate: false };
            } catch (error) {
              if (!isNetSuiteError(error) || error.kind !== 'duplicate-external-id') throw error;
              const again = await netsuite.getRecord<{ id?: string | number }>(action.target, `eid:${action.externalId}`, { signal });
              if (again?.id === undefined) throw error;
              return { netsuite: { type: action.target, id: String(again.id) }, resolvedDuplicate: true };
            }
          });
      }
    },
  };
}
