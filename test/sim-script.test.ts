import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Client } from 'pg';
import { describe, it } from 'node:test';
import { signAssertion, requestToken } from '../simulators/netsuite/testing';

/** Starts `scripts/sim.ts` with `args`; resolves with the process and its output once it printed "Ctrl-C to stop.". */
async function startSim(args: string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'sim.ts'), ...args], {
    ...(env ? { env } : {}),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Ctrl-C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sim exited with ${code} before it was ready:\n${out}`)));
  });
  return { child, out };
}

describe('npm run sim', () => {
  it('prints URLs and credentials that work: a WooCommerce REST call and a NetSuite token from the written key', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'sim-key-')), 'key.pem');
    const { child, out } = await startSim(['--key-file', keyFile]);
    try {
      const field = (label: string): string => {
        const match = new RegExp(`${label}:\\s+(\\S+)`).exec(out);
        assert.ok(match, `the output names ${label}:\n${out}`);
        return match[1] as string;
      };

      const restBase = field('REST base(?=:\\s+http://[^\\s]+/wp-json)');
      const basic = Buffer.from(`${field('consumer key')}:${field('consumer secret')}`).toString('base64');
      const products = await fetch(`${restBase}/products?sku=SKU-00001`, { headers: { authorization: `Basic ${basic}` } });
      assert.equal(products.status, 200);
      assert.equal(((await products.json()) as { sku: string }[])[0]?.sku, 'SKU-00001');

      const printed = {
        tokenUrl: field('token URL \\(aud\\)'),
        defaultClient: {
          clientId: field('client ID'),
          certificateId: field('certificate ID'),
          algorithm: 'ES256',
          privateKeyPem: readFileSync(keyFile, 'utf8'),
        },
      };
      const token = await requestToken(printed, await signAssertion(printed));
      assert.equal(token.status, 200);
      assert.equal(((await token.json()) as { token_type: string }).token_type, 'bearer');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, 'it stops cleanly on SIGTERM');
    }
  });

  it('--postgres adds a PostgreSQL a worker can use (embedded when no URL is set), written to the env file and stopped with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-postgres-'));
    const envFile = join(dir, 'stack.env');
    // A newcomer's shell: no NETSUITE_LIMITER_URL, so the simulators start an embedded PostgreSQL.
    const { child, out } = await startSim(['--', '--postgres', '--key-file', join(dir, 'key.pem'), '--env-file', envFile], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
    });
    const url = parseEnv(readFileSync(envFile, 'utf8')).NETSUITE_LIMITER_URL;
    assert.ok(url, 'the env file names the database');
    assert.match(out, /PostgreSQL \(embedded, removed at Ctrl-C\): NETSUITE_LIMITER_URL=postgres:\/\/postgres:/);
    const client = new Client({ connectionString: url });
    await client.connect();
    assert.equal((await client.query<{ answer: number }>('SELECT 41 + 1 AS answer')).rows[0]?.answer, 42);
    await client.end();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const after = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    after.on('error', () => undefined);
    await assert.rejects(after.connect(), /ECONNREFUSED/, 'the embedded PostgreSQL stopped with the simulators');
  });
});
