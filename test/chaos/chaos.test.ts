/**
 * The chaos run, small: `npm run chaos -- --orders 100` as a child process, with its own Temporal dev server (on a
 * database file, restarted mid-run) and its own embedded PostgreSQL (stopped mid-run), so the suite's server and
 * database are left alone. Every fault of the full run is injected; the verdict comes from NetSuite's and
 * WooCommerce's records (chaos/checks.ts). Nothing lost, nothing doubled, no NeedsAttention the run did not provoke,
 * stock in line — and each fault really happened.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(__dirname, '../..');

/** Runs the chaos script; resolves with its exit code and everything it printed. */
function runChaos(args: string[]): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  // The run starts and stops its own server and database: the suite's must not be used (or stopped).
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'NETSUITE_LIMITER_URL', 'STATE_DATABASE_URL']) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'chaos/run.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

it('chaos, 100 orders: every fault at once, nothing lost, nothing doubled', { timeout: 8 * 60_000 }, async (t) => {
  const { code, output } = await runChaos(['--orders', '100', '--seed', '3', '--settle-seconds', '240']);
  const last = output.trimEnd().split('\n').at(-1) ?? '';
  const tail = output.split('\n').slice(-40).join('\n');
  // The run's JSON line, of whatever shape the assertions below read (chaos/run.ts prints it).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let result: Record<string, any>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    result = JSON.parse(last) as Record<string, any>;
  } catch {
    assert.fail(`the run did not end with its JSON line (exit ${code}):\n${tail}`);
  }
  t.diagnostic(last);
  assert.equal(result.orders, 100, tail);
  assert.equal(result.lost, 0, tail);
  assert.equal(result.duplicates, 0, tail);
  assert.equal(result.unexpected, 0, tail);
  assert.equal(result.stock.mismatches, 0, tail);
  assert.ok(result.stock.checked > 0, 'stock was compared');
  assert.equal(result.synced + result.skipped + result.unpaidUnseen + result.needsAttention, 100, 'every order is accounted for');
  assert.ok(
    result.needsAttention > 0 && result.changes.fulfilled > 0 && result.changes.cancelled + result.changes.refunded > 0,
    `the run provoked NeedsAttention and changed orders after sync: ${last}`,
  );
  const faults = result.faults;
  assert.ok(faults.workerKills >= 2, 'workers were SIGKILLed');
  assert.equal(faults.receiverKills, 1);
  assert.equal(faults.temporalRestarts, 1);
  assert.equal(faults.postgresOutages, 1);
  assert.equal(faults.tokenRevocations, 2);
  for (const kind of ['netsuite429', 'netsuite5xx', 'webhooksDropped', 'webhooksDuplicated', 'webhooksDelayed'] as const)
    assert.ok(faults[kind] > 0, `${kind} were injected`);
  assert.equal(code, 0, tail);
});
