/**
 * The drift watcher end to end: the real dev server runs the drift workflow, its activities read the NetSuite
 * simulator's metadata catalog over HTTP and mail through real SMTP on loopback. A fresh snapshot → no change, no
 * mail; a SuiteScript deploy renames the mapped order-key field → the next run alerts, naming it and its likely new
 * name; pointing the mapping at the new name and re-snapshotting → quiet again. A missing fixture fails the run at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { startMailSink, type MailSink } from '../../dev/mail-sink';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { generateCatalog } from '../../simulators/seed';
import { createDriftActivities } from '../../src/activities/drift-activities';
import { createMappingSource } from '../../src/activities/mapping-source';
import { createAlertSender, type AlertSender } from '../../src/alerts';
import { takeSnapshot, writeFixture, type SchemaDriftInput, type SchemaDriftResult } from '../../src/drift';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import type { schemaDriftWorkflow } from '../../src/workflows/schema-drift';
import { credentialsFor } from '../netsuite/helpers';
import { uniqueStoreName } from '../order-sync/helpers';
import { uniqueTaskQueue, useTestTemporal, type TestTemporal } from '../helpers/temporal';
import { SCHEDULED_WORKFLOW_TYPES } from '../../src/api';

describe('schema-drift watcher, end to end', () => {
  let temporal: TestTemporal;
  let sim: NetSuiteSimulator;
  let mail: MailSink;
  let alerts: AlertSender;
  let netsuite: NetSuiteClient;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('drift');
  const store = uniqueStoreName('drift');
  const dir = mkdtempSync(join(tmpdir(), 'drift-e2e-'));
  const fixtureFile = join(dir, 'netsuite-schema.json');
  const mappingFile = join(dir, 'mapping.json');

  before(async () => {
    temporal = await useTestTemporal();
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 1 }) });
    mail = await startMailSink({ user: 'alerts', password: 'smtp-secret-pw' });
    alerts = createAlertSender({ email: { smtpUrl: mail.url, from: 'sync@shop.test', to: ['owner@shop.test'] } });
    netsuite = createNetSuiteClient({ credentials: credentialsFor(sim), limiter: createProcessLimiter(2) });
    writeFileSync(mappingFile, readFileSync(join(__dirname, '..', '..', 'config', 'mapping.json')));
    // The fixture is taken from this simulator by the code `npm run drift:snapshot` runs.
    writeFixture(fixtureFile, await takeSnapshot(netsuite));
    worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows/schema-drift'),
      activities: createDriftActivities({ netsuite, mapping: createMappingSource(mappingFile), alerts, fixtureFile, stores: [store] }),
    });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running;
    alerts?.close();
    await mail?.close();
    await sim?.close();
    await temporal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let runs = 0;
  const workflowIdOf = (run: number): string => `${taskQueue}-run-${run}`;
  const runWatcher = (input: SchemaDriftInput = {}): Promise<SchemaDriftResult> =>
    temporal.env.client.workflow.execute<typeof schemaDriftWorkflow>(SCHEDULED_WORKFLOW_TYPES['schema-drift'], {
      taskQueue,
      workflowId: workflowIdOf(++runs),
      args: [input],
    });
  /** The current details the Web UI shows for the last run. */
  const currentDetails = async (): Promise<string> =>
    (await temporal.env.client.workflow.getHandle(workflowIdOf(runs)).query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';

  test('no change → 0 changes, no alert; a renamed mapped custom field → the next run mails the owner naming it', async () => {
    const quiet = await runWatcher();
    assert.equal(quiet.changes, 0);
    assert.equal(quiet.alerted, false);
    assert.deepEqual(quiet.diff.details, []);
    assert.deepEqual(quiet.diff.recordTypes, ['salesOrder', 'customer']);
    assert.match(
      await currentDetails(),
      /^\*\*no change that affects the sync\*\* — account 1234567_SB1, salesOrder, customer compared with .*\nNo alert sent\.$/,
    );

    // A SuiteScript deploy renames the field that holds the WooCommerce order key.
    const response = await fetch(`${sim.controlUrl}/control/schema/rename-field`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recordType: 'salesOrder', from: 'custbody_woo_order_key', to: 'custbody_woo_order_key2' }),
    });
    assert.equal(response.status, 200, await response.text());

    const drift = await runWatcher();
    assert.ok(drift.changes >= 1);
    assert.equal(drift.alerted, true);
    const vanished = drift.diff.details.find((c) => c.kind === 'vanished');
    assert.equal(vanished?.field, 'custbody_woo_order_key');
    assert.equal(vanished?.renamedTo, 'custbody_woo_order_key2');
    assert.deepEqual(
      vanished?.usedBy?.map((u) => [u.setting, u.stores]),
      [['customFields.orderKey', [store]]],
    );
    const details = await currentDetails();
    assert.match(details, /- salesOrder\.custbody_woo_order_key — Vanished \(renamed to custbody_woo_order_key2\?\)/);
    assert.match(details, /Alert sent\.$/);

    const received = await mail.waitFor((m) => m.alertKind === 'schema-drift', 10_000);
    assert.deepEqual(received.to, ['owner@shop.test']);
    assert.equal(received.subject, `NetSuite schema drift: ${drift.changes} changes that affect the sync (account ${sim.accountId})`);
    assert.match(received.text, /salesOrder\.custbody_woo_order_key vanished/);
    assert.match(received.text, /custbody_woo_order_key2 .*appeared: renamed\?/);
    assert.match(received.text, /"customFields": \{"orderKey": "custbody_woo_order_key2"\}/);
    assert.match(received.html, /<code>salesOrder\.custbody_woo_order_key<\/code>/);
    assert.doesNotMatch(`${received.text}${received.html}${JSON.stringify(drift)}`, /smtp-secret-pw/);
    // The first run sent nothing: this is the only mail.
    assert.equal(mail.messages.length, 1);
  });

  test('after the mapping follows the rename and a new snapshot is taken, the watcher is quiet again', async () => {
    const mapping = JSON.parse(readFileSync(mappingFile, 'utf8')) as { customFields: Record<string, string> };
    mapping.customFields.orderKey = 'custbody_woo_order_key2';
    writeFileSync(mappingFile, `${JSON.stringify(mapping, null, 2)}\n`);
    const mappingFixed = await runWatcher();
    assert.deepEqual(
      mappingFixed.diff.details.map((c) => [c.kind, c.field]),
      [
        ['newCustomField', 'custbody_woo_order_key2'],
        ['removed', 'custbody_woo_order_key'],
      ],
      'the field is no longer written, so only the unrecorded new field still counts',
    );

    writeFixture(fixtureFile, await takeSnapshot(netsuite));
    const before = mail.messages.length;
    const quiet = await runWatcher();
    assert.equal(quiet.changes, 0);
    assert.equal(quiet.alerted, false);
    assert.deepEqual(quiet.diff.details, []);
    assert.equal(mail.messages.length, before);
  });

  test('a missing fixture fails the run at once, saying how to write one', async () => {
    const error = await runWatcher({ fixture: join(dir, 'absent.json') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkflowFailedError, String(error));
    assert.ok(error.cause instanceof ActivityFailure);
    const cause = error.cause.cause;
    assert.ok(cause instanceof ApplicationFailure);
    assert.equal(cause.type, 'DriftFixtureInvalid');
    assert.match(cause.message, /absent\.json cannot be read \(ENOENT\): run npm run drift:snapshot/);
  });
});
