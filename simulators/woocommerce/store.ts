/**
 * The simulator's in-memory state: products and variations, customers, orders (with their notes), the catalog's tax
 * rates, coupons, shipping and payment methods, and the ID sequences. Orders, products and variations share one ID
 * sequence, like WordPress posts.
 */
import type { SeedCoupon, SeedCustomer, SeedShippingMethod, SeedTaxRate } from '../seed';
import type { WooAddressJson } from './rest-types';

export interface MetaItem {
  id: number;
  key: string;
  value: unknown;
}

/** An order's shipping address (billing adds the e-mail): the REST shape itself. */
export type Address = WooAddressJson;

export interface BillingAddress extends Address {
  email: string;
}

export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type Backorders = 'no' | 'notify' | 'yes';

export interface Product {
  id: number;
  /** 0 for simple and variable products; the parent's id for variations. */
  parentId: number;
  type: 'simple' | 'variable' | 'variation';
  name: string;
  slug: string;
  status: string;
  sku: string;
  regularPrice: string;
  salePrice: string;
  manageStock: boolean;
  stockQuantity: number | null;
  stockStatus: StockStatus;
  backorders: Backorders;
  taxClass: string;
  /** Variations: their own attribute values. Variable parents: the attribute and its options. */
  attributes: { name: string; option?: string; options?: string[] }[];
  /** Variable parents: ids of their variations, in order. */
  variationIds: number[];
  meta: MetaItem[];
  createdMs: number;
  modifiedMs: number;
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  username: string;
  role: string;
  billing: BillingAddress;
  shipping: Address;
  createdMs: number;
  modifiedMs: number;
}

export interface LineTax {
  id: number;
  total: string;
  subtotal: string;
}

export interface LineItem {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  taxClass: string;
  /** Unit price before discounts (a decimal string); the line subtotal is unitPrice × quantity. */
  unitPrice: string;
  subtotal: string;
  subtotalTax: string;
  total: string;
  totalTax: string;
  taxes: LineTax[];
  meta: MetaItem[];
  /** null when the product no longer exists (or never did: a raw line). */
  sku: string | null;
  /** Quantity this line took out of stock (WooCommerce's `_reduced_stock` item meta); 0 when none. */
  reducedStock: number;
  /** Refunded quantity put back into stock (WooCommerce's `_restock_refunded_items` item meta); 0 when none. */
  restockedRefunded: number;
}

export interface ShippingLine {
  id: number;
  methodTitle: string;
  methodId: string;
  instanceId: string;
  total: string;
  totalTax: string;
  taxes: LineTax[];
}

export interface FeeLine {
  id: number;
  name: string;
  taxClass: string;
  taxStatus: 'taxable' | 'none';
  total: string;
  totalTax: string;
  taxes: LineTax[];
}

export interface CouponLine {
  id: number;
  code: string;
  discount: string;
  discountTax: string;
  discountType: string;
  nominalAmount: number;
  freeShipping: boolean;
}

export interface TaxLine {
  id: number;
  rateCode: string;
  rateId: number;
  label: string;
  compound: boolean;
  taxTotal: string;
  shippingTaxTotal: string;
  ratePercent: number;
}

export interface OrderNote {
  id: number;
  author: string;
  createdMs: number;
  note: string;
  customerNote: boolean;
  addedByUser: boolean;
}

/** One refunded tax amount of a refund line: the rate and the amount given back (positive, raw decimal). */
export interface RefundTax {
  rateId: number;
  amount: number;
}

/**
 * One line of a refund: a copy of the refunded order item (a product line, shipping line or fee line) with its own
 * item id, the `_refunded_item_id` meta pointing at the original, and the refunded quantity / total / taxes. Amounts are
 * stored positive; the REST JSON shows them negative.
 */
export type RefundLine = {
  id: number;
  /** The order item this line refunds (`_refunded_item_id`). */
  refundedItemId: number;
  /** Meta id of the `_refunded_item_id` entry. */
  metaId: number;
  /** Refunded quantity (`qty` of the request); only product lines show it (as a negative quantity). */
  quantity: number;
  /** `refund_total` of the request, in cents. */
  totalCents: number;
  taxes: RefundTax[];
} & ({ type: 'line_item'; item: LineItem } | { type: 'shipping'; item: ShippingLine } | { type: 'fee'; item: FeeLine });

/** A refund (WooCommerce's `shop_order_refund`, a child of the order). */
export interface Refund {
  id: number;
  reason: string;
  /** Positive decimal string with the store's decimals. */
  amount: string;
  createdMs: number;
  /** Whether the gateway refunded the payment (`api_refund` true and the gateway supports refunds). */
  refundedPayment: boolean;
  /** User id of whoever created the refund (the API key's user: the administrator, 1). */
  refundedBy: number;
  meta: MetaItem[];
  lines: RefundLine[];
  /** Tax totals of the refund by rate (negative amounts in the JSON), as `update_taxes()` builds them. */
  taxLines: TaxLine[];
}

/** One shipment tracking item of the Shipment Tracking extension, as it stores it. */
export interface ShipmentTracking {
  /** 32 hex characters. */
  trackingId: string;
  /** Slug of a known provider, the value as given for an unknown one, '' for a custom provider. */
  trackingProvider: string;
  /** Name of a custom provider; '' otherwise. */
  customTrackingProvider: string;
  customTrackingLink: string;
  trackingNumber: string;
  /** Unix timestamp, in seconds. */
  dateShipped: number;
}

/** An e-mail WooCommerce would send the customer (recorded, never sent). */
export type CustomerEmail =
  | { orderId: number; kind: 'customer_completed_order'; at: string; trackingNumbers: string[] }
  | { orderId: number; kind: 'customer_note'; at: string; note: string };

export interface Order {
  id: number;
  parentId: number;
  status: string;
  currency: string;
  createdVia: string;
  orderKey: string;
  createdMs: number;
  modifiedMs: number;
  paidMs: number | null;
  completedMs: number | null;
  customerId: number;
  customerNote: string;
  billing: BillingAddress;
  shipping: Address;
  paymentMethod: string;
  paymentMethodTitle: string;
  transactionId: string;
  meta: MetaItem[];
  lineItems: LineItem[];
  shippingLines: ShippingLine[];
  feeLines: FeeLine[];
  couponLines: CouponLine[];
  taxLines: TaxLine[];
  discountTotal: string;
  discountTax: string;
  shippingTotal: string;
  shippingTax: string;
  cartTax: string;
  total: string;
  totalTax: string;
  /** WooCommerce's `_order_stock_reduced`: stock was taken for this order and not yet given back. */
  stockReduced: boolean;
  notes: OrderNote[];
  /** Status before the order was trashed (WordPress `_wp_trash_meta_status`). */
  trashedFromStatus: string | null;
  refunds: Refund[];
  /**
   * Items of the Shipment Tracking extension (its `_wc_shipment_tracking_items` meta), oldest first. Kept apart from
   * `meta`, so the order's REST `meta_data` does not show them.
   */
  shipmentTrackings: ShipmentTracking[];
  /** Revision, bumped on every change of the order: the encoded REST JSON is cached per revision. */
  rev: number;
}

export class Store {
  readonly products = new Map<number, Product>();
  readonly productIdBySku = new Map<string, number>();
  readonly orders = new Map<number, Order>();
  readonly customers = new Map<number, Customer>();
  taxRates: SeedTaxRate[] = [];
  coupons: SeedCoupon[] = [];
  shippingMethods: SeedShippingMethod[] = [];
  paymentMethods: { id: string; title: string }[] = [];
  /** Every customer of the catalog, guests included (checkout uses their addresses). */
  seedCustomers: SeedCustomer[] = [];
  /** E-mails the customers would have received, oldest first. */
  readonly emails: CustomerEmail[] = [];

  private nextPost = 100;
  private nextItem = 1;
  private nextMeta = 1;
  private nextComment = 1;
  private nextCustomer = 2; // user 1 is the site administrator
  private nextTracking = 1;

  postId(): number {
    return this.nextPost++;
  }
  itemId(): number {
    return this.nextItem++;
  }
  metaId(): number {
    return this.nextMeta++;
  }
  commentId(): number {
    return this.nextComment++;
  }
  customerId(): number {
    return this.nextCustomer++;
  }
  /** Counter mixed into shipment tracking ids (the extension mixes in microtime()). */
  trackingSeq(): number {
    return this.nextTracking++;
  }

  productBySku(sku: string): Product | undefined {
    const id = this.productIdBySku.get(sku);
    return id === undefined ? undefined : this.products.get(id);
  }

  /** Keeps the SKU index in step with a product's SKU. */
  indexSku(product: Product, previousSku: string): void {
    if (previousSku && this.productIdBySku.get(previousSku) === product.id) this.productIdBySku.delete(previousSku);
    if (product.sku) this.productIdBySku.set(product.sku, product.id);
  }

  customerByEmail(email: string): Customer | undefined {
    const wanted = email.trim().toLowerCase();
    for (const customer of this.customers.values()) if (customer.email.toLowerCase() === wanted) return customer;
    return undefined;
  }
}

export const emptyAddress = (): Address => ({
  first_name: '',
  last_name: '',
  company: '',
  address_1: '',
  address_2: '',
  city: '',
  state: '',
  postcode: '',
  country: '',
  phone: '',
});

export const emptyBilling = (): BillingAddress => ({ ...emptyAddress(), email: '' });

/**
 * Upserts meta like the REST controllers do (`update_meta_data($key, $value, $id)`): an item with a known `id` updates
 * that meta entry, otherwise the first entry with the key is updated or a new one added. Keys not sent are untouched,
 * and nothing is ever deleted (a null value is stored as null).
 */
export function upsertMeta(store: Store, meta: MetaItem[], updates: { id?: number; key?: string; value?: unknown }[]): void {
  for (const update of updates) {
    const value = update.value === undefined ? null : update.value;
    const byId = update.id !== undefined ? meta.find((m) => m.id === update.id) : undefined;
    if (byId) {
      if (update.key !== undefined) byId.key = update.key;
      byId.value = value;
      continue;
    }
    if (update.key === undefined) continue;
    const existing = meta.find((m) => m.key === update.key);
    if (existing) existing.value = value;
    else meta.push({ id: store.metaId(), key: update.key, value });
  }
}
