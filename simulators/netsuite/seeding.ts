/**
 * Loads a SeedCatalog into the store: locations, one inventory item per sellable SKU (itemid = SKU, stock per
 * location, average cost = the seed cost, base price = the seed price), existing customers (`inNetSuite`), ship items
 * per shipping method, and the default discount and other-charge items the order mapping needs.
 */
import { sellableItems, type SeedCatalog } from '../seed';
import { createRecord } from './record-writes';
import type { RecordTypeName } from './schema';
import type { RecordStore } from './store';
import type { StoredRecord } from './stored-record';
import { mirror } from './suiteql-mirror';

export interface SeedResult {
  locations: number;
  inventoryItemsCreated: number;
  inventoryItemsUpdated: number;
  customersCreated: number;
  shipItemsCreated: number;
}

/** The non-inventory items every simulator has from the start: external ID → [record type, itemId, display name]. */
export const DEFAULT_NON_INVENTORY_ITEMS: [string, RecordTypeName, string, string][] = [
  ['woo-discount', 'discountItem', 'Woo Discount', 'WooCommerce Discount'],
  ['woo-fee', 'otherChargeItem', 'Woo Fee', 'WooCommerce Fee'],
  ['woo-shipping', 'otherChargeItem', 'Woo Shipping', 'WooCommerce Shipping Charge'],
  ['woo-refund', 'otherChargeItem', 'Woo Refund', 'WooCommerce refunded amount on no line (lifecycle.refunds.adjustmentItem)'],
];

export const DEFAULT_SHIPPING_METHODS = [
  { methodId: 'flat_rate', title: 'Flat rate' },
  { methodId: 'free_shipping', title: 'Free shipping' },
  { methodId: 'local_pickup', title: 'Local pickup' },
];

/** External ID of the ship item for a WooCommerce shipping method: `woo-ship-<methodId>` (other characters → `_`). */
export function shipItemExternalId(methodId: string): string {
  return `woo-ship-${methodId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The externalId the seed gives an existing NetSuite customer: `woo-customer-` + the e-mail with every character other
 * than letters, digits, `_`, `-` replaced by `_`.
 */
export function seedCustomerExternalId(email: string): string {
  return `woo-customer-${email
    .trim()
    .toLowerCase()
    .replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const ctx = { validation: 'Error' as const };

export function ensureDefaultItems(store: RecordStore, shippingMethods: { methodId: string; title: string }[]): number {
  let created = 0;
  for (const [externalId, type, itemId, displayName] of DEFAULT_NON_INVENTORY_ITEMS) {
    if (store.resolveId(type, `eid:${externalId}`) === undefined) {
      createRecord(store, type, { externalId, itemId, displayName }, ctx);
      created++;
    }
  }
  for (const method of shippingMethods) {
    const externalId = shipItemExternalId(method.methodId);
    if (store.resolveId('shipItem', `eid:${externalId}`) === undefined) {
      createRecord(store, 'shipItem', { externalId, itemId: method.title, displayName: method.title }, ctx);
      created++;
    }
  }
  return created;
}

export function loadCatalog(store: RecordStore, catalog: SeedCatalog): SeedResult {
  return store.db.batch(() => {
    for (const location of catalog.locations) store.addLocation(location);
    const shipItemsCreated = ensureDefaultItems(store, catalog.shippingMethods.length > 0 ? catalog.shippingMethods : DEFAULT_SHIPPING_METHODS);
    const byItemId = new Map<string, StoredRecord>();
    for (const item of store.recordsOf('inventoryItem').values()) byItemId.set(String(item.fields.itemId), item);
    let created = 0;
    let updated = 0;
    for (const sellable of sellableItems(catalog)) {
      const cost = Number(sellable.cost);
      const apply = (record: StoredRecord): void => {
        record.fields.averageCost = Number.isFinite(cost) ? cost : 0;
        for (const [location, stock] of Object.entries(sellable.stock)) {
          record.inventory.set(location, { onHand: stock.onHand, committed: stock.committed, onOrder: 0, backordered: 0 });
        }
      };
      const existing = byItemId.get(sellable.sku);
      if (existing) {
        apply(existing);
        mirror(store, existing);
        updated++;
      } else {
        const record = createRecord(
          store,
          'inventoryItem',
          { itemId: sellable.sku, displayName: sellable.name, basePrice: Number(sellable.price) },
          ctx,
          apply,
        );
        byItemId.set(sellable.sku, record);
        created++;
      }
    }
    let customersCreated = 0;
    for (const customer of catalog.customers) {
      if (!customer.inNetSuite) continue;
      const externalId = seedCustomerExternalId(customer.email);
      if (store.resolveId('customer', `eid:${externalId}`) !== undefined) continue;
      const body: Record<string, unknown> = {
        externalId,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customer.phone,
        subsidiary: { id: '1' },
      };
      if (customer.company) body.companyName = customer.company;
      else body.isPerson = true;
      createRecord(store, 'customer', body, ctx);
      customersCreated++;
    }
    return { locations: catalog.locations.length, inventoryItemsCreated: created, inventoryItemsUpdated: updated, customersCreated, shipItemsCreated };
  });
}
