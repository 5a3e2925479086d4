/**
 * Deterministic seed data shared by both simulators: one catalog of sellable SKUs (simple products and the variations
 * of variable products), stock per NetSuite location, customers (registered and guests, many with non-ASCII names),
 * tax rates, shipping methods, coupons, and realistic order drafts. The same seed always gives the same data, so a
 * WooCommerce SKU and a NetSuite item name (`itemid`) line up across the two simulators.
 */
import { createRng, type Rng } from './shared/rng';

export interface SeedLocation {
  /** NetSuite internal ID of the location. */
  id: string;
  name: string;
}

export interface SeedAddress {
  address1: string;
  address2: string;
  city: string;
  /** Two-letter state code. */
  state: string;
  postcode: string;
  /** Two-letter country code. */
  country: string;
}

export interface SeedCustomer {
  /** Canonical e-mail (lower case). Orders may spell it differently (`emailAsTyped`). */
  email: string;
  /** The e-mail as the shopper typed it at checkout: differs in case or surrounding spaces for some customers. */
  emailAsTyped: string;
  firstName: string;
  lastName: string;
  company: string;
  phone: string;
  address: SeedAddress;
  /** false = a guest: no WooCommerce customer account, orders have customer_id 0. */
  registered: boolean;
  /** true when NetSuite already knows this customer (a returning customer). */
  inNetSuite: boolean;
}

/** Stock of one sellable SKU per NetSuite location ID. */
export type SeedStock = Record<string, { onHand: number; committed: number }>;

export interface SeedVariation {
  sku: string;
  attributes: { name: string; option: string }[];
  /** Regular price, a decimal string with two places. */
  price: string;
  /** Average unit cost in NetSuite, a decimal string with two places. */
  cost: string;
  stock: SeedStock;
}

export interface SeedProduct {
  sku: string;
  name: string;
  type: 'simple' | 'variable';
  /** '' = standard rate, or 'reduced-rate'. */
  taxClass: '' | 'reduced-rate';
  /** Simple products only. */
  price?: string;
  cost?: string;
  stock?: SeedStock;
  /** Variable products only. */
  variations: SeedVariation[];
}

export interface SeedTaxRate {
  id: number;
  country: string;
  state: string;
  /** Percentage with four places, as WooCommerce stores it ("8.8750"). */
  rate: string;
  name: string;
  taxClass: '' | 'reduced-rate';
}

export interface SeedCoupon {
  code: string;
  discountType: 'percent' | 'fixed_cart';
  /** Percentage or currency amount, decimal string. */
  amount: string;
}

export interface SeedShippingMethod {
  methodId: string;
  title: string;
  /** Flat cost, decimal string. */
  cost: string;
}

export interface SeedCatalog {
  seed: number;
  currency: string;
  locations: SeedLocation[];
  products: SeedProduct[];
  customers: SeedCustomer[];
  taxRates: SeedTaxRate[];
  coupons: SeedCoupon[];
  shippingMethods: SeedShippingMethod[];
  paymentMethods: { id: string; title: string }[];
}

/** A sellable unit: a simple product or one variation, flattened. */
export interface SellableItem {
  sku: string;
  name: string;
  /** SKU of the variable parent, for variations. */
  parentSku?: string;
  price: string;
  cost: string;
  taxClass: '' | 'reduced-rate';
  stock: SeedStock;
}

/** What a shopper put in the cart; the WooCommerce simulator turns it into an order with computed totals. */
export interface OrderDraft {
  /** E-mail of a SeedCustomer, or undefined for an order with no e-mail at all. */
  customerEmail?: string;
  lines: { sku: string; quantity: number }[];
  shippingMethodId?: string;
  couponCodes: string[];
  fees: { name: string; total: string }[];
  paymentMethodId: string;
  status: 'pending' | 'processing' | 'on-hold' | 'completed';
  customerNote: string;
}

export interface CatalogOptions {
  /** Default 1. */
  seed?: number;
  /** Number of WooCommerce products (simple + variable). Default 24. */
  products?: number;
  /** Fraction of products that are variable. Default 0.25. */
  variableShare?: number;
  /** Number of customers. Default 12. */
  customers?: number;
}

const FIRST_NAMES = [
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  'Amélie',
  'Nguyễn',
  'Björn',
  'Chloé',
  'Ana',
  'Dmitri',
  'Aoife',
  'Mia',
  'Oluwaseun',
  'Priya',
  'Renée',
  'Thomas',
];
const LAST_NAMES = [
  'Ångström',
  'Núñez',
  'Żółkiewski',
  'Kierkegård',
  'Dubois',
  'Văn An',
  'Müller',
  'O’Brien',
  'Smith',
  'Ivanov',
  'García',
  'Okafor',
  'Patel',
  'Lefèvre',
  'Brown',
  '田中',
];
const COMPANIES = ['', '', '', 'Café Lumière LLC', 'Nordlicht GmbH', 'Acme & Sons', ''];
const CITIES: [string, string, string][] = [
  ['San Francisco', 'CA', '94103'],
  ['Brooklyn', 'NY', '11201'],
  ['Austin', 'TX', '78701'],
  ['Portland', 'OR', '97205'],
  ['Chicago', 'IL', '60607'],
];
const STREETS = ['Market St', 'Elm Ave', 'Rue de la Paix Blvd', 'Oak Lane', 'Main St'];
const NOUNS = ['Mug', 'T-Shirt', 'Notebook', 'Backpack', 'Water Bottle', 'Hoodie', 'Candle', 'Poster', 'Tea Set', 'Scarf', 'Sticker Pack', 'Lamp'];
const ADJECTIVES = ['Crème', 'Nordic', 'Café', 'Señor', 'Midnight', 'Straße', 'Classic', 'Zen ☕', 'Über', 'Rosé', 'Piñata', 'Fjällräven-style'];
const SIZES = ['S', 'M', 'L', 'XL'];
const COLOURS = ['Red', 'Blue', 'Forest Green', 'Crème'];

export const DEFAULT_LOCATIONS: SeedLocation[] = [
  { id: '1', name: 'Main Warehouse' },
  { id: '2', name: 'East Coast DC' },
  { id: '3', name: 'Retail Store (not for web)' },
];

const money = (value: number): string => value.toFixed(2);

function stockFor(rng: Rng, locations: SeedLocation[]): SeedStock {
  const stock: SeedStock = {};
  for (const location of locations) {
    const onHand = rng.chance(0.1) ? 0 : rng.int(0, 200);
    stock[location.id] = { onHand, committed: Math.min(onHand, rng.chance(0.3) ? rng.int(0, 10) : 0) };
  }
  return stock;
}

function priceAndCost(rng: Rng): { price: string; cost: string } {
  const whole = rng.pick([4, 9, 12, 14, 19, 24, 29, 34, 39, 49, 59, 79, 99, 149, 249]);
  const price = whole + rng.pick([0.99, 0.5, 0.95, 0]);
  return { price: money(price), cost: money(price * (0.35 + rng.next() * 0.25)) };
}

/** Builds a deterministic catalog. Same options → same catalog, byte for byte. */
export function generateCatalog(options: CatalogOptions = {}): SeedCatalog {
  const seed = options.seed ?? 1;
  const rng = createRng(seed);
  const productCount = options.products ?? 24;
  const variableShare = options.variableShare ?? 0.25;
  const locations = DEFAULT_LOCATIONS;

  const products: SeedProduct[] = [];
  for (let i = 0; i < productCount; i++) {
    const name = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${i + 1}`;
    const sku = `SKU-${String(i + 1).padStart(5, '0')}`;
    const taxClass = rng.chance(0.2) ? 'reduced-rate' : '';
    if (rng.next() < variableShare) {
      const { price, cost } = priceAndCost(rng);
      const byColour = rng.chance(0.5);
      const options = byColour ? COLOURS : SIZES;
      const variations = options.slice(0, rng.int(2, options.length)).map((option, v) => ({
        sku: `${sku}-${
          option
            .normalize('NFD')
            .replace(/[^A-Za-z0-9]/g, '')
            .toUpperCase() || `V${v + 1}`
        }`,
        attributes: [{ name: byColour ? 'Colour' : 'Size', option }],
        price: option === 'XL' ? money(Number(price) + 2) : price,
        cost,
        stock: stockFor(rng, locations),
      }));
      products.push({ sku, name, type: 'variable', taxClass, variations });
    } else {
      products.push({ sku, name, type: 'simple', taxClass, ...priceAndCost(rng), stock: stockFor(rng, locations), variations: [] });
    }
  }

  const customers: SeedCustomer[] = [];
  const customerCount = options.customers ?? 12;
  for (let i = 0; i < customerCount; i++) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length] as string;
    const lastName = LAST_NAMES[(i * 7 + 3) % LAST_NAMES.length] as string;
    const local =
      `${firstName}.${lastName}`
        .normalize('NFD')
        .replace(/[^A-Za-z.]/g, '')
        .toLowerCase() || `customer${i}`;
    const email = `${local}${i + 1}@example.com`;
    const variant = i % 4;
    const emailAsTyped = variant === 1 ? `  ${email.toUpperCase()} ` : variant === 2 ? `${email[0]?.toUpperCase()}${email.slice(1)}` : email;
    const [city, state, postcode] = rng.pick(CITIES);
    customers.push({
      email,
      emailAsTyped,
      firstName,
      lastName,
      company: rng.pick(COMPANIES),
      phone: `+1-555-${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`,
      address: {
        address1: `${rng.int(1, 999)} ${rng.pick(STREETS)}`,
        address2: rng.chance(0.3) ? `Apt ${rng.int(1, 40)}` : '',
        city,
        state,
        postcode,
        country: 'US',
      },
      registered: i % 3 !== 2,
      inNetSuite: i % 2 === 0,
    });
  }

  return {
    seed,
    currency: 'USD',
    locations,
    products,
    customers,
    taxRates: [
      { id: 1, country: 'US', state: 'CA', rate: '7.2500', name: 'CA State Tax', taxClass: '' },
      { id: 2, country: 'US', state: 'NY', rate: '8.8750', name: 'NY Sales Tax', taxClass: '' },
      { id: 3, country: 'US', state: 'TX', rate: '6.2500', name: 'TX Sales Tax', taxClass: '' },
      { id: 4, country: 'US', state: 'IL', rate: '6.2500', name: 'IL Sales Tax', taxClass: '' },
      { id: 5, country: 'US', state: '', rate: '2.0000', name: 'Reduced Rate', taxClass: 'reduced-rate' },
    ],
    coupons: [
      { code: 'WELCOME10', discountType: 'percent', amount: '10' },
      { code: 'FIVEOFF', discountType: 'fixed_cart', amount: '5.00' },
    ],
    shippingMethods: [
      { methodId: 'flat_rate', title: 'Flat rate', cost: '5.00' },
      { methodId: 'free_shipping', title: 'Free shipping', cost: '0.00' },
      { methodId: 'local_pickup', title: 'Local pickup', cost: '0.00' },
    ],
    paymentMethods: [
      { id: 'stripe', title: 'Credit card (Stripe)' },
      { id: 'ppcp-gateway', title: 'PayPal' },
      { id: 'cod', title: 'Cash on delivery' },
    ],
  };
}

/** Every sellable SKU of a catalog: simple products and variations (variable parents are not sellable). */
export function sellableItems(catalog: SeedCatalog): SellableItem[] {
  const items: SellableItem[] = [];
  for (const product of catalog.products) {
    if (product.type === 'simple') {
      items.push({
        sku: product.sku,
        name: product.name,
        price: product.price ?? '0.00',
        cost: product.cost ?? '0.00',
        taxClass: product.taxClass,
        stock: product.stock ?? {},
      });
    } else {
      for (const variation of product.variations) {
        const label = variation.attributes.map((a) => a.option).join(', ');
        items.push({
          sku: variation.sku,
          name: `${product.name} - ${label}`,
          parentSku: product.sku,
          price: variation.price,
          cost: variation.cost,
          taxClass: product.taxClass,
          stock: variation.stock,
        });
      }
    }
  }
  return items;
}

/** Realistic carts over a catalog: one to four lines, sometimes a coupon or a fee, mostly paid (processing). */
export function generateOrderDrafts(catalog: SeedCatalog, count: number, seed = catalog.seed + 1000): OrderDraft[] {
  const rng = createRng(seed);
  const items = sellableItems(catalog);
  if (items.length === 0 || catalog.customers.length === 0) throw new Error('the catalog has no sellable items or no customers');
  const drafts: OrderDraft[] = [];
  for (let i = 0; i < count; i++) {
    const lineCount = rng.int(1, Math.min(4, items.length));
    const chosen = new Set<string>();
    while (chosen.size < lineCount) chosen.add(rng.pick(items).sku);
    drafts.push({
      customerEmail: rng.pick(catalog.customers).emailAsTyped,
      lines: [...chosen].map((sku) => ({ sku, quantity: rng.int(1, 3) })),
      shippingMethodId: rng.pick(catalog.shippingMethods).methodId,
      couponCodes: rng.chance(0.2) ? [rng.pick(catalog.coupons).code] : [],
      fees: rng.chance(0.1) ? [{ name: 'Gift wrap', total: '3.50' }] : [],
      paymentMethodId: rng.pick(catalog.paymentMethods).id,
      status: rng.chance(0.85) ? 'processing' : rng.pick(['pending', 'on-hold', 'completed'] as const),
      customerNote: rng.chance(0.15) ? 'Please leave at the door — merci! 🚪' : '',
    });
  }
  return drafts;
}
