/**
 * NetSuite's shipments on their way back to WooCommerce: what the fulfilment sync reads of a sales order, what it
 * signals to the order workflow, and what the order's `_netsuite_fulfilments` meta keeps of the fulfilments already
 * pushed. No dependencies: the order workflow imports this module.
 *
 * The fulfilment sync (scheduled per store) reads the item fulfilments changed since its cursor and, for each sales
 * order touched, sends the order workflow (`woo-order:<store>:<orderId>`, signal-with-start) the sales order's whole
 * shipping state: every fulfilment it has now, shipped or not, and the lines still to ship. The workflow compares
 * that with the meta: a shipped fulfilment not in it is pushed (tracking, note, completion); one in it that is gone
 * or no longer shipped needs attention — never a silent revert.
 */

/** A package of an item fulfilment: its tracking number and, when the warehouse gave one, its carrier/description. */
export interface FulfilmentPackage {
  trackingNumber: string;
  /** The package description (where the warehouse names the carrier when it ships several ways). */
  description?: string;
}

/** A line of an item fulfilment: which sales-order line, which item (NetSuite item name), how many. */
export interface FulfilmentLine {
  orderLine: number;
  item: string;
  quantity: number;
}

/** An item fulfilment as NetSuite has it now. */
export interface NetSuiteFulfilment {
  /** Internal ID. */
  id: string;
  /** Document number, e.g. IF1001. */
  tranId: string;
  /** A Picked, B Packed, C Shipped. */
  shipStatus: string;
  /** Only C Shipped is shipped. */
  shipped: boolean;
  /** Transaction date (YYYY-MM-DD), the day it shipped. */
  date?: string;
  /** The ship method's item name (e.g. "UPS Ground"). */
  shipMethod?: string;
  packages: FulfilmentPackage[];
  lines: FulfilmentLine[];
}

/** A sales-order line that needs shipping (an open inventory line): what was ordered. */
export interface ShippableLine {
  line: number;
  item: string;
  quantity: number;
}

/** The shipping state of one sales order, as the fulfilment sync read it: the payload of `shipmentsChanged`. */
export interface SalesOrderShipping {
  store: string;
  /** The WooCommerce order its order-number field names. */
  orderId: number;
  salesOrderId: string;
  /** e.g. SO1001. */
  tranId?: string;
  /** The order-key custom field: the workflow checks it against the WooCommerce order before pushing anything. */
  orderKey?: string;
  /** Open lines that need shipping. */
  lines: ShippableLine[];
  /** Every fulfilment the sales order has now. */
  fulfilments: NetSuiteFulfilment[];
  /** Fulfilments this integration pushed that NetSuite has deleted since (from its deleted-record log). */
  deleted: { id: string; tranId?: string }[];
  /** When NetSuite was read (ISO). */
  readAt: string;
}

/** How a fulfilment reached WooCommerce. */
export type PushedVia = 'shipmentTracking' | 'note';

/** A fulfilment already pushed to the WooCommerce order. */
export interface PushedFulfilment {
  id: string;
  tranId: string;
  trackingNumbers: string[];
  via: PushedVia;
  /** ISO time of the push. */
  at: string;
}

/** The `_netsuite_fulfilments` meta: what was pushed, and the reverted fulfilments a human has acknowledged. */
export interface FulfilmentRecord {
  pushed: PushedFulfilment[];
  /** IDs of pushed fulfilments later deleted or un-shipped in NetSuite, accepted with `retry`. */
  acknowledged: string[];
}

/** A pushed fulfilment that NetSuite took back. */
export interface RevertedFulfilment {
  fulfilment: PushedFulfilment;
  how: 'deleted' | 'unshipped';
  /** The ship status now, when un-shipped. */
  shipStatus?: string;
}

/** One push, as the order workflow's state and history show it. */
export interface ShipmentEvent {
  at: string;
  fulfilment: { id: string; tranId: string };
  trackingNumbers: string[];
  via: PushedVia;
  /** The customer was e-mailed (customer note, or the extension's numbers in the Completed e-mail). */
  customerNotified: boolean;
  /** The push set the order `completed`. */
  completed: boolean;
  /** Lines still to ship after it (empty when everything shipped). */
  stillToShip: string[];
}

export const EMPTY_FULFILMENT_RECORD: FulfilmentRecord = { pushed: [], acknowledged: [] };

/** Parses the meta value; anything unreadable is an empty record (nothing pushed yet). */
export function parseFulfilmentRecord(value: string | undefined): FulfilmentRecord {
  if (value === undefined) return { pushed: [], acknowledged: [] };
  try {
    const raw = JSON.parse(value) as Partial<FulfilmentRecord>;
    const pushed = Array.isArray(raw.pushed)
      ? raw.pushed.filter((p): p is PushedFulfilment => typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.tranId === 'string')
      : [];
    return {
      pushed: pushed.map((p) => ({ ...p, trackingNumbers: Array.isArray(p.trackingNumbers) ? p.trackingNumbers.map(String) : [] })),
      acknowledged: Array.isArray(raw.acknowledged) ? raw.acknowledged.map(String) : [],
    };
  } catch {
    return { pushed: [], acknowledged: [] };
  }
}

export function formatFulfilmentRecord(record: FulfilmentRecord): string {
  return JSON.stringify({ pushed: record.pushed, acknowledged: record.acknowledged });
}

/** Completion policies (mapping `fulfilment.complete`). */
export const COMPLETION_POLICIES = ['never', 'whenFullyShipped', 'onFirstShipment'] as const;
export type CompletionPolicy = (typeof COMPLETION_POLICIES)[number];

/** How tracking reaches WooCommerce (mapping `fulfilment.trackingVia`). */
export const TRACKING_VIAS = ['auto', 'shipmentTracking', 'note'] as const;
export type TrackingVia = (typeof TRACKING_VIAS)[number];

/** WooCommerce statuses an order may be completed from by a shipment. */
export const COMPLETABLE_STATUSES: readonly string[] = ['processing', 'on-hold'];
