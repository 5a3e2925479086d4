import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../simulators/woocommerce';
import { startWebhookReceiver, type WebhookReceiver } from '../../simulators/woocommerce/test-support';
import { verifyWebhookSignature, webhookSignature } from '../../src/woocommerce/signature';

const catalog = generateCatalog({ seed: 3, products: 10, customers: 20 });
const nonAsciiCustomer = catalog.customers.find((c) => /[\u0080-\uffff]/.test(`${c.firstName}${c.lastName}`));
const SECRET = 'whsec-7f3a9c2e-signature-test';
let sim: WooCommerceSimulator;
let hook: WebhookReceiver;

before(async () => {
  sim = await startWooCommerceSimulator({ catalog, webhookDelivery: { delayMs: 5 } });
  hook = await startWebhookReceiver();
});
after(async () => {
  await sim.close();
  await hook.close();
});

describe('webhook signature', () => {
  test('the simulator’s PHP-encoded bytes (\\/ and \\uXXXX escapes, non-ASCII names) verify over the raw body', async () => {
    assert.ok(nonAsciiCustomer, 'the catalog has a customer with a non-ASCII name');
    await sim.control.createWebhook({ topic: 'order.created', delivery_url: hook.url, secret: SECRET });
    sim.control.placeOrder({
      customerEmail: nonAsciiCustomer.emailAsTyped,
      lines: [{ sku: 'RAW-1/2', quantity: 1, raw: true, name: 'Crème brûlée ½ — Zoë’s', price: '5.00' }],
      paymentMethodId: 'stripe',
    });
    await sim.control.flushDeliveries({ runNow: true });
    const [delivery] = await hook.waitForDeliveries(1);
    assert.ok(delivery);
    const text = delivery.rawBody.toString('utf8');
    assert.ok(text.includes('\\/'), 'slashes are escaped');
    assert.ok(/\\u[0-9a-f]{4}/.test(text), 'non-ASCII is escaped');
    const signature = delivery.headers['x-wc-webhook-signature'] as string;
    assert.equal(verifyWebhookSignature(delivery.rawBody, signature, SECRET), true);
    // Re-serialising the parsed body gives other bytes, which do not verify: verification must use the raw bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(text)));
    assert.equal(verifyWebhookSignature(reserialised, signature, SECRET), false);
  });

  test('a wrong secret, a tampered body, or a missing, empty or truncated signature never verifies', () => {
    const body = Buffer.from('{"id":101,"status":"processing"}');
    const signature = webhookSignature(body, SECRET);
    assert.equal(verifyWebhookSignature(body, signature, SECRET), true);
    assert.equal(verifyWebhookSignature(body, signature, 'another-secret'), false);
    assert.equal(verifyWebhookSignature(Buffer.from('{"id":102,"status":"processing"}'), signature, SECRET), false);
    assert.equal(verifyWebhookSignature(body, undefined, SECRET), false);
    assert.equal(verifyWebhookSignature(body, '', SECRET), false);
    assert.equal(verifyWebhookSignature(body, signature.slice(0, -2), SECRET), false);
    assert.equal(verifyWebhookSignature(body, `${signature}AA`, SECRET), false);
    assert.equal(verifyWebhookSignature(body, signature, ''), false);
  });
});
