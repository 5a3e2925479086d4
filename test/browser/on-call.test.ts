/**
 * The on-call path in a real browser: Debian's Chromium against the dev server's Temporal Web UI finds an order that
 * needs attention by its WooOrderId, opens it and reads the plain-words reason (the workflow's current details, which
 * the UI renders as markdown: a heading, one list item per fact, the fix's mapping snippet intact with its
 * `<NetSuite item itemid>` placeholder), the order's context in the Details panel (store, order, lines, total) and its
 * SyncStatus/FailureType search attributes; after the mapping is fixed, the real `temporal workflow signal --name
 * retry` ends it Synced with exactly one sales order, which the UI then shows too. Screenshots are kept under
 * test-artifacts/browser/ (a failing run keeps one of the page it failed on).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { quietRuntime } from '../helpers/temporal';
import { startSyncStack, type SyncStack, temporalOf } from '../../dev/sync-stack';
import { startDevServer, type DevServer } from '../../dev/temporal-dev-server';
import { orderWorkflowId } from '../../src/api';
import { generateCatalog } from '../../simulators/seed';
import { isNeedsAttention, isSynced, paidDraft, placeOrder, salesOrdersWithExternalId, waitForVisibility, workflowBundle } from '../order-sync/helpers';
import { clearScreenshots, launchChromium, type Browser } from './chromium';
import { openTab, openWorkflowFromList, openWorkflowList, panelStructure, waitForPanelText, waitForText, waitForWorkflowRow } from './temporal-ui';

const execFileAsync = promisify(execFile);
const catalog = generateCatalog({ seed: 7 });
const customer = catalog.customers.find((c) => c.inNetSuite && c.registered)!;
const knownSku = catalog.products.filter((p) => p.type === 'simple').map((p) => p.sku)[1]!;
const UNKNOWN_SKU = 'NOPE-UI-1';
const STORE = 'main';

describe('on call in a real browser (Chromium + Temporal Web UI)', () => {
  let browser: Browser;
  let server: DevServer;
  let stack: SyncStack;
  before(
    async () => {
      quietRuntime(); // the SDK's INFO lines (worker state) and the NeedsAttention this test provokes stay out of the output
      browser = await launchChromium(); // first: a missing browser fails the test before anything else starts
      clearScreenshots('on-call-');
      server = await startDevServer({ ui: true });
      assert.ok(server.uiUrl, 'the dev server serves the Web UI');
      stack = await startSyncStack({
        temporal: temporalOf(server),
        catalog,
        store: STORE,
      });
      await stack.startWorkers({ workflowBundle: await workflowBundle() });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await browser?.close();
    await stack?.close();
    await server?.stop();
  });

  it(
    'finds the NeedsAttention order by WooOrderId, reads why, and a `temporal workflow signal --name retry` after the fix syncs it once',
    { timeout: 300_000 },
    async (t) => {
      const { page } = browser;
      const uiUrl = server.uiUrl!;
      const order = await placeOrder(
        stack,
        paidDraft(catalog, { customerEmail: customer.email, lines: [{ sku: UNKNOWN_SKU, quantity: 1, raw: true, name: 'Mystery', price: '9.99' }] }),
      );
      const workflowId = orderWorkflowId(STORE, order.id);
      const keep = async (name: string): Promise<void> => {
        const path = await browser.screenshot(name);
        t.diagnostic(`screenshot: ${path}`);
      };
      try {
        await stack.waitForOrder(order.id, isNeedsAttention);
        await waitForVisibility(stack, `WooOrderId = '${order.id}' AND SyncStatus = 'NeedsAttention'`); // the list reads visibility too

        // 1. Find it: the workflow list filtered by the order's ID, one running row.
        await openWorkflowList(page, uiUrl, server.namespace, `WooOrderId="${order.id}"`);
        assert.match(await waitForWorkflowRow(page, workflowId), /Running/);
        await keep('on-call-1-found');
        await openWorkflowFromList(page, workflowId);

        // 2. Read why: the current details (User Metadata tab) in plain words, and the search attributes it is filtered by.
        await openTab(page, 'User Metadata');
        const details = await waitForPanelText(page, 'Current Details', /Needs attention — UnknownSku/);
        assert.match(details, new RegExp(`What failed: NetSuite has no item .*${UNKNOWN_SKU}`));
        assert.match(details, /Failed step: resolveItems/);
        // The fix as written, its placeholder included (the UI drops anything that looks like an HTML tag).
        const snippet = `"items": {"aliases": {"${UNKNOWN_SKU}": "<NetSuite item itemid>"}}`;
        assert.ok(details.includes(snippet), `the fix's mapping snippet is shown intact:\n${details}`);
        assert.match(details, /send the workflow a retry signal \(or skip with a reason\)/);
        // Markdown rendered as meant: a heading, then one list item per fact (not one run-on paragraph), snippets as code.
        const rendered = await panelStructure(page, 'Current Details');
        assert.deepEqual(rendered.headings, ['Needs attention — UnknownSku']);
        assert.deepEqual(
          rendered.items.map((item) => item.split(':', 1)[0]),
          ['What failed', 'Failed step', 'Customer match key', 'To fix', 'Then'],
          rendered.items.join('\n'),
        );
        assert.ok(
          rendered.paragraphs.every((p) => p.trim() === ''),
          `no paragraph of text (only the empty filler): every fact is its own list item: ${JSON.stringify(rendered.paragraphs)}`,
        );
        assert.ok(rendered.code.includes(snippet), `the snippet is one code span: ${JSON.stringify(rendered.code)}`);
        assert.match(
          rendered.items.find((item) => item.startsWith('Customer match key'))!,
          /^Customer match key: email = \S+@\S+$/,
        );
        await waitForPanelText(page, 'Summary', new RegExp(`WooCommerce order #${order.id} → NetSuite`)); // the static summary beside it
        // The static details: the order's context from the webhook payload — no name, e-mail or address.
        const context = await waitForPanelText(page, 'Details', /Store:/);
        const orderName = order.number === String(order.id) ? `#${order.id}` : `#${order.number} (ID ${order.id})`;
        const contextLines = context
          .trim()
          .split('\n')
          .map((line) => line.trim());
        assert.deepEqual(contextLines.slice(0, 2), [`Store: ${STORE} · WooCommerce order: ${orderName}`, `Lines: 1 · Total: ${order.total} ${order.currency}`]);
        // A paid order is delivered as order.created and order.updated at once: whichever the receiver's outbox drains
        // first starts the workflow (the other signals it), so either may have started it.
        assert.equal(contextLines.length, 3, contextLines.join('\n'));
        assert.match(contextLines[2]!, /^Started by: order\.(created|updated)$/);
        assert.ok(!context.includes(customer.email) && !context.includes('@'), 'no e-mail in the static details');
        await keep('on-call-2-needs-attention');
        await openTab(page, 'Search Attributes');
        await waitForText(page, '"SyncStatus": "NeedsAttention"');
        await waitForText(page, '"FailureType": "UnknownSku"');
        await waitForText(page, `"WooOrderId": "${order.id}"`);
        await keep('on-call-3-search-attributes');
        assert.equal(salesOrdersWithExternalId(stack, `woo-${STORE}-${order.order_key}`).length, 0);

        // 3. Fix the cause (map the SKU to a NetSuite item), 4. retry with the real Temporal CLI.
        const original = stack.readMapping();
        stack.writeMapping({ ...original, items: { ...(original.items as object), aliases: { [UNKNOWN_SKU]: knownSku } } });
        const cli = server.cli.path;
        assert.ok(cli, `the Temporal CLI binary was resolved (source ${server.cli.source})`);
        const signal = await execFileAsync(
          cli,
          ['workflow', 'signal', '--address', server.address, '--namespace', server.namespace, '--workflow-id', workflowId, '--name', 'retry'],
          { timeout: 60_000 },
        );
        assert.match(signal.stdout, /Signal workflow succeeded/);

        const done = await stack.waitForOrder(order.id, isSynced);
        assert.equal(done.retries, 1);
        const salesOrders = salesOrdersWithExternalId(stack, `woo-${STORE}-${order.order_key}`);
        assert.equal(salesOrders.length, 1, 'exactly one sales order');
        assert.equal(String(salesOrders[0]!.id), done.salesOrderId);
        assert.equal((await stack.client.workflow.getHandle(workflowId).describe()).status.name, 'COMPLETED');

        // The UI agrees: the same filter now finds it Synced, completed, with the sales order in its details.
        await waitForVisibility(stack, `WooOrderId = '${order.id}' AND SyncStatus = 'Synced'`);
        await openWorkflowList(page, uiUrl, server.namespace, `WooOrderId="${order.id}" AND SyncStatus="Synced"`);
        assert.match(await waitForWorkflowRow(page, workflowId), /Completed/);
        await openWorkflowFromList(page, workflowId);
        await openTab(page, 'User Metadata');
        const synced = await waitForPanelText(page, 'Current Details', /Synced — /);
        assert.deepEqual((await panelStructure(page, 'Current Details')).headings, [`Synced — NetSuite sales order ${done.salesOrderId}`], synced);
        assert.match(synced, /External ID: woo-main-/);
        await keep('on-call-4-synced');
      } catch (error) {
        await keep('on-call-failure').catch(() => undefined);
        throw error;
      }
    },
  );
});
