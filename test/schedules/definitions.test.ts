/** The schedules file and the schedules it defines: defaults, per-store jobs, time zones, inputs, fingerprints, and clear errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedulesConfig } from '../../src/schedules/config';
import { describeSpec, scheduleDefinitions } from '../../src/schedules/definitions';

describe('schedule definitions', () => {
  it('one schedule per store for inventory, catch-up, fulfilment and reconciliation, one for schema drift, with defaults', () => {
    const definitions = scheduleDefinitions(parseSchedulesConfig({}), ['main', 'outlet'], 'woo-netsuite-orders');
    assert.deepEqual(
      definitions.map((d) => d.scheduleId),
      [
        'woo-netsuite-sync:inventory:main',
        'woo-netsuite-sync:inventory:outlet',
        'woo-netsuite-sync:schema-drift',
        'woo-netsuite-sync:reconciliation:main',
        'woo-netsuite-sync:reconciliation:outlet',
        'woo-netsuite-sync:catch-up:main',
        'woo-netsuite-sync:catch-up:outlet',
        'woo-netsuite-sync:fulfilment:main',
        'woo-netsuite-sync:fulfilment:outlet',
      ],
    );
    const fulfilment = definitions.find((d) => d.kind === 'fulfilment')!;
    assert.equal(describeSpec(fulfilment), 'every 5m (UTC)');
    assert.equal(fulfilment.workflowType, 'fulfilmentSyncWorkflow');
    const inventory = definitions[0]!;
    assert.equal(describeSpec(inventory), 'every 15m (UTC)');
    assert.equal(inventory.workflowType, 'inventorySyncWorkflow');
    assert.deepEqual(inventory.input, { store: 'main' });
    assert.equal(describeSpec(definitions[2]!), 'cron 0 10 * * TUE (UTC)');
    assert.deepEqual(definitions[2]!.input, {}, 'schema drift is not per store');
  });

  it("reads the owner's time zone, per-job overrides and inputs; the reconciliation gets the time zone in its input", () => {
    const config = parseSchedulesConfig({
      timeZone: 'Europe/Berlin',
      reconciliation: { cron: '30 6 * * MON-FRI', input: { thresholds: { itemCount: 2 } } },
      'schema-drift': { cron: '0 9 * * WED', timeZone: 'America/New_York' },
      inventory: { every: '10m', enabled: false },
    });
    const definitions = scheduleDefinitions(config, ['main'], 'q1');
    assert.equal(
      definitions.some((d) => d.kind === 'inventory'),
      false,
      'a disabled job has no schedule',
    );
    const reconciliation = definitions.find((d) => d.kind === 'reconciliation')!;
    assert.equal(describeSpec(reconciliation), 'cron 30 6 * * MON-FRI (Europe/Berlin)');
    assert.deepEqual(reconciliation.input, { timeZone: 'Europe/Berlin', thresholds: { itemCount: 2 }, store: 'main' });
    assert.equal(reconciliation.scheduleId, 'woo-netsuite-sync@q1:reconciliation:main', 'another task queue, other schedule IDs');
    assert.equal(describeSpec(definitions.find((d) => d.kind === 'schema-drift')!), 'cron 0 9 * * WED (America/New_York)');
  });

  it('the fingerprint changes with what is sent, and only then', () => {
    const a = scheduleDefinitions(parseSchedulesConfig({}), ['main'], 'q');
    const b = scheduleDefinitions(parseSchedulesConfig({}), ['main'], 'q');
    const c = scheduleDefinitions(parseSchedulesConfig({ inventory: { every: '20m' } }), ['main'], 'q');
    assert.deepEqual(
      a.map((d) => d.fingerprint),
      b.map((d) => d.fingerprint),
    );
    assert.notEqual(a[0]!.fingerprint, c[0]!.fingerprint);
    assert.deepEqual(
      a.slice(1).map((d) => d.fingerprint),
      c.slice(1).map((d) => d.fingerprint),
    );
  });

  it('refuses a bad file with every problem named', () => {
    assert.throws(
      () => parseSchedulesConfig({ timeZone: 'Mars/Olympus', inventory: { every: '15m', cron: '0 * * * *' }, 'catch-up': { every: 'often' }, nightly: {} }),
      (error: Error) => {
        assert.match(error.message, /timeZone: an IANA time zone/);
        assert.match(error.message, /inventory: give exactly one of "every" and "cron"/);
        assert.match(error.message, /catch-up\.every: a duration such as 30s/);
        assert.match(error.message, /nightly/);
        return true;
      },
    );
  });
});
