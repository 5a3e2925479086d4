/**
 * mTLS end to end: the dev server behind a real TLS terminator (HAProxy) that demands a client certificate. A worker
 * process and the operator CLI, configured only through the SDK's environment settings (TEMPORAL_TLS_*), connect
 * through it and sync an order; a client certificate of another CA, or none, is refused with an error that says so.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { EXIT, runCli } from '../../src/client';
import { generateCatalog, generateOrderDrafts } from '../../simulators/seed';
import { makeCertificates, type TestCertificates } from '../helpers/certificates';
import { startE2E, type E2E } from '../order-sync/helpers';
import { startTlsTerminator, type TlsTerminator } from './tls-terminator';

const catalog = generateCatalog({ seed: 57 });

describe('Temporal over mTLS, through a TLS terminator that demands a client certificate', () => {
  let e2e: E2E;
  let certificates: TestCertificates;
  let terminator: TlsTerminator;
  /** The settings of a process that reaches Temporal only through the terminator. */
  let tlsEnv: (cert: string | undefined, key: string | undefined) => NodeJS.ProcessEnv;

  before(async () => {
    e2e = await startE2E({ catalog });
    certificates = await makeCertificates();
    terminator = await startTlsTerminator({ upstream: e2e.temporal.address, certificates });
    tlsEnv = (cert, key) => ({
      TEMPORAL_ADDRESS: terminator.address,
      TEMPORAL_NAMESPACE: e2e.temporal.namespace,
      TEMPORAL_CONFIG_FILE: e2e.stack.temporalConfigFile,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      ...(cert ? { TEMPORAL_TLS_CLIENT_CERT_PATH: cert } : {}),
      ...(key ? { TEMPORAL_TLS_CLIENT_KEY_PATH: key } : {}),
    });
  });
  after(async () => {
    await terminator?.stop();
    await e2e?.close();
    if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
  });

  const cli = async (argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await runCli(argv, (line) => lines.push(line), { WOO_STORES: e2e.stack.store.name, TASK_QUEUE: e2e.stack.taskQueue, ...env });
    return { code, text: lines.join('\n') };
  };

  it('a worker process and the CLI connect with a client certificate, and an order syncs', { timeout: 180_000 }, async () => {
    const { stack } = e2e;
    const worker = stack.spawnWorker(tlsEnv(certificates.clientCert, certificates.clientKey));
    await worker.started;
    assert.deepEqual(worker.logged('worker started')?.temporal, {
      address: terminator.address,
      namespace: e2e.temporal.namespace,
      tls: 'mtls',
      apiKey: 'none',
    });

    const order = stack.woo.control.placeOrder({ ...generateOrderDrafts(catalog, 1)[0]!, status: 'processing' });
    await stack.woo.control.flushDeliveries({ runNow: true });
    const state = await stack.waitForOrder(order.id, undefined, 90_000);
    assert.equal(state.status, 'Synced', JSON.stringify(state));

    const ping = await cli(['ping'], tlsEnv(certificates.clientCert, certificates.clientKey));
    assert.equal(ping.code, EXIT.ok, ping.text);
    assert.match(ping.text, new RegExp(`^Temporal at ${terminator.address} answers \\(server \\d+\\.\\d+\\.\\d+`));
    const status = await cli(['status', String(order.id)], tlsEnv(certificates.clientCert, certificates.clientKey));
    assert.equal(status.code, EXIT.ok, status.text);
    assert.match(status.text, /Synced: NetSuite sales order \d+/);
    worker.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
  });

  it('a client certificate of another CA is refused, and the error says so', { timeout: 120_000 }, async () => {
    const refused = await cli(['ping'], tlsEnv(certificates.rogueCert, certificates.rogueKey));
    assert.equal(refused.code, EXIT.unreachable);
    assert.match(
      refused.text,
      new RegExp(
        `^Temporal at ${terminator.address} does not answer: .* — the server refused the client certificate \\(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA\\): TEMPORAL_TLS_CLIENT_CERT_PATH must be signed by a CA the server trusts`,
      ),
    );

    const worker = e2e.stack.spawnWorker(tlsEnv(certificates.rogueCert, certificates.rogueKey));
    assert.equal(await worker.exited, 1, worker.output());
    assert.match(
      worker.output(),
      new RegExp(
        `^worker failed to start: Temporal at ${terminator.address} cannot be reached: .* — the server refused the client certificate \\(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA\\)`,
        'm',
      ),
    );
  });

  it('no client certificate: the error says the server requires one', async () => {
    const refused = await cli(['ping'], tlsEnv(undefined, undefined));
    assert.equal(refused.code, EXIT.unreachable);
    assert.match(
      refused.text,
      / — the server requires a client certificate \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH$/,
    );
  });

  it('a server certificate the client does not trust: the error names TEMPORAL_TLS_SERVER_CA_CERT_PATH', async () => {
    const untrusted = await cli(['ping'], {
      ...tlsEnv(certificates.clientCert, certificates.clientKey),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.rogueCert,
    });
    assert.equal(untrusted.code, EXIT.unreachable);
    assert.match(untrusted.text, / — the server's certificate is not trusted \(\w+\): set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that signed it$/);
  });
});
