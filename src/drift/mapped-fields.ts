/**
 * The one list of the NetSuite fields the sync writes: every body field of a sales order (src/mapping/sales-order.ts)
 * and of a new customer (src/mapping/customer.ts), each with the mapping setting that decides its name or whether it
 * is written. The drift watcher checks exactly these; test/drift/mapped-fields.test.ts proves that every field the
 * mapping code writes is on the list. Pure.
 */
import type { Mapping } from '../mapping/schema';
import { sublistLineField, sortKeys } from './normalize';
import type { FieldUse, MappedFields } from './types';

/** The record types the sync writes: what the watcher and `npm run drift:snapshot` read by default. */
export const MAPPED_RECORD_TYPES = ['salesOrder', 'customer'] as const;

/** The setting of a field the mapping code writes whatever the mapping says (its value may still come from the order). */
export const ALWAYS = '(always)';

interface FieldRule {
  recordType: (typeof MAPPED_RECORD_TYPES)[number];
  /** The field's name under this mapping, or undefined when this mapping does not write it. */
  field: (mapping: Mapping) => string | undefined;
  /** The mapping path that names the field or turns it on; ALWAYS when none does. */
  setting: string;
  what: string;
}

const always = (recordType: FieldRule['recordType'], field: string, what: string): FieldRule => ({ recordType, field: () => field, setting: ALWAYS, what });
const when = (recordType: FieldRule['recordType'], field: string, setting: string, what: string, writes: (m: Mapping) => boolean): FieldRule => ({
  recordType,
  field: (m) => (writes(m) ? field : undefined),
  setting,
  what,
});
const named = (recordType: FieldRule['recordType'], setting: string, what: string, field: (m: Mapping) => string): FieldRule => ({
  recordType,
  field,
  setting,
  what,
});

const SALES_ORDER_LINE_FIELDS: readonly [string, string][] = [
  ['item', 'the NetSuite item of each line (items, fees.item, tax.item)'],
  ['quantity', 'the quantity of each line'],
  ['rate', 'the unit price of each line'],
  ['amount', 'the amount of each line'],
  ['description', 'the line name'],
];

/** Every field buildSalesOrder and newCustomerBody write, and when. Keep in step with those two functions. */
const RULES: readonly FieldRule[] = [
  always('salesOrder', 'entity', 'the customer'),
  always('salesOrder', 'externalId', 'the external ID <externalIdPrefix>-<store>-<order_key>'),
  always('salesOrder', 'tranDate', 'the order date'),
  always('salesOrder', 'otherRefNum', 'the WooCommerce order number'),
  always('salesOrder', 'memo', 'coupon codes and the customer note'),
  always('salesOrder', 'email', "the customer's e-mail"),
  when('salesOrder', 'orderStatus', 'defaults.orderStatus', 'the order status', (m) => m.defaults.orderStatus !== undefined),
  when('salesOrder', 'subsidiary', 'defaults.subsidiary', 'the subsidiary', (m) => m.defaults.subsidiary !== undefined),
  when('salesOrder', 'location', 'defaults.location', 'the location', (m) => m.defaults.location !== undefined),
  when('salesOrder', 'department', 'defaults.department', 'the department', (m) => m.defaults.department !== undefined),
  when('salesOrder', 'class', 'defaults.class', 'the class', (m) => m.defaults.class !== undefined),
  named('salesOrder', 'customFields.orderKey', 'the WooCommerce order key', (m) => m.customFields.orderKey),
  named('salesOrder', 'customFields.orderNumber', 'the WooCommerce order number', (m) => m.customFields.orderNumber),
  named('salesOrder', 'customFields.store', 'the store name', (m) => m.customFields.store),
  always('salesOrder', 'item', 'the item lines'),
  ...SALES_ORDER_LINE_FIELDS.map(([field, what]) => always('salesOrder', sublistLineField('item', field), what)),
  always('salesOrder', 'discountItem', 'the discount item of coupons (discount.item)'),
  always('salesOrder', 'discountRate', 'the coupon discount'),
  always('salesOrder', 'shipMethod', 'the ship item (shipping.methods)'),
  always('salesOrder', 'shippingCost', 'the shipping cost'),
  when('salesOrder', 'paymentMethod', 'paymentMethods', 'the payment method', (m) => Object.keys(m.paymentMethods).length > 0),
  when('salesOrder', 'currency', 'currencies', 'the order currency', (m) => Object.keys(m.currencies).length > 0),

  always('customer', 'externalId', "the new customer's external ID"),
  always('customer', 'isPerson', 'person or company'),
  always('customer', 'companyName', 'the billing company'),
  always('customer', 'firstName', 'the billing first name'),
  always('customer', 'lastName', 'the billing last name'),
  always('customer', 'email', 'the billing e-mail'),
  always('customer', 'phone', 'the billing phone'),
  when(
    'customer',
    'subsidiary',
    'customers.subsidiary',
    "the new customer's subsidiary (customers.subsidiary, else defaults.subsidiary)",
    (m) => (m.customers.subsidiary ?? m.defaults.subsidiary) !== undefined,
  ),
  named('customer', 'customFields.customerId', 'the WooCommerce customer ID', (m) => m.customFields.customerId),
];

/**
 * The fields the mappings of all configured stores write: record type → field → why (each setting once, with every
 * store whose mapping writes the field through it). Keys sorted.
 */
export function mappedFields(mappings: readonly { store: string; mapping: Mapping }[]): MappedFields {
  const out: MappedFields = Object.fromEntries(MAPPED_RECORD_TYPES.map((type) => [type, {}]));
  for (const { store, mapping } of mappings) {
    for (const rule of RULES) {
      const field = rule.field(mapping);
      if (field === undefined) continue;
      const fields = out[rule.recordType] as Record<string, FieldUse[]>;
      const uses = (fields[field] ??= []);
      const use = uses.find((u) => u.setting === rule.setting);
      if (use) {
        if (!use.stores.includes(store)) use.stores.push(store);
      } else {
        uses.push({ setting: rule.setting, what: rule.what, stores: [store] });
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([type, fields]) => [type, sortKeys(fields)]));
}
