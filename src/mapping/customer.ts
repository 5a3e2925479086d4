/**
 * Which NetSuite customer an order belongs to: the match key (normalised billing e-mail, or an external ID built from
 * the WooCommerce customer ID), the external ID and body of a customer this integration creates, and the choice when
 * several NetSuite customers share a key. Pure functions.
 */
import type { WooOrder } from '../woocommerce/order';
import type { Mapping, NsRef } from './schema';
import { MAPPING_FILE_HINT, mappingProblem, type MappingProblem } from './problems';

/** How the customer of an order is found in NetSuite. */
export type CustomerMatchKey = { kind: 'email'; value: string } | { kind: 'externalId'; value: string } | { kind: 'default'; ref: NsRef } | { kind: 'none' };

/** NetSuite external IDs allow letters, digits, `_` and `-`; every other UTF-16 code unit becomes `_`. */
export const sanitizeExternalId = (raw: string): string => raw.replace(/[^A-Za-z0-9_-]/g, '_');

/** An e-mail as the integration compares it: trimmed, Unicode NFC, lower-case (so `' Ana@X.com '` and NFD spellings match). */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase().normalize('NFC');
}

/**
 * The key the customer of `order` is matched by in NetSuite.
 * - `customers.matchBy` email (default): the normalised billing e-mail.
 * - `customers.matchBy` externalId: registered customers (customer_id > 0) by `<customers.externalIdPrefix>-<store>-<customer_id>`;
 *   guests by the normalised billing e-mail.
 * Without an e-mail (and not matched by customer ID): `customers.defaultCustomer` when configured, else `none`.
 */
export function customerMatchKey(order: WooOrder, mapping: Mapping, store: string): CustomerMatchKey {
  if (mapping.customers.matchBy === 'externalId' && order.customer_id > 0) {
    return { kind: 'externalId', value: registeredCustomerExternalId(order.customer_id, mapping, store) };
  }
  const email = normalizeEmail(order.billing.email);
  if (email !== '') return { kind: 'email', value: email };
  if (mapping.customers.defaultCustomer) return { kind: 'default', ref: mapping.customers.defaultCustomer };
  return { kind: 'none' };
}

function registeredCustomerExternalId(customerId: number, mapping: Mapping, store: string): string {
  return sanitizeExternalId(`${mapping.customers.externalIdPrefix}-${store}-${customerId}`);
}

/** Thrown by customerExternalId / newCustomerBody for an order whose customer is not created (default customer, or no key). */
export class NoCustomerToCreateError extends Error {
  constructor(orderNumber: string, kind: string) {
    super(`order ${orderNumber} has no customer to create (match key kind ${kind}); use the default customer or report MissingCustomerEmail`);
    this.name = 'NoCustomerToCreateError';
  }
}

/**
 * External ID of the NetSuite customer to create for `order`:
 * e-mail key → `<customers.externalIdPrefix>-<e-mail, characters other than letters, digits, _ and - as _>` (the same
 * ID the simulator seeds returning customers with); registered customer with matchBy externalId → its match key.
 * Throws NoCustomerToCreateError when the match key is `default` or `none`.
 * Note: two e-mails that differ only in replaced characters (`a.b@x` / `a_b@x`, `zoë@x` / `zoé@x`) share an external
 * ID; the creator (matchCustomer) checks the existing customer's e-mail before using it, and otherwise gives the new
 * customer this ID with a hash of its e-mail appended.
 */
export function customerExternalId(order: WooOrder, mapping: Mapping, store: string): string {
  const key = customerMatchKey(order, mapping, store);
  if (key.kind === 'externalId') return key.value;
  if (key.kind === 'email') return sanitizeExternalId(`${mapping.customers.externalIdPrefix}-${key.value}`);
  throw new NoCustomerToCreateError(order.number, key.kind);
}

/**
 * The body of `POST /record/v1/customer` for the customer of `order`: a company (`companyName` = billing company,
 * contact first/last name kept) or a person (`isPerson`, first and last name); when the billing names are incomplete,
 * a company named after what there is (names, else the e-mail). Plus the normalised e-mail, phone, subsidiary
 * (`customers.subsidiary` ?? `defaults.subsidiary`, omitted when neither is set), externalId, and the WooCommerce
 * customer ID in `customFields.customerId` for registered customers. Throws NoCustomerToCreateError like customerExternalId.
 */
export function newCustomerBody(order: WooOrder, mapping: Mapping, store: string): Record<string, unknown> {
  const externalId = customerExternalId(order, mapping, store);
  const billing = order.billing;
  const firstName = billing.first_name.trim();
  const lastName = billing.last_name.trim();
  const company = billing.company.trim();
  const email = normalizeEmail(billing.email);
  const body: Record<string, unknown> = { externalId };
  if (company !== '') {
    body.isPerson = false;
    body.companyName = company;
    if (firstName !== '') body.firstName = firstName;
    if (lastName !== '') body.lastName = lastName;
  } else if (firstName !== '' && lastName !== '') {
    body.isPerson = true;
    body.firstName = firstName;
    body.lastName = lastName;
  } else {
    body.isPerson = false;
    body.companyName = [firstName, lastName].filter((n) => n !== '').join(' ') || email || `WooCommerce customer ${externalId}`;
  }
  if (email !== '') body.email = email;
  const phone = billing.phone.trim();
  if (phone !== '') body.phone = phone;
  const subsidiary = mapping.customers.subsidiary ?? mapping.defaults.subsidiary;
  if (subsidiary) body.subsidiary = { ...subsidiary };
  if (order.customer_id > 0) body[mapping.customFields.customerId] = String(order.customer_id);
  return body;
}

/** A NetSuite customer that matched the key. */
export interface CustomerCandidate {
  /** Internal ID. */
  id: string;
  /** NetSuite `datecreated`, when known (informational: internal IDs grow with time, so the lowest ID is the oldest). */
  dateCreated?: string;
}

/** Thrown by chooseCustomer when given no candidates (the caller creates a customer instead). */
export class NoCustomerCandidatesError extends Error {
  constructor() {
    super('chooseCustomer needs at least one candidate; with none, create the customer');
    this.name = 'NoCustomerCandidatesError';
  }
}

const byNumericId = (a: string, b: string): number => {
  const na = Number(a);
  const nb = Number(b);
  return Number.isFinite(na) && Number.isFinite(nb) && na !== nb ? na - nb : a.localeCompare(b);
};

/**
 * Picks the customer among the NetSuite customers that share the match key: one → it; several → the oldest (lowest
 * numeric internal ID) with a warning naming every ID, or, with `customers.onMultiple` "needs-attention", an
 * AmbiguousCustomer problem. Duplicate IDs count once. Throws NoCustomerCandidatesError for an empty list.
 */
export function chooseCustomer(candidates: readonly CustomerCandidate[], mapping: Mapping): { id: string; warning?: string } | { problem: MappingProblem } {
  const ids = [...new Set(candidates.map((c) => c.id))].sort(byNumericId);
  const oldest = ids[0];
  if (oldest === undefined) throw new NoCustomerCandidatesError();
  if (ids.length === 1) return { id: oldest };
  const list = ids.join(', ');
  if (mapping.customers.onMultiple === 'needs-attention') {
    return {
      problem: mappingProblem(
        'AmbiguousCustomer',
        `${ids.length} NetSuite customers match this order's customer (internal IDs ${list}), and "customers.onMultiple" is "needs-attention".`,
        `Merge or inactivate the duplicate customers in NetSuite so that one remains, or set "customers.onMultiple": "oldest" in ${MAPPING_FILE_HINT}; then send "retry".`,
        { customerIds: list },
      ),
    };
  }
  return {
    id: oldest,
    warning: `${ids.length} NetSuite customers match this order's customer (internal IDs ${list}); chose the oldest (internal ID ${oldest}).`,
  };
}

/** The MissingCustomerEmail problem of an order whose match key is `none` (no e-mail, no default customer). */
export function missingCustomerEmailProblem(order: WooOrder): MappingProblem {
  return mappingProblem(
    'MissingCustomerEmail',
    `Order ${order.number} has no billing e-mail, so no NetSuite customer can be matched or created, and no default customer is configured.`,
    `Set "customers.defaultCustomer": {"id": "<NetSuite customer internal ID>"} in ${MAPPING_FILE_HINT}, or add a billing e-mail to order ${order.number} in WooCommerce; then send "retry".`,
    { orderNumber: order.number, customerId: String(order.customer_id) },
  );
}
