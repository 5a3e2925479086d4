/**
 * The proof on a real Temporal server that customers' personal data is not stored in plain text: the same tiny
 * workflow (test/codec/workflows.ts) runs twice with a customer-like input — once without the codec, where the
 * e-mail, name and street ARE in the raw history (so this test can fail), and once with the AES-GCM codec and the
 * encoding failure converter on both Worker and Client, where they are in it neither raw nor base64-encoded. The raw
 * history is read twice: the gRPC answer's protobuf bytes, and `temporal workflow show --output json`. Then the codec
 * server makes the same CLI command show the plaintext with a valid token — and refuses a wrong one.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client, type DataConverter } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { resolveTemporalCli } from '../../dev/temporal-dev-server';
import { AesGcmPayloadCodec } from '../../src/codec/aes-gcm-codec';
import { loadCodecSettings } from '../../src/config';
import { createCodecServer, type CodecServer } from '../../src/codec-server';
import { createLogger } from '../../src/logger';
import { uniqueTaskQueue, useTestTemporal, type TestTemporal } from '../helpers/temporal';
import { secretForms } from './helpers';
import { customerLabelWorkflow, type CustomerActivities, type TestCustomer } from './workflows';

const execFileAsync = promisify(execFile);

const customer: TestCustomer = {
  email: 'zoe.fairweather+orders@example.net',
  name: 'Zoë Fairweather-Ångström',
  address: { line1: '221 Kittiwake Crescent', city: 'Aberystwyth', postcode: 'SY23 1AB', country: 'GB' },
};
/** The strings that must not be readable in the stored history. */
const PII = [customer.email, customer.name, customer.address.line1];

const activities: CustomerActivities = {
  async formatShippingLabel(c) {
    return `${c.name}\n${c.address.line1}\n${c.address.postcode} ${c.address.city}\n${c.address.country}`;
  },
  async lookUpCustomer(email) {
    throw ApplicationFailure.create({ type: 'AmbiguousCustomer', message: `two NetSuite customers match ${email}`, nonRetryable: true });
  },
};

const codec = new AesGcmPayloadCodec(loadCodecSettings({ PAYLOAD_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` }) ?? assert.fail('codec on'));
const encrypting: DataConverter = { payloadCodecs: [codec], failureConverterPath: require.resolve('../../src/codec/failure-converter') };

/** Where each PII string shows in `text`: itself, or base64-encoded (any alignment). */
function findPii(text: string): string[] {
  const found: string[] = [];
  for (const secret of PII) {
    if (text.includes(secret)) found.push(`${secret} (plain)`);
    if (secretForms(secret).some((form) => text.includes(form))) found.push(`${secret} (base64)`);
  }
  return found;
}

describe('customer data at rest in the workflow history', () => {
  let t: TestTemporal;
  let cli: string;
  let codecServer: CodecServer;
  let codecUrl: string;
  const token = randomBytes(32).toString('base64url');
  const codecServerLog: string[] = [];
  /** How many requests the codec server refused for a bad token so far. */
  const refusals = (): number => codecServerLog.filter((line) => line.includes('codec request refused') && line.includes('unknown token')).length;
  const runs: Record<'plain' | 'encrypted', { workflowId: string; result: Awaited<ReturnType<typeof customerLabelWorkflow>> }> = {} as never;

  /** Runs the workflow to completion on a worker of its own, with or without the codec. */
  async function run(dataConverter: DataConverter | undefined): Promise<{ workflowId: string; result: Awaited<ReturnType<typeof customerLabelWorkflow>> }> {
    const taskQueue = uniqueTaskQueue('codec-history');
    const worker = await Worker.create({
      connection: t.env.nativeConnection,
      namespace: t.namespace,
      taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities,
      ...(dataConverter !== undefined ? { dataConverter } : {}),
    });
    const client = new Client({ connection: t.env.connection, namespace: t.namespace, ...(dataConverter !== undefined ? { dataConverter } : {}) });
    const workflowId = `${taskQueue}-order-1001`;
    const result = await worker.runUntil(
      client.workflow.execute(customerLabelWorkflow, { taskQueue, workflowId, args: [{ orderId: 1001, customer }], memo: { customerEmail: customer.email } }),
    );
    const memo = (await client.workflow.getHandle(workflowId).describe()).memo;
    assert.deepEqual(memo, { customerEmail: customer.email }, 'the memo reads back through the same data converter');
    return { workflowId, result };
  }

  /** The history as the server stores and serves it: the protobuf bytes of every page of GetWorkflowExecutionHistory. */
  async function rawHistoryBytes(workflowId: string): Promise<string> {
    const chunks: Buffer[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await t.env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: t.namespace,
        execution: { workflowId },
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      chunks.push(Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(page).finish()));
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** `temporal workflow show --output json` (plus `extra`), its stdout. */
  async function show(workflowId: string, extra: string[] = []): Promise<string> {
    const { stdout } = await execFileAsync(
      cli,
      ['workflow', 'show', '--workflow-id', workflowId, '--address', t.address, '--namespace', t.namespace, '--output', 'json', ...extra],
      {
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '' },
      },
    );
    return stdout;
  }

  before(async () => {
    t = await useTestTemporal();
    const resolved = await resolveTemporalCli();
    assert.ok(resolved.path, `a Temporal CLI binary (got ${resolved.source})`);
    cli = resolved.path;
    const logger = createLogger({ level: 'warn', name: 'codec-server-test', destination: { write: (line: string) => void codecServerLog.push(line) } });
    codecServer = createCodecServer({ codec, auth: { tokens: [token] }, corsOrigins: [], logger });
    codecUrl = await codecServer.listen('127.0.0.1', 0);
    runs.plain = await run(undefined);
    runs.encrypted = await run(encrypting);
  });
  after(async () => {
    await codecServer?.close();
    await t?.close();
  });

  it('both runs complete with the same result: the codec is transparent to workflow and client', () => {
    assert.equal(runs.encrypted.result.label, `${customer.name}\n${customer.address.line1}\nSY23 1AB Aberystwyth\nGB`);
    assert.equal(runs.encrypted.result.lookup, `failed: two NetSuite customers match ${customer.email}`);
    assert.deepEqual(runs.encrypted.result, runs.plain.result);
  });

  it('without the codec, the e-mail, name and street ARE in the raw history (the check below can fail)', async () => {
    const raw = await rawHistoryBytes(runs.plain.workflowId);
    for (const secret of PII) assert.ok(findPii(raw).includes(`${secret} (plain)`), `${secret} in the gRPC history bytes`);
    const shown = findPii(await show(runs.plain.workflowId));
    for (const secret of PII)
      assert.ok(
        shown.some((f) => f.startsWith(secret)),
        `${secret} in \`temporal workflow show\``,
      );
  });

  it('with the codec, none of them is in the raw history, neither plain nor base64 — payloads, memo and failure message included', async () => {
    const raw = await rawHistoryBytes(runs.encrypted.workflowId);
    assert.ok(raw.includes('binary/encrypted'), 'the history holds encrypted payloads');
    assert.ok(raw.includes('encryption-key-id'), 'naming their key');
    assert.deepEqual(findPii(raw), []);
    assert.ok(!raw.includes('two NetSuite customers match'), 'the failure message is encrypted too (encodeCommonAttributes)');
    const shown = await show(runs.encrypted.workflowId);
    assert.ok(shown.includes(Buffer.from('binary/encrypted').toString('base64')) || shown.includes('binary/encrypted'), 'the CLI shows the encrypted payloads');
    assert.deepEqual(findPii(shown), []);
  });

  it('through the codec server, `temporal workflow show --codec-endpoint` shows the plaintext; a wrong token is refused', async () => {
    const decoded = await show(runs.encrypted.workflowId, ['--codec-endpoint', codecUrl, '--codec-auth', `Bearer ${token}`]);
    // The CLI prints decoded payloads as proto JSON: json/plain encoding, the data base64 — the plaintext JSON.
    const found = findPii(decoded);
    for (const secret of PII)
      assert.ok(
        found.some((f) => f.startsWith(secret)),
        `${secret} decoded`,
      );
    assert.ok(!decoded.includes(Buffer.from('binary/encrypted').toString('base64')), 'no payload left encrypted');
    assert.ok(decoded.includes(Buffer.from('json/plain').toString('base64')));
    // A wrong token: the codec server answers 401, and the CLI (which retries a failed decode until its deadline) shows nothing.
    const refusedBefore = refusals();
    await assert.rejects(
      show(runs.encrypted.workflowId, ['--codec-endpoint', codecUrl, '--codec-auth', 'Bearer not-the-token-not-the-token', '--command-timeout', '3s']),
      (error: Error & { stdout?: string }) => {
        assert.deepEqual(findPii(error.stdout ?? ''), []);
        return true;
      },
    );
    assert.ok(refusals() > refusedBefore, 'the codec server refused the wrong token');
  });
});
