import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadReceiverSettings, loadWorkerSettings, mappingFilePath } from '../../src/config';

describe('receiver, mapping and worker settings', () => {
  it('the receiver listens on 0.0.0.0:8080 with a 1 MiB body limit and drains within 10 s unless told otherwise', () => {
    assert.deepEqual(loadReceiverSettings({}), { host: '0.0.0.0', port: 8080, bodyLimitBytes: 1048576, drainSeconds: 10 });
    assert.deepEqual(loadReceiverSettings({ WEBHOOK_HOST: '127.0.0.1', WEBHOOK_PORT: '0', WEBHOOK_BODY_LIMIT_BYTES: '2048', WEBHOOK_DRAIN_SECONDS: '2.5' }), {
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: 2048,
      drainSeconds: 2.5,
    });
  });

  it('an invalid receiver setting is refused naming the variable', () => {
    assert.throws(
      () => loadReceiverSettings({ WEBHOOK_PORT: '70000' }),
      (error: unknown) => error instanceof ConfigError && /WEBHOOK_PORT/.test(error.message),
    );
    assert.throws(
      () => loadReceiverSettings({ WEBHOOK_BODY_LIMIT_BYTES: 'lots' }),
      (error: unknown) => error instanceof ConfigError && /WEBHOOK_BODY_LIMIT_BYTES/.test(error.message),
    );
    assert.throws(
      () => loadReceiverSettings({ WEBHOOK_DRAIN_SECONDS: '-1' }),
      (error: unknown) => error instanceof ConfigError && /WEBHOOK_DRAIN_SECONDS/.test(error.message),
    );
  });

  it('the mapping file defaults to config/mapping.json under the working directory; MAPPING_FILE overrides it', () => {
    assert.equal(mappingFilePath({}), join(process.cwd(), 'config', 'mapping.json'));
    assert.equal(mappingFilePath({ MAPPING_FILE: 'custom/map.json' }), join(process.cwd(), 'custom', 'map.json'));
    assert.equal(mappingFilePath({ MAPPING_FILE: '/etc/sync/mapping.json' }), '/etc/sync/mapping.json');
  });

  it('the worker serves the default orders queue and gives NeedsAttention orders 30 days unless told otherwise', () => {
    assert.deepEqual(loadWorkerSettings({}), {
      taskQueue: 'woo-netsuite-orders',
      mappingFile: join(process.cwd(), 'config', 'mapping.json'),
      needsAttentionLimitSeconds: 2592000,
      netsuiteActivitySlots: undefined,
      driftFixtureFile: join(process.cwd(), 'config', 'netsuite-schema.json'),
      permitWaitReportSeconds: 60,
      lookupCacheSeconds: 600,
      inventoryFullPassHours: 24,
    });
    const custom = loadWorkerSettings({
      TASK_QUEUE: 'orders-eu',
      NEEDS_ATTENTION_LIMIT_SECONDS: '3600',
      NETSUITE_ACTIVITY_SLOTS: '8',
      DRIFT_FIXTURE_FILE: 'ops/schema.json',
      NETSUITE_PERMIT_WAIT_REPORT_SECONDS: '5',
      NETSUITE_LOOKUP_CACHE_SECONDS: '0',
      INVENTORY_FULL_PASS_HOURS: '6',
    });
    assert.equal(custom.lookupCacheSeconds, 0, 'the look-up cache off');
    assert.equal(custom.inventoryFullPassHours, 6);
    assert.equal(custom.driftFixtureFile, join(process.cwd(), 'ops', 'schema.json'));
    assert.equal(custom.taskQueue, 'orders-eu');
    assert.equal(custom.needsAttentionLimitSeconds, 3600);
    assert.equal(custom.netsuiteActivitySlots, 8);
    assert.equal(custom.permitWaitReportSeconds, 5);
    assert.throws(() => loadWorkerSettings({ NETSUITE_ACTIVITY_SLOTS: '0' }), /NETSUITE_ACTIVITY_SLOTS/);
    assert.throws(() => loadWorkerSettings({ NETSUITE_LOOKUP_CACHE_SECONDS: '-1' }), /NETSUITE_LOOKUP_CACHE_SECONDS/);
  });
});
