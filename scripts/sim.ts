/**
 * `npm run sim`: both simulators, seeded with the same deterministic catalog, standalone on 127.0.0.1.
 * Prints their URLs and credentials (the NetSuite client's private key is written to a file), then runs until Ctrl-C.
 *
 *   npm run sim -- --seed 1 --products 24 --customers 12 --netsuite-port 4010 --woocommerce-port 4020 \
 *                  --latency-ms 0 --concurrency-limit 5
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startNetSuiteSimulator } from '../simulators/netsuite';
import { generateCatalog } from '../simulators/seed';
import { startWooCommerceSimulator } from '../simulators/woocommerce';

const HELP = `usage: npm run sim -- [options]
  --seed N               catalog seed (default 1)
  --products N           WooCommerce products, simple and variable (default 24)
  --customers N          customers, registered and guests (default 12)
  --netsuite-port N      NetSuite REST port (default: any free port); its control API uses N+1
  --woocommerce-port N   WooCommerce store port (default: any free port); its control API uses N+1
  --latency-ms N         NetSuite latency per request (default 0)
  --concurrency-limit N  NetSuite account concurrency limit (default 5)
  --key-file PATH        where to write the NetSuite client's private key (default .sim/netsuite-client-key.pem)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      products: { type: 'string', default: '24' },
      customers: { type: 'string', default: '12' },
      'netsuite-port': { type: 'string' },
      'woocommerce-port': { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
      'concurrency-limit': { type: 'string', default: '5' },
      'key-file': { type: 'string', default: '.sim/netsuite-client-key.pem' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const number = (name: keyof typeof values): number | undefined => {
    const raw = values[name];
    if (raw === undefined || typeof raw === 'boolean') return undefined;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got ${raw}`);
    return parsed;
  };
  const catalog = generateCatalog({ seed: number('seed') ?? 1, products: number('products') ?? 24, customers: number('customers') ?? 12 });
  const nsPort = number('netsuite-port');
  const wcPort = number('woocommerce-port');
  const netsuite = await startNetSuiteSimulator({
    catalog,
    seed: catalog.seed,
    concurrencyLimit: number('concurrency-limit') ?? 5,
    latency: { fixedMs: number('latency-ms') ?? 0, jitterMs: 0 },
    ...(nsPort ? { port: nsPort, controlPort: nsPort + 1 } : {}),
  });
  const woocommerce = await startWooCommerceSimulator({
    catalog,
    seed: catalog.seed,
    ...(wcPort ? { port: wcPort, controlPort: wcPort + 1 } : {}),
  });
  const keyFile = resolve(values['key-file'] ?? '.sim/netsuite-client-key.pem');
  mkdirSync(join(keyFile, '..'), { recursive: true });
  writeFileSync(keyFile, netsuite.defaultClient.privateKeyPem, { mode: 0o600 });

  console.log(`NetSuite simulator (account ${netsuite.accountId})
  REST base:       ${netsuite.url}/services/rest
  token URL (aud): ${netsuite.tokenUrl}
  client ID:       ${netsuite.defaultClient.clientId}
  certificate ID:  ${netsuite.defaultClient.certificateId} (${netsuite.defaultClient.algorithm})
  private key:     ${keyFile}
  control API:     ${netsuite.controlUrl}/control/counters
WooCommerce simulator
  store URL:       ${woocommerce.url}/
  REST base:       ${woocommerce.url}/wp-json/wc/v3
  consumer key:    ${woocommerce.consumerKey}
  consumer secret: ${woocommerce.consumerSecret}
  control API:     ${woocommerce.controlUrl}/control/counters
Catalog seed ${catalog.seed}: ${catalog.products.length} products, ${catalog.customers.length} customers, ${catalog.locations.length} locations.
Ctrl-C to stop.`);

  const stop = async (): Promise<void> => {
    await Promise.all([netsuite.close(), woocommerce.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
