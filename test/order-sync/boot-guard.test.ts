/**
 * The sandbox/production guard through the real entry points: `node --import tsx src/worker.ts` and `src/receiver.ts`
 * started with cross-wired settings refuse to boot (exit 78, EX_CONFIG) with a message naming the mismatch and never
 * the private key; the same processes with a correct environment boot.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startE2E, uniqueStoreName, type E2E } from './helpers';

const ROOT = resolve(__dirname, '../..');
const EX_CONFIG = 78;
const TEST_TIMEOUT = 120_000;
const ENTRY_POINTS = ['src/worker.ts', 'src/receiver.ts'] as const;

interface Spawned {
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Resolves once the output contains `text`. */
  waitFor(text: string): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts an entry point as a real process, as a deployment would. */
function start(entry: string, env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  const waiters: { text: string; done: () => void }[] = [];
  const collect = (chunk: Buffer, isErr: boolean): void => {
    const text = chunk.toString('utf8');
    output += text;
    if (isErr) stderr += text;
    for (const waiter of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.done();
    }
  };
  child.stdout.on('data', (chunk: Buffer) => collect(chunk, false));
  child.stderr.on('data', (chunk: Buffer) => collect(chunk, true));
  const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? -1)));
  return {
    output: () => output,
    stderr: () => stderr,
    exited,
    waitFor: (text) =>
      output.includes(text)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((done) => waiters.push({ text, done })),
            exited.then((code) => {
              throw new Error(`${entry} exited (${code}) before logging "${text}":\n${output}`);
            }),
          ]),
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}

describe('the sandbox/production guard of the real entry points', () => {
  let e2e: E2E;
  let pem: string;
  const started: Spawned[] = [];
  before(async () => {
    e2e = await startE2E({ store: uniqueStoreName('boot') });
    pem = e2e.stack.netsuiteSettings.credentials.privateKeyPem;
  });
  after(async () => {
    for (const proc of started) proc.kill('SIGKILL');
    await Promise.allSettled(started.map((p) => p.exited));
    await e2e?.close();
  });

  const spawnEntry = (entry: string, env: NodeJS.ProcessEnv): Spawned => {
    const proc = start(entry, { WEBHOOK_HOST: '127.0.0.1', WEBHOOK_PORT: '0', ...env });
    started.push(proc);
    return proc;
  };

  /** The stack's (correct, sandbox) environment without any NS_SANDBOX_* variable. */
  const withoutSandbox = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(e2e.stack.workerEnv()).filter(([name]) => !name.startsWith('NS_SANDBOX_')));
  const prodAccount = (accountId: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...withoutSandbox(),
    NETSUITE_ENVIRONMENT: 'production',
    NETSUITE_ALLOW_CUSTOM_HOST: 'false',
    NS_PROD_ACCOUNT_ID: accountId,
    NS_PROD_CLIENT_ID: e2e.stack.netsuiteSettings.credentials.clientId,
    NS_PROD_CERTIFICATE_ID: e2e.stack.netsuiteSettings.credentials.certificateId,
    NS_PROD_PRIVATE_KEY: pem, // inline, so a leak would show
    NS_PROD_JWT_ALGORITHM: 'ES256',
    ...extra,
  });

  const crossWired: { name: string; env: () => NodeJS.ProcessEnv; says: RegExp }[] = [
    {
      name: 'NETSUITE_ENVIRONMENT=production with only NS_SANDBOX_* settings',
      env: () => e2e.stack.workerEnv({ NETSUITE_ENVIRONMENT: 'production' }),
      says: /NETSUITE_ENVIRONMENT=production but only NS_SANDBOX_\* settings are present/,
    },
    {
      name: 'NS_PROD_ACCOUNT_ID is a sandbox account (1234567_SB1)',
      env: () => prodAccount('1234567_SB1'),
      says: /NS_PROD_ACCOUNT_ID=1234567_SB1 is a sandbox account, but NETSUITE_ENVIRONMENT=production/,
    },
    {
      name: 'a production base URL on a -sb1 host',
      env: () => prodAccount('1234567', { NS_PROD_BASE_URL: 'https://1234567-sb1.suitetalk.api.netsuite.com' }),
      says: /NS_PROD_BASE_URL=https:\/\/1234567-sb1\.suitetalk\.api\.netsuite\.com points at a sandbox host \(1234567-sb1\), but NETSUITE_ENVIRONMENT=production/,
    },
    {
      name: 'NS_SANDBOX_ACCOUNT_ID is a production account',
      env: () => e2e.stack.workerEnv({ NS_SANDBOX_ACCOUNT_ID: '1234567' }),
      says: /NS_SANDBOX_ACCOUNT_ID=1234567 is a production account .*but NETSUITE_ENVIRONMENT=sandbox/,
    },
    {
      name: 'a sandbox base URL on a production host',
      env: () =>
        e2e.stack.workerEnv({
          NETSUITE_ALLOW_CUSTOM_HOST: 'false',
          NS_SANDBOX_ACCOUNT_ID: '1234567_SB1',
          NS_SANDBOX_BASE_URL: 'https://1234567.suitetalk.api.netsuite.com',
        }),
      says: /NS_SANDBOX_BASE_URL=https:\/\/1234567\.suitetalk\.api\.netsuite\.com points at a production host/,
    },
  ];

  for (const { name, env, says } of crossWired) {
    it(`refuses to boot (exit 78, names the mismatch, no key text) — ${name}`, { timeout: TEST_TIMEOUT }, async () => {
      const procs = ENTRY_POINTS.map((entry) => ({ entry, proc: spawnEntry(entry, env()) }));
      for (const { entry, proc } of procs) {
        const code = await proc.exited;
        assert.equal(code, EX_CONFIG, `${entry} exit code; output:\n${proc.output()}`);
        assert.match(proc.stderr(), entry === 'src/worker.ts' ? /^worker refused to boot: NetSuite / : /^receiver refused to boot: NetSuite /);
        assert.match(proc.stderr(), says, entry);
        const output = proc.output();
        assert.doesNotMatch(output, /PRIVATE KEY-----/, `${entry} printed key material`);
        for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
          assert.ok(!output.includes(line), `${entry} printed a line of the private key`);
        }
        assert.doesNotMatch(output, /worker started|webhook receiver listening/);
      }
    });
  }

  it('the worker refuses a broken alert setup (exit 78) without echoing the SMTP password', { timeout: TEST_TIMEOUT }, async () => {
    const worker = spawnEntry('src/worker.ts', e2e.stack.workerEnv({ ALERT_SMTP_URL: 'smtps://alerts:Sm7p-pa55w0rd@smtp.example.com:465' }));
    assert.equal(await worker.exited, EX_CONFIG, worker.output());
    assert.match(worker.stderr(), /^worker refused to boot: invalid alert settings — ALERT_EMAIL_TO is required with ALERT_SMTP_URL/);
    assert.doesNotMatch(worker.output(), /Sm7p-pa55w0rd/);
  });

  it('boots with a correct environment: the worker logs "worker started", the receiver listens; both stop on SIGTERM', { timeout: TEST_TIMEOUT }, async () => {
    const worker = spawnEntry('src/worker.ts', e2e.stack.workerEnv());
    const receiver = spawnEntry('src/receiver.ts', e2e.stack.workerEnv());
    await Promise.all([worker.waitFor('"worker started"'), receiver.waitFor('"webhook receiver listening"')]);
    assert.match(worker.output(), /"environment":"sandbox"/);
    for (const proc of [worker, receiver]) {
      assert.doesNotMatch(proc.output(), /PRIVATE KEY-----/);
      proc.kill('SIGTERM');
    }
    assert.equal(await worker.exited, 0, worker.output());
    assert.equal(await receiver.exited, 0, receiver.output());
  });
});
