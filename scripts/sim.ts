/**
 * `npm run sim`: both simulators, seeded with the same deterministic catalog, standalone (on 127.0.0.1 by default).
 * Prints their URLs and credentials (the NetSuite client's private key is written to a file), then runs until Ctrl-C.
 *
 *   npm run sim -- --seed 1 --products 24 --customers 12 --netsuite-port 4010 --woocommerce-port 4020 \
 *                  --latency-ms 0 --concurrency-limit 5
 *
 * The docker-compose `simulators` profile runs it as the other containers' NetSuite and WooCommerce:
 *
 *   node --import tsx scripts/sim.ts -- --host=0.0.0.0 --advertise-host=simulators --netsuite-port=4010 --woocommerce-port=4020 \
 *        --key-file=/run/simulators/netsuite-client-key.pem --env-file=/run/simulators/stack.env \
 *        --webhook-url=http://receiver:8080/webhooks/woocommerce --alert-smtp-url=smtp://mailpit:1025
 *
 * Node itself reads an `--env-file` that follows the script path (nodejs/node#54232: a missing file exits 9 before the
 * script runs), so put the script's options after `--` — `scripts/sim.ts -- --env-file=…`, `npm run sim -- -- --env-file …`;
 * the script ignores that leading `--`.
 *
 * `--host` is the interface both simulators and their control APIs listen on; `--advertise-host` the name in every URL
 * they report, so the worker reaches `http://simulators:4010` and the store's `X-WC-Webhook-Source` is the WOO_MAIN_URL the
 * receiver matches. `--webhook-url` registers the store's order webhooks there, signed with a fresh secret, and
 * `--env-file` is written last — once both simulators answer and the webhooks exist — with everything the worker,
 * receiver and CLI need (`node --env-file-if-exists=…`); compose's health check waits for that file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localPostgres } from '../dev/postgres';
import { simulatorAccountEnv } from '../dev/simulator-credentials';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../simulators/netsuite';
import { generateCatalog } from '../simulators/seed';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../simulators/woocommerce';
import { loadAlertSettings, loadNetSuiteSettings, loadStoreSettings } from '../src/config';

/** The store name the env file configures (WOO_STORES=main, WOO_MAIN_*). */
export const SIM_STORE_NAME = 'main';
/** The owner address alerts go to when --alert-smtp-url is given (a local mail catcher reads them). */
export const SIM_ALERT_EMAIL_TO = 'owner@example.com';
/** The order topics the sync listens to, as dev/sync-stack.ts registers them. */
export const ORDER_WEBHOOK_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'] as const;

const HELP = `usage: npm run sim -- [--] [options]
  (options after a leading --: Node would otherwise read --env-file itself, and exit when the file does not exist yet)
  --seed N               catalog seed (default 1)
  --products N           WooCommerce products, simple and variable (default 24)
  --customers N          customers, registered and guests (default 12)
  --netsuite-port N      NetSuite REST port (default: any free port); its control API uses N+1
  --woocommerce-port N   WooCommerce store port (default: any free port); its control API uses N+1
  --latency-ms N         NetSuite latency per request (default 0)
  --concurrency-limit N  NetSuite account concurrency limit (default 5)
  --key-file PATH        where to write the NetSuite client's private key (default .sim/netsuite-client-key.pem)
  --host H               interface both simulators and their control APIs listen on (default 127.0.0.1)
  --advertise-host NAME  host name in the URLs they report, e.g. simulators in docker compose
                         (default: the host, or 127.0.0.1 when the host is 0.0.0.0)
  --webhook-url URL      register the store's order webhooks (created, updated, deleted, restored) to deliver to URL
  --env-file PATH        once both are up, write the worker's, receiver's and CLI's settings for them to PATH
                         (KEY='value' lines for node --env-file; mode 0600; replaced atomically)
  --alert-smtp-url URL   with --env-file: also ALERT_SMTP_URL=URL and ALERT_EMAIL_TO=${SIM_ALERT_EMAIL_TO}
  --postgres             also a PostgreSQL for a worker's limiter and cursors: NETSUITE_LIMITER_URL when set, else an
                         embedded one (stopped with the simulators); printed, and written to the env file`;

/** What the env file describes: the two running simulators, the key file, and the store's webhook secret. */
export interface SimulatorStackEnvInput {
  netsuite: NetSuiteSimulator;
  woocommerce: WooCommerceSimulator;
  /** Path of the NetSuite client's private key, as the reading processes see it. */
  keyFile: string;
  webhookSecret: string;
  alertSmtpUrl?: string;
}

/**
 * The settings the worker, receiver and CLI need to use the simulators — the same ones dev/sync-stack.ts `workerEnv`
 * hands its processes, without the per-test parts (task queue, ports, limiter). The store URL is `${woocommerce.url}/`,
 * exactly the simulator's `X-WC-Webhook-Source`, so the receiver finds the store by that header.
 */
export function simulatorStackEnv(input: SimulatorStackEnvInput): Record<string, string> {
  return {
    ...simulatorAccountEnv({
      netsuite: input.netsuite,
      keyFile: input.keyFile,
      store: {
        name: SIM_STORE_NAME,
        url: `${input.woocommerce.url}/`,
        consumerKey: input.woocommerce.consumerKey,
        consumerSecret: input.woocommerce.consumerSecret,
        webhookSecret: input.webhookSecret,
      },
    }),
    ...(input.alertSmtpUrl !== undefined ? { ALERT_SMTP_URL: input.alertSmtpUrl, ALERT_EMAIL_TO: SIM_ALERT_EMAIL_TO } : {}),
  };
}

/**
 * One value quoted so Node's env-file parser (`--env-file`, util.parseEnv) gives it back unchanged: single quotes take
 * everything literally; a value holding `'` goes in backticks, else in double quotes when it has no `\n` sequence
 * (double quotes expand it). A line break, or a value no quote can hold, is refused rather than written wrong.
 */
export function envFileValue(key: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${key} holds a line break, which an env file line cannot carry`);
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('"') && !value.includes('\\n')) return `"${value}"`;
  throw new Error(`${key} holds every quote character, so no env file quoting keeps it intact`);
}

/** `KEY='value'` lines, one per setting, in the given order. */
export function formatEnvFile(settings: Readonly<Record<string, string>>): string {
  const lines = ['# Written by scripts/sim.ts for the simulators it runs; replaced on every start.'];
  for (const [key, value] of Object.entries(settings)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`${JSON.stringify(key)} is not an environment variable name`);
    lines.push(`${key}=${envFileValue(key, value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `text` to a temporary file beside `path` (mode 0600) and renames it over `path`: a reader sees all or nothing. */
export function writeFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The webhook URL without user info or query, which could carry a token: enough to see where deliveries go. */
function displayWebhookUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname}`;
}

/** Refuses settings the product itself would refuse (each loader throws a ConfigError naming the problem, never a secret). */
function checkStackEnv(settings: Record<string, string>): void {
  loadNetSuiteSettings(settings);
  loadStoreSettings(settings);
  loadAlertSettings(settings);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      seed: { type: 'string', default: '1' },
      products: { type: 'string', default: '24' },
      customers: { type: 'string', default: '12' },
      'netsuite-port': { type: 'string' },
      'woocommerce-port': { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
      'concurrency-limit': { type: 'string', default: '5' },
      'key-file': { type: 'string', default: '.sim/netsuite-client-key.pem' },
      host: { type: 'string', default: '127.0.0.1' },
      'advertise-host': { type: 'string' },
      'webhook-url': { type: 'string' },
      'env-file': { type: 'string' },
      'alert-smtp-url': { type: 'string' },
      postgres: { type: 'boolean', default: false },
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
  const host = values.host ?? '127.0.0.1';
  const advertiseHost = values['advertise-host'];
  if (advertiseHost !== undefined && !/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(advertiseHost)) {
    throw new Error(`--advertise-host must be a bare host name or address (no scheme, port or path), got ${advertiseHost}`);
  }
  const webhookUrl = values['webhook-url'];
  if (webhookUrl !== undefined && !/^https?:\/\/[^/]/.test(webhookUrl)) throw new Error('--webhook-url must be an http:// or https:// URL');
  const alertSmtpUrl = values['alert-smtp-url'];
  const envFile = values['env-file'] !== undefined ? resolve(values['env-file']) : undefined;
  if (alertSmtpUrl !== undefined && envFile === undefined) throw new Error('--alert-smtp-url is written to the env file: give --env-file too');
  // A file left by an earlier run names simulators that are gone: nobody may read it while these start.
  if (envFile !== undefined) rmSync(envFile, { force: true });

  const address = { host, ...(advertiseHost !== undefined ? { advertiseHost } : {}) };
  const catalog = generateCatalog({ seed: number('seed') ?? 1, products: number('products') ?? 24, customers: number('customers') ?? 12 });
  const nsPort = number('netsuite-port');
  const wcPort = number('woocommerce-port');
  const netsuite = await startNetSuiteSimulator({
    catalog,
    seed: catalog.seed,
    concurrencyLimit: number('concurrency-limit') ?? 5,
    latency: { fixedMs: number('latency-ms') ?? 0, jitterMs: 0 },
    ...address,
    ...(nsPort ? { port: nsPort, controlPort: nsPort + 1 } : {}),
  });
  const woocommerce = await startWooCommerceSimulator({
    catalog,
    seed: catalog.seed,
    ...address,
    ...(wcPort ? { port: wcPort, controlPort: wcPort + 1 } : {}),
  });
  const database = values.postgres ? await localPostgres() : undefined;
  const stop = async (): Promise<void> => {
    if (envFile !== undefined) rmSync(envFile, { force: true });
    await Promise.all([netsuite.close(), woocommerce.close(), database?.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const keyFile = resolve(values['key-file'] ?? '.sim/netsuite-client-key.pem');
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, netsuite.defaultClient.privateKeyPem, { mode: 0o600 });

  // Fresh per start, like the NetSuite client's key pair: the env file is the only place it is written.
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  if (webhookUrl !== undefined) {
    for (const topic of ORDER_WEBHOOK_TOPICS) {
      await woocommerce.control.createWebhook({ topic, delivery_url: webhookUrl, secret: webhookSecret, name: `sync ${topic}` });
    }
  }
  if (envFile !== undefined) {
    const settings = {
      ...simulatorStackEnv({ netsuite, woocommerce, keyFile, webhookSecret, ...(alertSmtpUrl !== undefined ? { alertSmtpUrl } : {}) }),
      ...(database ? { NETSUITE_LIMITER_URL: database.url } : {}),
    };
    checkStackEnv(settings);
    writeFileAtomically(envFile, formatEnvFile(settings));
  }

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
Listening on ${host}.${
    database
      ? `\nPostgreSQL (${database.source === 'embedded' ? 'embedded, removed at Ctrl-C' : 'NETSUITE_LIMITER_URL'}): NETSUITE_LIMITER_URL=${database.url}`
      : ''
  }${webhookUrl !== undefined ? `\nOrder webhooks (${ORDER_WEBHOOK_TOPICS.join(', ')}) deliver to ${displayWebhookUrl(webhookUrl)}.` : ''}${
    envFile !== undefined ? `\nSettings for the worker, receiver and CLI (webhook secret included): ${envFile}` : ''
  }
Catalog seed ${catalog.seed}: ${catalog.products.length} products, ${catalog.customers.length} customers, ${catalog.locations.length} locations.
Ctrl-C to stop.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
