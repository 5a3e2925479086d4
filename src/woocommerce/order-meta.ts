/**
 * The order meta this integration reads and writes (order meta through REST, never post meta). No dependencies:
 * the order workflow imports it.
 */

/** Order meta keys this integration writes (order meta through REST, never post meta). */
export const ORDER_META = {
  salesOrderId: '_netsuite_sales_order_id',
  syncStatus: '_netsuite_sync_status',
  /** The reason an operator gave when skipping the order. */
  skipReason: '_netsuite_skip_reason',
  /** What NetSuite last heard of the order after its sales order (digest, applied refunds): see src/lifecycle/types.ts. */
  lifecycle: '_netsuite_lifecycle',
  /** The NetSuite fulfilments pushed to the order (tracking, notes): see src/fulfilment/types.ts. */
  fulfilments: '_netsuite_fulfilments',
} as const;

/** The `_netsuite_sync_status` value of an order an operator skipped: later webhooks do not sync it. */
export const SKIPPED_BY_OPERATOR = 'SkippedByOperator';
/** The rule recorded when an operator skips an order. */
export const OPERATOR_SKIP_RULE = 'skipped-by-operator';

/** The value of a meta key, as a string, or undefined when it is absent or empty. */
export function orderMetaValue(order: { meta_data: readonly { key: string; value: unknown }[] }, key: string): string | undefined {
  const entry = order.meta_data.find((m) => m.key === key);
  if (entry === undefined || entry.value === null || entry.value === undefined) return undefined;
  const value = String(entry.value);
  return value === '' ? undefined : value;
}

/**
 * Sync statuses that settle an order for the webhook receiver and the catch-up poller: an operator skipped it, or it
 * failed after the NeedsAttention limit. Our own meta write fires order.updated; starting a workflow for it would undo
 * the outcome. An operator restarts a failed order with `cli sync`; a skipped one after deleting its sync-status meta.
 */
export const SETTLED_SYNC_STATUSES: ReadonlySet<string> = new Set([SKIPPED_BY_OPERATOR, 'Failed']);

/** Why nothing should start for this order (it already names a sales order, or its sync status settles it), or undefined. */
export function settledReason(order: { meta_data: readonly { key: string; value: unknown }[] }): string | undefined {
  if (orderMetaValue(order, ORDER_META.salesOrderId) !== undefined) return 'already synced';
  const syncStatus = orderMetaValue(order, ORDER_META.syncStatus);
  return syncStatus !== undefined && SETTLED_SYNC_STATUSES.has(syncStatus) ? `sync status ${syncStatus}` : undefined;
}
