/**
 * The warehouse's buttons on the control API: fulfil a sales order (an item fulfilment with a ship status and
 * packages), bill it (an invoice or a cash sale), and list every document created from it. Fulfil and bill run the
 * same transform as `POST /record/v1/salesOrder/<id>/!transform/<type>` (transforms.ts), so the same rules and
 * refusals apply; only the input is shaped for a test or a demo instead of NetSuite's body.
 */
import { z } from 'zod';
import { isBillType } from './documents';
import type { RecordStore } from './store';
import type { StoredRecord } from './stored-record';
import type { TransformService } from './transforms';

const lineQuantitySchema = z
  .object({
    line: z.number().int().min(1),
    /** Default: all that can be fulfilled (billed) of the line. */
    quantity: z.number().min(0).optional(),
  })
  .strict();

export const fulfilSchema = z
  .object({
    lines: z.array(lineQuantitySchema).optional(),
    shipStatus: z.enum(['A', 'B', 'C']).default('C'),
    packages: z.array(z.object({ trackingNumber: z.string().min(1), carrier: z.string().min(1).optional() }).strict()).optional(),
    /** The ship item (internal ID or `eid:…`) the fulfilment ships by; default the order's ship method. */
    shipMethod: z.string().min(1).optional(),
    externalId: z.string().min(1).optional(),
    memo: z.string().optional(),
    tranDate: z.string().optional(),
  })
  .strict();

export const billSchema = z
  .object({
    as: z.enum(['invoice', 'cashSale']).default('invoice'),
    lines: z.array(lineQuantitySchema).optional(),
    externalId: z.string().min(1).optional(),
    memo: z.string().optional(),
    tranDate: z.string().optional(),
  })
  .strict();

/** What fulfil answers. */
export interface CreatedFulfilment {
  id: string;
  type: 'itemFulfillment';
  tranId: string;
}

/** What bill answers. */
export interface CreatedBill {
  id: string;
  type: 'invoice' | 'cashSale';
  tranId: string;
  total: number;
}

/** One document of a sales order, as the documents route lists it. */
export interface DocumentSummary {
  id: string;
  /** REST record type: itemFulfillment, invoice, cashSale, creditMemo, cashRefund. */
  type: string;
  tranId: string;
  externalId?: string;
  total: number;
  /** Internal ID of the transaction it was transformed from (the sales order, or the bill a credit came from). */
  createdFrom: string;
  /** Status letter, as SuiteQL `transaction.status` (documents.ts). */
  status: string;
}

const ctx = { validation: 'Error' as const };

/** The record-API transform body for a set of `{line, quantity}` choices. */
function itemBody(lines: z.output<typeof lineQuantitySchema>[] | undefined): Record<string, unknown> {
  return lines === undefined
    ? {}
    : { item: { items: lines.map((l) => (l.quantity === undefined ? { orderLine: l.line } : { orderLine: l.line, quantity: l.quantity })) } };
}

function headerBody(input: { externalId?: string | undefined; memo?: string | undefined; tranDate?: string | undefined }): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.externalId !== undefined) body.externalId = input.externalId;
  if (input.memo !== undefined) body.memo = input.memo;
  if (input.tranDate !== undefined) body.tranDate = input.tranDate;
  return body;
}

/** Fulfils a sales order (`orderId` = internal ID or `eid:…`); throws the transform's NsError when refused. */
export function fulfil(transforms: TransformService, orderId: string, input: z.output<typeof fulfilSchema>): CreatedFulfilment {
  const body: Record<string, unknown> = { ...headerBody(input), ...itemBody(input.lines), shipStatus: input.shipStatus };
  if (input.shipMethod !== undefined) body.shipMethod = { id: input.shipMethod };
  if (input.packages) {
    body.package = {
      items: input.packages.map((p) =>
        p.carrier === undefined ? { packageTrackingNumber: p.trackingNumber } : { packageTrackingNumber: p.trackingNumber, packageDescr: p.carrier },
      ),
    };
  }
  const document = transforms.transform('salesOrder', orderId, 'itemFulfillment', body, ctx);
  return { id: document.id, type: 'itemFulfillment', tranId: String(document.fields.tranId) };
}

/** Bills a sales order with an invoice or a cash sale; throws the transform's NsError when refused. */
export function bill(transforms: TransformService, orderId: string, input: z.output<typeof billSchema>): CreatedBill {
  const document = transforms.transform('salesOrder', orderId, input.as, { ...headerBody(input), ...itemBody(input.lines) }, ctx);
  return { id: document.id, type: input.as, tranId: String(document.fields.tranId), total: Number(document.fields.total) };
}

/** Every document created from a sales order, directly or through its bills (credits), oldest first. */
export function documentsOf(store: RecordStore, order: StoredRecord): DocumentSummary[] {
  const out: StoredRecord[] = [];
  for (const document of store.documentsFrom(order.id)) {
    out.push(document);
    if (isBillType(document.type)) out.push(...store.documentsFrom(document.id));
  }
  return out
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((d) => {
      const summary: DocumentSummary = {
        id: d.id,
        type: d.type,
        tranId: String(d.fields.tranId),
        total: Number(d.fields.total ?? 0),
        createdFrom: d.source?.id ?? '',
        status: String(d.fields.status ?? ''),
      };
      if (typeof d.fields.externalId === 'string') summary.externalId = d.fields.externalId;
      return summary;
    });
}
