/**
 * The mapping: WooCommerce order → NetSuite sales order, the sync rules and the customer match key, with the mapping
 * config. Everything here is pure except `loadMappingFile` (config.ts reads a file): workflow code should import
 * schema.ts, rules.ts, customer.ts, sales-order.ts and problems.ts directly rather than this index.
 */
export { loadMappingFile, MappingConfigError, parseMapping } from './config';
export { DEFAULT_SHIPPING_METHODS, mappingSchema, nsRefSchema, storeOverridesSchema, type Mapping, type MappingFile, type NsRef } from './schema';
export {
  chooseCustomer,
  customerExternalId,
  customerMatchKey,
  missingCustomerEmailProblem,
  newCustomerBody,
  NoCustomerCandidatesError,
  NoCustomerToCreateError,
  normalizeEmail,
  sanitizeExternalId,
  type CustomerCandidate,
  type CustomerMatchKey,
} from './customer';
export { MAPPING_FILE_HINT, mappingProblem, type MappingFailureType, type MappingProblem } from './problems';
export { evaluateSyncRules, SYNC_RULES, type SyncRuleId, type SyncRuleResult } from './rules';
export {
  buildSalesOrder,
  expectedTotal,
  InvalidMoneyError,
  distinctItemKeys,
  itemKeys,
  MEMO_MAX_LENGTH,
  moneyToCents,
  salesOrderExternalId,
  type BuildSalesOrderInput,
  type BuildSalesOrderResult,
  type LineItemKey,
} from './sales-order';
