/** The activity behind observeOrder: a real HTTP GET of a WooCommerce order with Basic auth. */
export interface StoreCredentials {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export function createObserveOrderActivities(store: StoreCredentials) {
  return {
    async readOrder(orderId: number): Promise<{ status: string; lineSkus: string[] }> {
      const auth = Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64');
      const response = await fetch(`${store.url}/wp-json/wc/v3/orders/${orderId}`, { headers: { authorization: `Basic ${auth}` } });
      if (!response.ok) throw new Error(`GET order ${orderId}: HTTP ${response.status} ${await response.text()}`);
      const order = (await response.json()) as { status: string; line_items: { sku: string | null }[] };
      return { status: order.status, lineSkus: order.line_items.map((line) => line.sku ?? '') };
    },
  };
}

export type ObserveOrderActivities = ReturnType<typeof createObserveOrderActivities>;
