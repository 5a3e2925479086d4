/**
 * Record types the simulator serves, their standard fields, and the run-time registry of custom fields
 * (which a "SuiteScript deploy" through the control API can rename, make mandatory or extend).
 */

/** Canonical REST record type names. */
export const RECORD_TYPES = [
  'customer',
  'salesOrder',
  'inventoryItem',
  'discountItem',
  'otherChargeItem',
  'shipItem',
  'itemFulfillment',
  'invoice',
  'cashSale',
  'creditMemo',
  'cashRefund',
] as const;
export type RecordTypeName = (typeof RECORD_TYPES)[number];

/**
 * Transactions that exist only as the result of a record transform (`!transform`) of a sales order, invoice or cash
 * sale: a plain create of one of them is refused. See documents.ts.
 */
export const DOCUMENT_TYPES = ['itemFulfillment', 'invoice', 'cashSale', 'creditMemo', 'cashRefund'] as const;
export type DocumentTypeName = (typeof DOCUMENT_TYPES)[number];

/** Record types mirrored into the SuiteQL `transaction` / `transactionline` tables. */
export type TransactionTypeName = 'salesOrder' | DocumentTypeName;
export const TRANSACTION_TYPES: readonly TransactionTypeName[] = ['salesOrder', ...DOCUMENT_TYPES];

export function isDocumentType(type: RecordTypeName): type is DocumentTypeName {
  return (DOCUMENT_TYPES as readonly string[]).includes(type);
}

export function isTransactionType(type: RecordTypeName): type is TransactionTypeName {
  return type === 'salesOrder' || isDocumentType(type);
}

/** SuiteQL `transaction.type` of each transaction record type. */
export const TRANSACTION_TYPE_CODES: Record<TransactionTypeName, string> = {
  salesOrder: 'SalesOrd',
  itemFulfillment: 'ItemShip',
  invoice: 'CustInvc',
  cashSale: 'CashSale',
  creditMemo: 'CustCred',
  cashRefund: 'CashRfnd',
};

/** The transforms the simulator performs: source type → the types it can become. Anything else is refused. */
export const ALLOWED_TRANSFORMS: Partial<Record<RecordTypeName, readonly DocumentTypeName[]>> = {
  salesOrder: ['itemFulfillment', 'invoice', 'cashSale'],
  invoice: ['creditMemo'],
  cashSale: ['cashRefund'],
};

/** Record types that share the `item` table / internal-ID space of items. */
export const ITEM_TYPES: readonly RecordTypeName[] = ['inventoryItem', 'discountItem', 'otherChargeItem'];

/** SuiteQL `item.itemtype` of each item record type. */
export const ITEM_TYPE_CODES: Partial<Record<RecordTypeName, string>> = {
  inventoryItem: 'InvtPart',
  discountItem: 'Discount',
  otherChargeItem: 'OthCharge',
};

/** Finds the canonical record type for a path segment, case-insensitively (`salesorder` → `salesOrder`). */
export function canonicalRecordType(name: string): RecordTypeName | undefined {
  const lower = name.toLowerCase();
  return RECORD_TYPES.find((t) => t.toLowerCase() === lower);
}

/** What a reference field points at; `none` = an ID the simulator does not check (currency, terms…); `transaction` = any transaction type. */
export type RefTarget = 'customer' | 'item' | 'location' | 'subsidiary' | 'shipItem' | 'transaction' | 'none';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'ref' | 'sublist' | 'object';

export interface StandardField {
  name: string;
  title: string;
  kind: FieldKind;
  ref?: RefTarget;
  /** Accepted in a body but ignored (computed by the simulator). */
  readOnly?: boolean;
}

const f = (name: string, title: string, kind: FieldKind, extra: Partial<StandardField> = {}): StandardField => ({ name, title, kind, ...extra });

const ITEM_COMMON: StandardField[] = [
  f('itemId', 'Item Name/Number', 'string'),
  f('displayName', 'Display Name/Code', 'string'),
  f('externalId', 'External ID', 'string'),
  f('isInactive', 'Inactive', 'boolean'),
  f('description', 'Description', 'string'),
  f('subsidiary', 'Subsidiary', 'object'),
  f('includeChildren', 'Include Children', 'boolean'),
  f('taxSchedule', 'Tax Schedule', 'ref', { ref: 'none' }),
  f('createdDate', 'Date Created', 'datetime', { readOnly: true }),
  f('lastModifiedDate', 'Last Modified', 'datetime', { readOnly: true }),
];

/**
 * Body fields every transformed document has. They are set by the transform; a PATCH may change only `memo`,
 * `tranDate` and `externalId` (and `shipStatus` of an item fulfilment).
 */
const DOCUMENT_COMMON: StandardField[] = [
  f('entity', 'Customer', 'ref', { ref: 'customer', readOnly: true }),
  f('externalId', 'External ID', 'string'),
  f('tranId', 'Document Number', 'string', { readOnly: true }),
  f('tranDate', 'Date', 'date'),
  f('createdFrom', 'Created From', 'ref', { ref: 'transaction', readOnly: true }),
  f('status', 'Status', 'ref', { ref: 'none', readOnly: true }),
  f('memo', 'Memo', 'string'),
  f('subsidiary', 'Subsidiary', 'ref', { ref: 'subsidiary', readOnly: true }),
  f('item', 'Items', 'sublist', { readOnly: true }),
];
const DOCUMENT_DATES: StandardField[] = [
  f('createdDate', 'Date Created', 'datetime', { readOnly: true }),
  f('lastModifiedDate', 'Last Modified', 'datetime', { readOnly: true }),
];
const BILL_FIELDS: StandardField[] = [
  ...DOCUMENT_COMMON,
  f('subtotal', 'Subtotal', 'number', { readOnly: true }),
  f('discountTotal', 'Discount Total', 'number', { readOnly: true }),
  f('shippingCost', 'Shipping Cost', 'number', { readOnly: true }),
  f('total', 'Total', 'number', { readOnly: true }),
  ...DOCUMENT_DATES,
];
const CREDIT_FIELDS: StandardField[] = [
  ...DOCUMENT_COMMON,
  f('subtotal', 'Subtotal', 'number', { readOnly: true }),
  f('shippingCost', 'Shipping Cost', 'number', { readOnly: true }),
  f('total', 'Total', 'number', { readOnly: true }),
  ...DOCUMENT_DATES,
];

export const STANDARD_FIELDS: Record<RecordTypeName, StandardField[]> = {
  customer: [
    f('entityId', 'Customer ID', 'string'),
    f('externalId', 'External ID', 'string'),
    f('companyName', 'Company Name', 'string'),
    f('firstName', 'First Name', 'string'),
    f('lastName', 'Last Name', 'string'),
    f('isPerson', 'Type', 'boolean'),
    f('email', 'Email', 'string'),
    f('phone', 'Phone', 'string'),
    f('altPhone', 'Alt. Phone', 'string'),
    f('comments', 'Comments', 'string'),
    f('isInactive', 'Inactive', 'boolean'),
    f('subsidiary', 'Primary Subsidiary', 'ref', { ref: 'subsidiary' }),
    f('currency', 'Currency', 'ref', { ref: 'none' }),
    f('terms', 'Terms', 'ref', { ref: 'none' }),
    f('category', 'Category', 'ref', { ref: 'none' }),
    f('priceLevel', 'Price Level', 'ref', { ref: 'none' }),
    f('salesRep', 'Sales Rep', 'ref', { ref: 'none' }),
    f('taxable', 'Taxable', 'boolean'),
    f('url', 'Web Address', 'string'),
    f('addressBook', 'Address Book', 'object'),
    f('defaultAddress', 'Default Address', 'string', { readOnly: true }),
    f('dateCreated', 'Date Created', 'datetime', { readOnly: true }),
    f('lastModifiedDate', 'Last Modified', 'datetime', { readOnly: true }),
  ],
  salesOrder: [
    f('entity', 'Customer', 'ref', { ref: 'customer' }),
    f('externalId', 'External ID', 'string'),
    f('tranId', 'Order #', 'string'),
    f('tranDate', 'Date', 'date'),
    f('orderStatus', 'Status', 'ref', { ref: 'none' }),
    f('status', 'Status', 'ref', { ref: 'none', readOnly: true }),
    f('memo', 'Memo', 'string'),
    f('otherRefNum', 'PO #', 'string'),
    f('location', 'Location', 'ref', { ref: 'location' }),
    f('subsidiary', 'Subsidiary', 'ref', { ref: 'subsidiary' }),
    f('currency', 'Currency', 'ref', { ref: 'none' }),
    f('exchangeRate', 'Exchange Rate', 'number'),
    f('department', 'Department', 'ref', { ref: 'none' }),
    f('class', 'Class', 'ref', { ref: 'none' }),
    f('terms', 'Terms', 'ref', { ref: 'none' }),
    f('salesRep', 'Sales Rep', 'ref', { ref: 'none' }),
    f('customForm', 'Custom Form', 'ref', { ref: 'none' }),
    f('paymentMethod', 'Payment Method', 'ref', { ref: 'none' }),
    f('shipMethod', 'Ship Via', 'ref', { ref: 'shipItem' }),
    f('shippingCost', 'Shipping Cost', 'number'),
    f('shipDate', 'Ship Date', 'date'),
    f('startDate', 'Start Date', 'date'),
    f('endDate', 'End Date', 'date'),
    f('email', 'Email', 'string'),
    f('billingAddress', 'Billing Address', 'object'),
    f('shippingAddress', 'Shipping Address', 'object'),
    f('billAddress', 'Billing Address (text)', 'string'),
    f('shipAddress', 'Shipping Address (text)', 'string'),
    f('discountItem', 'Discount', 'ref', { ref: 'item' }),
    f('discountRate', 'Rate', 'string'),
    f('toBeEmailed', 'To Be E-mailed', 'boolean'),
    f('toBePrinted', 'To Be Printed', 'boolean'),
    f('taxDetailsOverride', 'Tax Details Override', 'boolean'),
    f('taxDetails', 'Tax Details', 'object'),
    f('item', 'Items', 'sublist'),
    f('subtotal', 'Subtotal', 'number', { readOnly: true }),
    f('discountTotal', 'Discount Total', 'number', { readOnly: true }),
    f('total', 'Total', 'number', { readOnly: true }),
    f('createdDate', 'Date Created', 'datetime', { readOnly: true }),
    f('lastModifiedDate', 'Last Modified', 'datetime', { readOnly: true }),
  ],
  inventoryItem: [
    ...ITEM_COMMON,
    f('salesDescription', 'Sales Description', 'string'),
    f('purchaseDescription', 'Purchase Description', 'string'),
    f('upcCode', 'UPC Code', 'string'),
    f('basePrice', 'Base Price', 'number'),
    f('cost', 'Purchase Price', 'number'),
    f('averageCost', 'Average Cost', 'number', { readOnly: true }),
    f('locations', 'Locations', 'sublist', { readOnly: true }),
  ],
  discountItem: [
    ...ITEM_COMMON,
    f('rate', 'Rate', 'string'),
    f('isPreTax', 'Apply Before Sales Tax', 'boolean'),
    f('account', 'Account', 'ref', { ref: 'none' }),
  ],
  otherChargeItem: [
    ...ITEM_COMMON,
    f('rate', 'Rate', 'string'),
    f('basePrice', 'Base Price', 'number'),
    f('incomeAccount', 'Income Account', 'ref', { ref: 'none' }),
  ],
  shipItem: [
    f('itemId', 'Name', 'string'),
    f('displayName', 'Display Name', 'string'),
    f('externalId', 'External ID', 'string'),
    f('isInactive', 'Inactive', 'boolean'),
    f('description', 'Description', 'string'),
    f('createdDate', 'Date Created', 'datetime', { readOnly: true }),
    f('lastModifiedDate', 'Last Modified', 'datetime', { readOnly: true }),
  ],
  itemFulfillment: [
    ...DOCUMENT_COMMON,
    f('shipStatus', 'Status', 'ref', { ref: 'none' }),
    f('package', 'Packages', 'sublist', { readOnly: true }),
    f('total', 'Total', 'number', { readOnly: true }),
    ...DOCUMENT_DATES,
  ],
  invoice: BILL_FIELDS,
  cashSale: BILL_FIELDS,
  creditMemo: CREDIT_FIELDS,
  cashRefund: CREDIT_FIELDS,
};

/** Fields of a sales-order `item` sublist line (also what the metadata catalog describes). */
export const SALES_ORDER_LINE_FIELDS: StandardField[] = [
  f('line', 'Line', 'integer'),
  f('item', 'Item', 'ref', { ref: 'item' }),
  f('quantity', 'Quantity', 'number'),
  f('rate', 'Rate', 'number'),
  f('amount', 'Amount', 'number'),
  f('description', 'Description', 'string'),
  f('location', 'Location', 'ref', { ref: 'location' }),
  f('price', 'Price Level', 'ref', { ref: 'none' }),
  f('isClosed', 'Closed', 'boolean'),
  f('taxCode', 'Tax Code', 'ref', { ref: 'none' }),
  f('quantityCommitted', 'Committed', 'number', { readOnly: true }),
  f('quantityBackOrdered', 'Back Ordered', 'number', { readOnly: true }),
];

/**
 * Read-only progress fields of a sales-order line, kept by fulfilments and bills. Accepted (and ignored) in a body,
 * served on every line, but not yet listed in the metadata catalog: config/netsuite-schema.json, the committed drift
 * fixture, is a snapshot of that catalog and would have to be re-taken (`npm run drift:snapshot -- --simulator`).
 */
export const SALES_ORDER_PROGRESS_LINE_FIELDS: StandardField[] = [
  f('quantityFulfilled', 'Fulfilled', 'number', { readOnly: true }),
  f('quantityBilled', 'Invoiced', 'number', { readOnly: true }),
];

export type CustomFieldType = 'text' | 'textarea' | 'integer' | 'decimal' | 'checkbox' | 'date';

export interface CustomField {
  /** Script ID, e.g. `custbody_woo_order_key`: the body property name and the SuiteQL column. */
  scriptId: string;
  /** Label used in "Please enter value(s) for: <label>". */
  label: string;
  type: CustomFieldType;
  mandatory: boolean;
}

/** Record types that carry custom fields, with the prefix their script IDs must have and their SuiteQL table. */
export const CUSTOM_FIELD_HOSTS: Partial<Record<RecordTypeName, { prefix: string; table: string }>> = {
  customer: { prefix: 'custentity', table: 'customer' },
  salesOrder: { prefix: 'custbody', table: 'transaction' },
  inventoryItem: { prefix: 'custitem', table: 'item' },
};

export const DEFAULT_CUSTOM_FIELDS: Partial<Record<RecordTypeName, CustomField[]>> = {
  salesOrder: [
    { scriptId: 'custbody_woo_order_key', label: 'WooCommerce Order Key', type: 'text', mandatory: false },
    { scriptId: 'custbody_woo_order_number', label: 'WooCommerce Order Number', type: 'text', mandatory: false },
    { scriptId: 'custbody_woo_store', label: 'WooCommerce Store', type: 'text', mandatory: false },
  ],
  customer: [{ scriptId: 'custentity_woo_customer_id', label: 'WooCommerce Customer ID', type: 'text', mandatory: false }],
};

/** SQLite column type of a custom field. */
export function sqlTypeOf(type: CustomFieldType): string {
  return type === 'integer' ? 'INTEGER' : type === 'decimal' ? 'REAL' : 'TEXT';
}

export const SCRIPT_ID_PATTERN = /^[a-z][a-z0-9_]{0,99}$/;
