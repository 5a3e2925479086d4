/**
 * `npm run demo`: a tour of the foundation on one machine, no accounts. Until order sync lands (#3) it shows the
 * pieces that sync is built on, each for real:
 *   1. the Temporal dev server (Web UI on) with the project's search attributes;
 *   2. both simulators, seeded with one catalog;
 *   3. a WooCommerce webhook, signed over PHP-encoded bytes, verified with Node's crypto on the raw body;
 *   4. a real worker running a workflow per order that reads it back from the store and tags its execution;
 *   5. a NetSuite token from an ES256 JWT assertion, SKUs resolved with SuiteQL, one sales order created by hand
 *      with the order key as externalId, and the same create refused as a duplicate;
 * then a table, the Web UI URL, and exit 0. `--keep` leaves everything running until Ctrl-C.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ORDERS_TASK_QUEUE } from '../src/api';
import { createWorker } from '../src/worker';
import { startDevServer } from '../dev/temporal-dev-server';
import { createObserveOrderActivities } from '../dev/tour/observe-order.activities';
import { observeOrder } from '../dev/tour/observe-order.workflow';
import { startNetSuiteSimulator } from '../simulators/netsuite';
import { getAccessToken } from '../simulators/netsuite/testing';
import { generateCatalog, generateOrderDrafts } from '../simulators/seed';
import { startWooCommerceSimulator } from '../simulators/woocommerce';

const step = (text: string): void => console.log(`\n▸ ${text}`);

/** A stand-in for the webhook receiver of #3: checks each delivery's signature on the raw bytes. */
async function startSignatureCheckingReceiver(secret: string) {
  const seen: { topic: string; orderId: number; signatureOk: boolean; bytes: number }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const topic = request.headers['x-wc-webhook-topic'];
      if (typeof topic === 'string') {
        const expected = createHmac('sha256', secret).update(raw).digest();
        const given = Buffer.from(String(request.headers['x-wc-webhook-signature'] ?? ''), 'base64');
        const signatureOk = given.length === expected.length && timingSafeEqual(given, expected);
        seen.push({ topic, orderId: (JSON.parse(raw.toString('utf8')) as { id: number }).id, signatureOk, bytes: raw.length });
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/woocommerce`, seen, close: () => server.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false }, port: { type: 'string' }, 'ui-port': { type: 'string' } } });

  // The SDK's INFO lines (bundling, worker state) would drown the tour; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });

  step('Temporal dev server');
  const temporal = await startDevServer({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values['ui-port'] ? { uiPort: Number(values['ui-port']) } : {}),
  });
  console.log(`  gRPC ${temporal.address}, Web UI ${temporal.uiUrl} (CLI from ${temporal.cli.source})`);

  step('Simulators, seeded with one catalog');
  const catalog = generateCatalog({ seed: 1 });
  const netsuite = await startNetSuiteSimulator({ catalog, latency: { fixedMs: 20, jitterMs: 30 } });
  const store = await startWooCommerceSimulator({ catalog });
  console.log(`  NetSuite ${netsuite.url} (account ${netsuite.accountId}); WooCommerce ${store.url}/`);

  step('WooCommerce webhook → a receiver that verifies signatures on the raw body');
  const secret = 'demo-webhook-secret';
  const receiver = await startSignatureCheckingReceiver(secret);
  const basic = `Basic ${Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64')}`;
  for (const topic of ['order.created', 'order.updated']) {
    const response = await fetch(`${store.url}/wp-json/wc/v3/webhooks`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `demo ${topic}`, topic, delivery_url: receiver.url, secret }),
    });
    if (response.status !== 201) throw new Error(`creating the ${topic} webhook: HTTP ${response.status} ${await response.text()}`);
  }
  const orders = generateOrderDrafts(catalog, 5).map((draft) => store.control.placeOrder(draft));
  await store.control.flushDeliveries({ runNow: true });
  for (const delivery of receiver.seen) {
    console.log(`  ${delivery.topic.padEnd(14)} order ${delivery.orderId}  ${delivery.bytes} bytes  signature ${delivery.signatureOk ? 'verified' : 'WRONG'}`);
  }

  step('A real worker runs a workflow per order');
  const worker = await createWorker({
    connection: temporal.env.nativeConnection,
    namespace: temporal.namespace,
    taskQueue: ORDERS_TASK_QUEUE,
    workflowsPath: require.resolve('../dev/tour/observe-order.workflow'),
    activities: createObserveOrderActivities(store),
  });
  const running = worker.run();
  const observed = await Promise.all(
    orders.map((order) =>
      temporal.env.client.workflow.execute(observeOrder, {
        taskQueue: ORDERS_TASK_QUEUE,
        workflowId: `demo-observe-order:${order.id}`,
        args: [{ store: 'demo', orderId: order.id }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    ),
  );

  step('NetSuite: token from an ES256 JWT assertion, SKUs through SuiteQL, one sales order by hand');
  const token = await getAccessToken(netsuite);
  const rest = `${netsuite.url}/services/rest`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-netsuite-propertynamevalidation': 'Error' };
  const first = orders[0];
  if (!first) throw new Error('no order was placed');
  const skuList = first.line_items.map((line) => `'${line.sku}'`).join(',');
  const query = await fetch(`${rest}/query/v1/suiteql?limit=10`, {
    method: 'POST',
    headers: { ...headers, prefer: 'transient' },
    body: JSON.stringify({ q: `SELECT i.id, i.itemid, SUM(l.quantityavailable) AS available FROM item i JOIN inventoryitemlocations l ON l.item = i.id WHERE i.itemid IN (${skuList}) GROUP BY i.id, i.itemid` }),
  });
  const rows = ((await query.json()) as { items: { id: string; itemid: string; available: string }[] }).items;
  for (const row of rows) console.log(`  ${row.itemid.padEnd(16)} NetSuite item ${row.id}, available ${row.available}`);
  const customer = (netsuite.control.listRecords('customer') as { id: string }[])[0];
  const salesOrder = {
    entity: { id: customer?.id },
    externalId: first.order_key,
    custbody_woo_order_key: first.order_key,
    item: { items: first.line_items.map((line) => ({ item: { id: rows.find((r) => r.itemid === line.sku)?.id }, quantity: line.quantity, rate: line.price })) },
  };
  const created = await fetch(`${rest}/record/v1/salesOrder`, { method: 'POST', headers, body: JSON.stringify(salesOrder) });
  console.log(`  POST salesOrder → ${created.status} Location ${created.headers.get('location')}`);
  const again = await fetch(`${rest}/record/v1/salesOrder`, { method: 'POST', headers, body: JSON.stringify(salesOrder) });
  const againBody = (await again.json()) as { 'o:errorDetails': { detail: string }[] };
  console.log(`  the same create again → ${again.status}: ${againBody['o:errorDetails'][0]?.detail}`);

  step('Summary');
  console.log('  order  status       lines  workflow');
  observed.forEach((result, i) => console.log(`  ${String(orders[i]?.id).padEnd(6)} ${result.status.padEnd(12)} ${String(result.lineSkus.length).padEnd(6)} demo-observe-order:${orders[i]?.id}`));
  const counters = netsuite.control.counters();
  console.log(`  NetSuite: ${counters.tokensMinted} token minted, peak concurrency ${counters.peakConcurrency}, ${counters.http429} × 429`);
  console.log(`  Temporal Web UI: ${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows?query=${encodeURIComponent('WooStore="demo"')}`);

  const shutdown = async (): Promise<void> => {
    worker.shutdown();
    await running;
    receiver.close();
    await Promise.all([store.close(), netsuite.close()]);
    await temporal.stop();
  };
  if (values.keep) {
    console.log('\n--keep: everything stays up. Ctrl-C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  }
  await shutdown();
  const allVerified = receiver.seen.length > 0 && receiver.seen.every((d) => d.signatureOk);
  if (!allVerified || created.status !== 204 || again.status !== 400) throw new Error('the tour did not go as expected (see above)');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
