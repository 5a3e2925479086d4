/**
 * `scripts/sim.ts` with the flags the docker-compose `simulators` profile passes (on 127.0.0.1 here): the env file it
 * writes is complete, quoted so Node's own env-file parser reads it back exactly, accepted by the product's loaders, and
 * works — the NetSuite client mints a token and queries with it, and an order placed through the store's control API
 * reaches the webhook URL with an `X-WC-Webhook-Source` equal to WOO_MAIN_URL and a signature WOO_MAIN_WEBHOOK_SECRET
 * verifies. The advertised host is `localhost` (bound on 127.0.0.1), so a URL built from the listen address instead of
 * the advertised name would show.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { envFileValue, formatEnvFile, writeFileAtomically } from '../../scripts/sim';
import { advertisedHost } from '../../simulators/shared/http';
import { startWebhookReceiver } from '../../simulators/woocommerce/test-support';
import { findStoreBySource, loadAlertSettings, loadNetSuiteSettings, loadStoreSettings } from '../../src/config';
import { createNetSuiteClient } from '../../src/netsuite/client';
import { verifyWebhookSignature } from '../../src/woocommerce/signature';

const SIM_SCRIPT = join(__dirname, '..', '..', 'scripts', 'sim.ts');

const EXPECTED_KEYS = [
  'NETSUITE_ENVIRONMENT',
  'NETSUITE_ALLOW_CUSTOM_HOST',
  'NS_SANDBOX_ACCOUNT_ID',
  'NS_SANDBOX_BASE_URL',
  'NS_SANDBOX_CLIENT_ID',
  'NS_SANDBOX_CERTIFICATE_ID',
  'NS_SANDBOX_PRIVATE_KEY_FILE',
  'NS_SANDBOX_JWT_ALGORITHM',
  'WOO_STORES',
  'WOO_MAIN_URL',
  'WOO_MAIN_CONSUMER_KEY',
  'WOO_MAIN_CONSUMER_SECRET',
  'WOO_MAIN_WEBHOOK_SECRET',
  'ALERT_SMTP_URL',
  'ALERT_EMAIL_TO',
];

interface SimProcess {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the whole stdout once the script printed "Ctrl-C to stop." (after the env file is written). */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

/** Spawns the script with its options after `--`, as Node needs for `--env-file` (see the script's header). */
function spawnSim(args: readonly string[]): SimProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', SIM_SCRIPT, '--', ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('Ctrl-C to stop.')) resolve(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    void exited.then((code) => reject(new Error(`sim exited with ${code} before it was ready:\n${stdout}\n${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => `${stdout}\n${stderr}`, ready, exited };
}

async function stopSim(sim: SimProcess): Promise<number | null> {
  if (sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill('SIGTERM');
  return sim.exited;
}

describe('scripts/sim.ts with the docker-compose flags', () => {
  it('writes a complete env file the product accepts: NetSuite answers with it, and a signed webhook matches WOO_MAIN_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-compose-'));
    const envFile = join(dir, 'run', 'stack.env');
    const keyFile = join(dir, 'run', 'netsuite client key.pem'); // a space: the quoting must keep it
    const receiver = await startWebhookReceiver('/webhooks/woocommerce');
    const sim = spawnSim([
      '--host=127.0.0.1',
      '--advertise-host=localhost',
      `--env-file=${envFile}`,
      `--key-file=${keyFile}`,
      `--webhook-url=${receiver.url}`,
      '--alert-smtp-url=smtp://127.0.0.1:2525',
    ]);
    try {
      const out = await sim.ready;
      assert.equal(statSync(envFile).mode & 0o777, 0o600, 'the env file holds secrets: owner-only');
      assert.deepEqual(readdirSync(join(dir, 'run')).sort(), ['netsuite client key.pem', 'stack.env'], 'no temporary file is left beside it');
      const env = parseEnv(readFileSync(envFile, 'utf8'));
      for (const key of EXPECTED_KEYS) assert.ok(env[key], `${key} is in the env file`);
      assert.equal(env.NETSUITE_ENVIRONMENT, 'sandbox');
      assert.equal(env.NS_SANDBOX_JWT_ALGORITHM, 'ES256');
      assert.equal(env.NS_SANDBOX_PRIVATE_KEY_FILE, keyFile);
      assert.equal(env.WOO_STORES, 'main');
      assert.equal(env.ALERT_SMTP_URL, 'smtp://127.0.0.1:2525');
      assert.equal(env.ALERT_EMAIL_TO, 'owner@example.com');
      assert.match(env.NS_SANDBOX_BASE_URL ?? '', /^http:\/\/localhost:\d+$/, 'NetSuite is reported under the advertised host');
      assert.match(env.WOO_MAIN_URL ?? '', /^http:\/\/localhost:\d+\/$/, 'the store is reported under the advertised host');
      assert.ok(out.includes(`store URL:       ${env.WOO_MAIN_URL}`), 'the printed store URL is the one written');

      // The product's own loaders accept it (a ConfigError would name what is wrong).
      const netsuite = loadNetSuiteSettings(env);
      const stores = loadStoreSettings(env);
      assert.deepEqual(loadAlertSettings(env).email?.to, ['owner@example.com']);
      assert.equal(stores.length, 1);

      // NetSuite: a token from the written key, then a query with it, at the advertised URL.
      const client = createNetSuiteClient({ credentials: netsuite.credentials, requestTimeoutMs: 30_000 });
      const page = await client.suiteql('SELECT id FROM item', { limit: 1 });
      assert.ok(page.totalResults > 0, 'the seeded catalog answers');
      assert.equal(client.stats().tokensMinted, 1);

      // The four order webhooks were registered (each pinged the URL), and an order placed at the store is delivered.
      assert.equal(receiver.pings().length, 4, 'order.created, updated, deleted, restored');
      const control = /WooCommerce simulator[\s\S]*?control API:\s+(\S+)\/control\/counters/.exec(out)?.[1];
      assert.ok(control, `the output names the WooCommerce control API:\n${out}`);
      const placed = await fetch(`${control}/control/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerEmail: 'compose@example.com', lines: [{ sku: 'SKU-00001', quantity: 1 }], paymentMethodId: 'cod' }),
      });
      assert.equal(placed.status, 201);
      const orderId = ((await placed.json()) as { id: number }).id;

      const [delivery] = (await receiver.waitForDeliveries(1, 15_000)).filter((d) => d.headers['x-wc-webhook-topic'] === 'order.created');
      assert.ok(delivery, 'an order.created delivery arrived');
      const source = delivery.headers['x-wc-webhook-source'];
      assert.equal(source, env.WOO_MAIN_URL, 'X-WC-Webhook-Source is exactly WOO_MAIN_URL');
      assert.equal(findStoreBySource(stores, source as string)?.name, 'main', 'the receiver would match the delivery to the store');
      const signature = delivery.headers['x-wc-webhook-signature'] as string;
      assert.ok(verifyWebhookSignature(delivery.rawBody, signature, env.WOO_MAIN_WEBHOOK_SECRET as string), 'signed with WOO_MAIN_WEBHOOK_SECRET');
      assert.equal(verifyWebhookSignature(delivery.rawBody, signature, `${env.WOO_MAIN_WEBHOOK_SECRET}x`), false, 'and with nothing else');
      assert.equal((JSON.parse(delivery.rawBody.toString('utf8')) as { id: number }).id, orderId);
    } finally {
      assert.equal(await stopSim(sim), 0, `it stops cleanly on SIGTERM:\n${sim.output()}`);
      await receiver.close();
    }
    assert.equal(existsSync(envFile), false, 'the env file goes with the simulators it describes');
  });

  it('replaces an env file left by an earlier run, and writes none the product would refuse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-compose-'));
    const envFile = join(dir, 'stack.env');
    writeFileSync(envFile, 'WOO_STORES=stale\n');
    const refused = spawnSim(['--host=127.0.0.1', `--env-file=${envFile}`, `--key-file=${join(dir, 'key.pem')}`, '--alert-smtp-url=http://mail.example.com']);
    assert.equal(await refused.exited, 1, refused.output());
    assert.match(refused.output(), /ALERT_SMTP_URL must use smtp:\/\/ or smtps:\/\//);
    assert.equal(existsSync(envFile), false, 'no env file: neither the stale one nor a refused one');

    const sim = spawnSim(['--host=127.0.0.1', `--env-file=${envFile}`, `--key-file=${join(dir, 'key.pem')}`]);
    try {
      await sim.ready;
      const env = parseEnv(readFileSync(envFile, 'utf8'));
      assert.equal(env.WOO_STORES, 'main');
      assert.equal(env.ALERT_SMTP_URL, undefined, 'no alert settings without --alert-smtp-url');
      assert.match(env.WOO_MAIN_URL ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/, 'without --advertise-host the URLs name the host');
    } finally {
      assert.equal(await stopSim(sim), 0, sim.output());
    }
  });
});

describe('env file quoting', () => {
  const tricky = {
    PLAIN: 'sandbox',
    PATH_WITH_SPACE: '/run/sim ulators/key.pem',
    HASH_AND_DOLLAR: 'a#b $HOME c=d',
    SINGLE_QUOTE: "it's",
    DOUBLE_QUOTE: 'say "hi"',
    BACKSLASH_N: 'C:\\new\\dir',
    BOTH_QUOTES_AND_BACKSLASH_N: `it's "\\n"`,
    TRAILING_SPACE: 'x ',
    EMPTY: '',
  };

  it("reads back exactly through Node's own parser (util.parseEnv, the one --env-file uses)", () => {
    assert.deepEqual({ ...parseEnv(formatEnvFile(tricky)) }, tricky);
  });

  it('is needed: naive double quotes turn \\n into a line break and cut a value at its first double quote', () => {
    assert.notEqual(parseEnv(`A="${tricky.BACKSLASH_N}"`).A, tricky.BACKSLASH_N);
    assert.notEqual(parseEnv(`A="${tricky.DOUBLE_QUOTE}"`).A, tricky.DOUBLE_QUOTE);
    assert.notEqual(parseEnv(`A=${tricky.HASH_AND_DOLLAR}`).A, tricky.HASH_AND_DOLLAR);
  });

  it('refuses what it cannot write rather than writing it wrong', () => {
    assert.throws(() => envFileValue('PEM', 'line one\nline two'), /PEM holds a line break/);
    assert.throws(() => envFileValue('ALL', `'"\`\\n`), /every quote character/);
    assert.throws(() => formatEnvFile({ 'NOT-A-NAME': 'x' }), /not an environment variable name/);
  });

  it('is written owner-only and replaced whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-env-'));
    const file = join(dir, 'nested', 'stack.env');
    writeFileAtomically(file, 'A=1\n');
    writeFileAtomically(file, 'A=2\n');
    assert.equal(readFileSync(file, 'utf8'), 'A=2\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['stack.env']);
  });
});

describe('advertised host', () => {
  it('is the listen host by default, loopback for a wildcard host, and the given name when there is one', () => {
    assert.equal(advertisedHost(), '127.0.0.1');
    assert.equal(advertisedHost({ host: '127.0.0.1' }), '127.0.0.1');
    assert.equal(advertisedHost({ host: '0.0.0.0' }), '127.0.0.1');
    assert.equal(advertisedHost({ host: '::' }), '127.0.0.1');
    assert.equal(advertisedHost({ host: '0.0.0.0', advertiseHost: 'simulators' }), 'simulators');
  });
});
