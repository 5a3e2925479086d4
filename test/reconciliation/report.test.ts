/**
 * The reconciliation's pure parts: how the report is built from what both sides said (the three numbers, thresholds,
 * every list and its rule), the input's defaults and refusals, the report date in the owner's time zone, and the
 * text and HTML renderings (escaped, the valuation rule stated, lists capped with "… and N more").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReconciliationReport, type ReconciliationSnapshot } from '../../src/reconciliation/build-report';
import { resolveReconciliationInput } from '../../src/reconciliation/input';
import { formatCents, reconciliationSubject, renderReconciliationHtml, renderReconciliationText } from '../../src/reconciliation/render';
import { reportDateIn } from '../../src/reconciliation/report-date';
import { RESULT_ROWS_LIMIT } from '../../src/reconciliation/types';
import { openOrderValueCents } from '../../src/reconciliation/woo-reads';

const ASOF = '2026-11-23T06:00:00.000Z';

/** Both sides in sync: two SKUs, one open order with its sales order. */
function inSync(): ReconciliationSnapshot {
  return {
    input: { store: 'demo', timeZone: 'Europe/Berlin', thresholds: { itemCount: 0, inventoryValue: 0, openOrderValue: 0 }, graceMinutes: 15, asOf: ASOF },
    reportDate: '2026-11-23',
    readAt: ASOF,
    locations: ['1', '2'],
    matchBy: 'itemid',
    aliases: {},
    owns: {},
    taxIncluded: false,
    netsuiteItems: [
      { itemId: '1', key: 'SKU-A', available: 10, averageCost: 2.5 },
      { itemId: '2', key: 'SKU-B', available: 3, averageCost: 10.01 },
    ],
    wooSellables: [
      { sku: 'SKU-A', productId: 100, stockQuantity: 10 },
      { sku: 'SKU-B', productId: 101, stockQuantity: 3 },
    ],
    inFlightUnits: {},
    wooOpenOrders: [
      {
        id: 200,
        number: '200',
        orderKey: 'wc_order_a',
        status: 'processing',
        currency: 'USD',
        createdGmt: '2026-11-22T10:00:00',
        valueCents: 4599,
        salesOrderId: '1000',
      },
    ],
    netsuiteOpenSalesOrders: [{ id: '1000', tranId: 'SO1001', status: 'B', orderKey: 'wc_order_a', orderNumber: '200', totalCents: 4599 }],
    orderLookups: {},
    requests: { woocommerce: 4, netsuite: 2 },
    warnings: [],
  };
}

describe('the reconciliation report', () => {
  it('in sync: both sides have the same three numbers, nothing is over threshold, every list is empty', () => {
    const report = buildReconciliationReport(inSync());
    // 10 × 2.50 + 3 × 10.01 = 25.00 + 30.03 = 55.03
    assert.deepEqual(report.woocommerce, { itemCount: 2, inventoryValueCents: 5503, openOrderValueCents: 4599 });
    assert.deepEqual(report.netsuite, report.woocommerce);
    assert.equal(report.inBalance, true);
    assert.equal(report.differencesOverThreshold, 0);
    assert.deepEqual(
      report.comparisons.map((c) => [c.figure, c.difference, c.overThreshold]),
      [
        ['itemCount', 0, false],
        ['inventoryValueCents', 0, false],
        ['openOrderValueCents', 0, false],
      ],
    );
    for (const [name, list] of Object.entries(report.lists)) assert.equal(list.count, 0, `${name} is empty`);
    assert.equal(reconciliationSubject(report), 'Reconciliation demo 2026-11-23: in balance');
  });

  it('refunds: an applied refund leaves the open order value in balance; one NetSuite has not applied is listed', () => {
    // Order 200 (total 50.00, tax 4.00) refunded 10.80 (applied: NetSuite reduced its lines) and 5.40 (not yet).
    const order = {
      total: '50.00',
      total_tax: '4.00',
      refunds: [
        { id: 301, total: '-10.80' },
        { id: 302, total: '-5.40' },
      ],
    };
    // Before tax, in proportion: 46.00 − (10.80 + 5.40) × 46/50 = 46.00 − 14.90 = 31.10.
    assert.equal(openOrderValueCents(order, false), 3110);
    assert.equal(openOrderValueCents(order, true), 5000 - 1620);
    const snapshot = inSync();
    snapshot.wooOpenOrders[0] = {
      ...snapshot.wooOpenOrders[0]!,
      valueCents: openOrderValueCents(order, false),
      refunds: [
        { id: 301, amountCents: 1080, applied: true },
        { id: 302, amountCents: 540, applied: false },
      ],
    };
    snapshot.netsuiteOpenSalesOrders[0] = { ...snapshot.netsuiteOpenSalesOrders[0]!, totalCents: 3110 };
    const report = buildReconciliationReport(snapshot);
    assert.equal(report.inBalance, true);
    assert.deepEqual(report.lists.refundsNotInNetSuite.rows, [{ orderId: 200, number: '200', refundId: 302, amountCents: 540, salesOrderId: '1000' }]);
    assert.equal(report.lists.refundsNotInNetSuite.totalCents, 540);
    assert.match(renderReconciliationText(report), /Refunds NetSuite has not applied/);
    assert.match(report.rules.refunds, /not applied yet is listed/);
  });

  it('an open order without a sales order and a hand-made sales order show as the open-order difference and are both listed', () => {
    const snapshot = inSync();
    snapshot.wooOpenOrders.push({
      id: 201,
      number: '201',
      orderKey: 'wc_order_b',
      status: 'on-hold',
      currency: 'USD',
      createdGmt: '2026-11-23T05:00:00',
      valueCents: 1000,
      syncStatus: 'NeedsAttention',
    });
    snapshot.netsuiteOpenSalesOrders.push({ id: '1001', tranId: 'SO1002', status: 'B', orderKey: 'made-up-key', orderNumber: '200', totalCents: 2550 });
    // Order 200 exists, with another key.
    snapshot.orderLookups['1001'] = { orderId: 200, orderKey: 'wc_order_a', status: 'processing' };
    const report = buildReconciliationReport(snapshot);
    assert.equal(report.woocommerce.openOrderValueCents, 5599);
    assert.equal(report.netsuite.openOrderValueCents, 7149);
    const open = report.comparisons.find((c) => c.figure === 'openOrderValueCents');
    assert.equal(open?.difference, -1550);
    assert.equal(open?.overThreshold, true);
    assert.equal(report.differencesOverThreshold, 1);
    assert.equal(reconciliationSubject(report), 'Reconciliation demo 2026-11-23: 1 difference over threshold');
    assert.deepEqual(report.lists.ordersWithoutSalesOrder.rows, [
      { orderId: 201, number: '201', status: 'on-hold', createdGmt: '2026-11-23T05:00:00', valueCents: 1000, syncStatus: 'NeedsAttention' },
    ]);
    assert.equal(report.lists.ordersWithoutSalesOrder.totalCents, 1000);
    assert.deepEqual(report.lists.salesOrdersUnknownToWoo.rows, [
      { salesOrderId: '1001', tranId: 'SO1002', orderKey: 'made-up-key', orderNumber: '200', totalCents: 2550, reason: 'key-differs' },
    ]);
  });

  it('the grace period keeps a young order off the list, but its value still counts', () => {
    const snapshot = inSync();
    // Created 10 minutes before asOf; the grace period is 15.
    snapshot.wooOpenOrders.push({
      id: 202,
      number: '202',
      orderKey: 'k202',
      status: 'processing',
      currency: 'USD',
      createdGmt: '2026-11-23T05:50:00',
      valueCents: 700,
    });
    const report = buildReconciliationReport(snapshot);
    assert.equal(report.lists.ordersWithoutSalesOrder.count, 0);
    assert.equal(report.woocommerce.openOrderValueCents, 4599 + 700);
    const noGrace = buildReconciliationReport({ ...snapshot, input: { ...snapshot.input, graceMinutes: 0 } });
    assert.deepEqual(
      noGrace.lists.ordersWithoutSalesOrder.rows.map((r) => r.orderId),
      [202],
    );
  });

  it('an open order whose write-back failed is not listed when an open sales order carries its key', () => {
    const snapshot = inSync();
    delete snapshot.wooOpenOrders[0]!.salesOrderId;
    assert.equal(buildReconciliationReport(snapshot).lists.ordersWithoutSalesOrder.count, 0);
  });

  it('sales orders: no key, no such order, and a WooCommerce order that is no longer open are told apart; a matching open order is not listed', () => {
    const snapshot = inSync();
    snapshot.netsuiteOpenSalesOrders.push(
      { id: '1002', tranId: 'SO1003', status: 'B', orderKey: '', totalCents: 100 },
      { id: '1003', tranId: 'SO1004', status: 'A', orderKey: 'gone', orderNumber: '999', totalCents: 200 },
      { id: '1004', tranId: 'SO1005', status: 'D', orderKey: 'wc_order_done', orderNumber: '150', totalCents: 300 },
      // Shipped in full (F Pending Billing) and completed in WooCommerce by the fulfilment sync: open on neither side.
      { id: '1005', tranId: 'SO1006', status: 'F', orderKey: 'wc_order_shipped', orderNumber: '151', totalCents: 400 },
    );
    snapshot.orderLookups['1005'] = { orderId: 151, orderKey: 'wc_order_shipped', status: 'completed' };
    snapshot.orderLookups['1004'] = { orderId: 150, orderKey: 'wc_order_done', status: 'completed' };
    const report = buildReconciliationReport(snapshot);
    assert.deepEqual(
      report.lists.salesOrdersUnknownToWoo.rows.map((r) => [r.tranId, r.reason]),
      [
        ['SO1003', 'no-key'],
        ['SO1004', 'no-such-order'],
      ],
    );
    assert.equal(report.lists.salesOrdersUnknownToWoo.totalCents, 300);
    assert.deepEqual(report.lists.salesOrdersForClosedWooOrders.rows, [
      { salesOrderId: '1004', tranId: 'SO1005', orderId: 150, wooStatus: 'completed', totalCents: 300 },
    ]);
  });

  it('two open sales orders with one key are called out as a duplicate', () => {
    const snapshot = inSync();
    snapshot.netsuiteOpenSalesOrders.push({ id: '1009', tranId: 'SO1010', status: 'B', orderKey: 'wc_order_a', totalCents: 4599 });
    const report = buildReconciliationReport(snapshot);
    assert.ok(
      report.warnings.some((w) => w.includes('SO1001') && w.includes('SO1010') && w.includes('duplicate')),
      report.warnings.join('\n'),
    );
  });

  it('quantities: WooCommerce must equal max(0, NetSuite available − in-flight units); a differing or unmanaged SKU is listed', () => {
    const snapshot = inSync();
    snapshot.netsuiteItems.push({ itemId: '3', key: 'SKU-C', available: 1, averageCost: 4 }, { itemId: '4', key: 'SKU-D', available: 5, averageCost: 1 });
    snapshot.wooSellables.push({ sku: 'SKU-C', productId: 102, stockQuantity: 0 }, { sku: 'SKU-D', productId: 103, stockQuantity: null });
    snapshot.inFlightUnits = { 'SKU-A': 2, 'SKU-C': 3 };
    snapshot.wooSellables[0]!.stockQuantity = 8; // 10 − 2: right
    snapshot.wooSellables[1]!.stockQuantity = 4; // NetSuite says 3: wrong
    const report = buildReconciliationReport(snapshot);
    assert.deepEqual(report.lists.skuQuantityDifferences.rows, [
      { sku: 'SKU-B', woocommerce: 4, netsuiteAvailable: 3, inFlight: 0, expected: 3 },
      { sku: 'SKU-D', woocommerce: null, netsuiteAvailable: 5, inFlight: 0, expected: 5 },
    ]);
    // SKU-C: max(0, 1 − 3) = 0 = WooCommerce: not listed.
    // The value rule is the same on both sides: units × NetSuite average cost.
    assert.equal(report.netsuite.inventoryValueCents, 10 * 250 + 3 * 1001 + 1 * 400 + 5 * 100);
    assert.equal(report.woocommerce.inventoryValueCents, 8 * 250 + 4 * 1001 + 0 + 0);
  });

  it('SKUs on one side only are listed; aliases match a SKU to its NetSuite item; SKUs outside inventory.owns are left out of both sides', () => {
    const snapshot = inSync();
    snapshot.netsuiteItems.push(
      { itemId: '5', key: 'NS-ONLY', available: 2, averageCost: 1 },
      { itemId: '6', key: 'NEW-NAME', available: 4, averageCost: 1 },
      { itemId: '7', key: 'RETAIL-1', available: 9, averageCost: 1 },
    );
    snapshot.wooSellables.push(
      { sku: 'WOO-ONLY', productId: 104, stockQuantity: 1 },
      { sku: 'OLD-NAME', productId: 105, stockQuantity: 4 },
      { sku: 'RETAIL-1', productId: 106, stockQuantity: 9 },
    );
    snapshot.aliases = { 'OLD-NAME': 'NEW-NAME' };
    snapshot.owns = { excludeSkus: ['RETAIL-1'] };
    const report = buildReconciliationReport(snapshot);
    assert.deepEqual(report.lists.skusOnlyInWooCommerce.rows, ['WOO-ONLY']);
    assert.deepEqual(report.lists.skusOnlyInNetSuite.rows, ['NS-ONLY']);
    assert.equal(report.woocommerce.itemCount, 4); // SKU-A, SKU-B, WOO-ONLY, OLD-NAME
    assert.equal(report.netsuite.itemCount, 4); // SKU-A, SKU-B, NS-ONLY, NEW-NAME
    assert.equal(report.lists.skuQuantityDifferences.count, 0);
  });

  it('thresholds: a difference within its threshold is not counted; an absolute difference over it is, either sign', () => {
    const snapshot = inSync();
    snapshot.input.thresholds = { itemCount: 1, inventoryValue: 0.5, openOrderValue: 10 };
    snapshot.wooSellables.push({ sku: 'WOO-ONLY', productId: 104, stockQuantity: 0 });
    snapshot.wooSellables[0]!.stockQuantity = 9; // −2.50 of value: over 0.50
    snapshot.netsuiteOpenSalesOrders[0]!.totalCents = 4599 - 1000; // +10.00 exactly: not over
    const report = buildReconciliationReport(snapshot);
    assert.deepEqual(
      report.comparisons.map((c) => [c.figure, c.difference, c.threshold, c.overThreshold]),
      [
        ['itemCount', 1, 1, false],
        ['inventoryValueCents', -250, 50, true],
        ['openOrderValueCents', 1000, 1000, false],
      ],
    );
    assert.equal(report.inBalance, false);
  });

  it('counts cover every row, while the result keeps at most RESULT_ROWS_LIMIT rows of a list', () => {
    const snapshot = inSync();
    snapshot.input.graceMinutes = 0;
    for (let i = 0; i < RESULT_ROWS_LIMIT + 5; i++) {
      snapshot.wooOpenOrders.push({ id: 1000 + i, number: String(1000 + i), orderKey: `k${i}`, status: 'processing', currency: 'USD', valueCents: 100 });
    }
    const report = buildReconciliationReport(snapshot);
    assert.equal(report.lists.ordersWithoutSalesOrder.count, RESULT_ROWS_LIMIT + 5);
    assert.equal(report.lists.ordersWithoutSalesOrder.rows.length, RESULT_ROWS_LIMIT);
    assert.equal(report.lists.ordersWithoutSalesOrder.totalCents, (RESULT_ROWS_LIMIT + 5) * 100);
  });
});

describe('the reconciliation input', () => {
  it('fills in the defaults: UTC, 15 minutes of grace, every threshold 0', () => {
    assert.deepEqual(resolveReconciliationInput({ store: 'demo' }, ASOF), {
      ok: true,
      value: { store: 'demo', timeZone: 'UTC', graceMinutes: 15, thresholds: { itemCount: 0, inventoryValue: 0, openOrderValue: 0 }, asOf: ASOF },
    });
  });

  it('refuses an unknown time zone, a negative threshold and an unknown threshold, naming each', () => {
    const result = resolveReconciliationInput(
      { store: 'demo', timeZone: 'Mars/Olympus', thresholds: { itemCount: -1, bogus: 3 } as never, graceMinutes: -5 },
      ASOF,
    );
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /timeZone: "Mars\/Olympus"/);
    assert.match(problems.join('\n'), /graceMinutes/);
    assert.match(problems.join('\n'), /thresholds\.itemCount/);
    assert.match(problems.join('\n'), /unknown key bogus/);
  });
});

describe('the report date', () => {
  it('is the date in the owner’s time zone, not in UTC', () => {
    assert.equal(reportDateIn('UTC', '2026-11-22T23:30:00Z'), '2026-11-22');
    assert.equal(reportDateIn('Europe/Berlin', '2026-11-22T23:30:00Z'), '2026-11-23');
    assert.equal(reportDateIn('America/Los_Angeles', '2026-11-23T06:00:00Z'), '2026-11-22');
    assert.throws(() => reportDateIn('Nowhere/Town', ASOF), RangeError);
  });
});

describe('the rendered report', () => {
  function differing(): ReturnType<typeof buildReconciliationReport> {
    const snapshot = inSync();
    snapshot.input.graceMinutes = 0;
    snapshot.wooOpenOrders.push({ id: 201, number: '201', orderKey: 'k201', status: 'processing', currency: 'USD', valueCents: 123456 });
    snapshot.netsuiteOpenSalesOrders.push({
      id: '1001',
      tranId: 'SO<b>1002</b>',
      status: 'B',
      orderKey: `made-up"&'key`,
      orderNumber: '999',
      totalCents: 2550,
    });
    for (let i = 0; i < 60; i++) snapshot.wooSellables.push({ sku: `WOO-${String(i).padStart(3, '0')}`, productId: 300 + i, stockQuantity: 0 });
    return buildReconciliationReport(snapshot);
  }

  it('text: the verdict, the three numbers with their differences, the valuation rule, both lists, capped lists', () => {
    const text = renderReconciliationText(differing());
    assert.match(text, /^Reconciliation of store demo for 2026-11-23 \(Europe\/Berlin\)\n2 differences over threshold: item count, open order value\./);
    assert.match(text, /Open order value +1,280\.55 +71\.49 +\+1,209\.06 +0\.00 +OVER/);
    assert.match(text, /Item count +62 +2 +\+60 +0 +OVER/);
    assert.match(text, /On-hand inventory value +55\.03 +55\.03 +0\.00 +0\.00 +ok/);
    assert.match(text, /units available to sell × the item's NetSuite average unit cost/);
    assert.match(text, /Orders open in WooCommerce with no sales order: 1, 1,234\.56\n/);
    assert.match(text, /\n +201 +201 +processing/);
    assert.match(text, /Sales orders carrying a WooCommerce key WooCommerce does not know: 1, 25\.50\n/);
    assert.match(text, /SO<b>1002<\/b> +1001 +made-up"&'key +999 +25\.50 +no such WooCommerce order/);
    // 60 SKUs only in WooCommerce: 50 shown, then the rest counted.
    assert.match(text, /SKUs only in WooCommerce: 60\n {2}WOO-000, WOO-001,.* WOO-049\n {2}… and 10 more\n/);
    assert.doesNotMatch(text, /WOO-050/);
  });

  it('HTML: the same content, every value escaped, lists capped', () => {
    const html = renderReconciliationHtml(differing());
    assert.match(html, /SO&lt;b&gt;1002&lt;\/b&gt;/);
    assert.match(html, /made-up&quot;&amp;&#39;key/);
    assert.doesNotMatch(html, /SO<b>/);
    assert.match(html, /units available to sell × the item&#39;s NetSuite average unit cost/);
    assert.match(html, /<td[^>]*>OVER<\/td>/);
    assert.match(html, /… and 10 more/);
    assert.equal((html.match(/<code>WOO-/g) ?? []).length, 50);
  });

  it('money is formatted from integer cents', () => {
    assert.equal(formatCents(0), '0.00');
    assert.equal(formatCents(-5), '-0.05');
    assert.equal(formatCents(123456789), '1,234,567.89');
    assert.equal(formatCents(1550, true), '+15.50');
  });
});
