/** A small WooCommerce order as its REST API and webhooks give it (two lines, flat-rate shipping), for unit tests. */
export function wooOrderJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 200,
    number: '200',
    order_key: 'wc_order_abc',
    status: 'processing',
    currency: 'USD',
    customer_id: 0,
    discount_total: '0.00',
    shipping_total: '5.00',
    total: '50.00',
    billing: { email: 'a@example.com' },
    shipping: {},
    line_items: [
      { id: 11, name: 'Mug', product_id: 1, quantity: 3, subtotal: '30.00', total: '30.00', sku: 'MUG', price: 10 },
      { id: 12, name: 'Tea', product_id: 2, quantity: 1, subtotal: '15.00', total: '15.00', sku: 'TEA', price: 15 },
    ],
    shipping_lines: [{ id: 21, method_title: 'Flat rate', method_id: 'flat_rate', total: '5.00' }],
    meta_data: [],
    ...extra,
  };
}
