/**
 * What a sales order's shipping state means for its WooCommerce order, in pure functions: which shipped fulfilments
 * are new (to push), which pushed ones NetSuite took back (deleted or un-shipped: a human decides), what is still to
 * ship, whether the order completes under the mapping's policy, and the words and tracking links the customer sees.
 */
import type { CompletionPolicy, FulfilmentRecord, NetSuiteFulfilment, RevertedFulfilment, SalesOrderShipping } from './types';
import { COMPLETABLE_STATUSES } from './types';

/** A carrier as the mapping names it. */
export interface CarrierMapping {
  provider: string;
  trackingUrl?: string | undefined;
}

/** One tracking number, with the carrier the customer sees and its link. */
export interface Tracking {
  number: string;
  /** The provider name: from the mapping, else NetSuite's carrier name, else undefined. */
  provider?: string;
  /** True when the mapping names the carrier. */
  mapped: boolean;
  url?: string;
}

export interface ShipmentPlan {
  /** Shipped fulfilments not pushed yet (or shipped again after a revert was acknowledged), oldest first. */
  toPush: NetSuiteFulfilment[];
  /** Pushed fulfilments NetSuite deleted or un-shipped since, not yet acknowledged. */
  reverted: RevertedFulfilment[];
  /** Every line needing shipping is shipped (by shipped fulfilments). */
  fullyShipped: boolean;
  /** "1 × WIDGET-B" per line still to ship. */
  stillToShip: string[];
}

/** Compares the sales order's shipping state with what was pushed (see the file comment). */
export function planShipments(record: FulfilmentRecord, shipping: SalesOrderShipping): ShipmentPlan {
  const pushed = new Set(record.pushed.map((p) => p.id));
  const acknowledged = new Set(record.acknowledged);
  const current = new Map(shipping.fulfilments.map((f) => [f.id, f]));
  // A fulfilment taken back and acknowledged, then shipped again, is pushed again.
  const toPush = shipping.fulfilments.filter((f) => f.shipped && (!pushed.has(f.id) || acknowledged.has(f.id))).sort((a, b) => Number(a.id) - Number(b.id));
  const reverted: RevertedFulfilment[] = [];
  for (const p of record.pushed) {
    if (acknowledged.has(p.id)) continue;
    const now = current.get(p.id);
    if (now === undefined) reverted.push({ fulfilment: p, how: 'deleted' });
    else if (!now.shipped) reverted.push({ fulfilment: p, how: 'unshipped', shipStatus: now.shipStatus });
  }
  const shippedPerLine = new Map<number, number>();
  for (const f of shipping.fulfilments) {
    if (!f.shipped) continue;
    for (const l of f.lines) shippedPerLine.set(l.orderLine, (shippedPerLine.get(l.orderLine) ?? 0) + l.quantity);
  }
  const stillToShip = shipping.lines
    .map((l) => ({ item: l.item, left: l.quantity - (shippedPerLine.get(l.line) ?? 0) }))
    .filter((l) => l.left > 0)
    .map((l) => `${l.left} × ${l.item}`);
  const anyShipped = shipping.fulfilments.some((f) => f.shipped);
  return { toPush, reverted, fullyShipped: anyShipped && stillToShip.length === 0, stillToShip };
}

/** Whether a push completes the order: by policy, from processing / on-hold only (never from cancelled or refunded). */
export function completesOrder(policy: CompletionPolicy, plan: Pick<ShipmentPlan, 'fullyShipped'>, orderStatus: string, pushedNow: number): boolean {
  if (!COMPLETABLE_STATUSES.includes(orderStatus)) return false;
  if (policy === 'whenFullyShipped') return plan.fullyShipped;
  if (policy === 'onFirstShipment') return pushedNow > 0;
  return false;
}

/** The carrier of a package: the mapping entry whose key matches its description, else the ship method; case-insensitive. */
export function trackingOf(
  fulfilment: Pick<NetSuiteFulfilment, 'shipMethod'>,
  pkg: { trackingNumber: string; description?: string },
  carriers: Readonly<Record<string, CarrierMapping>>,
): Tracking {
  const byKey = new Map(Object.entries(carriers).map(([key, value]) => [key.trim().toLowerCase(), value]));
  const names = [pkg.description, fulfilment.shipMethod].map((n) => n?.trim()).filter((n): n is string => n !== undefined && n !== '');
  for (const name of names) {
    const mapped = byKey.get(name.toLowerCase());
    if (mapped) {
      return {
        number: pkg.trackingNumber,
        provider: mapped.provider,
        mapped: true,
        ...(mapped.trackingUrl ? { url: mapped.trackingUrl.replaceAll('{number}', encodeURIComponent(pkg.trackingNumber)) } : {}),
      };
    }
  }
  return { number: pkg.trackingNumber, ...(names[0] !== undefined ? { provider: names[0] } : {}), mapped: false };
}

/** The marker every shipment note carries, so a re-run finds the note it already wrote: "(shipment IF1001)". */
export const shipmentMarker = (tranId: string): string => `(shipment ${tranId})`;

/** What shipped in one fulfilment: "2 × WIDGET-A, 1 × WIDGET-B". */
export function shippedLines(fulfilment: Pick<NetSuiteFulfilment, 'lines'>): string {
  return fulfilment.lines.map((l) => `${l.quantity} × ${l.item}`).join(', ');
}

/**
 * The shipment note: what shipped, with which carrier, each tracking number and its link, and what is still to ship.
 * Written for the customer when the mapping notifies them; otherwise the same words as a private note.
 */
export function shipmentNote(fulfilment: NetSuiteFulfilment, trackings: readonly Tracking[], stillToShip: readonly string[]): string {
  const parts = [`Your order has shipped ${shipmentMarker(fulfilment.tranId)}${fulfilment.date ? ` on ${fulfilment.date}` : ''}: ${shippedLines(fulfilment)}.`];
  if (trackings.length === 0) parts.push('No tracking number was given for this shipment.');
  for (const t of trackings) parts.push(`${t.provider ?? 'Tracking'} ${t.number}${t.url ? ` — ${t.url}` : ''}`);
  if (stillToShip.length > 0) parts.push(`Still to ship: ${stillToShip.join(', ')}.`);
  return parts.join('\n');
}

/** The private note of a partial shipment pushed through the Shipment Tracking extension (the numbers are on the order). */
export function partialShipmentNote(fulfilment: NetSuiteFulfilment, stillToShip: readonly string[]): string {
  return `Partly shipped ${shipmentMarker(fulfilment.tranId)}: ${shippedLines(fulfilment)}. Still to ship: ${stillToShip.join(', ')}.`;
}

/** The NeedsAttention message of reverted fulfilments, in plain words. */
export function describeReverted(reverted: readonly RevertedFulfilment[], salesOrder: string): string {
  return reverted
    .map((r) => {
      const numbers = r.fulfilment.trackingNumbers.length > 0 ? ` (tracking ${r.fulfilment.trackingNumbers.join(', ')})` : '';
      const what = r.how === 'deleted' ? 'was deleted in NetSuite' : `is no longer shipped in NetSuite (ship status ${r.shipStatus ?? '?'})`;
      return `Fulfilment ${r.fulfilment.tranId}${numbers} of sales order ${salesOrder} was pushed to WooCommerce on ${r.fulfilment.at.slice(0, 10)} and ${what}.`;
    })
    .join(' ');
}
