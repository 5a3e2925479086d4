import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signAssertion, requestToken } from '../simulators/netsuite/testing';

describe('npm run sim', () => {
  it('prints URLs and credentials that work: a WooCommerce REST call and a NetSuite token from the written key', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'sim-key-')), 'key.pem');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'sim.ts'), '--key-file', keyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('Ctrl-C to stop.')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`sim exited with ${code} before it was ready:\n${out}`)));
      });
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
        defaultClient: { clientId: field('client ID'), certificateId: field('certificate ID'), algorithm: 'ES256', privateKeyPem: readFileSync(keyFile, 'utf8') },
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
});
