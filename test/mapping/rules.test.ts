import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { evaluateSyncRules, SYNC_RULES } from '../../src/mapping';
import { catalog, customerWhere, defaultMapping, mappingOf, placeOrder } from './fixtures';

describe('sync rules', () => {
  let sim: WooCommerceSimulator;
  before(async () => {
    sim = await startWooCommerceSimulator({ catalog });
  });
  after(async () => sim.close());

  const shopper = customerWhere((c) => c.emailAsTyped.startsWith('  '));
  const draft = (extra: Record<string, unknown> = {}) => ({
    customerEmail: shopper.emailAsTyped,
    lines: [{ sku: 'SKU-00001', quantity: 1 }],
    shippingMethodId: 'flat_rate',
    paymentMethodId: 'stripe',
    ...extra,
  });

  test('a paid (processing) checkout order syncs under the default mapping', () => {
    assert.deepEqual(evaluateSyncRules(placeOrder(sim, draft()), defaultMapping()), { sync: true });
  });

  test('a pending order is skipped by status-not-synced, in plain words', () => {
    const order = placeOrder(sim, draft({ status: 'pending' }));
    assert.deepEqual(evaluateSyncRules(order, defaultMapping()), {
      sync: false,
      rule: 'status-not-synced',
      detail: 'status pending is not one of processing, completed, on-hold',
    });
  });

  test('a test order (billing e-mail domain in skip.emailDomains) is skipped, whatever the case or spaces the shopper typed', () => {
    const order = placeOrder(sim, draft());
    assert.match(order.billing.email, /^ {2}[A-Z0-9.]+@EXAMPLE\.COM $/);
    const result = evaluateSyncRules(order, mappingOf({ skip: { emailDomains: ['@Example.com'] } }));
    assert.equal(result.sync, false);
    assert.ok(!result.sync && result.rule === SYNC_RULES.testEmailDomain);
    assert.ok(!result.sync && result.detail.includes('example.com') && result.detail.includes('skip.emailDomains'));
  });

  test('a subdomain of a test domain is skipped too, a look-alike domain is not', () => {
    const order = placeOrder(sim, draft());
    const sub = { ...order, billing: { ...order.billing, email: 'qa@shop.example.com' } };
    const lookalike = { ...order, billing: { ...order.billing, email: 'real@notexample.com' } };
    const mapping = mappingOf({ skip: { emailDomains: ['example.com'] } });
    assert.equal(evaluateSyncRules(sub, mapping).sync, false);
    assert.deepEqual(evaluateSyncRules(lookalike, mapping), { sync: true });
  });

  test('payment methods and created_via values in skip lists are skipped with their own rule', () => {
    const order = placeOrder(sim, draft({ paymentMethodId: 'cod' }));
    const byPayment = evaluateSyncRules(order, mappingOf({ skip: { paymentMethods: ['cod'] } }));
    assert.deepEqual(byPayment, { sync: false, rule: 'payment-method-skipped', detail: 'payment method cod is in skip.paymentMethods' });
    const byCreatedVia = evaluateSyncRules(order, mappingOf({ skip: { createdVia: ['checkout'] } }));
    assert.deepEqual(byCreatedVia, { sync: false, rule: 'created-via-skipped', detail: 'the order was created via checkout, which is in skip.createdVia' });
  });

  test('rules apply in order: status first, then test domain, payment method, created_via', () => {
    const order = placeOrder(sim, draft({ status: 'pending', paymentMethodId: 'cod' }));
    const everything = { skip: { emailDomains: ['example.com'], paymentMethods: ['cod'], createdVia: ['checkout'] } };
    assert.ok(!evaluateSyncRules(order, mappingOf(everything)).sync);
    const rule = (json: Record<string, unknown>) => {
      const r = evaluateSyncRules(order, mappingOf(json));
      return r.sync ? 'sync' : r.rule;
    };
    assert.equal(rule(everything), 'status-not-synced');
    assert.equal(rule({ ...everything, syncStatuses: ['pending'] }), 'test-email-domain');
    assert.equal(rule({ syncStatuses: ['pending'], skip: { paymentMethods: ['cod'], createdVia: ['checkout'] } }), 'payment-method-skipped');
    assert.equal(rule({ syncStatuses: ['pending'], skip: { createdVia: ['checkout'] } }), 'created-via-skipped');
  });
});
