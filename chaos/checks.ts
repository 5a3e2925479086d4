/**
 * The chaos run's verdict, read from NetSuite's and WooCommerce's own records (the simulators' control APIs), never
 * from the integration's logs or workflow states:
 *
 * - **orders**: an order expected to sync has exactly one NetSuite sales order (by its order key) and WooCommerce names
 *   it (`_netsuite_sales_order_id`, status Synced); a skipped one carries Skipped and its rule in a note; a provoked
 *   one carries NeedsAttention with the failure it was provoked for; no other order is in NeedsAttention.
 * - **changes after the sales order**: a cancelled order's sales-order lines are all closed; a refunded unit is taken
 *   off its sales-order line exactly once (the line's quantity is the ordered quantity minus one: twice would be two
 *   less); every tracking number NetSuite shipped reaches WooCommerce exactly once, and an order shipped in full is
 *   completed; a refund after NetSuite invoiced the order makes exactly one credit memo; an edited quantity is the
 *   sales order's.
 * - **stock**: after a last inventory sync, each WooCommerce product's stock is NetSuite's available quantity minus the
 *   units of orders NetSuite has not received (computed here from the orders themselves).
 *
 * `lost` counts orders and changes that never arrived where they must; `duplicates` counts sales orders, credit memos, refund
 * reductions and tracking numbers applied more than once.
 */
import { netsuiteAvailable } from '../dev/netsuite-stock';
import type { SyncStack } from '../dev/sync-stack';
import { ORDER_META, orderMetaValue } from '../src/woocommerce/order-meta';
import type { WooOrderJson } from '../simulators/woocommerce';
import type { AfterSync, PlannedOrder } from './plan';

/** An order as placed, with what the run did to it after its sales order. */
export interface PlacedOrder {
  id: number;
  orderKey: string;
  planned: PlannedOrder;
  /** For an order the shopper pays later: whether the run has paid it yet. */
  paid?: boolean;
  /** The change the run applied once the sales order showed (undefined until then). */
  applied?: AfterSync;
  /** SKU whose unit was refunded. */
  refundedSku?: string;
  /** SKU whose line got one more unit. */
  editedSku?: string;
  /** Tracking numbers of the run's NetSuite fulfilments, and whether everything was shipped. */
  shipped?: { trackingNumbers: string[]; full: boolean };
}

export interface Verdict {
  synced: number;
  skipped: number;
  /** Unpaid orders whose webhooks were all lost: no sales order (right) and no outcome (nothing to record). */
  unpaidUnseen: number;
  needsAttention: number;
  /** Orders not settled yet (no recorded outcome, or a change not arrived yet). */
  pending: number;
  lost: number;
  duplicates: number;
  unexpected: number;
  changes: { cancelled: number; refunded: number; credited: number; edited: number; fulfilled: number };
  /** One line per problem (first 20), for the report. */
  problems: string[];
}

interface NsLine {
  item: { id: string };
  quantity: number;
  isClosed: boolean;
}

/** Sales orders per WooCommerce order key. */
function salesOrdersByKey(stack: SyncStack): Map<string, { id: string; lines: NsLine[] }[]> {
  const byKey = new Map<string, { id: string; lines: NsLine[] }[]>();
  for (const record of stack.netsuite.control.listRecords('salesOrder')) {
    const key = record.custbody_woo_order_key;
    if (typeof key !== 'string') continue;
    const list = byKey.get(key) ?? [];
    list.push({ id: String(record.id), lines: (record.item as { items?: NsLine[] } | undefined)?.items ?? [] });
    byKey.set(key, list);
  }
  return byKey;
}

/** NetSuite item internal ID → itemid (the SKU it is matched by). */
function itemKeys(stack: SyncStack): Map<string, string> {
  return new Map(stack.netsuite.control.listRecords('inventoryItem').map((r) => [String(r.id), String(r.itemId)]));
}

/** Reads every placed order's outcome and changes from both systems. `final`: count what is still missing as lost. */
export function judge(stack: SyncStack, placed: readonly PlacedOrder[], final: boolean): Verdict {
  const verdict: Verdict = {
    synced: 0,
    skipped: 0,
    unpaidUnseen: 0,
    needsAttention: 0,
    pending: 0,
    lost: 0,
    duplicates: 0,
    unexpected: 0,
    changes: { cancelled: 0, refunded: 0, credited: 0, edited: 0, fulfilled: 0 },
    problems: [],
  };
  const problem = (line: string): void => {
    if (verdict.problems.length < 20) verdict.problems.push(line);
  };
  const notYet = (line: string): void => {
    verdict.pending++;
    if (final) {
      verdict.lost++;
      problem(`lost: ${line}`);
    }
  };
  const unexpected = (line: string): void => {
    verdict.unexpected++;
    problem(`unexpected: ${line}`);
  };
  const salesOrders = salesOrdersByKey(stack);
  const items = itemKeys(stack);
  for (const order of placed) {
    const woo = stack.woo.control.getOrder(order.id);
    const status = orderMetaValue(woo, ORDER_META.syncStatus);
    const found = salesOrders.get(order.orderKey) ?? [];
    if (found.length > 1) {
      verdict.duplicates += found.length - 1;
      problem(`duplicate: order ${order.id} has ${found.length} sales orders (${found.map((f) => f.id).join(', ')})`);
    }
    const expect = order.planned.expect;
    if (status === 'NeedsAttention' && expect !== 'NeedsAttention') {
      unexpected(`NeedsAttention not provoked: order ${order.id}: ${lastNote(stack, order.id)}`);
      continue;
    }
    if (expect === 'Skipped') {
      if (found.length > 0) unexpected(`order ${order.id} was to be skipped but has sales order ${found[0]!.id}`);
      else if (status === 'Skipped' && hasNote(stack, order.id, 'Skipped (status-not-synced)')) verdict.skipped++;
      else if (status === undefined) verdict.unpaidUnseen++;
      else unexpected(`order ${order.id} (pending) is ${status}, not Skipped with its rule`);
      continue;
    }
    if (expect === 'NeedsAttention') {
      if (found.length > 0) unexpected(`order ${order.id} (unknown SKU) has sales order ${found[0]!.id}`);
      else if (status === 'NeedsAttention' && hasNote(stack, order.id, 'Failure type: UnknownSku')) verdict.needsAttention++;
      else notYet(`order ${order.id} (unknown SKU) is not in NeedsAttention UnknownSku (status ${status ?? 'none'})`);
      continue;
    }
    const salesOrder = found[0];
    if (!salesOrder || orderMetaValue(woo, ORDER_META.salesOrderId) !== salesOrder.id) {
      notYet(
        `order ${order.id}: ${salesOrder ? `sales order ${salesOrder.id} not written back to WooCommerce` : 'no sales order in NetSuite'} (status ${status ?? 'none'})`,
      );
      continue;
    }
    verdict.synced++;
    checkChange(order, woo, salesOrder, items, stack, verdict, notYet, problem);
  }
  return verdict;
}

function checkChange(
  order: PlacedOrder,
  woo: WooOrderJson,
  { id: salesOrderId, lines }: { id: string; lines: NsLine[] },
  items: Map<string, string>,
  stack: SyncStack,
  verdict: Verdict,
  notYet: (line: string) => void,
  problem: (line: string) => void,
): void {
  switch (order.applied) {
    case 'cancel':
      if (lines.every((l) => l.isClosed)) verdict.changes.cancelled++;
      else notYet(`order ${order.id} cancelled: ${lines.filter((l) => !l.isClosed).length} sales-order line(s) still open`);
      return;
    case 'refund': {
      const sku = order.refundedSku!;
      const ordered = quantityOf(woo, sku);
      const inNetSuite = netsuiteQuantity(lines, items, sku);
      if (inNetSuite === ordered - 1) verdict.changes.refunded++;
      else if (inNetSuite < ordered - 1) {
        verdict.duplicates += ordered - 1 - inNetSuite;
        problem(`duplicate: order ${order.id}'s refund of one ${sku} took ${ordered - inNetSuite} off the sales order`);
      } else notYet(`order ${order.id}: refund of one ${sku} not on the sales order (${inNetSuite} of ${ordered})`);
      return;
    }
    case 'refund-invoiced': {
      const credits = stack.netsuite.control.salesOrderDocuments(salesOrderId).filter((d) => d.type === 'creditMemo');
      if (credits.length > 1) {
        verdict.duplicates += credits.length - 1;
        problem(`duplicate: order ${order.id}'s one refund made ${credits.length} credit memos (${credits.map((c) => c.tranId).join(', ')})`);
      } else if (credits.length === 0) notYet(`order ${order.id}: refund after invoicing has no credit memo`);
      else if (checkShipment(order, woo, stack, verdict, notYet, problem)) verdict.changes.credited++;
      return;
    }
    case 'edit': {
      const sku = order.editedSku!;
      const inNetSuite = netsuiteQuantity(lines, items, sku);
      if (inNetSuite === quantityOf(woo, sku)) verdict.changes.edited++;
      else notYet(`order ${order.id}: edited to ${quantityOf(woo, sku)} × ${sku}, the sales order has ${inNetSuite}`);
      return;
    }
    case 'fulfil':
    case 'fulfil-part':
      if (checkShipment(order, woo, stack, verdict, notYet, problem)) verdict.changes.fulfilled++;
      return;
    default:
      return;
  }
}

/** Every tracking number NetSuite shipped is on the WooCommerce order once, and an order shipped in full is completed. */
function checkShipment(
  order: PlacedOrder,
  woo: WooOrderJson,
  stack: SyncStack,
  verdict: Verdict,
  notYet: (line: string) => void,
  problem: (line: string) => void,
): boolean {
  const shipped = order.shipped!;
  const numbers = stack.woo.control.shipmentTrackings(order.id).map((t) => t.tracking_number);
  const extra = numbers.length - new Set(numbers).size;
  if (extra > 0) {
    verdict.duplicates += extra;
    problem(`duplicate: order ${order.id} has tracking numbers ${numbers.join(', ')}`);
  }
  const missing = shipped.trackingNumbers.filter((n) => !numbers.includes(n));
  if (missing.length > 0) notYet(`order ${order.id}: tracking ${missing.join(', ')} shipped in NetSuite, not in WooCommerce`);
  else if (shipped.full && woo.status !== 'completed') notYet(`order ${order.id} shipped in full but ${woo.status} in WooCommerce`);
  else return true;
  return false;
}

/** Units of a SKU the WooCommerce order holds (refunds are kept apart: the lines keep what was ordered). */
const quantityOf = (woo: WooOrderJson, sku: string): number => woo.line_items.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);

/** Units of a SKU on the sales order's lines. */
const netsuiteQuantity = (lines: NsLine[], items: Map<string, string>, sku: string): number =>
  lines.filter((l) => items.get(l.item.id) === sku).reduce((sum, l) => sum + l.quantity, 0);

function notes(stack: SyncStack, orderId: number): string[] {
  return stack.woo.control.orderNotes(orderId).map((n) => n.note);
}

function hasNote(stack: SyncStack, orderId: number, text: string): boolean {
  return notes(stack, orderId).some((n) => n.includes(text));
}

function lastNote(stack: SyncStack, orderId: number): string {
  return (notes(stack, orderId).find((n) => n.startsWith('Needs attention')) ?? '(no note)').split('\n').slice(0, 3).join(' | ');
}

/** Stock: WooCommerce's quantity per SKU against NetSuite's available minus the units of orders NetSuite lacks. */
export function judgeStock(stack: SyncStack, locations: readonly string[], syncStatuses: readonly string[]): { checked: number; mismatches: string[] } {
  const available = netsuiteAvailable(stack, locations);
  const inFlight = new Map<string, number>();
  for (const order of stack.woo.control.listOrders()) {
    if (!['processing', 'on-hold', 'completed'].includes(order.status) || !syncStatuses.includes(order.status)) continue;
    const status = orderMetaValue(order, ORDER_META.syncStatus);
    if (orderMetaValue(order, ORDER_META.salesOrderId) !== undefined || status === 'Skipped' || status === 'SkippedByOperator') continue;
    for (const line of order.line_items) if (line.sku) inFlight.set(line.sku, (inFlight.get(line.sku) ?? 0) + line.quantity);
  }
  const mismatches: string[] = [];
  let checked = 0;
  for (const product of stack.woo.control.listProducts()) {
    if (!product.sku || product.type === 'variable' || !available.has(product.sku)) continue;
    checked++;
    const expected = Math.max(0, Math.floor(available.get(product.sku)!) - (inFlight.get(product.sku) ?? 0));
    if (product.stock_quantity !== expected)
      mismatches.push(
        `${product.sku}: WooCommerce ${product.stock_quantity}, expected ${expected} (NetSuite available ${available.get(product.sku)}, in flight ${inFlight.get(product.sku) ?? 0})`,
      );
  }
  return { checked, mismatches };
}
