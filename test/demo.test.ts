/**
 * The newcomer's path: `npm run demo -- --keep` with no database configured (it starts its own PostgreSQL) ends with
 * every order synced, and every `npm run cli -- …` command it prints runs as printed in a second shell — no settings
 * exported by hand. Stopped, it leaves nothing behind: no process, no key file, no env file.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { until } from './helpers/until';

const ROOT = join(__dirname, '..');

/** A shell of a newcomer: PATH and HOME, nothing of this test run (no TEMPORAL_*, no database URL). */
const shellEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, NO_UPDATE_NOTIFIER: '1' });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('close', () => socket.destroy());
    setTimeout(() => socket.destroy(), 1000);
  });

describe('npm run demo', () => {
  it('prints CLI commands that run as printed in another shell, and stops without leaving anything behind', { timeout: 400_000 }, async () => {
    const summaryFile = join(mkdtempSync(join(tmpdir(), 'demo-summary-')), 'summary.json');
    const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--keep', '--summary', summaryFile], {
      cwd: ROOT,
      env: shellEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | string>((resolve) => demo.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      await until(() => output.includes('--keep: everything stays up') || demo.exitCode !== null, 'the demo to finish its walk-through', 300_000);
      assert.ok(output.includes('--keep: everything stays up'), `the demo did not get to --keep:\n${output.slice(-4000)}`);
      assert.match(output, /PostgreSQL postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/postgres \(embedded/);
      // After the sales order: one cancellation, one refund (a credit memo), one edit, each reaching NetSuite once.
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { lifecycle: Record<string, number>; fulfilment: Record<string, number> };
      assert.deepEqual(summary.lifecycle, { cancelled: 1, refunds: 1, edits: 1, needsAttention: 0, duplicates: 0 });
      assert.deepEqual(summary.fulfilment, { fulfilmentsPushed: 3, ordersCompleted: 1, partial: 1, duplicates: 0, pushedAgain: 0 });
      assert.match(output, /order \d+: credit memo \S+ for WooCommerce refund #\d+ \(\d+\.\d\d\) from invoice \d+ → creditMemo \d+/);
      assert.match(output, /life \(\d+ runs, oldest first\):[\s\S]*applied: credit memo/);
      // NetSuite's shipments reached the store: the order shipped in full is completed with both numbers.
      assert.match(output, /order \d+: completed; tracking 1ZDEMO0000000001, 1ZDEMO0000000002/);
      assert.match(output, /order \d+: processing; tracking 7700DEMO0001/);
      assert.match(output, /shipped: NetSuite IF\d+ \(1ZDEMO0000000001, 1ZDEMO0000000002\) → WooCommerce by Shipment Tracking, order completed/);

      // Every command it printed, as printed ("$ npm run cli -- …" in the walk-through, "npm run cli -- …" at the end).
      const commands = [...output.matchAll(/^ {2}(?:\$ )?(npm run cli -- .+)$/gm)].map((m) => m[1]!);
      assert.ok(commands.length >= 6, `printed commands: ${commands.join('\n')}`);
      for (const command of commands) {
        const run = spawnSync('bash', ['-c', command], { cwd: ROOT, env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
        const said = `${run.stdout}${run.stderr}`;
        // 0, or 4 for `retry` of the order the demo already retried (it is Synced now: "not waiting for attention").
        assert.ok(run.status === 0 || (run.status === 4 && /not waiting for attention/.test(said)), `${command} → ${run.status}:\n${said}`);
        assert.doesNotMatch(said, /usage: |does not answer|no store given/, command);
      }
      const status = spawnSync('bash', ['-c', commands.find((c) => / status \d+$/.test(c))!], { cwd: ROOT, env: shellEnv(), encoding: 'utf8' });
      assert.match(status.stdout, /Synced: NetSuite sales order \d+/);
    } finally {
      if (demo.exitCode === null) demo.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output.slice(-3000));

    // Nothing left behind: the worker process, PostgreSQL, the stack's folder (NetSuite key), the CLI's env file.
    const workerPid = Number(/worker process (\d+) is polling/.exec(output)?.[1]);
    const postgresPort = Number(/PostgreSQL postgres:\/\/\*\*\*@127\.0\.0\.1:(\d+)\//.exec(output)?.[1]);
    const mappingFile = /mapping (\S+\/mapping\.json);/.exec(output)?.[1];
    assert.ok(workerPid > 0 && postgresPort > 0 && mappingFile);
    assert.equal(isAlive(workerPid), false, 'the worker process is gone');
    assert.equal(await accepts(postgresPort), false, 'the embedded PostgreSQL is stopped');
    assert.equal(existsSync(dirname(mappingFile)), false, 'the stack folder with the NetSuite key is removed');
    assert.equal(existsSync(join(ROOT, '.demo/cli.env')), false, 'the CLI env file is removed');
  });
});
