/**
 * Customer matching end to end, against the returning customers seeded in both simulators by the catalog: an e-mail
 * typed differently still finds the NetSuite customer, a guest new to NetSuite is created once and reused, two
 * customers sharing an e-mail resolve to the oldest (or stop for a human), and an order without an e-mail uses the
 * configured default customer or needs attention.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderSyncState } from '../../src/api';
import { generateCatalog, type OrderDraft } from '../../simulators/seed';
import {
  cli,
  currentDetails,
  placeOrder,
  salesOrdersWithExternalId,
  startE2E,
  syncNotes,
  uniqueStoreName,
  waitForVisibility,
  workflowBundle,
  paidDraft,
  isSynced,
  isNeedsAttention,
  withMapping,
  type E2E,
} from './helpers';

const catalog = generateCatalog({ seed: 7 });
const simpleSku = catalog.products.find((p) => p.type === 'simple')!.sku;
const TEST_TIMEOUT = 120_000;

const draft = (overrides: Parameters<typeof paidDraft>[1] = {}): OrderDraft => paidDraft(catalog, { lines: [{ sku: simpleSku, quantity: 1 }], ...overrides });

describe('customer matching', () => {
  let e2e: E2E;
  let original: Record<string, unknown>;
  before(async () => {
    e2e = await startE2E({ catalog, store: uniqueStoreName('cust') });
    original = e2e.stack.readMapping();
    await e2e.stack.startWorkers({ workflowBundle: await workflowBundle() });
  });
  after(async () => e2e?.close());

  const customers = (): Record<string, unknown>[] => e2e.stack.netsuite.control.listRecords('customer');
  const customersWithEmail = (email: string): Record<string, unknown>[] =>
    customers().filter(
      (c) =>
        String(c.email ?? '')
          .trim()
          .toLowerCase() === email,
    );
  /** The sales order of a synced order, and its customer's internal ID. */
  const salesOrderOf = (state: OrderSyncState, orderKey: string): { id: string; entity: string } => {
    const matches = salesOrdersWithExternalId(e2e.stack, `woo-${e2e.stack.store.name}-${orderKey}`);
    assert.equal(matches.length, 1, 'exactly one sales order');
    const so = e2e.stack.netsuite.control.getRecord('salesOrder', String(matches[0]!.id));
    assert.equal(String(so.id), state.salesOrderId);
    return { id: String(so.id), entity: String((so.entity as { id: string }).id) };
  };
  const changed = (change: (mapping: Record<string, unknown>) => Record<string, unknown>, run: () => Promise<void>): Promise<void> =>
    withMapping(e2e.stack, original, change, run);

  it('an e-mail typed with other case or surrounding spaces finds the existing NetSuite customer (no new customer)', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const caseOnly = catalog.customers.find((c) => c.inNetSuite && c.emailAsTyped !== c.email && c.emailAsTyped.trim() === c.emailAsTyped)!;
    const spaced = catalog.customers.find((c) => c.inNetSuite && c !== caseOnly)!;
    const typings = [
      { customer: caseOnly, typed: caseOnly.emailAsTyped },
      { customer: spaced, typed: `  ${spaced.email.toUpperCase()} ` },
    ];
    for (const { customer, typed } of typings) {
      assert.notEqual(typed, customer.email);
      const existing = customersWithEmail(customer.email);
      assert.equal(existing.length, 1, `the catalog seeded ${customer.email} in NetSuite`);
      const countBefore = customers().length;
      const order = await placeOrder(stack, draft({ customerEmail: typed }));
      assert.equal(order.billing.email, typed, 'WooCommerce keeps the e-mail as typed');
      const state = await stack.waitForOrder(order.id, isSynced);
      assert.equal(salesOrderOf(state, order.order_key).entity, String(existing[0]!.id), `order by ${JSON.stringify(typed)}`);
      assert.equal(state.customerId, String(existing[0]!.id));
      assert.equal(customers().length, countBefore, 'no customer was created');
      assert.deepEqual(state.warnings, []);
    }
  });

  it(
    'a guest (customer_id 0) new to NetSuite becomes one customer with an external ID; the same guest’s next order reuses it',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const guest = catalog.customers.find((c) => !c.registered && !c.inNetSuite)!;
      assert.equal(customersWithEmail(guest.email).length, 0, 'NetSuite does not know the guest yet');
      const first = await placeOrder(stack, draft({ customerEmail: guest.emailAsTyped }));
      assert.equal(first.customer_id, 0, 'a guest order');
      const firstState = await stack.waitForOrder(first.id, isSynced);
      const created = customersWithEmail(guest.email);
      assert.equal(created.length, 1, 'one customer created');
      const customer = created[0]!;
      assert.equal(customer.externalId, `woo-customer-${guest.email.replace(/[^A-Za-z0-9_-]/g, '_')}`);
      assert.equal(customer.email, guest.email, 'the e-mail is stored normalised');
      assert.equal(salesOrderOf(firstState, first.order_key).entity, String(customer.id));

      const second = await placeOrder(stack, draft({ customerEmail: guest.email, lines: [{ sku: simpleSku, quantity: 2 }] }));
      const secondState = await stack.waitForOrder(second.id, isSynced);
      assert.equal(salesOrderOf(secondState, second.order_key).entity, String(customer.id), 'the second order reuses the customer');
      assert.equal(customersWithEmail(guest.email).length, 1, 'still one customer');
    },
  );

  /** A second NetSuite customer with the e-mail of a seeded returning customer; returns [oldest, newer] internal IDs. */
  let duplicate: { email: string; oldest: string; newer: string } | undefined;
  const duplicateCustomer = (): { email: string; oldest: string; newer: string } => {
    if (duplicate) return duplicate;
    const returning = catalog.customers.filter((c) => c.inNetSuite).at(-1)!;
    const [seeded] = customersWithEmail(returning.email);
    assert.ok(seeded);
    const { id } = e2e.stack.netsuite.control.createRecord('customer', {
      isPerson: false,
      companyName: `${returning.lastName} Trading`,
      email: returning.email.toUpperCase(),
    });
    assert.ok(Number(id) > Number(seeded.id), 'the new customer has the higher internal ID');
    duplicate = { email: returning.email, oldest: String(seeded.id), newer: id };
    return duplicate;
  };

  it('two NetSuite customers sharing the e-mail: the oldest is chosen, with a warning in the state and the note', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const { email, oldest, newer } = duplicateCustomer();
    const order = await placeOrder(stack, draft({ customerEmail: email }));
    const state = await stack.waitForOrder(order.id, isSynced);
    assert.equal(salesOrderOf(state, order.order_key).entity, oldest);
    const warning = state.warnings.find((w) => w.includes('chose the oldest'));
    assert.ok(warning, `a warning: ${JSON.stringify(state.warnings)}`);
    assert.match(warning, new RegExp(`${oldest}, ${newer}`));
    assert.match(warning, new RegExp(`internal ID ${oldest}\\)`));
    assert.ok(syncNotes(stack, order.id).at(-1)!.note.includes(`Warning: ${warning}`), 'the note repeats the warning');
  });

  it(
    'two NetSuite customers sharing the e-mail with customers.onMultiple "needs-attention": NeedsAttention AmbiguousCustomer with the match key; "oldest" + retry → Synced',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { stack } = e2e;
      const { email, oldest, newer } = duplicateCustomer();
      await changed(
        (m) => ({ ...m, customers: { ...(m.customers as object), onMultiple: 'needs-attention' } }),
        async () => {
          const order = await placeOrder(stack, draft({ customerEmail: `  ${email.toUpperCase()}` }));
          const state = await stack.waitForOrder(order.id, isNeedsAttention);
          assert.equal(state.attention?.failureType, 'AmbiguousCustomer');
          assert.equal(state.attention?.step, 'matchCustomer');
          assert.deepEqual(state.attention?.matchKey, { kind: 'email', value: email }, 'the normalised match key');
          assert.match(state.attention!.message, new RegExp(`${oldest}, ${newer}`));
          assert.match(state.attention!.fix, /onMultiple/);
          const details = await currentDetails(stack, order.id);
          assert.match(details, new RegExp(`Customer match key:\\*\\* email = \`${email.replace(/\./g, '\\.')}\``));
          assert.match(syncNotes(stack, order.id).at(-1)!.note, /Customer match key: email = /);
          await waitForVisibility(
            stack,
            `SyncStatus = 'NeedsAttention' AND FailureType = 'AmbiguousCustomer' AND WooStore = '${stack.store.name}' AND WooOrderId = '${order.id}'`,
          );

          stack.writeMapping(original); // onMultiple back to "oldest"
          const retry = await cli(e2e, ['retry', String(order.id)]);
          assert.equal(retry.code, 0, retry.text);
          const done = await stack.waitForOrder(order.id, isSynced);
          assert.equal(salesOrderOf(done, order.order_key).entity, oldest);
        },
      );
    },
  );

  it('no e-mail, a default customer configured: the order goes to that customer', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const fallback = customersWithEmail(catalog.customers.find((c) => c.inNetSuite)!.email)[0]!;
    await changed(
      (m) => ({ ...m, customers: { ...(m.customers as object), defaultCustomer: { id: String(fallback.id) } } }),
      async () => {
        for (const customerEmail of [undefined, '']) {
          const countBefore = customers().length;
          const order = await placeOrder(stack, { ...draft({}), customerEmail });
          assert.equal(order.billing.email, '', 'the simulator accepts an order without an e-mail');
          const state = await stack.waitForOrder(order.id, isSynced);
          assert.equal(salesOrderOf(state, order.order_key).entity, String(fallback.id));
          assert.equal(customers().length, countBefore, 'no customer was created');
        }
      },
    );
  });

  it('no e-mail and no default customer: NeedsAttention MissingCustomerEmail; default configured + retry → Synced', { timeout: TEST_TIMEOUT }, async () => {
    const { stack } = e2e;
    const order = await placeOrder(stack, { ...draft({}), customerEmail: '' });
    const state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'MissingCustomerEmail');
    assert.match(state.attention!.message, /no billing e-mail/);
    assert.match(state.attention!.fix, /customers\.defaultCustomer/);
    assert.match(syncNotes(stack, order.id).at(-1)!.note, /MissingCustomerEmail/);
    await waitForVisibility(
      stack,
      `SyncStatus = 'NeedsAttention' AND FailureType = 'MissingCustomerEmail' AND WooStore = '${stack.store.name}' AND WooOrderId = '${order.id}'`,
    );

    const fallback = customersWithEmail(catalog.customers.find((c) => c.inNetSuite)!.email)[0]!;
    await changed(
      (m) => ({ ...m, customers: { ...(m.customers as object), defaultCustomer: { id: String(fallback.id) } } }),
      async () => {
        const retry = await cli(e2e, ['retry', String(order.id)]);
        assert.equal(retry.code, 0, retry.text);
        const done = await stack.waitForOrder(order.id, isSynced);
        assert.equal(salesOrderOf(done, order.order_key).entity, String(fallback.id));
      },
    );
  });
});
