/**
 * The mapping's schema: how WooCommerce orders become NetSuite sales orders (which orders sync, item matching, shipping,
 * payment, discount, fee and tax items, body defaults, custom field script IDs, customer matching), which stock
 * NetSuite owns (inventory), what follows a synced order (lifecycle) and how NetSuite's shipments reach WooCommerce
 * (fulfilment), as zod schemas with their defaults and descriptions, and the types they give. Unknown keys are errors,
 * so a typo never silently falls back to a default. Pure: loading a file, merging a store's overrides and the
 * validation messages are config.ts's.
 */
import { COMPLETION_POLICIES, TRACKING_VIAS } from '../fulfilment/types';
import { z } from 'zod';

/** A NetSuite reference: `{"id": "<internal id>"}` or `{"externalId": "<external id>"}`. */
export const nsRefSchema = z
  .union([z.strictObject({ id: z.string().min(1) }), z.strictObject({ externalId: z.string().min(1) })], {
    error: 'a NetSuite reference must be {"id": "<internal id>"} or {"externalId": "<external id>"}',
  })
  .describe('A NetSuite record reference by internal ID or external ID.');
/** A NetSuite reference, as the REST record API accepts it in a body. */
export type NsRef = z.infer<typeof nsRefSchema>;

const storeNameSchema = z.string().regex(/^[a-z0-9-]+$/, 'store names are lower-case letters, digits and -');
const emailDomainSchema = z
  .string()
  .min(1)
  .transform((d) => d.trim().replace(/^@/, '').normalize('NFC').toLowerCase());
const externalIdPrefixSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'an external ID prefix is letters, digits, _ and -');
const bodyFieldSchema = z
  .string()
  .regex(/^custbody_[a-z0-9_]+$/, 'a transaction body custom field script ID starts with custbody_ (lower-case letters, digits, _)');

/** Default ship items per WooCommerce shipping method ID: the simulator's (and a fresh install's) `woo-ship-<methodId>`. */
export const DEFAULT_SHIPPING_METHODS: Record<string, NsRef> = {
  flat_rate: { externalId: 'woo-ship-flat_rate' },
  free_shipping: { externalId: 'woo-ship-free_shipping' },
  local_pickup: { externalId: 'woo-ship-local_pickup' },
};

const skipSchema = z
  .strictObject({
    emailDomains: z
      .array(emailDomainSchema)
      .optional()
      .describe('Billing e-mail domains of test orders to skip (a subdomain matches too), e.g. ["example.com"]. Default none.'),
    paymentMethods: z.array(z.string().min(1)).optional().describe('WooCommerce payment_method IDs whose orders are skipped. Default none.'),
    createdVia: z.array(z.string().min(1)).optional().describe('WooCommerce created_via values whose orders are skipped, e.g. ["admin"]. Default none.'),
  })
  .prefault({})
  .describe('Orders that never sync, each with a recorded rule. Default {} (skip nothing).');

const itemsSchema = z
  .strictObject({
    matchBy: z
      .enum(['itemid', 'externalid'])
      .default('itemid')
      .describe('How a WooCommerce SKU (after aliases) finds its NetSuite item: by item name/number (itemid) or by external ID. Default itemid.'),
    aliases: z
      .record(z.string().min(1), z.string().min(1))
      .default(() => ({}))
      .describe('WooCommerce SKU → NetSuite item key (itemid or external ID, per matchBy), for SKUs that differ between the systems. Default {}.'),
  })
  .prefault({})
  .describe('Item matching. Default {matchBy: "itemid", aliases: {}}.');

const shippingSchema = z
  .strictObject({
    methods: z
      .record(z.string().min(1), nsRefSchema)
      .default(() => structuredClone(DEFAULT_SHIPPING_METHODS))
      .describe(
        'WooCommerce shipping method_id → NetSuite ship item. Default flat_rate, free_shipping, local_pickup → {"externalId": "woo-ship-<method_id>"}.',
      ),
    default: nsRefSchema.optional().describe('Ship item for a method not in `methods`. Default none: an unknown method needs attention.'),
  })
  .prefault({})
  .describe('Shipping. Default the three standard WooCommerce methods, no fallback.');

const itemRefSection = (externalId: string, what: string) =>
  z
    .strictObject({ item: nsRefSchema.default(() => ({ externalId })).describe(`The NetSuite ${what}. Default {"externalId": "${externalId}"}.`) })
    .prefault({})
    .describe(`The ${what}. Default {item: {"externalId": "${externalId}"}}.`);

const taxSchema = z
  .strictObject({
    mode: z
      .enum(['netsuite', 'line'])
      .default('netsuite')
      .describe('netsuite: send no tax, NetSuite computes it; line: one line with `item` and amount = the order total_tax. Default netsuite.'),
    item: nsRefSchema.optional().describe('The NetSuite item of the tax line; required when mode is line. Default none.'),
  })
  .prefault({})
  .describe('Tax. Default {mode: "netsuite"}.');

const defaultsSchema = z
  .strictObject({
    subsidiary: nsRefSchema
      .optional()
      .describe('Sales order subsidiary (also the new customers’ one unless customers.subsidiary is set). Default none (NetSuite’s default).'),
    location: nsRefSchema.optional().describe('Sales order location (where inventory is committed). Default none.'),
    department: nsRefSchema.optional().describe('Sales order department. Default none.'),
    class: nsRefSchema.optional().describe('Sales order class. Default none.'),
    orderStatus: z.enum(['A', 'B']).optional().describe('A = Pending Approval, B = Pending Fulfillment. Default none (NetSuite’s default, B).'),
  })
  .prefault({})
  .describe('Sales order body defaults. Default {} (NetSuite’s own defaults).');

const customFieldsSchema = z
  .strictObject({
    orderKey: bodyFieldSchema.default('custbody_woo_order_key').describe('Body field holding the WooCommerce order_key. Default custbody_woo_order_key.'),
    orderNumber: bodyFieldSchema
      .default('custbody_woo_order_number')
      .describe('Body field holding the WooCommerce order number. Default custbody_woo_order_number.'),
    store: bodyFieldSchema.default('custbody_woo_store').describe('Body field holding the configured store name. Default custbody_woo_store.'),
    customerId: z
      .string()
      .regex(/^custentity_[a-z0-9_]+$/, 'an entity custom field script ID starts with custentity_ (lower-case letters, digits, _)')
      .default('custentity_woo_customer_id')
      .describe('Customer field holding the WooCommerce customer ID. Default custentity_woo_customer_id.'),
  })
  .prefault({})
  .describe('Custom field script IDs. Defaults: custbody_woo_order_key, custbody_woo_order_number, custbody_woo_store, custentity_woo_customer_id.');

const customersSchema = z
  .strictObject({
    matchBy: z
      .enum(['email', 'externalId'])
      .default('email')
      .describe(
        'email: match every order by billing e-mail; externalId: registered customers by `<externalIdPrefix>-<store>-<customer_id>`, guests by e-mail. Default email.',
      ),
    onMultiple: z
      .enum(['oldest', 'needs-attention'])
      .default('oldest')
      .describe('Several NetSuite customers match: take the oldest (lowest internal ID, with a warning) or stop for a human. Default oldest.'),
    defaultCustomer: nsRefSchema.optional().describe('Customer for orders without an e-mail (guests). Default none: such orders need attention.'),
    subsidiary: nsRefSchema.optional().describe('Subsidiary of new customers. Default defaults.subsidiary, else NetSuite’s default.'),
    externalIdPrefix: externalIdPrefixSchema
      .default('woo-customer')
      .describe('Prefix of the external ID of customers this integration creates. Default woo-customer.'),
  })
  .prefault({})
  .describe('Customer matching and creation. Default match by e-mail, oldest wins.');

const inventorySchema = z
  .strictObject({
    locations: z
      .array(z.string().regex(/^\d+$/, 'a NetSuite location is its internal ID (digits), e.g. "1"'))
      .min(1)
      .default(() => ['1', '2'])
      .describe('NetSuite location internal IDs whose quantityavailable feeds WooCommerce stock (not retail stores). Default ["1", "2"].'),
    owns: z
      .strictObject({
        skuPrefixes: z
          .array(z.string().min(1))
          .optional()
          .describe('NetSuite owns the stock of WooCommerce SKUs starting with one of these. Default: every SKU of a NetSuite inventory item.'),
        excludeSkus: z.array(z.string().min(1)).optional().describe('WooCommerce SKUs whose stock WooCommerce keeps to itself. Default none.'),
      })
      .prefault({})
      .describe('Which WooCommerce SKUs NetSuite owns the stock of. Default {} (every SKU that maps to an active NetSuite inventory item).'),
    pageSize: z.number().int().min(1).max(1000).default(1000).describe('NetSuite items per SuiteQL page, 1..1000. Default 1000.'),
    inFlightLookbackDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Unsynced orders modified within this many days hold stock (in-flight units). Default 30.'),
  })
  .prefault({})
  .describe(
    'Inventory sync: WooCommerce stock = Σ NetSuite available over `locations` − units of orders NetSuite has not received. Default locations 1 and 2, every inventory item.',
  );

const lifecycleSchema = z
  .strictObject({
    cancellation: z
      .enum(['close-lines', 'needs-attention'])
      .default('close-lines')
      .describe(
        'A synced order cancelled in WooCommerce: close the sales order’s open lines (what was shipped or billed still needs attention), or let a human do it. Default close-lines.',
      ),
    edits: z
      .enum(['apply', 'needs-attention'])
      .default('apply')
      .describe(
        'Lines, quantities, prices, fees or shipping cost edited after sync: update the unfulfilled sales order, or let a human do it. After fulfilment an edit always needs attention. Default apply.',
      ),
    refunds: z
      .strictObject({
        unbilled: z
          .enum(['reduce-lines', 'needs-attention'])
          .default('reduce-lines')
          .describe(
            'Refund of an order NetSuite has not billed: reduce the refunded lines (an amount on no line: a negative line of adjustmentItem). Default reduce-lines.',
          ),
        invoiced: z
          .enum(['credit-memo', 'needs-attention'])
          .default('credit-memo')
          .describe('Refund of an order billed by invoice: a credit memo transformed from the invoice. Default credit-memo.'),
        cashSale: z
          .enum(['cash-refund', 'needs-attention'])
          .default('cash-refund')
          .describe('Refund of an order billed by cash sale: a cash refund transformed from the cash sale. Default cash-refund.'),
        adjustmentItem: nsRefSchema
          .default(() => ({ externalId: 'woo-refund' }))
          .describe(
            'Other-charge item of refunded amounts on no line (amount-only refunds, tax): positive on credits, negative on an unbilled sales order. Default {"externalId": "woo-refund"}.',
          ),
      })
      .prefault({})
      .describe(
        'Refunds: one NetSuite change per WooCommerce refund, never two (credits carry the external ID <externalIdPrefix>-<store>-refund-<order ID>-<refund ID>).',
      ),
  })
  .prefault({})
  .describe('What happens in NetSuite when a synced order is cancelled, refunded or edited in WooCommerce. Default: close, reduce or credit, and update.');

const carrierSchema = z
  .strictObject({
    provider: z
      .string()
      .min(1)
      .describe('The tracking provider name WooCommerce shows (with the Shipment Tracking extension: one of its providers, e.g. UPS, or your own name).'),
    trackingUrl: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'a tracking URL is an http(s) URL')
      .refine((url) => url.includes('{number}'), { message: 'a tracking URL template must contain {number}, where the tracking number goes' })
      .optional()
      .describe('Tracking URL template, {number} replaced by the tracking number, e.g. https://www.ups.com/track?tracknum={number}.'),
  })
  .describe('A carrier as the customer sees it.');

/** The carriers most stores ship with, and their public tracking pages. */
export const DEFAULT_CARRIERS = {
  UPS: { provider: 'UPS', trackingUrl: 'https://www.ups.com/track?tracknum={number}' },
  FedEx: { provider: 'FedEx', trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr={number}' },
  USPS: { provider: 'USPS', trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={number}' },
} as const;

const fulfilmentSchema = z
  .strictObject({
    trackingVia: z
      .enum(TRACKING_VIAS)
      .default('auto')
      .describe(
        "auto: the Shipment Tracking extension's REST route when the store has it, else an order note; shipmentTracking or note: always that. Default auto.",
      ),
    notifyCustomer: z
      .boolean()
      .default(false)
      .describe(
        'true: the shipment note is a customer note (WooCommerce e-mails it) — the one customer note this product writes. false: a private note. Default false.',
      ),
    complete: z
      .enum(COMPLETION_POLICIES)
      .default('whenFullyShipped')
      .describe(
        'When a shipment sets the order completed (WooCommerce then sends its Completed e-mail): never, whenFullyShipped, onFirstShipment. Default whenFullyShipped.',
      ),
    carriers: z
      .record(z.string().min(1), carrierSchema)
      .default(() => ({ ...DEFAULT_CARRIERS }))
      .describe(
        "NetSuite carrier → provider and tracking URL. The key is matched (case-insensitively) against the package description, else the fulfilment's ship method name. An unmapped carrier is shown by its NetSuite name, without a URL. Default: UPS, FedEx and USPS with their public tracking pages.",
      ),
  })
  .prefault({})
  .describe('NetSuite shipments back to WooCommerce (the fulfilment sync): how tracking is pushed, whether the customer is told, when the order completes.');

/** Every section of the mapping; also the shape of one store's overrides (validated, then deep-merged). */
const sectionsShape = {
  syncStatuses: z
    .array(z.string().min(1))
    .min(1)
    .default(() => ['processing', 'completed', 'on-hold'])
    .describe('WooCommerce statuses that sync; other statuses are skipped with the rule status-not-synced. Default ["processing", "completed", "on-hold"].'),
  skip: skipSchema,
  externalIdPrefix: externalIdPrefixSchema
    .default('woo')
    .describe('Sales order externalId = `<prefix>-<store>-<order_key>` (characters other than letters, digits, _ and - become _). Default woo.'),
  items: itemsSchema,
  shipping: shippingSchema,
  currencies: z
    .record(z.string().regex(/^[A-Z]{3}$/, 'a currency is its ISO 4217 code in capitals, e.g. EUR'), nsRefSchema)
    .default(() => ({}))
    .describe(
      'WooCommerce order currency (ISO 4217, e.g. "EUR") → NetSuite currency, sent as the sales order’s `currency`. When any is listed, an order in a currency not listed needs attention (UnknownCurrency) instead of being booked in another currency. Default {}: no currency is sent or checked (the sales order takes the NetSuite customer’s currency).',
    ),
  paymentMethods: z
    .record(z.string().min(1), nsRefSchema)
    .default(() => ({}))
    .describe('WooCommerce payment_method → NetSuite payment method; an unmapped one gives a warning and no payment method. Default {}.'),
  discount: itemRefSection('woo-discount', 'discount item (coupons)'),
  fees: itemRefSection('woo-fee', 'other-charge item for fee lines'),
  tax: taxSchema,
  defaults: defaultsSchema,
  customFields: customFieldsSchema,
  customers: customersSchema,
  inventory: inventorySchema,
  lifecycle: lifecycleSchema,
  fulfilment: fulfilmentSchema,
};

/** One store's overrides: any subset of the sections, deep-merged over the top level. */
export const storeOverridesSchema = z.strictObject(sectionsShape).describe('Per-store overrides of any section.');

/** The mapping file: the sections, plus per-store overrides. */
export const mappingSchema = z
  .strictObject({
    ...sectionsShape,
    stores: z
      .record(storeNameSchema, storeOverridesSchema)
      .default(() => ({}))
      .describe('Store name → partial overrides of the sections above, deep-merged (references and lists replace, objects merge). Default {}.'),
  })
  .superRefine((mapping, ctx) => {
    if (mapping.tax.mode === 'line' && mapping.tax.item === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tax', 'item'], message: 'tax.item is required when tax.mode is "line"' });
    }
  });

/** The mapping file as parsed (before merging a store's overrides). */
export type MappingFile = z.output<typeof mappingSchema>;
/** The mapping of one store: the top level with that store's overrides merged in. */
export type Mapping = Omit<MappingFile, 'stores'>;
