/**
 * The activities the worker registers. Each one is thin: it calls one integration operation and turns its errors into
 * ApplicationFailures (failures.ts). Orders-queue activities: order-activities.ts; NetSuite-queue: netsuite-activities.ts.
 */
export { createOrderActivities, type OrderActivityDeps } from './order-activities';
export { createNetSuiteActivities, type NetSuiteActivityDeps } from './netsuite-activities';
export { createMappingSource, type MappingSource } from './mapping-source';
export type { SyncPolicy } from './contracts';
export type * from './types';
export { createCatchUpActivities, type CatchUpActivityDeps } from './catch-up-activities';
export { createDriftActivities, type DriftActivityDeps } from './drift-activities';
export { createReconciliationActivities, type ReconciliationActivityDeps } from './reconciliation-activities';
export { createInventoryActivities, type InventoryActivityDeps } from './inventory-activities';
