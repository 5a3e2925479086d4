/**
 * The order's life after its sales order: what NetSuite holds for it, the changes planned from a WooCommerce order,
 * and what the order workflow records once they are applied. Types and pure helpers only: workflows import this file.
 */
import type { FailureType } from '../api';

/** One line of the sales order as NetSuite reads it. */
export interface SalesOrderLine {
  line: number;
  itemId: string;
  quantity: number;
  rate: number;
  amount: number;
  description?: string;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
}

/** A bill of the sales order (invoice or cash sale), with the source line of each of its lines. */
export interface BillDocument {
  type: 'invoice' | 'cashSale';
  id: string;
  total: number;
  lines: { line: number; orderLine?: number; itemId: string; quantity: number; amount: number }[];
}

/** A credit this integration made for a WooCommerce refund (found by its external ID). */
export interface CreditDocument {
  type: 'creditMemo' | 'cashRefund';
  id: string;
  externalId: string;
  total: number;
}

/** What NetSuite holds for one order: the sales order, its bills and the credits for its refunds. */
export interface SalesOrderState {
  id: string;
  tranId?: string;
  externalId?: string;
  /** The one-letter status: B Pending Fulfillment, D Partially Fulfilled, E/F Pending Billing, G Billed, H Closed… */
  status: string;
  customerId: string;
  shippingCost: number;
  /** The header discount (coupons), e.g. "-5.00"; undefined when the sales order has none. */
  discountRate?: string;
  lines: SalesOrderLine[];
  bills: BillDocument[];
  credits: CreditDocument[];
}

/** One NetSuite write the plan asks for. Each is idempotent: applying it twice leaves NetSuite as applying it once. */
export type LifecycleAction =
  | {
      kind: 'closeLines';
      salesOrderId: string;
      /** Line numbers to close. */
      lines: number[];
      /** In plain words, for the history and the order note. */
      describe: string;
    }
  | {
      kind: 'updateSalesOrder';
      salesOrderId: string;
      /** The PATCH body: changed fields, and `item.items` (by `line`, or the whole sublist when `replaceItems`). */
      body: Record<string, unknown>;
      replaceItems: boolean;
      describe: string;
      /** WooCommerce refunds this update applies (reduced lines of an unbilled order). */
      refundIds: number[];
    }
  | {
      kind: 'credit';
      /** The bill the credit is transformed from. */
      source: { type: 'invoice' | 'cashSale'; id: string };
      target: 'creditMemo' | 'cashRefund';
      /** Derived from the WooCommerce refund ID: a second credit for the same refund is impossible. */
      externalId: string;
      body: Record<string, unknown>;
      refundId: number;
      /** The refund's amount, as WooCommerce states it. */
      amount: string;
      describe: string;
    };

/** Something the plan cannot do by itself: the order needs a human. */
export interface LifecycleProblem {
  /** Stable key: a `retry` acknowledges problems that only need a human to act in NetSuite (`acknowledgeable`). */
  key: string;
  failureType: FailureType;
  message: string;
  fix: string;
  /** true: once a human has done what `fix` says, `retry` accepts it (NetSuite's state will not change by itself). */
  acknowledgeable: boolean;
}

/** The plan of one lifecycle pass. */
export interface LifecyclePlan {
  actions: LifecycleAction[];
  problems: LifecycleProblem[];
  /**
   * Refunds needing no action, by ID, with how they count as applied: `<type>:<id>` of a credit found in NetSuite (an
   * earlier attempt was accepted), `cancelled` (the lines are closed), `by-hand` (a human applied it), or as recorded.
   */
  alreadyApplied: Record<string, string>;
}

/** One applied change, as the order's history, note and `status` show it. */
export interface LifecycleEvent {
  /** ISO time it was applied. */
  at: string;
  kind: LifecycleAction['kind'];
  describe: string;
  /** The NetSuite record written. */
  netsuite: { type: string; id: string };
  /** The credit already existed (an earlier attempt was accepted before its answer was lost). */
  resolvedDuplicate?: boolean;
}

/**
 * What the order's `_netsuite_lifecycle` meta records: the digest of the order as NetSuite last heard it (the webhook
 * receiver and the catch-up poller start nothing while the order still matches it), the refunds applied and how, and
 * the problems a human acknowledged with `retry`.
 */
export interface LifecycleRecord {
  digest?: string;
  /** WooCommerce refund ID → how it was applied: `reduced` (unbilled order) or `<type>:<internal ID>` of the credit. */
  applied: Record<string, string>;
  acknowledged: string[];
}

/** Reads the `_netsuite_lifecycle` meta value; anything unreadable counts as nothing recorded. */
export function parseLifecycleRecord(raw: string | undefined): LifecycleRecord {
  const empty: LifecycleRecord = { applied: {}, acknowledged: [] };
  if (raw === undefined) return empty;
  try {
    const value = JSON.parse(raw) as Partial<LifecycleRecord>;
    if (typeof value !== 'object' || value === null) return empty;
    const applied: Record<string, string> = {};
    if (typeof value.applied === 'object' && value.applied !== null) {
      for (const [id, how] of Object.entries(value.applied)) if (typeof how === 'string') applied[id] = how;
    }
    return {
      ...(typeof value.digest === 'string' ? { digest: value.digest } : {}),
      applied,
      acknowledged: Array.isArray(value.acknowledged) ? value.acknowledged.filter((k): k is string => typeof k === 'string') : [],
    };
  } catch {
    return empty;
  }
}

/** The `_netsuite_lifecycle` meta value of a record. */
export const formatLifecycleRecord = (record: LifecycleRecord): string => JSON.stringify(record);
