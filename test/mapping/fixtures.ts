/**
 * Shared by the mapping tests: a catalog, WooCommerce simulator orders parsed exactly as the sync parses them, and
 * mappings built from JSON the way the mapping file is.
 */
import { join } from 'node:path';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import type { CheckoutInput, WooCommerceSimulator } from '../../simulators/woocommerce';
import { loadMappingFile, parseMapping, type Mapping } from '../../src/mapping';
import { wooOrderSchema, type WooOrder } from '../../src/woocommerce/order';

/** The path of the default mapping file. */
export const DEFAULT_MAPPING_FILE = join(__dirname, '..', '..', 'config', 'mapping.json');

/** The catalog every mapping test uses (default size: simple products and variations). */
export const catalog = generateCatalog({ seed: 7 });

/** The default mapping file, for a store. */
export const defaultMapping = (store = 'main'): Mapping => loadMappingFile(DEFAULT_MAPPING_FILE, store);

/** A mapping from JSON (defaults filled in), for a store. */
export const mappingOf = (json: Record<string, unknown>, store = 'main'): Mapping => parseMapping(json, store);

/** Places an order through the simulator's storefront checkout and parses it with the sync's schema. */
export function placeOrder(sim: WooCommerceSimulator, draft: CheckoutInput | OrderDraft): WooOrder {
  return wooOrderSchema.parse(JSON.parse(JSON.stringify(sim.control.placeOrder(draft))));
}

/** A customer of the catalog: the first one matching the predicate. */
export function customerWhere(predicate: (c: (typeof catalog.customers)[number]) => boolean): (typeof catalog.customers)[number] {
  const found = catalog.customers.find(predicate);
  if (!found) throw new Error('no such customer in the test catalog');
  return found;
}
