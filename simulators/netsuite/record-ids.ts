/**
 * Internal IDs and document numbers: customers from 100, transactions (every type) from 1000, items and ship items
 * from 1; `tranId` per transaction type on its own counter from 1001 (SO1001, INV1001, …).
 */
import { TRAN_ID_PREFIXES } from './documents';
import { isTransactionType, type RecordTypeName, type TransactionTypeName } from './schema';

export class RecordIds {
  private nextCustomerId = 100;
  private nextTransactionId = 1000;
  private nextItemId = 1;
  /** Next document number per transaction type (SO1001, INV1001, …). */
  private readonly nextTranNumbers = new Map<TransactionTypeName, number>();

  /** The internal ID of a new record: customers, transactions (every type) and items each have their own sequence. */
  allocate(type: RecordTypeName): string {
    if (type === 'customer') return String(this.nextCustomerId++);
    if (isTransactionType(type)) return String(this.nextTransactionId++);
    return String(this.nextItemId++);
  }

  /** The next document number of a transaction type: its prefix and its own counter from 1001 (SO1001, INV1001, …). */
  nextTranId(type: TransactionTypeName): string {
    const n = this.nextTranNumbers.get(type) ?? 1001;
    this.nextTranNumbers.set(type, n + 1);
    return `${TRAN_ID_PREFIXES[type]}${n}`;
  }
}
