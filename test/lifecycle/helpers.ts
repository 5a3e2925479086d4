/**
 * Shared steps of the lifecycle tests: an order synced to a sales order, the warehouse's buttons of the NetSuite
 * simulator (fulfil, bill, list the documents made from a sales order), refunds through WooCommerce's REST API, and
 * the webhook a change fired, sent again as often as a test likes.
 */
import type { SyncStack } from '../../dev/sync-stack';
import type { WooOrderJson } from '../../simulators/woocommerce';
import { wooClient } from '../../simulators/woocommerce/test-support';
import { orderWorkflowId } from '../../src/api';
import { readOrderLife, type OrderLifeEntry } from '../../src/cli/order-commands';
import { until } from '../helpers/until';
import type { CapturedDelivery } from '../order-sync/webhook-replay';
import { paidDraft, placeOrder, type DraftLine } from '../order-sync/helpers';
import type { SeedCatalog } from '../../simulators/seed';

/** A NetSuite sales-order line as the simulator's control API reads it. */
export interface NsLine {
  line: number;
  item: { id: string };
  quantity: number;
  amount: number;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
}

/** A document made from a sales order, as the simulator's control API lists it. */
export interface NsDocument {
  id: string;
  type: string;
  tranId?: string;
  externalId?: string;
  total: number;
  status?: string;
}

/** The warehouse ships lines of the sales order (all that are open by default). */
export const fulfil = async (stack: SyncStack, salesOrderId: string, lines?: { line: number; quantity: number }[]) =>
  stack.netsuite.control.fulfilSalesOrder(salesOrderId, lines ? { lines } : {});

/** Accounting bills what was shipped, by invoice or cash sale. */
export const bill = async (stack: SyncStack, salesOrderId: string, as: 'invoice' | 'cashSale') => stack.netsuite.control.billSalesOrder(salesOrderId, { as });

/** Every document made from the sales order, directly or through its bills. */
export const documents = async (stack: SyncStack, salesOrderId: string): Promise<NsDocument[]> =>
  stack.netsuite.control.salesOrderDocuments(salesOrderId) as NsDocument[];

/** The sales order's lines, as NetSuite holds them now. */
export function salesOrderLines(stack: SyncStack, salesOrderId: string): NsLine[] {
  const record = stack.netsuite.control.getRecord('salesOrder', salesOrderId) as { item: { items: NsLine[] } };
  return record.item.items;
}

/** Places a paid order with `lines` and waits until it is Synced; returns it with its sales order ID. */
export async function syncedOrder(stack: SyncStack, catalog: SeedCatalog, lines: DraftLine[]): Promise<{ order: WooOrderJson; salesOrderId: string }> {
  const order = await placeOrder(stack, paidDraft(catalog, { lines }));
  const state = await stack.waitForOrder(order.id);
  if (state.status !== 'Synced' || !state.salesOrderId) throw new Error(`order ${order.id} did not sync: ${JSON.stringify(state)}`);
  return { order, salesOrderId: state.salesOrderId };
}

/** `POST /orders/<id>/refunds` through WooCommerce's REST API; returns the refund. */
export async function refund(stack: SyncStack, orderId: number, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await wooClient(stack.woo).request('POST', `/orders/${orderId}/refunds`, { api_refund: false, ...body });
  return { status: answer.status, body: answer.body as Record<string, unknown> };
}

/** The last `order.updated` delivery WooCommerce made for the order (exact signed bytes), to send again. */
export function lastUpdateDelivery(stack: SyncStack, orderId: number): CapturedDelivery {
  const entries = stack.woo.control.deliveries({ resourceId: orderId, kind: 'delivery' }).filter((d) => d.topic === 'order.updated');
  const entry = entries.at(-1);
  if (!entry) throw new Error(`no order.updated delivery for order ${orderId}`);
  return { topic: entry.topic, headers: { ...entry.requestHeaders }, rawBody: entry.rawBody };
}

/** Every change applied to NetSuite over the order's whole life (all runs of its workflow), oldest first. */
export async function appliedChanges(stack: SyncStack, orderId: number): Promise<AppliedChange[]> {
  const life = await readOrderLife(stack.client, orderWorkflowId(stack.store.name, orderId));
  return life.flatMap((run) => run.changes.map((c) => ({ runId: run.runId, ...c })));
}

export type AppliedChange = OrderLifeEntry['changes'][number] & { runId: string };

/**
 * Waits until a run of the order's workflow has applied a change of `kind`, and the order is settled again (its
 * latest run Synced with its outcome recorded); returns the changes of that kind over the order's whole life.
 */
export async function waitForChange(stack: SyncStack, orderId: number, kind: AppliedChange['kind'], timeoutMs = 60_000): Promise<AppliedChange[]> {
  let matching: AppliedChange[] = [];
  await until(
    async () => {
      matching = (await appliedChanges(stack, orderId)).filter((c) => c.kind === kind);
      return matching.length > 0;
    },
    `order ${orderId} to apply a ${kind} change`,
    timeoutMs,
  );
  await stack.waitForOrder(orderId, (s) => s.status === 'Synced' && s.outcomeRecorded, timeoutMs);
  return (await appliedChanges(stack, orderId)).filter((c) => c.kind === kind);
}

/** The order item ID of the order line with this SKU. */
export function lineIdOf(order: WooOrderJson, sku: string): number {
  const line = order.line_items.find((l) => l.sku === sku);
  if (!line) throw new Error(`order ${order.id} has no line with SKU ${sku}`);
  return line.id;
}
