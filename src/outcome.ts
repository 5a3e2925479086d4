/**
 * Plain-words descriptions of an order's sync state: the private WooCommerce note and the CLI's readable output
 * (`describeState`, plain text), and the workflow's current details in the Temporal UI (`describeStateMarkdown`, the
 * same facts as Markdown) all say the same thing. Pure functions (workflows import this).
 */
import type { Attention, OrderSyncState } from './api';

/** One line: "Synced: NetSuite sales order 1001." / "Skipped: …" / "Needs attention: …". */
export function headline(state: OrderSyncState): string {
  switch (state.status) {
    case 'Synced':
      return `Synced: NetSuite sales order ${state.salesOrderId ?? '?'}${state.externalId ? ` (external ID ${state.externalId})` : ''}.`;
    case 'Skipped':
      return `Skipped (${state.skipped?.rule ?? 'rule'}): ${state.skipped?.detail ?? ''}`.trim();
    case 'NeedsAttention':
      return `Needs attention: ${state.attention?.message ?? 'unknown failure'}`;
    case 'Failed':
      return `Failed: ${state.attention?.message ?? 'unknown failure'}`;
    default:
      return state.delay ? `In progress: ${state.step}, waiting for NetSuite since ${state.delay.since}: ${state.delay.reason}` : `In progress: ${state.step}.`;
  }
}

/** The details block of a NeedsAttention or Failed order, one fact per line. */
export function attentionLines(attention: Attention): string[] {
  const lines = [`What failed: ${attention.message}`, `Failure type: ${attention.failureType} (step ${attention.step})`];
  if (attention.netsuite) {
    const ns = attention.netsuite;
    const parts = [ns.status !== undefined ? `HTTP ${ns.status}` : undefined, ns.code, ns.path ? `at ${ns.path}` : undefined].filter(Boolean);
    lines.push(`NetSuite said: ${parts.join(' ')}${ns.detail ? ` — ${ns.detail}` : ''}`);
  }
  if (attention.matchKey) lines.push(`Customer match key: ${attention.matchKey.kind} = ${attention.matchKey.value}`);
  lines.push(`To fix: ${attention.fix}`);
  return lines;
}

/** The text of the private order note (plain text; the UI's current details are `describeStateMarkdown`). */
export function describeState(state: OrderSyncState): string {
  const lines = [headline(state)];
  if (state.attention && (state.status === 'NeedsAttention' || state.status === 'Failed')) {
    lines.push(...attentionLines(state.attention).slice(1));
    if (state.status === 'NeedsAttention') lines.push('Then send the workflow a "retry" signal (or "skip" with a reason).');
  }
  for (const change of state.changes ?? []) {
    lines.push(
      `Applied in NetSuite: ${change.describe} → ${change.netsuite.type} ${change.netsuite.id}${change.resolvedDuplicate ? ' (it already existed: an earlier attempt was accepted)' : ''}.`,
    );
  }
  for (const shipment of state.shipments ?? []) {
    const numbers = shipment.trackingNumbers.length > 0 ? `tracking ${shipment.trackingNumbers.join(', ')}` : 'no tracking number';
    const via = shipment.via === 'shipmentTracking' ? 'Shipment Tracking' : shipment.customerNotified ? 'a customer note' : 'a private note';
    const after = shipment.completed
      ? 'order completed'
      : shipment.stillToShip.length > 0
        ? `still to ship: ${shipment.stillToShip.join(', ')}`
        : 'everything shipped';
    lines.push(`Shipped: NetSuite ${shipment.fulfilment.tranId}, ${numbers}, pushed by ${via}; ${after}.`);
  }
  for (const warning of state.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

/*
 * Markdown for the Temporal Web UI. The UI renders an order workflow's current details and static details as Markdown
 * and drops raw HTML, so text that must read literally is either a code span or escaped: "<NetSuite item itemid>" in
 * free text would otherwise vanish as an HTML tag, and a single line break would join two lines into one paragraph.
 */

/** Characters that can start or end markdown inline syntax (emphasis, code, HTML, links, entities, headings, tables). */
const MARKDOWN_ACTIVE = /[\\`*_<>[\]#&|~]/g;

/** `text` with every markdown-active character backslash-escaped, line breaks as spaces: renders as itself. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(MARKDOWN_ACTIVE, '\\$&');
}

/** `text` as an inline code span (rendered literally, `<` and `*` included), fenced by more backticks than it contains. */
export function codeSpan(text: string): string {
  const content = oneLine(text);
  if (content === '') return '';
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** The index after the JSON value (balanced `{…}` / `[…]`, or a string) that starts at `start`; -1 when there is none. */
function jsonValueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return -1;
  }
  if (first !== '{' && first !== '[') return -1;
  const closing: string[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = jsonValueEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '{') closing.push('}');
    else if (c === '[') closing.push(']');
    else if (c === '}' || c === ']') {
      if (closing.pop() !== c) return -1;
      if (closing.length === 0) return i + 1;
    }
  }
  return -1;
}

/** A mapping snippet at `start`: `"key": <object or string>`, or a bare object with a key (`{"id": "…"}`). Its end, or -1. */
function snippetEnd(text: string, start: number): number {
  if (text[start] === '{') {
    const end = jsonValueEnd(text, start);
    return end > 0 && /^\{\s*"/.test(text.slice(start, end)) ? end : -1;
  }
  const key = /^"[^"\s]{1,80}":[ ]?/.exec(text.slice(start));
  if (!key) return -1;
  const valueStart = start + key[0].length;
  return text[valueStart] === '{' || text[valueStart] === '"' ? jsonValueEnd(text, valueStart) : -1;
}

/**
 * An identifier worth a code span: an environment variable, a meta key or script ID (`WOO_<STORE>_CONSUMER_KEY`,
 * `_netsuite_sales_order_id`, `custbody_woo_order_key`, `NS_PROD_*`), or a file path (`/etc/sync/mapping.json`,
 * `config/mapping.json`).
 */
function isIdentifier(word: string): boolean {
  if (!/^[\w.\-/<>*~]+$/.test(word) || !/[A-Za-z]/.test(word)) return false;
  if (word.includes('_')) return true;
  if (/^(\/|\.\/|~\/)./.test(word)) return true;
  return word.includes('/') && /\.[A-Za-z]{2,5}$/.test(word);
}

/**
 * Free text (a message, a fix) as inline markdown: mapping snippets (`"items": {"aliases": {…}}`), identifiers and paths
 * become code spans, a `code span` already in the text stays one, and everything else is escaped.
 */
export function inlineMarkdown(text: string): string {
  const source = oneLine(text);
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '`') {
      const close = source.indexOf('`', i + 1);
      if (close > i + 1) {
        out += codeSpan(source.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    if (c === '"' || c === '{') {
      const end = snippetEnd(source, i);
      if (end > 0) {
        out += codeSpan(source.slice(i, end));
        i = end;
        continue;
      }
    }
    if (/\S/.test(c) && (i === 0 || /[\s("']/.test(source[i - 1]!))) {
      const word = /^\S+/.exec(source.slice(i))![0].replace(/[.,;:!?)'"]+$/, '');
      if (word.length > 1 && isIdentifier(word)) {
        out += codeSpan(word);
        i += word.length;
        continue;
      }
    }
    out += escapeMarkdown(c);
    i++;
  }
  return out;
}

const listItem = (label: string, markdown: string): string => `- **${label}:** ${markdown}`;

/** The Markdown heading of a state: "### Needs attention — UnknownSku", "### Synced — NetSuite sales order 1001", … */
function markdownHeading(state: OrderSyncState): string {
  switch (state.status) {
    case 'Synced':
      return `### Synced — NetSuite sales order ${escapeMarkdown(state.salesOrderId ?? '?')}`;
    case 'Skipped':
      return `### Skipped — ${escapeMarkdown(state.skipped?.rule ?? 'rule')}`;
    case 'NeedsAttention':
    case 'Failed': {
      const status = state.status === 'Failed' ? 'Failed' : 'Needs attention';
      return state.attention ? `### ${status} — ${escapeMarkdown(state.attention.failureType)}` : `### ${status}`;
    }
    default:
      return state.delay ? `### In progress — ${escapeMarkdown(state.step)}, waiting for NetSuite` : `### In progress — ${escapeMarkdown(state.step)}`;
  }
}

/** The list items of a NeedsAttention or Failed order: what failed, where, NetSuite's answer, the match key, the fix. */
function attentionItems(attention: Attention): string[] {
  const items = [listItem('What failed', inlineMarkdown(attention.message)), listItem('Failed step', codeSpan(attention.step))];
  if (attention.netsuite) {
    const ns = attention.netsuite;
    const parts = [
      ns.status !== undefined ? `HTTP ${ns.status}` : undefined,
      ns.code ? codeSpan(ns.code) : undefined,
      ns.path ? `at ${codeSpan(ns.path)}` : undefined,
    ].filter(Boolean);
    items.push(listItem('NetSuite said', `${parts.join(' ')}${ns.detail ? ` — ${inlineMarkdown(ns.detail)}` : ''}`));
  }
  if (attention.matchKey)
    items.push(listItem('Customer match key', `${escapeMarkdown(attention.matchKey.kind)} = ${codeSpan(attention.matchKey.value) || '(empty)'}`));
  items.push(listItem('To fix', inlineMarkdown(attention.fix)));
  return items;
}

/**
 * The workflow's current details in the Web UI, as Markdown: a heading with the status (and FailureType), then one list
 * item per fact — the same facts as `describeState`, which stays the plain text of the order note and the CLI.
 */
export function describeStateMarkdown(state: OrderSyncState): string {
  const items: string[] = [];
  if (state.status === 'Synced' && state.externalId) items.push(listItem('External ID', codeSpan(state.externalId)));
  if (state.status === 'Skipped' && state.skipped?.detail) items.push(listItem('Why', inlineMarkdown(state.skipped.detail)));
  if (state.status === 'InProgress' && state.delay)
    items.push(listItem('Waiting for NetSuite since', `${escapeMarkdown(state.delay.since)}: ${inlineMarkdown(state.delay.reason)}`));
  if (state.attention && (state.status === 'NeedsAttention' || state.status === 'Failed')) {
    items.push(...attentionItems(state.attention));
    if (state.status === 'NeedsAttention') items.push(listItem('Then', 'send the workflow a `retry` signal (or `skip` with a reason).'));
  }
  for (const change of state.changes ?? []) {
    const duplicate = change.resolvedDuplicate ? ' (it already existed: an earlier attempt was accepted)' : '';
    items.push(
      listItem(
        'Applied in NetSuite',
        `${inlineMarkdown(change.describe)} → ${escapeMarkdown(change.netsuite.type)} ${codeSpan(change.netsuite.id)}${duplicate}`,
      ),
    );
  }
  for (const shipment of state.shipments ?? []) {
    const numbers = shipment.trackingNumbers.length > 0 ? `tracking ${shipment.trackingNumbers.map(codeSpan).join(', ')}` : 'no tracking number';
    const via = shipment.via === 'shipmentTracking' ? 'Shipment Tracking' : shipment.customerNotified ? 'a customer note' : 'a private note';
    const after = shipment.completed
      ? 'order completed'
      : shipment.stillToShip.length > 0
        ? `still to ship: ${shipment.stillToShip.map(escapeMarkdown).join(', ')}`
        : 'everything shipped';
    items.push(listItem('Shipped', `NetSuite ${codeSpan(shipment.fulfilment.tranId)}, ${numbers}, pushed by ${via}; ${after}.`));
  }
  for (const warning of state.warnings) items.push(listItem('Warning', inlineMarkdown(warning)));
  if (items.length === 0) return markdownHeading(state);
  // The Web UI (2.42) sizes the frame of a long current details to its body's height without the outer margins, which
  // cuts off about one line: a last, empty paragraph (a no-break space) is what gets cut, not the last fact.
  return [markdownHeading(state), '', ...items, '', UI_FRAME_FILLER].join('\n');
}

/** An empty paragraph: one no-break space, as the character (the UI's renderer shows `&nbsp;` as written). */
export const UI_FRAME_FILLER = '\u00a0';

/** What the starter knows of an order besides its ID (from the webhook payload or the catch-up listing). No PII. */
export interface OrderContext {
  /** The order number customers see (WooCommerce's `number`; the ID unless a numbering plugin changes it). */
  orderNumber?: string;
  lineCount?: number;
  /** WooCommerce's `total`, a decimal string. */
  total?: string;
  currency?: string;
}

/**
 * What the UI's static details show of an order, from its top-level fields when they are there and well-formed — a
 * webhook payload as received (order.deleted sends a bare ID) or a listed order: number, line count, total, currency.
 * Never names, e-mails or addresses.
 */
export function orderContextOf(order: {
  readonly number?: unknown;
  readonly line_items?: unknown;
  readonly total?: unknown;
  readonly currency?: unknown;
}): OrderContext | undefined {
  const context: OrderContext = {};
  const number = typeof order.number === 'string' || typeof order.number === 'number' ? String(order.number) : undefined;
  if (number !== undefined && number.length > 0 && number.length <= 40) context.orderNumber = number;
  if (Array.isArray(order.line_items)) context.lineCount = order.line_items.length;
  if (typeof order.total === 'string' && /^-?\d{1,15}(\.\d{1,8})?$/.test(order.total)) context.total = order.total;
  if (typeof order.currency === 'string' && /^[A-Z]{3}$/.test(order.currency)) context.currency = order.currency;
  return Object.keys(context).length > 0 ? context : undefined;
}

/**
 * The UI's static details of an order workflow (Markdown): the store, the order's number, lines and total when known,
 * and what started it. Three short lines joined by hard line breaks: the Web UI (2.42) shows static details in a frame
 * about 100 px high, which a list of five items overflows.
 */
export function orderDetailsMarkdown(store: string, orderId: number, context: OrderContext = {}, source?: string): string {
  const fact = (label: string, markdown: string): string => `**${label}:** ${markdown}`;
  const number =
    context.orderNumber !== undefined && context.orderNumber !== String(orderId)
      ? `#${escapeMarkdown(context.orderNumber)} (ID ${codeSpan(String(orderId))})`
      : `#${orderId}`;
  const orderFacts: string[] = [];
  if (context.lineCount !== undefined) orderFacts.push(fact('Lines', String(context.lineCount)));
  if (context.total !== undefined) orderFacts.push(fact('Total', escapeMarkdown(`${context.total}${context.currency ? ` ${context.currency}` : ''}`)));
  else if (context.currency !== undefined) orderFacts.push(fact('Currency', escapeMarkdown(context.currency)));
  const lines = [`${fact('Store', codeSpan(store))} · ${fact('WooCommerce order', number)}`];
  if (orderFacts.length > 0) lines.push(orderFacts.join(' · '));
  if (source) lines.push(fact('Started by', codeSpan(source)));
  return lines.join('\\\n');
}
