/**
 * The transactions a sales order turns into (item fulfilments, invoices, cash sales) and the credits an invoice or a
 * cash sale turns into (credit memos, cash refunds): their line shape, status letters, document-number prefixes and
 * display names. Created only by record transforms (transforms.ts); stored and mirrored by the record store.
 */
import { badRequest, type NsError } from './errors';
import { ALLOWED_TRANSFORMS, type DocumentTypeName, type TransactionTypeName } from './schema';

/** An item line of a transformed document. */
export interface DocumentLine {
  /** The line number on this document (1, 2, …). */
  line: number;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  description?: string;
  /** The line number on the source document this line came from; absent on lines a credit adds without a source line. */
  orderLine?: number;
  /** Location the goods left from (fulfilments) or the source line's location. */
  location?: string;
}

/** A package of an item fulfilment (REST `package` sublist). */
export interface FulfilmentPackage {
  packageTrackingNumber: string;
  /** Free text; the control API stores the carrier here. */
  packageDescr?: string;
  packageWeight?: number;
}

/** Ship status of an item fulfilment: A Picked, B Packed, C Shipped (only C is "shipped"). */
export type ShipStatus = 'A' | 'B' | 'C';
export const SHIP_STATUSES: Record<ShipStatus, { id: string; label: string }> = {
  A: { id: 'picked', label: 'Picked' },
  B: { id: 'packed', label: 'Packed' },
  C: { id: 'shipped', label: 'Shipped' },
};

export function isShipStatus(value: unknown): value is ShipStatus {
  return value === 'A' || value === 'B' || value === 'C';
}

/**
 * Status letters (SuiteQL `transaction.status`) → REST status ID and label, per document type. What a new document
 * gets is `INITIAL_DOCUMENT_STATUS` (a fulfilment's status is its ship status). The simulator records no payments or
 * deposits, so these letters never change by themselves:
 * - itemFulfillment: A Picked, B Packed, C Shipped;
 * - invoice: A Open (B Paid In Full exists but is never reached);
 * - cashSale: C Deposited (money taken at once);
 * - creditMemo: A Open;
 * - cashRefund: A Refunded (NetSuite's cash-refund statuses are unconfirmed; a simulator choice).
 */
export const DOCUMENT_STATUSES: Record<DocumentTypeName, Record<string, { id: string; label: string }>> = {
  itemFulfillment: SHIP_STATUSES,
  invoice: { A: { id: 'open', label: 'Open' }, B: { id: 'paidInFull', label: 'Paid In Full' } },
  cashSale: {
    A: { id: 'unapprovedPayment', label: 'Unapproved Payment' },
    B: { id: 'notDeposited', label: 'Not Deposited' },
    C: { id: 'deposited', label: 'Deposited' },
  },
  creditMemo: { A: { id: 'open', label: 'Open' }, B: { id: 'fullyApplied', label: 'Fully Applied' } },
  cashRefund: { A: { id: 'refunded', label: 'Refunded' } },
};

export const INITIAL_DOCUMENT_STATUS: Record<Exclude<DocumentTypeName, 'itemFulfillment'>, string> = {
  invoice: 'A',
  cashSale: 'C',
  creditMemo: 'A',
  cashRefund: 'A',
};

/** `tranId` prefix of each transaction type; every type numbers its documents on its own counter from 1001. */
export const TRAN_ID_PREFIXES: Record<TransactionTypeName, string> = {
  salesOrder: 'SO',
  itemFulfillment: 'IF',
  invoice: 'INV',
  cashSale: 'CS',
  creditMemo: 'CM',
  cashRefund: 'CR',
};

/** Display name of a transaction type, as in a `createdFrom` refName ("Sales Order #SO1001"). */
export const TRANSACTION_LABELS: Record<TransactionTypeName, string> = {
  salesOrder: 'Sales Order',
  itemFulfillment: 'Item Fulfillment',
  invoice: 'Invoice',
  cashSale: 'Cash Sale',
  creditMemo: 'Credit Memo',
  cashRefund: 'Cash Refund',
};

/** Bills of a sales order. */
export const BILL_TYPES: readonly DocumentTypeName[] = ['invoice', 'cashSale'];
/** Credits of a bill. */
export const CREDIT_TYPES: readonly DocumentTypeName[] = ['creditMemo', 'cashRefund'];

export const isBillType = (type: string): boolean => (BILL_TYPES as readonly string[]).includes(type);
export const isCreditType = (type: string): boolean => (CREDIT_TYPES as readonly string[]).includes(type);

/** Rounds to cents. */
export const roundCents = (n: number): number => Math.round(n * 100) / 100;

/** "An invoice", "A cashSale". */
const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'An' : 'A'} ${word}`;

/** The 400 a plain create of a transformed-document type answers: it needs a source. */
export function createdByTransformOnly(type: DocumentTypeName): NsError {
  const sources = Object.entries(ALLOWED_TRANSFORMS)
    .filter(([, targets]) => targets?.includes(type))
    .map(([source]) => source);
  const from = sources[0] ?? 'salesOrder';
  return badRequest(
    'INVALID_PARAMETER',
    `${withArticle(type)} cannot be created on its own: transform its source instead (POST /services/rest/record/v1/${from}/{id}/!transform/${type}).`,
  );
}
