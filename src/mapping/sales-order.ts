/**
 * A WooCommerce order → the body of `POST /record/v1/salesOrder`: item lines by SKU at the pre-coupon net price,
 * fee lines, the coupon discount as a header discount, the ship item and cost, payment method, body defaults, custom
 * fields with the order key, number and store, and (tax mode "line") a tax line. Pure and deterministic: the same
 * order and mapping always give the same body. Money is computed in integer cents.
 */
import type { WooOrder } from '../woocommerce/order';
import type { Mapping, NsRef } from './schema';
import { normalizeEmail, sanitizeExternalId } from './customer';
import { MAPPING_FILE_HINT, mappingProblem, type MappingProblem } from './problems';

/** NetSuite's limit on a transaction memo, in characters; a longer memo is cut (with a warning). */
export const MEMO_MAX_LENGTH = 999;

/** A money string of the order that is not a decimal number. */
export class InvalidMoneyError extends Error {
  constructor(field: string, value: string) {
    super(`order field ${field} is not a decimal amount: ${JSON.stringify(value)}`);
    this.name = 'InvalidMoneyError';
  }
}

/**
 * A WooCommerce money string ("12.50", "-3", ".5", "") → integer cents, rounding half away from zero past two
 * decimals, without going through binary floating point. '' counts as 0. Throws InvalidMoneyError otherwise.
 */
export function moneyToCents(value: string, field = 'amount'): number {
  const trimmed = value.trim();
  if (trimmed === '') return 0;
  const match = /^([-+])?(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) throw new InvalidMoneyError(field, value);
  const fraction = (match[3] ?? '').padEnd(3, '0');
  let cents = Number(match[2] || '0') * 100 + Number(fraction.slice(0, 2));
  if (Number(fraction[2]) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) throw new InvalidMoneyError(field, value);
  return match[1] === '-' ? -cents : cents;
}

/** Cents → a JSON number with at most two decimals (the nearest double to the exact decimal). */
const amount = (cents: number): number => cents / 100;
/** Cents → a decimal string with two places, e.g. 500 → "5.00", -5 → "-0.05". */
export const moneyString = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** The unit rate of a line: subtotal / quantity, rounded to four decimals. */
export const unitRate = (cents: number, quantity: number): number => Math.round((cents * 100) / quantity) / 10000;

/** The sales order external ID: `<externalIdPrefix>-<store>-<order_key>`, characters other than letters, digits, `_`, `-` as `_`. Stable across calls. */
export function salesOrderExternalId(mapping: Mapping, store: string, orderKey: string): string {
  return sanitizeExternalId(`${mapping.externalIdPrefix}-${store}-${orderKey}`);
}

/** The NetSuite item key of one order line. */
export interface LineItemKey {
  /** The WooCommerce SKU; null when the product was deleted or has no SKU. */
  sku: string | null;
  /** The key the NetSuite item is found by (`items.aliases[sku]` ?? sku; an item name or external ID per `items.matchBy`); null without a SKU. */
  key: string | null;
  /** Index of the line in `order.line_items`. */
  lineIndex: number;
}

/** The NetSuite item key of every line of the order, aliases applied, in line order. */
export function itemKeys(order: WooOrder, mapping: Mapping): LineItemKey[] {
  return order.line_items.map((line, lineIndex) => {
    const sku = line.sku === null || line.sku.trim() === '' ? null : line.sku;
    const key = sku === null ? null : ((Object.hasOwn(mapping.items.aliases, sku) ? mapping.items.aliases[sku] : undefined) ?? sku);
    return { sku, key, lineIndex };
  });
}

/** The distinct NetSuite item keys of the order's lines (lines without a SKU left out), sorted. */
export function distinctItemKeys(order: WooOrder, mapping: Mapping): string[] {
  return [...new Set(itemKeys(order, mapping).flatMap((l) => (l.key === null ? [] : [l.key])))].sort();
}

/** What buildSalesOrder needs. */
export interface BuildSalesOrderInput {
  order: WooOrder;
  /** The configured store name. */
  store: string;
  /** The store's merged mapping. */
  mapping: Mapping;
  /** Internal ID of the NetSuite customer. */
  customerId: string;
  /** Item key (see itemKeys) → NetSuite internal ID. */
  items: ReadonlyMap<string, string>;
}

/** The sales order body with non-blocking findings, or the problem that stops the order. */
export type BuildSalesOrderResult = { ok: true; body: Record<string, unknown>; warnings: string[] } | { ok: false; problem: MappingProblem };

const copyRef = (ref: NsRef): NsRef => ({ ...ref });

function unknownSkuProblem(order: WooOrder, mapping: Mapping, missing: { sku: string | null; key: string | null; name: string }[]): MappingProblem {
  const byName = mapping.items.matchBy === 'itemid' ? 'item name' : 'external ID';
  const placeholder = mapping.items.matchBy === 'itemid' ? '<NetSuite item name>' : '<NetSuite item external ID>';
  const describe = (m: { sku: string | null; key: string | null; name: string }): string =>
    m.sku === null
      ? `line "${m.name}" has no SKU (the product was deleted or has none)`
      : m.key !== m.sku
        ? `SKU ${m.sku} ("${m.name}", alias of NetSuite ${byName} ${m.key})`
        : `SKU ${m.sku} ("${m.name}")`;
  const withSku = missing.filter((m) => m.sku !== null);
  const withoutSku = missing.filter((m) => m.sku === null);
  const fixes: string[] = [];
  if (withSku.length > 0) {
    const aliases = withSku.map((m) => `"${m.sku}": "${placeholder}"`).join(', ');
    fixes.push(
      `add "items.aliases": {${aliases}} to ${MAPPING_FILE_HINT} (or create the NetSuite item with ${byName} ${withSku.map((m) => m.key).join(', ')})`,
    );
  }
  if (withoutSku.length > 0) fixes.push('give the WooCommerce product of each line without a SKU its SKU again and re-add it to the order, or skip the order');
  return mappingProblem(
    'UnknownSku',
    `Order ${order.number}: no NetSuite item for ${missing.map(describe).join('; ')}.`,
    `${fixes.join('; ')}; then send "retry".`,
    {
      skus: withSku.map((m) => m.sku).join(', '),
      keys: withSku.map((m) => m.key).join(', '),
      lines: missing.map((m) => m.name).join(', '),
    },
  );
}

/** The ship item of a WooCommerce shipping method: exact method_id, then the part before ':' (older "flat_rate:3"), then shipping.default. */
function shipItemFor(methodId: string, mapping: Mapping): NsRef | undefined {
  const methods = mapping.shipping.methods;
  const base = methodId.split(':', 1)[0] ?? methodId;
  const found = Object.hasOwn(methods, methodId) ? methods[methodId] : Object.hasOwn(methods, base) ? methods[base] : undefined;
  return found ?? mapping.shipping.default;
}

function memoOf(order: WooOrder, warnings: string[]): string | undefined {
  const parts: string[] = [];
  if (order.coupon_lines.length > 0) parts.push(`Coupons: ${order.coupon_lines.map((c) => c.code).join(', ')}`);
  const note = order.customer_note.trim();
  if (note !== '') parts.push(`Customer note: ${note}`);
  if (parts.length === 0) return undefined;
  const memo = parts.join(' | ');
  const chars = Array.from(memo);
  if (chars.length <= MEMO_MAX_LENGTH) return memo;
  warnings.push(`the memo (coupon codes and customer note) was cut to ${MEMO_MAX_LENGTH} characters`);
  return `${chars.slice(0, MEMO_MAX_LENGTH - 1).join('')}…`;
}

/**
 * Builds the sales order body:
 * - `entity` {id: customerId}, `externalId` (salesOrderExternalId), `tranDate` (the date of date_created_gmt),
 *   `orderStatus` {id} when `defaults.orderStatus` is set, `otherRefNum` = order number, `memo` (coupon codes, customer
 *   note), `email` (normalised, when there is one), `subsidiary` / `location` / `department` / `class` from `defaults`,
 *   and the custom fields `customFields.orderKey` / `orderNumber` / `store`;
 * - one line per order line: item {id} by its key, quantity, rate = subtotal / quantity (4 decimals), amount = subtotal
 *   (net, before coupons: also when prices include tax, as WooCommerce REST reports it), description = the line name;
 * - one line per fee: `fees.item`, quantity 1, rate = amount = fee total, description = fee name;
 * - coupons: `discountItem` = `discount.item`, `discountRate` = "-<discount_total>" when discount_total > 0;
 * - shipping: `shipMethod` = the ship item of the first shipping line's method_id, `shippingCost` = shipping_total;
 * - `paymentMethod` when `paymentMethods` maps the payment method (else a warning);
 * - `currency` from `currencies` when the mapping lists any;
 * - tax mode "line": one line with `tax.item` and amount = total_tax when > 0 (mode "netsuite" sends nothing for tax).
 * Problems: UnknownSku (a line without SKU, or whose key is not in `items`, naming every such SKU and line name),
 * UnknownShippingMethod (method_id not in `shipping.methods` and no `shipping.default`), UnknownCurrency (the mapping
 * lists currencies, not the order's). Throws InvalidMoneyError for
 * a money field that is not a decimal.
 */
export function buildSalesOrder(input: BuildSalesOrderInput): BuildSalesOrderResult {
  const { order, store, mapping, customerId, items } = input;
  const warnings: string[] = [];

  const keys = itemKeys(order, mapping);
  const missing = keys.flatMap(({ sku, key, lineIndex }) => {
    const name = order.line_items[lineIndex]?.name ?? '';
    return key === null || !items.has(key) ? [{ sku, key, name }] : [];
  });
  if (missing.length > 0) return { ok: false, problem: unknownSkuProblem(order, mapping, missing) };

  const firstShipping = order.shipping_lines[0];
  let shipMethod: NsRef | undefined;
  if (firstShipping) {
    shipMethod = shipItemFor(firstShipping.method_id, mapping);
    if (!shipMethod) {
      return {
        ok: false,
        problem: mappingProblem(
          'UnknownShippingMethod',
          `Order ${order.number}: shipping method "${firstShipping.method_title}" (method_id ${firstShipping.method_id}) has no NetSuite ship item.`,
          `Add "shipping.methods": {"${firstShipping.method_id}": {"externalId": "<ship item external ID>"}} (or {"id": "<ship item internal ID>"}) to ${MAPPING_FILE_HINT}, or set "shipping.default"; then send "retry".`,
          { methodId: firstShipping.method_id, methodTitle: firstShipping.method_title },
        ),
      };
    }
    if (order.shipping_lines.length > 1) {
      warnings.push(
        `the order has ${order.shipping_lines.length} shipping lines; NetSuite gets the first one's ship item (${firstShipping.method_id}) and the total shipping cost`,
      );
    }
  }

  // An order in a currency NetSuite is not told about would be booked in the customer's currency, amounts unchanged.
  let currency: NsRef | undefined;
  const currencies = mapping.currencies;
  if (Object.keys(currencies).length > 0) {
    const code = order.currency.trim().toUpperCase();
    currency = Object.hasOwn(currencies, code) ? currencies[code] : undefined;
    if (!currency) {
      return {
        ok: false,
        problem: mappingProblem(
          'UnknownCurrency',
          `Order ${order.number} is in ${order.currency.trim() || '(no currency)'}, which is not in "currencies" of the mapping (${Object.keys(currencies).join(', ')}): its amounts would be booked in another currency.`,
          `Add "currencies": {"${code || '<ISO code>'}": {"id": "<NetSuite currency internal ID>"}} to ${MAPPING_FILE_HINT} (and allow the customer that currency in NetSuite), then send "retry".`,
          { currency: order.currency },
        ),
      };
    }
  }

  const body: Record<string, unknown> = {
    entity: { id: customerId },
    externalId: salesOrderExternalId(mapping, store, order.order_key),
  };
  const tranDate = /^\d{4}-\d{2}-\d{2}/.exec(order.date_created_gmt ?? '')?.[0];
  if (tranDate) body.tranDate = tranDate;
  if (currency) body.currency = copyRef(currency);
  if (mapping.defaults.orderStatus) body.orderStatus = { id: mapping.defaults.orderStatus };
  body.otherRefNum = order.number;
  const memo = memoOf(order, warnings);
  if (memo !== undefined) body.memo = memo;
  const email = normalizeEmail(order.billing.email);
  if (email !== '') body.email = email;
  for (const field of ['subsidiary', 'location', 'department', 'class'] as const) {
    const ref = mapping.defaults[field];
    if (ref) body[field] = copyRef(ref);
  }
  body[mapping.customFields.orderKey] = order.order_key;
  body[mapping.customFields.orderNumber] = order.number;
  body[mapping.customFields.store] = store;

  const lines: Record<string, unknown>[] = [];
  order.line_items.forEach((line, i) => {
    const key = keys[i]?.key as string;
    const subtotal = moneyToCents(line.subtotal, `line_items[${i}].subtotal`);
    const out: Record<string, unknown> = { item: { id: items.get(key) as string }, quantity: line.quantity };
    if (line.quantity > 0) out.rate = unitRate(subtotal, line.quantity);
    out.amount = amount(subtotal);
    out.description = line.name;
    lines.push(out);
  });
  order.fee_lines.forEach((fee, i) => {
    const total = moneyToCents(fee.total, `fee_lines[${i}].total`);
    lines.push({ item: copyRef(mapping.fees.item), quantity: 1, rate: amount(total), amount: amount(total), description: fee.name });
  });
  if (mapping.tax.mode === 'line' && mapping.tax.item) {
    const tax = moneyToCents(order.total_tax, 'total_tax');
    if (tax > 0) {
      const labels = [...new Set(order.tax_lines.map((t) => t.label))].join(', ');
      lines.push({ item: copyRef(mapping.tax.item), quantity: 1, rate: amount(tax), amount: amount(tax), description: labels ? `Tax (${labels})` : 'Tax' });
    }
  }

  const discount = moneyToCents(order.discount_total, 'discount_total');
  if (discount > 0) {
    body.discountItem = copyRef(mapping.discount.item);
    body.discountRate = moneyString(-discount);
  }
  if (shipMethod) body.shipMethod = copyRef(shipMethod);
  const shipping = moneyToCents(order.shipping_total, 'shipping_total');
  if (firstShipping || shipping !== 0) body.shippingCost = amount(shipping);

  if (order.payment_method !== '') {
    const payment = Object.hasOwn(mapping.paymentMethods, order.payment_method) ? mapping.paymentMethods[order.payment_method] : undefined;
    if (payment) body.paymentMethod = copyRef(payment);
    else
      warnings.push(
        `payment method ${order.payment_method} (${order.payment_method_title}) is not in "paymentMethods" of the mapping; the sales order has no payment method`,
      );
  }
  if (order.refunds.length > 0) {
    warnings.push(`the order has ${order.refunds.length} refund(s); the sales order carries the amounts as ordered`);
  }

  body.item = { items: lines };
  return { ok: true, body, warnings };
}

/**
 * The total NetSuite should compute for the body buildSalesOrder makes, in cents: line subtotals + fees −
 * discount_total (when > 0) + shipping_total, plus total_tax in tax mode "line". In mode "netsuite" this equals the
 * WooCommerce total minus total_tax.
 */
export function expectedTotal(order: WooOrder, mapping: Mapping): number {
  const lines = order.line_items.reduce((sum, line, i) => sum + moneyToCents(line.subtotal, `line_items[${i}].subtotal`), 0);
  const fees = order.fee_lines.reduce((sum, fee, i) => sum + moneyToCents(fee.total, `fee_lines[${i}].total`), 0);
  const discount = Math.max(0, moneyToCents(order.discount_total, 'discount_total'));
  const shipping = moneyToCents(order.shipping_total, 'shipping_total');
  const tax = mapping.tax.mode === 'line' && mapping.tax.item ? Math.max(0, moneyToCents(order.total_tax, 'total_tax')) : 0;
  return lines + fees - discount + shipping + tax;
}
