/**
 * The workflows the worker serves. Deterministic code only: nothing here (or in what it imports) does I/O.
 * Each workflow lives in a file of its own and is re-exported here.
 */
export { orderSyncWorkflow } from './order-sync';
export { catchUpPollerWorkflow } from './catch-up-poller';
export { schemaDriftWorkflow } from './schema-drift';
export { reconciliationWorkflow } from './reconciliation';
export { inventorySyncWorkflow } from './inventory-sync';
export { fulfilmentSyncWorkflow } from './fulfilment-sync';
