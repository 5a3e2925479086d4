/**
 * The order workflow's current details as Markdown (what the Temporal Web UI renders): the exact structure — a heading
 * with the status and FailureType, one list item per fact — and the escaping that keeps free text literal (a
 * `<placeholder>` the UI would drop as an HTML tag, `*`, `_`, backticks), with mapping snippets and identifiers as code
 * spans. The plain text of the order note (`describeState`) is unchanged. Also the static details of the order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderSyncState } from '../src/api';
import { codeSpan, describeState, describeStateMarkdown, escapeMarkdown, inlineMarkdown, orderDetailsMarkdown, UI_FRAME_FILLER } from '../src/outcome';

const base: Pick<OrderSyncState, 'store' | 'orderId' | 'warnings' | 'retries' | 'outcomeRecorded'> = {
  store: 'main',
  orderId: 138,
  warnings: [],
  retries: 0,
  outcomeRecorded: true,
};

const UNKNOWN_SKU_FIX =
  'Create the item in NetSuite, or map the SKU to an existing NetSuite item in /etc/sync/mapping.json: "items": {"aliases": {"NOPE-UI-1": "<NetSuite item itemid>"}}; then send "retry".';

const needsAttention: OrderSyncState = {
  ...base,
  status: 'NeedsAttention',
  step: 'createSalesOrder',
  attention: {
    failureType: 'NetSuiteValidation',
    step: 'createSalesOrder',
    message: 'NetSuite refused the sales order: Invalid *item* reference <12> for field item_ref.',
    fix: UNKNOWN_SKU_FIX,
    netsuite: { status: 400, code: 'USER_ERROR', path: 'item.items[0].item', detail: 'Please enter value(s) for: <Class> & `Department`' },
    matchKey: { kind: 'email', value: 'buyer_1@example.com' },
    since: '2026-12-07T09:43:27.000Z',
  },
  warnings: ['two NetSuite customers share this e-mail; chose the oldest (id 104)'],
};

const cases: { name: string; state: OrderSyncState; markdown: string }[] = [
  {
    name: 'NeedsAttention: heading with the FailureType, NetSuite code/status/path, match key, the fix with its snippet intact, then retry',
    state: needsAttention,
    markdown: [
      '### Needs attention — NetSuiteValidation',
      '',
      '- **What failed:** NetSuite refused the sales order: Invalid \\*item\\* reference \\<12\\> for field `item_ref`.',
      '- **Failed step:** `createSalesOrder`',
      '- **NetSuite said:** HTTP 400 `USER_ERROR` at `item.items[0].item` — Please enter value(s) for: \\<Class\\> \\& `Department`',
      '- **Customer match key:** email = `buyer_1@example.com`',
      '- **To fix:** Create the item in NetSuite, or map the SKU to an existing NetSuite item in `/etc/sync/mapping.json`: `"items": {"aliases": {"NOPE-UI-1": "<NetSuite item itemid>"}}`; then send "retry".',
      '- **Then:** send the workflow a `retry` signal (or `skip` with a reason).',
      '- **Warning:** two NetSuite customers share this e-mail; chose the oldest (id 104)',
      '',
      UI_FRAME_FILLER,
    ].join('\n'),
  },
  {
    name: 'Failed: the same facts, no "then retry"',
    state: {
      ...needsAttention,
      status: 'Failed',
      warnings: [],
      attention: {
        ...needsAttention.attention!,
        netsuite: undefined,
        matchKey: undefined,
        fix: 'Check `WOO_<STORE>_CONSUMER_KEY` and NS_PROD_*, then send "retry".',
      },
    },
    markdown: [
      '### Failed — NetSuiteValidation',
      '',
      '- **What failed:** NetSuite refused the sales order: Invalid \\*item\\* reference \\<12\\> for field `item_ref`.',
      '- **Failed step:** `createSalesOrder`',
      '- **To fix:** Check `WOO_<STORE>_CONSUMER_KEY` and `NS_PROD_*`, then send "retry".',
      '',
      UI_FRAME_FILLER,
    ].join('\n'),
  },
  {
    name: 'Synced: the sales order in the heading, external ID, applied changes and shipments as list items',
    state: {
      ...base,
      status: 'Synced',
      step: 'recordOutcome',
      salesOrderId: '1001',
      externalId: 'woo-main-wc_order_abc',
      changes: [
        {
          at: '2026-12-07T10:00:00.000Z',
          kind: 'credit',
          describe: 'refund #7 (5.00) as a credit memo',
          netsuite: { type: 'creditMemo', id: '2002' },
          resolvedDuplicate: true,
        },
      ],
      shipments: [
        {
          at: '2026-12-08T10:00:00.000Z',
          fulfilment: { id: '3003', tranId: 'IF_17' },
          trackingNumbers: ['1Z999', 'JD_01'],
          via: 'shipmentTracking',
          customerNotified: true,
          completed: true,
          stillToShip: [],
        },
      ],
    },
    markdown: [
      '### Synced — NetSuite sales order 1001',
      '',
      '- **External ID:** `woo-main-wc_order_abc`',
      '- **Applied in NetSuite:** refund \\#7 (5.00) as a credit memo → creditMemo `2002` (it already existed: an earlier attempt was accepted)',
      '- **Shipped:** NetSuite `IF_17`, tracking `1Z999`, `JD_01`, pushed by Shipment Tracking; order completed.',
      '',
      UI_FRAME_FILLER,
    ].join('\n'),
  },
  {
    name: 'Skipped: the rule in the heading, the reason escaped',
    state: {
      ...base,
      status: 'Skipped',
      step: 'mapOrder',
      skipped: { rule: 'skippedByOperator', detail: 'test order from _staging_ <do not sync>', by: 'ops' },
    },
    markdown: ['### Skipped — skippedByOperator', '', '- **Why:** test order from `_staging_` \\<do not sync\\>', '', UI_FRAME_FILLER].join('\n'),
  },
  {
    name: 'In progress: the step only',
    state: { ...base, status: 'InProgress', step: 'resolveItems' },
    markdown: '### In progress — resolveItems',
  },
  {
    name: 'In progress, waiting for a NetSuite permit: since when and why',
    state: {
      ...base,
      status: 'InProgress',
      step: 'createSalesOrder',
      delay: { since: '2026-12-07T09:00:00.000Z', reason: "all 5 of the account's NetSuite concurrency permits are in use" },
    },
    markdown: [
      '### In progress — createSalesOrder, waiting for NetSuite',
      '',
      "- **Waiting for NetSuite since:** 2026-12-07T09:00:00.000Z: all 5 of the account's NetSuite concurrency permits are in use",
      '',
      UI_FRAME_FILLER,
    ].join('\n'),
  },
];

describe('describeStateMarkdown (the UI current details)', () => {
  for (const { name, state, markdown } of cases) {
    it(name, () => {
      assert.equal(describeStateMarkdown(state), markdown);
    });
  }

  it('is a heading, a blank line, one list item per line (nothing collapses into one paragraph), then the filler', () => {
    const lines = describeStateMarkdown(needsAttention).split('\n');
    assert.match(lines[0]!, /^### /);
    assert.equal(lines[1], '');
    assert.deepEqual(lines.slice(-2), ['', '\u00a0']);
    assert.ok(
      lines.slice(2, -2).every((line) => line.startsWith('- **')),
      lines.join('\n'),
    );
  });

  it('outside code spans, every <, >, *, _ and backtick of free text is escaped', () => {
    const markdown = describeStateMarkdown(needsAttention);
    const outsideCode = markdown.replace(/`[^`]*`/g, '');
    assert.doesNotMatch(outsideCode.replace(/\*\*[^*]+:\*\*/g, ''), /(?<!\\)[<>*_]/);
  });

  it('leaves the plain text of the order note and the CLI as it was', () => {
    assert.equal(
      describeState(needsAttention),
      [
        'Needs attention: NetSuite refused the sales order: Invalid *item* reference <12> for field item_ref.',
        'Failure type: NetSuiteValidation (step createSalesOrder)',
        'NetSuite said: HTTP 400 USER_ERROR at item.items[0].item — Please enter value(s) for: <Class> & `Department`',
        'Customer match key: email = buyer_1@example.com',
        `To fix: ${UNKNOWN_SKU_FIX}`,
        'Then send the workflow a "retry" signal (or "skip" with a reason).',
        'Warning: two NetSuite customers share this e-mail; chose the oldest (id 104)',
      ].join('\n'),
    );
  });
});

describe('inline Markdown of free text', () => {
  const table: [string, string][] = [
    ['a <placeholder> & *stars*', 'a \\<placeholder\\> \\& \\*stars\\*'],
    ['"customers.defaultCustomer": {"id": "<NetSuite customer ID>"} in x', '`"customers.defaultCustomer": {"id": "<NetSuite customer ID>"}` in x'],
    ['set "customers.onMultiple": "oldest"', 'set `"customers.onMultiple": "oldest"`'],
    ['(e.g. {"id": "<ID>"})', '(e.g. `{"id": "<ID>"}`)'],
    ['Set "customFields" to it', 'Set "customFields" to it'],
    ['delete _netsuite_sales_order_id, then run `sync`.', 'delete `_netsuite_sales_order_id`, then run `sync`.'],
    ['read/write key (Setup › Users/Roles)', 'read/write key (Setup › Users/Roles)'],
    ['in config/mapping.json.', 'in `config/mapping.json`.'],
    ['an unclosed ` backtick and {brace', 'an unclosed \\` backtick and {brace'],
    ['two\nlines', 'two lines'],
    ['# not a heading', '\\# not a heading'],
  ];
  for (const [text, markdown] of table) {
    it(JSON.stringify(text), () => assert.equal(inlineMarkdown(text), markdown));
  }

  it('code spans hold backticks; escaping covers the markdown-active characters', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
    assert.equal(escapeMarkdown('\\ ` * _ < > [ ] # & | ~'), '\\\\ \\` \\* \\_ \\< \\> \\[ \\] \\# \\& \\| \\~');
  });
});

describe('orderDetailsMarkdown (the UI static details)', () => {
  it('store, order number and ID, lines, total and currency, and what started it: three lines (hard line breaks)', () => {
    assert.equal(
      orderDetailsMarkdown('main', 138, { orderNumber: 'WC_138', lineCount: 3, total: '59.97', currency: 'EUR' }, 'order.created'),
      ['**Store:** `main` · **WooCommerce order:** #WC\\_138 (ID `138`)\\', '**Lines:** 3 · **Total:** 59.97 EUR\\', '**Started by:** `order.created`'].join(
        '\n',
      ),
    );
  });

  it('the order number alone when it is the ID; a currency without a total', () => {
    assert.equal(
      orderDetailsMarkdown('main', 138, { orderNumber: '138', currency: 'EUR' }),
      ['**Store:** `main` · **WooCommerce order:** #138\\', '**Currency:** EUR'].join('\n'),
    );
  });

  it('without a context: the store and the order ID only', () => {
    assert.equal(orderDetailsMarkdown('main', 138), '**Store:** `main` · **WooCommerce order:** #138');
  });
});
