/**
 * `schedules apply | list | trigger | pause | unpause` through the operator CLI against the real dev server: apply
 * twice leaves one schedule of each kind; a changed spec updates that schedule in place; an operator's pause survives
 * apply; a disabled job's schedule is deleted; trigger starts a run now.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scheduleIdOf } from '../../src/api';
import { runCli } from '../../src/client';
import { ourScheduleIds } from '../../src/schedules/apply';
import { uniqueTaskQueue, useTestTemporal, type TestTemporal } from '../helpers/temporal';

describe('schedules', () => {
  let temporal: TestTemporal;
  const taskQueue = uniqueTaskQueue('schedules');
  const store = `sched${Math.random().toString(36).slice(2, 7)}`;
  const file = join(mkdtempSync(join(tmpdir(), 'schedules-')), 'schedules.json');
  let env: NodeJS.ProcessEnv;
  const cli = async (...argv: string[]): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await runCli(argv, (line) => lines.push(line), env);
    return { code, text: lines.join('\n') };
  };
  const applied = async (): Promise<Record<string, string>> => {
    const { code, text } = await cli('schedules', 'apply', '--json');
    assert.equal(code, 0, text);
    return Object.fromEntries((JSON.parse(text) as { schedules: { name: string; outcome: string }[] }).schedules.map((s) => [s.name, s.outcome]));
  };
  /** Listing is eventually consistent: wait until it shows `count` schedules of this task queue. */
  const listed = async (count: number): Promise<string[]> => {
    for (let i = 0; ; i++) {
      const ids = await ourScheduleIds(temporal.env.client, taskQueue);
      if (ids.length === count || i > 100) return ids;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const handle = (name: string) => temporal.env.client.schedule.getHandle(scheduleIdOf(name, taskQueue));

  before(async () => {
    temporal = await useTestTemporal();
    env = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, WOO_STORES: store, TASK_QUEUE: taskQueue, SCHEDULES_FILE: file };
    writeFileSync(file, JSON.stringify({ timeZone: 'Europe/Berlin', inventory: { every: '15m' }, 'catch-up': { every: '5m' } }));
  });
  after(async () => {
    for (const id of await ourScheduleIds(temporal.env.client, taskQueue)) await temporal.env.client.schedule.getHandle(id).delete();
    await temporal.close();
  });

  it('apply twice leaves one schedule of each kind', async () => {
    const names = [`inventory:${store}`, 'schema-drift', `reconciliation:${store}`, `catch-up:${store}`, `fulfilment:${store}`];
    assert.deepEqual(await applied(), Object.fromEntries(names.map((n) => [n, 'created'])));
    assert.deepEqual(await applied(), Object.fromEntries(names.map((n) => [n, 'unchanged'])));
    assert.deepEqual(await listed(5), names.map((n) => scheduleIdOf(n, taskQueue)).sort());

    const reconciliation = await handle(`reconciliation:${store}`).describe();
    assert.equal(reconciliation.spec.timezone, 'Europe/Berlin');
    assert.equal(reconciliation.action.type === 'startWorkflow' && reconciliation.action.workflowType, 'reconciliationWorkflow');
    assert.deepEqual(reconciliation.action.type === 'startWorkflow' && reconciliation.action.args, [{ timeZone: 'Europe/Berlin', store }]);

    const { text } = await cli('schedules', 'list');
    assert.match(text, new RegExp(`inventory:${store}\\s+every 15m \\(Europe/Berlin\\)\\s+active`));
    assert.match(text, /schema-drift\s+cron 0 10 \* \* TUE \(Europe\/Berlin\)/);
  });

  it('a changed spec updates that schedule in place; the others stay unchanged', async () => {
    writeFileSync(file, JSON.stringify({ timeZone: 'Europe/Berlin', inventory: { every: '20m' }, 'catch-up': { every: '5m' } }));
    const outcomes = await applied();
    assert.equal(outcomes[`inventory:${store}`], 'updated');
    assert.deepEqual(Object.values(outcomes).filter((o) => o === 'unchanged').length, 4);
    const inventory = await handle(`inventory:${store}`).describe();
    assert.deepEqual(
      inventory.spec.intervals?.map((i) => i.every),
      [20 * 60_000],
    );
    assert.equal((await listed(5)).length, 5, 'still one schedule of each kind');
  });

  it("pause and unpause from the CLI; apply keeps the operator's pause", async () => {
    const paused = await cli('schedules', 'pause', `inventory:${store}`, '--reason', 'NetSuite maintenance window');
    assert.equal(paused.code, 0, paused.text);
    assert.equal((await applied())[`inventory:${store}`], 'unchanged');
    const state = (await handle(`inventory:${store}`).describe()).state;
    assert.equal(state.paused, true);
    assert.equal(state.note, 'NetSuite maintenance window');
    assert.match((await cli('schedules', 'list')).text, new RegExp(`inventory:${store}.*PAUSED \\(NetSuite maintenance window\\)`));
    assert.equal((await cli('schedules', 'unpause', 'inventory')).code, 0, 'a bare kind names every store’s schedule');
    assert.equal((await handle(`inventory:${store}`).describe()).state.paused, false);
    assert.equal((await cli('schedules', 'pause', 'nightly')).code, 3, 'an unknown name is "not found"');
  });

  it('trigger starts a run now', async () => {
    assert.equal((await cli('schedules', 'trigger', `catch-up:${store}`)).code, 0);
    let recent: { workflowId: string }[] = [];
    for (let i = 0; i < 100 && recent.length === 0; i++) {
      recent = (await handle(`catch-up:${store}`).describe()).info.recentActions.map((a) => a.action.workflow);
      if (recent.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(recent.length, 1);
    assert.match(recent[0]!.workflowId, new RegExp(`^catch-up:${store}-`));
    // No worker serves this task queue: end the run so it does not linger on the shared server.
    await temporal.env.client.workflow.getHandle(recent[0]!.workflowId).terminate('test over');
  });

  it('a disabled job loses its schedule', async () => {
    writeFileSync(
      file,
      JSON.stringify({
        timeZone: 'Europe/Berlin',
        inventory: { every: '20m' },
        'catch-up': { every: '5m' },
        reconciliation: { cron: '0 7 * * *', enabled: false },
      }),
    );
    const outcomes = await applied();
    assert.equal(outcomes[`reconciliation:${store}`], 'deleted');
    assert.equal((await listed(4)).length, 4);
  });
});
