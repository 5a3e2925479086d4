/**
 * An API key (Temporal Cloud's way) reaches Temporal as the SDK sends it — `authorization: Bearer <key>` on every call,
 * over TLS — from the CLI and from a worker process, configured only by TEMPORAL_API_KEY; and it is never printed.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { EXIT, runCli } from '../../src/client';
import { makeCertificates, type TestCertificates } from '../helpers/certificates';
import { until } from '../helpers/until';
import { startE2E, type E2E } from '../order-sync/helpers';
import { startGrpcRecorder, type GrpcRecorder } from './grpc-recorder';

const API_KEY = 'tmprl-api-key-never-printed-0123456789abcdef';

describe('Temporal with an API key', () => {
  let e2e: E2E;
  let certificates: TestCertificates;
  let recorder: GrpcRecorder;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    e2e = await startE2E();
    certificates = await makeCertificates();
    recorder = await startGrpcRecorder({ upstream: e2e.temporal.address, certificates });
    env = {
      TEMPORAL_ADDRESS: recorder.address,
      TEMPORAL_NAMESPACE: e2e.temporal.namespace,
      TEMPORAL_CONFIG_FILE: e2e.stack.temporalConfigFile,
      TEMPORAL_API_KEY: API_KEY,
      // No TEMPORAL_TLS: an API key turns TLS on by itself, as on Temporal Cloud.
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    };
  });
  after(async () => {
    await recorder?.stop();
    await e2e?.close();
    if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
  });

  it('the CLI sends it as "authorization: Bearer <key>" over TLS, and Temporal answers', async () => {
    const lines: string[] = [];
    const code = await runCli(['ping'], (line) => lines.push(line), env);
    assert.equal(code, EXIT.ok, lines.join('\n'));
    assert.match(lines.join('\n'), new RegExp(`^Temporal at ${recorder.address} answers`));
    const sent = recorder.authorizations();
    assert.ok(sent.length > 0);
    assert.deepEqual([...new Set(sent)], [`Bearer ${API_KEY}`], 'every call carries the key');
    assert.ok(!lines.join('\n').includes(API_KEY));
  });

  it('a worker process sends it on its polls, and never logs it', { timeout: 120_000 }, async () => {
    const before = recorder.authorizations().length;
    const worker = e2e.stack.spawnWorker(env);
    await worker.started;
    assert.deepEqual(worker.logged('worker started')?.temporal, { address: recorder.address, namespace: e2e.temporal.namespace, tls: 'tls', apiKey: 'set' });
    await until(() => recorder.authorizations().length > before + 2, "the worker's calls to reach the server");
    assert.deepEqual([...new Set(recorder.authorizations().slice(before))], [`Bearer ${API_KEY}`]);
    worker.kill('SIGTERM');
    assert.equal(await worker.exited, 0, worker.output().slice(-2000));
    assert.ok(!worker.output().includes(API_KEY), 'the key is never logged');
  });
});
