/**
 * What NetSuite holds for one synced order, read for the lifecycle plan: the sales order with its lines (closed,
 * fulfilled and billed quantities), the bills transformed from it (invoices, cash sales, each with the source line of
 * its lines), and the credits this integration made for the order's refunds (found by their external-ID prefix).
 * The SuiteQL lives here and nowhere else.
 */
import type { BillDocument, CreditDocument, SalesOrderLine, SalesOrderState } from '../lifecycle/types';
import type { NetSuiteClient } from './client';
import { suiteQlString } from './suiteql';

type Ref = { id?: string | number; refName?: string } | undefined;
interface RecordLine {
  line?: number;
  orderLine?: number;
  item?: Ref;
  quantity?: number;
  rate?: number;
  amount?: number;
  description?: string;
  isClosed?: boolean;
  quantityFulfilled?: number;
  quantityBilled?: number;
}
interface TransactionRecord {
  id?: string | number;
  tranId?: string;
  externalId?: string;
  entity?: Ref;
  status?: Ref;
  orderStatus?: Ref;
  total?: number;
  shippingCost?: number;
  discountRate?: string | number;
  item?: { items?: RecordLine[] };
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value ?? 0) || 0);
const refId = (ref: Ref): string => (ref?.id === undefined ? '' : String(ref.id));

/** SuiteQL type codes of the bills and credits. */
const BILL_TYPES: Record<string, BillDocument['type']> = { CustInvc: 'invoice', CashSale: 'cashSale' };
const CREDIT_TYPES: Record<string, CreditDocument['type']> = { CustCred: 'creditMemo', CashRfnd: 'cashRefund' };

/** Reads the state; undefined when the sales order no longer exists. */
export async function readSalesOrderState(
  netsuite: NetSuiteClient,
  input: { salesOrderId: string; creditExternalIdPrefix: string },
  signal: AbortSignal,
): Promise<SalesOrderState | undefined> {
  const record = await netsuite.getRecord<TransactionRecord>('salesOrder', input.salesOrderId, { expandSubResources: true, signal });
  if (!record) return undefined;
  const lines: SalesOrderLine[] = (record.item?.items ?? []).map((l, i) => ({
    line: l.line ?? i + 1,
    itemId: refId(l.item),
    quantity: num(l.quantity),
    rate: num(l.rate),
    amount: num(l.amount),
    ...(l.description !== undefined ? { description: l.description } : {}),
    isClosed: l.isClosed === true,
    quantityFulfilled: num(l.quantityFulfilled),
    quantityBilled: num(l.quantityBilled),
  }));

  const id = Number(record.id ?? input.salesOrderId);
  const billRows = await netsuite.suiteql(
    `SELECT DISTINCT t.id, t.type FROM transaction t JOIN transactionline tl ON tl.transaction = t.id WHERE tl.createdfrom = ${id} AND t.type IN ('CustInvc', 'CashSale') ORDER BY t.id`,
    { signal },
  );
  const bills: BillDocument[] = [];
  for (const row of billRows.items) {
    const type = BILL_TYPES[row.type ?? ''];
    if (!type || row.id === undefined) continue;
    const bill = await netsuite.getRecord<TransactionRecord>(type, row.id, { expandSubResources: true, signal });
    if (!bill) continue;
    bills.push({
      type,
      id: row.id,
      total: num(bill.total),
      lines: (bill.item?.items ?? []).map((l, i) => ({
        line: l.line ?? i + 1,
        ...(l.orderLine !== undefined ? { orderLine: l.orderLine } : {}),
        itemId: refId(l.item),
        quantity: num(l.quantity),
        amount: num(l.amount),
      })),
    });
  }

  const prefix = input.creditExternalIdPrefix.replace(/[%_\\]/g, (c) => `\\${c}`);
  const creditRows = await netsuite.suiteql(
    `SELECT id, type, externalid, foreigntotal FROM transaction WHERE type IN ('CustCred', 'CashRfnd') AND externalid LIKE ${suiteQlString(`${prefix}%`)} ESCAPE '\\' ORDER BY id`,
    { signal },
  );
  const credits: CreditDocument[] = creditRows.items.flatMap((row) => {
    const type = CREDIT_TYPES[row.type ?? ''];
    return type && row.id !== undefined && row.externalid ? [{ type, id: row.id, externalId: row.externalid, total: Math.abs(num(row.foreigntotal)) }] : [];
  });

  return {
    id: String(record.id ?? input.salesOrderId),
    ...(record.tranId ? { tranId: record.tranId } : {}),
    ...(record.externalId ? { externalId: record.externalId } : {}),
    status: refId(record.orderStatus) || refId(record.status),
    customerId: refId(record.entity),
    shippingCost: num(record.shippingCost),
    ...(record.discountRate !== undefined && record.discountRate !== null && String(record.discountRate) !== ''
      ? { discountRate: String(record.discountRate) }
      : {}),
    lines,
    bills,
    credits,
  };
}
