import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const entry = join(__dirname, '..', '..', 'src', 'receiver.ts');
const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Runs `src/receiver.ts` as its own process with exactly this environment (plus PATH and HOME). */
function runReceiver(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

const storeEnv = {
  WOO_STORES: 'main',
  WOO_MAIN_URL: 'https://shop.example.com',
  WOO_MAIN_CONSUMER_KEY: 'ck_0123456789abcdef',
  WOO_MAIN_CONSUMER_SECRET: 'cs_secret_never_printed_1234',
  WOO_MAIN_WEBHOOK_SECRET: 'whsec_never_printed_5678',
};

describe('the receiver process', () => {
  test('missing store settings: the message goes to stderr and the exit code is 78', async () => {
    const { code, stderr } = await runReceiver({ NETSUITE_ENVIRONMENT: 'sandbox' });
    assert.equal(code, 78);
    assert.match(stderr, /WOO_STORES/);
  });

  test('cross-wired NetSuite settings (a sandbox account declared as production) refuse to boot with 78, printing no secret', async () => {
    const { code, stderr } = await runReceiver({
      ...storeEnv,
      NETSUITE_ENVIRONMENT: 'production',
      NETSUITE_LIMITER: 'process',
      NS_PROD_ACCOUNT_ID: '1234567_SB1',
      NS_PROD_CLIENT_ID: 'client-id',
      NS_PROD_CERTIFICATE_ID: 'cert-id',
      NS_PROD_PRIVATE_KEY: privateKeyPem,
    });
    assert.equal(code, 78);
    assert.match(stderr, /NS_PROD_ACCOUNT_ID=1234567_SB1/);
    for (const secret of [storeEnv.WOO_MAIN_CONSUMER_SECRET, storeEnv.WOO_MAIN_WEBHOOK_SECRET, 'PRIVATE KEY'])
      assert.ok(!stderr.includes(secret), `${secret} printed`);
  });
});
