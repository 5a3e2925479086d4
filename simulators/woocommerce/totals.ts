/**
 * Order totals from a cart, the way WooCommerce computes them with prices excluding tax and "round tax at subtotal"
 * off (tax rounded per line):
 *   line subtotal = unit price × quantity, rounded to cents (a REST edit that keeps a line's subtotal while changing its
 *   quantity stores the exact unit price subtotal ÷ quantity, so the subtotal stays what it was);
 *   coupons: `percent` takes its percentage of each line subtotal, `fixed_cart` is spread over the lines in proportion
 *   to their subtotals (left-over cents to the first lines); each coupon works on the undiscounted subtotals and a
 *   line's discount never exceeds its subtotal;
 *   line total = subtotal − discount; line tax = total × rate, with the rate found by the tax class of the line and the
 *   billing country/state (shipping address when billing has none);
 *   shipping is taxed at the standard rate; fees are taxable at the standard rate;
 *   total = line totals + fees + shipping + all taxes.
 * Money is handled in integer cents; the raw `taxes[]` entries keep up to four decimals as WooCommerce does.
 */
import type { SeedTaxRate } from '../seed';
import type { WooOrderJson } from './rest-types';
import type { LineTax, Order, TaxLine } from './store';

export const toCents = (value: string | number): number => Math.round(Number(value) * 100);
export const money = (cents: number): string => (cents / 100).toFixed(2);
const raw = (value: number): string => String(Number(value.toFixed(4)));

/** The rate that applies to a tax class at a location; a state-specific rate wins over a country-wide one. */
export function findRate(rates: readonly SeedTaxRate[], country: string, state: string, taxClass: string): SeedTaxRate | undefined {
  let fallback: SeedTaxRate | undefined;
  for (const rate of rates) {
    if (rate.taxClass !== taxClass) continue;
    if (rate.country && rate.country !== country) continue;
    if (rate.state === state && state !== '') return rate;
    if (rate.state === '' && !fallback) fallback = rate;
  }
  return fallback;
}

/** WC_Tax::get_rate_code: `COUNTRY-STATE-NAME-ID`, upper case. */
export function rateCode(rate: SeedTaxRate): string {
  return [rate.country, rate.state, rate.name, String(rate.id)]
    .map((p) => p.toUpperCase())
    .join('-')
    .replace(/--+/g, '-');
}

export function calculateTotals(order: Order, rates: readonly SeedTaxRate[], nextItemId: () => number): void {
  const country = order.billing.country || order.shipping.country;
  const state = order.billing.country ? order.billing.state : order.shipping.state;
  const subtotals = order.lineItems.map((line) => Math.round(Number(line.unitPrice) * 100 * line.quantity));
  const sumSubtotal = subtotals.reduce((a, b) => a + b, 0);
  const discounts = subtotals.map(() => 0);
  const lineRates = order.lineItems.map((line) => findRate(rates, country, state, line.taxClass));
  const standard = findRate(rates, country, state, '');

  const taxByRate = new Map<number, { rate: SeedTaxRate; tax: number; shippingTax: number }>();
  const addTax = (rate: SeedTaxRate, cents: number, shipping: boolean): void => {
    const entry = taxByRate.get(rate.id) ?? { rate, tax: 0, shippingTax: 0 };
    if (shipping) entry.shippingTax += cents;
    else entry.tax += cents;
    taxByRate.set(rate.id, entry);
  };

  // Coupons, each on the undiscounted subtotals.
  for (const coupon of order.couponLines) {
    const perLine = subtotals.map(() => 0);
    if (coupon.discountType === 'percent') {
      subtotals.forEach((s, i) => (perLine[i] = Math.round((s * coupon.nominalAmount) / 100)));
    } else {
      const amount = Math.min(toCents(coupon.nominalAmount), sumSubtotal);
      let given = 0;
      subtotals.forEach((s, i) => {
        perLine[i] = sumSubtotal > 0 ? Math.floor((amount * s) / sumSubtotal) : 0;
        given += perLine[i] as number;
      });
      for (let i = 0; given < amount && subtotals.length > 0; i = (i + 1) % subtotals.length) {
        perLine[i] = (perLine[i] as number) + 1;
        given++;
      }
    }
    let discount = 0;
    let discountTax = 0;
    perLine.forEach((d, i) => {
      const capped = Math.min(d, (subtotals[i] as number) - (discounts[i] as number));
      discounts[i] = (discounts[i] as number) + capped;
      discount += capped;
      const rate = lineRates[i];
      if (rate) discountTax += Math.round((capped * Number(rate.rate)) / 100);
    });
    coupon.discount = money(discount);
    coupon.discountTax = money(discountTax);
  }

  let itemsTotal = 0;
  let discountTotal = 0;
  let discountTax = 0;
  order.lineItems.forEach((line, i) => {
    const subtotal = subtotals[i] as number;
    const total = subtotal - (discounts[i] as number);
    const rate = lineRates[i];
    const subtotalTaxRaw = rate ? (subtotal * Number(rate.rate)) / 10000 : 0;
    const totalTaxRaw = rate ? (total * Number(rate.rate)) / 10000 : 0;
    const subtotalTax = Math.round(subtotalTaxRaw * 100);
    const totalTax = Math.round(totalTaxRaw * 100);
    line.subtotal = money(subtotal);
    line.total = money(total);
    line.subtotalTax = money(subtotalTax);
    line.totalTax = money(totalTax);
    line.taxes = rate ? [{ id: rate.id, total: raw(totalTaxRaw), subtotal: raw(subtotalTaxRaw) }] : [];
    if (rate) addTax(rate, totalTax, false);
    itemsTotal += total;
    discountTotal += subtotal - total;
    discountTax += subtotalTax - totalTax;
  });

  let feesTotal = 0;
  for (const fee of order.feeLines) {
    const cents = toCents(fee.total);
    const rate = fee.taxStatus === 'taxable' ? findRate(rates, country, state, fee.taxClass) : undefined;
    const taxRaw = rate ? (cents * Number(rate.rate)) / 10000 : 0;
    const tax = Math.round(taxRaw * 100);
    fee.total = money(cents);
    fee.totalTax = money(tax);
    fee.taxes = rate ? [{ id: rate.id, total: raw(taxRaw), subtotal: '' }] : [];
    if (rate) addTax(rate, tax, false);
    feesTotal += cents;
  }

  let shippingTotal = 0;
  let shippingTax = 0;
  for (const line of order.shippingLines) {
    const cents = toCents(line.total);
    const taxRaw = standard ? (cents * Number(standard.rate)) / 10000 : 0;
    const tax = Math.round(taxRaw * 100);
    line.total = money(cents);
    line.totalTax = money(tax);
    line.taxes = standard && cents > 0 ? [{ id: standard.id, total: raw(taxRaw), subtotal: '' }] : [];
    if (standard && cents > 0) addTax(standard, tax, true);
    shippingTotal += cents;
    shippingTax += tax;
  }

  const previous = new Map(order.taxLines.map((t) => [t.rateId, t.id]));
  const taxLines: TaxLine[] = [];
  let cartTax = 0;
  for (const { rate, tax, shippingTax: st } of taxByRate.values()) {
    cartTax += tax;
    taxLines.push({
      id: previous.get(rate.id) ?? nextItemId(),
      rateCode: rateCode(rate),
      rateId: rate.id,
      label: rate.name,
      compound: false,
      taxTotal: money(tax),
      shippingTaxTotal: money(st),
      ratePercent: Number(rate.rate),
    });
  }
  order.taxLines = taxLines;
  order.discountTotal = money(discountTotal);
  order.discountTax = money(discountTax);
  order.shippingTotal = money(shippingTotal);
  order.shippingTax = money(shippingTax);
  order.cartTax = money(cartTax);
  order.totalTax = money(cartTax + shippingTax);
  order.total = money(itemsTotal + feesTotal + shippingTotal + cartTax + shippingTax);
}

export type { LineTax };

/** A tax line as the REST API shows it, on an order and on a refund (where its totals are negative). */
export function taxLineJson(t: TaxLine): WooOrderJson['tax_lines'][number] {
  return {
    id: t.id,
    rate_code: t.rateCode,
    rate_id: t.rateId,
    label: t.label,
    compound: t.compound,
    tax_total: t.taxTotal,
    shipping_tax_total: t.shippingTaxTotal,
    rate_percent: t.ratePercent,
    meta_data: [],
  };
}
