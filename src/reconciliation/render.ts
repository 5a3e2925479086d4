/**
 * The reconciliation report as the integration owner reads it: a plain-text version (the mail's text part and what
 * `reconcile --now` prints) and an HTML version (the mail's HTML part), with the same content — the subject line's
 * verdict, the three numbers of each side and their differences, every list (capped, "… and N more"), and the rules
 * that made the numbers. Every value in the HTML is escaped.
 */
import { escapeHtml } from '../alerts/alert';
import { MAIL_ROWS_LIMIT, type FigureComparison, type ReconciliationReport, type ReportList } from './types';

/** Options of the renderers. */
export interface RenderOptions {
  /** Rows shown per list before "… and N more". Default 50. */
  rowsLimit?: number;
}

/** Cents as a decimal amount with thousands separators: 1234567 → "12,345.67", -5 → "-0.05". */
export function formatCents(cents: number, signed = false): string {
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = cents < 0 ? '-' : signed && cents > 0 ? '+' : '';
  return `${sign}${units}.${String(abs % 100).padStart(2, '0')}`;
}

function formatCount(n: number, signed = false): string {
  return `${signed && n > 0 ? '+' : ''}${n.toLocaleString('en-US')}`;
}

const formatFigure = (comparison: FigureComparison, value: number, signed = false): string =>
  comparison.unit === 'cents' ? formatCents(value, signed) : formatCount(value, signed);

/** "in balance", or "2 differences over threshold". */
export function reconciliationVerdict(report: ReconciliationReport): string {
  const n = report.differencesOverThreshold;
  return n === 0 ? 'in balance' : `${n} difference${n === 1 ? '' : 's'} over threshold`;
}

/** The mail's subject: "Reconciliation demo 2026-11-23: in balance". */
export function reconciliationSubject(report: ReconciliationReport): string {
  return `Reconciliation ${report.store} ${report.reportDate}: ${reconciliationVerdict(report)}`;
}

/** One list of the report, as titled rows of cells. */
interface Section {
  title: string;
  list: ReportList<unknown>;
  /** Σ of the list's money, when it has one. */
  totalCents?: number;
  headers: string[];
  /** Columns aligned right (numbers). */
  right: boolean[];
  cells: string[][];
  /** A short list shown inline (SKUs) rather than as a table. */
  inline?: boolean;
}

function sectionsOf(report: ReconciliationReport): Section[] {
  const { lists } = report;
  return [
    {
      title: 'Orders open in WooCommerce with no sales order',
      list: lists.ordersWithoutSalesOrder,
      totalCents: lists.ordersWithoutSalesOrder.totalCents,
      headers: ['Order ID', 'Number', 'Status', 'Created (UTC)', 'Value', 'Sync status'],
      right: [true, false, false, false, true, false],
      cells: lists.ordersWithoutSalesOrder.rows.map((r) => [
        String(r.orderId),
        r.number,
        r.status,
        r.createdGmt ?? '-',
        formatCents(r.valueCents),
        r.syncStatus ?? '-',
      ]),
    },
    {
      title: 'Sales orders carrying a WooCommerce key WooCommerce does not know',
      list: lists.salesOrdersUnknownToWoo,
      totalCents: lists.salesOrdersUnknownToWoo.totalCents,
      headers: ['Sales order', 'Internal ID', 'WooCommerce key', 'Order number', 'Total', 'Why'],
      right: [false, true, false, false, true, false],
      cells: lists.salesOrdersUnknownToWoo.rows.map((r) => [
        r.tranId,
        r.salesOrderId,
        r.orderKey || '-',
        r.orderNumber ?? '-',
        formatCents(r.totalCents),
        r.reason === 'no-key' ? 'no key on the sales order' : r.reason === 'key-differs' ? 'that order carries another key' : 'no such WooCommerce order',
      ]),
    },
    {
      title: 'Sales orders open in NetSuite whose WooCommerce order is no longer open',
      list: lists.salesOrdersForClosedWooOrders,
      totalCents: lists.salesOrdersForClosedWooOrders.totalCents,
      headers: ['Sales order', 'Internal ID', 'Order ID', 'WooCommerce status', 'Total'],
      right: [false, true, true, false, true],
      cells: lists.salesOrdersForClosedWooOrders.rows.map((r) => [r.tranId, r.salesOrderId, String(r.orderId), r.wooStatus, formatCents(r.totalCents)]),
    },
    {
      title: 'Refunds NetSuite has not applied',
      list: lists.refundsNotInNetSuite,
      totalCents: lists.refundsNotInNetSuite.totalCents,
      headers: ['Order ID', 'Number', 'Refund', 'Amount', 'Sales order'],
      right: [true, false, true, true, true],
      cells: lists.refundsNotInNetSuite.rows.map((r) => [String(r.orderId), r.number, String(r.refundId), formatCents(r.amountCents), r.salesOrderId ?? '-']),
    },
    {
      title: 'SKUs whose quantities differ',
      list: lists.skuQuantityDifferences,
      headers: ['SKU', 'WooCommerce', 'NetSuite available', 'In flight', 'Expected'],
      right: [false, true, true, true, true],
      cells: lists.skuQuantityDifferences.rows.map((r) => [
        r.sku,
        r.woocommerce === null ? 'not managed' : String(r.woocommerce),
        String(r.netsuiteAvailable),
        String(r.inFlight),
        String(r.expected),
      ]),
    },
    {
      title: 'SKUs only in WooCommerce',
      list: lists.skusOnlyInWooCommerce,
      headers: [],
      right: [],
      cells: lists.skusOnlyInWooCommerce.rows.map((sku) => [sku]),
      inline: true,
    },
    {
      title: 'SKUs only in NetSuite',
      list: lists.skusOnlyInNetSuite,
      headers: [],
      right: [],
      cells: lists.skusOnlyInNetSuite.rows.map((key) => [key]),
      inline: true,
    },
  ];
}

function sectionHeading(section: Section): string {
  const total = section.totalCents !== undefined && section.list.count > 0 ? `, ${formatCents(section.totalCents)}` : '';
  return `${section.title}: ${section.list.count}${total}`;
}

const more = (count: number, shown: number): string => (count > shown ? `… and ${count - shown} more` : '');

function verdictLine(report: ReconciliationReport): string {
  if (report.inBalance) return 'In balance: every difference is within its threshold.';
  const over = report.comparisons.filter((c) => c.overThreshold).map((c) => c.label.toLowerCase());
  return `${reconciliationVerdict(report)}: ${over.join(', ')}.`;
}

const ruleLines = (report: ReconciliationReport): [string, string][] => [
  ['Item count', report.rules.itemCount],
  ['On-hand inventory value', report.rules.inventoryValue],
  ['Open order value', report.rules.openOrderValue],
  ['Quantities', report.rules.quantities],
  ['Refunds', report.rules.refunds],
  ['Lists', report.rules.lists],
];

function textTable(headers: string[], right: boolean[], rows: string[][], indent = ''): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `${indent}${cells.map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** The report as plain text (the mail's text part; what `reconcile --now` prints). */
export function renderReconciliationText(report: ReconciliationReport, options: RenderOptions = {}): string {
  const limit = options.rowsLimit ?? MAIL_ROWS_LIMIT;
  const out: string[] = [];
  out.push(`Reconciliation of store ${report.store} for ${report.reportDate} (${report.timeZone})`);
  out.push(verdictLine(report));
  out.push(`Numbers as of ${report.asOf}; amounts in the store's currency; difference = WooCommerce − NetSuite.`);
  out.push('');
  out.push(
    ...textTable(
      ['', 'WooCommerce', 'NetSuite', 'Difference', 'Threshold', ''],
      [false, true, true, true, true, false],
      report.comparisons.map((c) => [
        c.label,
        formatFigure(c, c.woocommerce),
        formatFigure(c, c.netsuite),
        formatFigure(c, c.difference, true),
        formatFigure(c, c.threshold),
        c.overThreshold ? 'OVER' : 'ok',
      ]),
    ),
  );
  for (const section of sectionsOf(report)) {
    out.push('');
    out.push(sectionHeading(section));
    if (section.list.count === 0) {
      out.push('  none');
      continue;
    }
    const shown = section.cells.slice(0, limit);
    if (section.inline) out.push(`  ${shown.map((c) => c[0]).join(', ')}`);
    else out.push(...textTable(section.headers, section.right, shown, '  '));
    const rest = more(section.list.count, shown.length);
    if (rest) out.push(`  ${rest}`);
  }
  out.push('');
  out.push('How the numbers are made');
  for (const [name, rule] of ruleLines(report)) out.push(`- ${name}: ${rule}`);
  if (report.warnings.length > 0) {
    out.push('');
    out.push('Warnings');
    for (const warning of report.warnings) out.push(`- ${warning}`);
  }
  return `${out.join('\n')}\n`;
}

const cellStyle = 'padding:4px 8px;border-bottom:1px solid #ddd;';
const td = (value: string, right = false): string => `<td style="${cellStyle}${right ? 'text-align:right;' : ''}">${escapeHtml(value)}</td>`;
const th = (value: string, right = false): string => `<th style="${cellStyle}${right ? 'text-align:right;' : 'text-align:left;'}">${escapeHtml(value)}</th>`;

/** The report as an HTML document (the mail's HTML part). Every value is escaped. */
export function renderReconciliationHtml(report: ReconciliationReport, options: RenderOptions = {}): string {
  const limit = options.rowsLimit ?? MAIL_ROWS_LIMIT;
  const out: string[] = [];
  out.push('<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + escapeHtml(reconciliationSubject(report)) + '</title></head>');
  out.push('<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222;">');
  out.push(`<h2>Reconciliation of store ${escapeHtml(report.store)} for ${escapeHtml(report.reportDate)} (${escapeHtml(report.timeZone)})</h2>`);
  const colour = report.inBalance ? '#1a7f37' : '#b42318';
  out.push(`<p style="font-weight:bold;color:${colour};">${escapeHtml(verdictLine(report))}</p>`);
  out.push(`<p>Numbers as of ${escapeHtml(report.asOf)}; amounts in the store's currency; difference = WooCommerce − NetSuite.</p>`);
  out.push('<table style="border-collapse:collapse;">');
  out.push(`<tr>${th('')}${th('WooCommerce', true)}${th('NetSuite', true)}${th('Difference', true)}${th('Threshold', true)}${th('')}</tr>`);
  for (const c of report.comparisons) {
    const status = c.overThreshold ? `<td style="${cellStyle}color:#b42318;font-weight:bold;">OVER</td>` : `<td style="${cellStyle}color:#1a7f37;">ok</td>`;
    out.push(
      `<tr>${td(c.label)}${td(formatFigure(c, c.woocommerce), true)}${td(formatFigure(c, c.netsuite), true)}${td(formatFigure(c, c.difference, true), true)}${td(formatFigure(c, c.threshold), true)}${status}</tr>`,
    );
  }
  out.push('</table>');
  for (const section of sectionsOf(report)) {
    out.push(`<h3>${escapeHtml(sectionHeading(section))}</h3>`);
    if (section.list.count === 0) {
      out.push('<p>none</p>');
      continue;
    }
    const shown = section.cells.slice(0, limit);
    if (section.inline) {
      out.push(`<p>${shown.map((c) => `<code>${escapeHtml(c[0] ?? '')}</code>`).join(', ')}</p>`);
    } else {
      out.push('<table style="border-collapse:collapse;">');
      out.push(`<tr>${section.headers.map((h, i) => th(h, section.right[i])).join('')}</tr>`);
      for (const row of shown) out.push(`<tr>${row.map((cell, i) => td(cell, section.right[i])).join('')}</tr>`);
      out.push('</table>');
    }
    const rest = more(section.list.count, shown.length);
    if (rest) out.push(`<p>${escapeHtml(rest)}</p>`);
  }
  out.push('<h3>How the numbers are made</h3><ul>');
  for (const [name, rule] of ruleLines(report)) out.push(`<li><b>${escapeHtml(name)}</b>: ${escapeHtml(rule)}</li>`);
  out.push('</ul>');
  if (report.warnings.length > 0) {
    out.push('<h3>Warnings</h3><ul>');
    for (const warning of report.warnings) out.push(`<li>${escapeHtml(warning)}</li>`);
    out.push('</ul>');
  }
  out.push('</body></html>');
  return out.join('\n');
}

/** The text of the mail sent when no report could be made. */
export function renderReconciliationFailure(input: { store: string; reportDate?: string; message: string }): { subject: string; text: string } {
  const when = input.reportDate ? ` ${input.reportDate}` : '';
  return {
    subject: `Reconciliation ${input.store}${when}: could not be made`,
    text: `The reconciliation of store ${input.store}${when} could not be made:\n${input.message}\n\nOpen the reconciliation workflow in the Temporal Web UI for the failed activity's details; the next scheduled run tries again.\n`,
  };
}
