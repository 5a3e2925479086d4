/**
 * What the record store keeps of a record: body fields, sales-order lines with their progress, a transformed
 * document's lines and packages, an inventory item's quantities per location; and what a write is told.
 */
import type { DocumentLine, FulfilmentPackage } from './documents';
import type { PropertyNameValidation } from './options';
import type { RecordTypeName, TransactionTypeName } from './schema';

export interface LocationQuantities {
  onHand: number;
  committed: number;
  onOrder: number;
  backordered: number;
  /** Per-location average cost; falls back to the item's averageCost. */
  averageCost?: number;
}

export interface SalesOrderLine {
  line: number;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  description?: string;
  location?: string;
  price?: string;
  isClosed: boolean;
  /** Shipped by item fulfilments (SuiteQL `transactionline.quantityshiprecv`). */
  quantityFulfilled: number;
  /** Billed by invoices and cash sales (SuiteQL `transactionline.quantitybilled`). */
  quantityBilled: number;
  /** Committed inventory of the unfulfilled quantity. */
  quantityCommitted: number;
  quantityBackOrdered: number;
  /** Location whose inventory this line committed (set while committed). */
  commitLocation?: string;
}

/** A sales-order line shipped by a fulfilment: how much, from where. */
export interface FulfilledLine {
  line: number;
  quantity: number;
  location: string;
}

export interface StoredRecord {
  id: string;
  type: RecordTypeName;
  /** Body fields: scalars, reference IDs (as strings), objects, and custom fields keyed by script ID. */
  fields: Record<string, unknown>;
  /** Sales-order item lines. */
  lines: SalesOrderLine[];
  /** Item lines of a transformed document (documents.ts). */
  documentLines: DocumentLine[];
  /** Packages of an item fulfilment. */
  packages: FulfilmentPackage[];
  /** The transaction a transformed document was created from. */
  source?: { type: TransactionTypeName; id: string };
  /** Inventory items: quantities per location ID. */
  inventory: Map<string, LocationQuantities>;
  createdAt: string;
  lastModified: string;
}

export interface NamedEntity {
  id: string;
  name: string;
}

export interface WriteContext {
  validation: PropertyNameValidation;
}

export interface UpdateContext extends WriteContext {
  /** Sublists named in `?replace=`: replaced as a whole instead of merged by `line`. */
  replace: Set<string>;
}
