/** Typed shapes of the REST JSON the simulator returns (type aliases, so they are also plain JSON records). */

export type WooMetaJson = { id: number; key: string; value: unknown };
export type WooTaxJson = { id: number; total: string; subtotal: string };
export type WooAddressJson = {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  phone: string;
};
export type WooBillingJson = WooAddressJson & { email: string };

export type WooLineItemJson = {
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  tax_class: string;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: WooTaxJson[];
  meta_data: WooItemMetaJson[];
  /** null when the product was deleted. */
  sku: string | null;
  /** A number (not a string), the discounted unit price. */
  price: number;
  image: { id: string; src: string };
  parent_name: string | null;
};

export type WooOrderJson = {
  id: number;
  parent_id: number;
  status: string;
  currency: string;
  version: string;
  prices_include_tax: boolean;
  date_created: string;
  date_modified: string;
  discount_total: string;
  discount_tax: string;
  shipping_total: string;
  shipping_tax: string;
  cart_tax: string;
  total: string;
  total_tax: string;
  customer_id: number;
  order_key: string;
  billing: WooBillingJson;
  shipping: WooAddressJson;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_ip_address: string;
  customer_user_agent: string;
  created_via: string;
  customer_note: string;
  date_completed: string | null;
  date_paid: string | null;
  cart_hash: string;
  number: string;
  meta_data: WooMetaJson[];
  line_items: WooLineItemJson[];
  tax_lines: {
    id: number;
    rate_code: string;
    rate_id: number;
    label: string;
    compound: boolean;
    tax_total: string;
    shipping_tax_total: string;
    rate_percent: number;
    meta_data: WooMetaJson[];
  }[];
  shipping_lines: {
    id: number;
    method_title: string;
    method_id: string;
    instance_id: string;
    total: string;
    total_tax: string;
    taxes: WooTaxJson[];
    meta_data: WooMetaJson[];
  }[];
  fee_lines: {
    id: number;
    name: string;
    tax_class: string;
    tax_status: string;
    amount: string;
    total: string;
    total_tax: string;
    taxes: WooTaxJson[];
    meta_data: WooMetaJson[];
  }[];
  coupon_lines: {
    id: number;
    code: string;
    discount: string;
    discount_tax: string;
    discount_type: string;
    nominal_amount: number;
    free_shipping: boolean;
    meta_data: WooMetaJson[];
  }[];
  refunds: { id: number; reason: string; total: string }[];
  payment_url: string;
  is_editable: boolean;
  needs_payment: boolean;
  needs_processing: boolean;
  date_created_gmt: string;
  date_modified_gmt: string;
  date_completed_gmt: string | null;
  date_paid_gmt: string | null;
  currency_symbol: string;
  _links: Record<string, { href: string }[]>;
};

/** Meta of an order item as the REST API shows it (display_key / display_value default to key / value). */
export type WooItemMetaJson = WooMetaJson & { display_key: string; display_value: unknown };

/**
 * A product line of a refund: the refunded order line's shape, with its own item ID, a negative quantity (0 when none
 * was given), `subtotal` / `total` the negative `refund_total`, `taxes` the negative `refund_tax` amounts (raw
 * decimals), `meta_data` `[{id, key: "_refunded_item_id", value: "<order item id>", …}]`, and `price` total ÷ quantity
 * (positive; 0 when the quantity is 0).
 */
export type WooRefundLineItemJson = WooLineItemJson;

export type WooRefundShippingLineJson = {
  id: number;
  method_title: string;
  method_id: string;
  instance_id: string;
  total: string;
  total_tax: string;
  taxes: WooTaxJson[];
  meta_data: WooItemMetaJson[];
};

export type WooRefundFeeLineJson = {
  id: number;
  name: string;
  tax_class: string;
  tax_status: string;
  /** The refunded fee's own amount (positive): WooCommerce copies it and only negates `total`. */
  amount: string;
  total: string;
  total_tax: string;
  taxes: WooTaxJson[];
  meta_data: WooItemMetaJson[];
};

export type WooRefundJson = {
  id: number;
  date_created: string;
  date_created_gmt: string;
  /** Positive. */
  amount: string;
  reason: string;
  refunded_by: number;
  refunded_payment: boolean;
  meta_data: WooMetaJson[];
  line_items: WooRefundLineItemJson[];
  shipping_lines: WooRefundShippingLineJson[];
  tax_lines: WooOrderJson['tax_lines'];
  fee_lines: WooRefundFeeLineJson[];
  _links: Record<string, { href: string }[]>;
};

export type WooNoteJson = {
  id: number;
  author: string;
  date_created: string;
  date_created_gmt: string;
  note: string;
  customer_note: boolean;
  added_by_user: boolean;
};

/** A Shipment Tracking extension item (`/wp-json/wc-shipment-tracking/v3/orders/<id>/shipment-trackings`). */
export type WooShipmentTrackingJson = {
  /** 32 hex characters. */
  tracking_id: string;
  /** Slug of a known provider (e.g. `ups`, `royal-mail`), an unknown provider as given, '' for a custom provider. */
  tracking_provider: string;
  /** '' unless custom. */
  custom_tracking_provider: string;
  custom_tracking_link: string;
  tracking_number: string;
  /** Unix timestamp in seconds, as a string (how the extension stores it). */
  date_shipped: string;
  /** Known provider: its URL template with the number; custom: custom_tracking_link; unknown: ''. */
  tracking_link: string;
};

export type WooProductJson = {
  id: number;
  name: string;
  slug: string;
  permalink: string;
  date_created: string;
  date_created_gmt: string;
  date_modified: string;
  date_modified_gmt: string;
  type: 'simple' | 'variable' | 'variation';
  status: string;
  sku: string;
  price: string;
  regular_price: string;
  sale_price: string;
  on_sale: boolean;
  purchasable: boolean;
  tax_status: string;
  tax_class: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  stock_status: 'instock' | 'outofstock' | 'onbackorder';
  backorders: 'no' | 'notify' | 'yes';
  backorders_allowed: boolean;
  backordered: boolean;
  parent_id: number;
  variations: number[];
  attributes: { id: number; name: string; slug: string; option?: string; options?: string[]; position?: number; visible?: boolean; variation?: boolean }[];
  meta_data: WooMetaJson[];
  [other: string]: unknown;
};
