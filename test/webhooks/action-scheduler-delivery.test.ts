/**
 * How the WooCommerce simulator sends due deliveries: by default as a store's Action Scheduler queue runner does
 * (batches claimed oldest-due first, sent one after another, one runner at a time unless raised), and 'immediate'
 * (every delivery at once) for the all-at-once stress.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from '../../simulators/woocommerce';
import { until } from '../helpers/until';

const catalog = generateCatalog({ seed: 15 });
const sku = (sellableItems(catalog)[0] as { sku: string }).sku;

/** A delivery endpoint that records what arrived, how many were open at once, and holds the orders it is told to. */
interface Endpoint {
  url: string;
  /** Order IDs in the order their deliveries arrived. */
  arrived: number[];
  /** The most requests open at the same time. */
  peak: number;
  /** Deliveries of these order IDs are held unanswered until release(). */
  hold: Set<number>;
  /** Holds every delivery until release(). */
  holdAll: boolean;
  release(): void;
  close(): Promise<void>;
}

async function startEndpoint(): Promise<Endpoint> {
  const held: (() => void)[] = [];
  let open = 0;
  const endpoint: Endpoint = {
    url: '',
    arrived: [],
    peak: 0,
    hold: new Set(),
    holdAll: false,
    release() {
      endpoint.hold.clear();
      endpoint.holdAll = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (): void => {
        open--;
        response.writeHead(200).end('ok');
      };
      if (!request.headers['x-wc-webhook-topic']) {
        response.writeHead(200).end('ok'); // the creation ping
        return;
      }
      open++;
      endpoint.peak = Math.max(endpoint.peak, open);
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number }).id;
      endpoint.arrived.push(id);
      if (endpoint.holdAll || endpoint.hold.has(id)) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return endpoint;
}

let sim: WooCommerceSimulator | undefined;
let endpoint: Endpoint | undefined;

async function start(options: WooCommerceSimulatorOptions = {}): Promise<{ sim: WooCommerceSimulator; endpoint: Endpoint }> {
  sim = await startWooCommerceSimulator({ catalog, ...options, webhookDelivery: { delayMs: 5, ...options.webhookDelivery } });
  endpoint = await startEndpoint();
  await sim.control.createWebhook({ topic: 'order.created', delivery_url: endpoint.url, secret: 'whsec-test' });
  return { sim, endpoint };
}

const place = (s: WooCommerceSimulator, count: number): number[] =>
  Array.from(
    { length: count },
    () => s.control.placeOrder({ customerEmail: 'shopper@example.com', lines: [{ sku, quantity: 1 }], paymentMethodId: 'cod', status: 'processing' }).id,
  );

afterEach(async () => {
  endpoint?.release();
  await sim?.close();
  await endpoint?.close();
  sim = undefined;
  endpoint = undefined;
});

describe("the WooCommerce simulator's delivery modes", () => {
  test('by default deliveries go out as Action Scheduler runs them: one queue runner, one request at a time, oldest due first', async () => {
    const { sim, endpoint } = await start();
    const placed = place(sim, 60);
    await sim.control.flushDeliveries({ timeoutMs: 60_000 });
    assert.deepEqual(endpoint.arrived, placed, 'every order delivered once, in the order its delivery became due');
    assert.equal(endpoint.peak, 1, 'never two deliveries at once');
    const log = sim.control.deliveries({ kind: 'delivery' });
    assert.equal(log.length, 60);
    assert.ok(log.every((entry) => entry.success && typeof entry.durationMs === 'number'));
  });

  test('a runner claims a batch and sends it in order: with two runners of 3, a held delivery holds the rest of its batch, not the other runner', async () => {
    // Due in a minute: nothing goes out until flushDeliveries makes all six due at once.
    const { sim, endpoint } = await start({ webhookDelivery: { delayMs: 60_000, batchSize: 3, concurrentBatches: 2 } });
    const [first, second, third, ...rest] = place(sim, 6) as [number, number, number, ...number[]];
    endpoint.hold.add(first);
    const flushed = sim.control.flushDeliveries({ runNow: true });
    // Runner A claimed the first three and waits on the first; runner B claimed the other three and sends them.
    await until(() => rest.every((id) => endpoint.arrived.includes(id)), 'the second batch to arrive');
    assert.deepEqual(
      endpoint.arrived.slice().sort((a, b) => a - b),
      [first, ...rest].sort((a, b) => a - b),
    );
    assert.ok(!endpoint.arrived.includes(second) && !endpoint.arrived.includes(third), 'the rest of the first batch waits for its runner');
    assert.equal(endpoint.peak, 2, 'two runners, one request each');
    endpoint.release();
    await flushed;
    assert.equal(endpoint.arrived.length, 6);
    assert.deepEqual(endpoint.arrived.slice(-2), [second, third], 'then its runner sends the rest of its batch');
  });

  test("'immediate' sends every due delivery at once — the all-at-once stress", async () => {
    const { sim, endpoint } = await start({ delivery: 'immediate' });
    endpoint.holdAll = true;
    const placed = place(sim, 40);
    await until(() => endpoint.arrived.length === 40, 'all 40 deliveries to be open at once');
    assert.equal(endpoint.peak, 40);
    endpoint.release();
    await sim.control.flushDeliveries();
    assert.deepEqual(
      endpoint.arrived.slice().sort((a, b) => a - b),
      placed,
    );
  });

  test('the default: one runner at a time, so a burst never arrives at once', async () => {
    const { sim, endpoint } = await start();
    endpoint.holdAll = true;
    place(sim, 40);
    await until(() => endpoint.arrived.length === 1, 'the first delivery');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(endpoint.arrived.length, 1, 'the runner waits for its request before sending the next');
    endpoint.release();
    // Answer every later one at once too.
    await sim.control.flushDeliveries({ timeoutMs: 60_000 });
    assert.equal(endpoint.arrived.length, 40);
    assert.equal(endpoint.peak, 1);
  });

  test('batch size and runner count are checked', async () => {
    await assert.rejects(startWooCommerceSimulator({ webhookDelivery: { batchSize: 0 } }), /webhookDelivery\.batchSize must be a whole number ≥ 1/);
    await assert.rejects(
      startWooCommerceSimulator({ webhookDelivery: { concurrentBatches: 1.5 } }),
      /webhookDelivery\.concurrentBatches must be a whole number ≥ 1/,
    );
    await assert.rejects(startWooCommerceSimulator({ delivery: 'all-at-once' as never }), /delivery must be one of action-scheduler, immediate/);
  });
});
