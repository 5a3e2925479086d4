import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedCustomerExternalId, startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import {
  chooseCustomer,
  customerExternalId,
  customerMatchKey,
  missingCustomerEmailProblem,
  newCustomerBody,
  NoCustomerCandidatesError,
  NoCustomerToCreateError,
  normalizeEmail,
} from '../../src/mapping';
import { catalog, customerWhere, defaultMapping, mappingOf, placeOrder } from './fixtures';

describe('customer matching', () => {
  let woo: WooCommerceSimulator;
  let ns: NetSuiteSimulator;
  before(async () => {
    woo = await startWooCommerceSimulator({ catalog });
    ns = await startNetSuiteSimulator({ catalog });
  });
  after(async () => {
    await woo.close();
    await ns.close();
  });

  const orderFor = (email: string | undefined) =>
    placeOrder(woo, { customerEmail: email, lines: [{ sku: 'SKU-00001', quantity: 1 }], shippingMethodId: 'flat_rate', paymentMethodId: 'stripe' });

  test('normalizeEmail trims, lower-cases and unifies NFC and NFD spellings', () => {
    assert.equal(normalizeEmail('  Ana.Lopez@Example.COM '), 'ana.lopez@example.com');
    const nfc = 'Ren\u00e9e@example.com';
    const nfd = 'Rene\u0301e@example.com';
    assert.notEqual(nfc, nfd);
    assert.equal(normalizeEmail(nfc), normalizeEmail(nfd));
    assert.equal(normalizeEmail(nfd), 'ren\u00e9e@example.com');
  });

  test('an e-mail typed in capitals with spaces matches by the canonical e-mail', () => {
    const shopper = customerWhere((c) => c.emailAsTyped.startsWith('  '));
    const order = orderFor(shopper.emailAsTyped);
    assert.notEqual(order.billing.email, shopper.email);
    assert.deepEqual(customerMatchKey(order, defaultMapping(), 'main'), { kind: 'email', value: shopper.email });
  });

  test('the external ID of a new customer matched by e-mail is the one NetSuite already has for a returning customer', () => {
    const returning = customerWhere((c) => c.inNetSuite && c.emailAsTyped !== c.email);
    const order = orderFor(returning.emailAsTyped);
    const externalId = customerExternalId(order, defaultMapping(), 'main');
    assert.equal(externalId, seedCustomerExternalId(returning.email));
    const existing = ns.control.getRecord('customer', `eid:${externalId}`);
    assert.equal(existing.email, returning.email);
  });

  test('matchBy externalId: registered customers by prefix, store and customer ID; guests by e-mail', () => {
    const mapping = mappingOf({ customers: { matchBy: 'externalId' } });
    const registered = orderFor(customerWhere((c) => c.registered).emailAsTyped);
    assert.ok(registered.customer_id > 0);
    const key = customerMatchKey(registered, mapping, 'eu-shop');
    assert.deepEqual(key, { kind: 'externalId', value: `woo-customer-eu-shop-${registered.customer_id}` });
    assert.equal(customerExternalId(registered, mapping, 'eu-shop'), `woo-customer-eu-shop-${registered.customer_id}`);

    const guest = customerWhere((c) => !c.registered);
    const guestOrder = orderFor(guest.emailAsTyped);
    assert.equal(guestOrder.customer_id, 0);
    assert.deepEqual(customerMatchKey(guestOrder, mapping, 'eu-shop'), { kind: 'email', value: guest.email });
  });

  test('a guest without an e-mail gets the default customer when one is configured, else no key and a MissingCustomerEmail problem', () => {
    const order = orderFor(undefined);
    assert.equal(order.billing.email, '');
    assert.deepEqual(customerMatchKey(order, mappingOf({ customers: { defaultCustomer: { id: '100' } } }), 'main'), { kind: 'default', ref: { id: '100' } });
    assert.deepEqual(customerMatchKey(order, defaultMapping(), 'main'), { kind: 'none' });
    assert.throws(() => customerExternalId(order, defaultMapping(), 'main'), NoCustomerToCreateError);
    const problem = missingCustomerEmailProblem(order);
    assert.equal(problem.failureType, 'MissingCustomerEmail');
    assert.match(problem.message, new RegExp(`Order ${order.number} has no billing e-mail`));
    assert.match(problem.fix, /"customers\.defaultCustomer"/);
  });

  test('new customer bodies are accepted by NetSuite: a person, a company, with the WooCommerce customer ID and subsidiary', () => {
    const mapping = mappingOf({ defaults: { subsidiary: { id: '1' } } });
    const person = customerWhere((c) => c.company === '' && c.registered && !c.inNetSuite);
    const personOrder = orderFor(person.emailAsTyped);
    const personBody = newCustomerBody(personOrder, mapping, 'main');
    assert.deepEqual(personBody, {
      externalId: seedCustomerExternalId(person.email),
      isPerson: true,
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: person.phone,
      subsidiary: { id: '1' },
      custentity_woo_customer_id: String(personOrder.customer_id),
    });
    const created = ns.control.createRecord('customer', personBody).record;
    assert.equal(created.email, person.email);
    assert.equal(created.custentity_woo_customer_id, String(personOrder.customer_id));

    const company = customerWhere((c) => c.company !== '' && !c.inNetSuite && !c.registered);
    const companyOrder = orderFor(company.emailAsTyped);
    const companyBody = newCustomerBody(companyOrder, mappingOf({ customers: { subsidiary: { id: '1' } } }), 'main');
    assert.equal(companyBody.isPerson, false);
    assert.equal(companyBody.companyName, company.company);
    assert.equal('custentity_woo_customer_id' in companyBody, false, 'a guest has no WooCommerce customer ID');
    assert.deepEqual(companyBody.subsidiary, { id: '1' });
    const createdCompany = ns.control.createRecord('customer', companyBody).record;
    assert.equal(createdCompany.companyName, company.company);
  });

  test('a shopper with only one name becomes a company named after it, which NetSuite accepts', () => {
    const order = orderFor('solo@example.org');
    const named = { ...order, billing: { ...order.billing, first_name: 'Cher', last_name: '', company: '' } };
    const body = newCustomerBody(named, defaultMapping(), 'main');
    assert.equal(body.isPerson, false);
    assert.equal(body.companyName, 'Cher');
    assert.equal(body.externalId, 'woo-customer-solo_example_org');
    assert.ok(ns.control.createRecord('customer', body).id);
  });

  test('several matching customers: the oldest with a warning naming the IDs, or AmbiguousCustomer when configured', () => {
    const candidates = [{ id: '1104' }, { id: '205', dateCreated: '2024-01-02T00:00:00Z' }, { id: '99' }, { id: '205' }];
    const oldest = chooseCustomer(candidates, defaultMapping());
    assert.ok('id' in oldest);
    assert.equal(oldest.id, '99');
    assert.equal(oldest.warning, "3 NetSuite customers match this order's customer (internal IDs 99, 205, 1104); chose the oldest (internal ID 99).");

    const strict = chooseCustomer(candidates, mappingOf({ customers: { onMultiple: 'needs-attention' } }));
    assert.ok('problem' in strict);
    assert.equal(strict.problem.failureType, 'AmbiguousCustomer');
    assert.match(strict.problem.message, /99, 205, 1104/);
    assert.match(strict.problem.fix, /"customers\.onMultiple": "oldest"/);
    assert.equal(strict.problem.details.customerIds, '99, 205, 1104');
  });

  test('one matching customer is taken without a warning; none is a caller error', () => {
    assert.deepEqual(chooseCustomer([{ id: '104' }], mappingOf({ customers: { onMultiple: 'needs-attention' } })), { id: '104' });
    assert.throws(() => chooseCustomer([], defaultMapping()), NoCustomerCandidatesError);
  });
});
