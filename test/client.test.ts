import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../dev/temporal-dev-server';
import { EXIT, runCli } from '../src/client';
import { useTestTemporal, type TestTemporal } from './helpers/temporal';

/** The first line the CLI printed (a usage error is followed by the usage). */
const firstLine = (lines: string[]): string => lines.join('\n').split('\n')[0] ?? '';

describe('the operator CLI', () => {
  let temporal: TestTemporal;
  const saved = process.env.TEMPORAL_ADDRESS;
  before(async () => {
    temporal = await useTestTemporal();
  });
  after(async () => {
    process.env.TEMPORAL_ADDRESS = saved;
    await temporal?.close();
  });

  it('ping exits 0 and names the server version when Temporal answers', async () => {
    process.env.TEMPORAL_ADDRESS = temporal.address;
    const lines: string[] = [];
    assert.equal(await runCli(['ping'], (line) => lines.push(line)), EXIT.ok);
    assert.match(lines.join('\n'), new RegExp(`Temporal at ${temporal.address} answers \\(server \\d+\\.\\d+\\.\\d+`));
  });

  it('ping exits 2 and says so when nothing answers', async () => {
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`; // free: nothing listens there;
    const lines: string[] = [];
    assert.equal(await runCli(['ping'], (line) => lines.push(line)), EXIT.unreachable);
    assert.match(lines.join('\n'), /does not answer/);
  });

  it('an unknown command is named, with the usage, and exits 1', async () => {
    const lines: string[] = [];
    assert.equal(await runCli(['frobnicate'], (line) => lines.push(line)), EXIT.usage);
    assert.match(lines.join('\n'), /^unknown command "frobnicate"\nusage: npm run cli -- /);
  });

  it('--help (and -h, and help) prints the usage and exits 0, without needing Temporal', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['status', '--help']]) {
      const lines: string[] = [];
      assert.equal(await runCli(argv, (line) => lines.push(line), { TEMPORAL_ADDRESS: '127.0.0.1:1' }), EXIT.ok, argv.join(' '));
      assert.match(lines.join('\n'), /^usage: npm run cli -- /, argv.join(' '));
    }
  });

  it('an option the command does not take is named, with the options it does take, and exits 1', async () => {
    const lines: string[] = [];
    assert.equal(await runCli(['status', '144', '--stroe', 'main'], (line) => lines.push(line)), EXIT.usage);
    assert.match(firstLine(lines), /^unknown option --stroe for status: it takes --store, --json, --env-file, --help$/);
    const short: string[] = [];
    assert.equal(await runCli(['list', '-s', 'Synced'], (line) => short.push(line)), EXIT.usage);
    assert.match(firstLine(short), /^unknown option -s$/);
    const none: string[] = [];
    assert.equal(await runCli(['ping', '--json'], (line) => none.push(line)), EXIT.usage);
    assert.match(firstLine(none), /^unknown option --json for ping: it takes --env-file, --help$/);
  });

  it('no command prints the usage and exits 1, saying so', async () => {
    const lines: string[] = [];
    assert.equal(await runCli([], (line) => lines.push(line)), EXIT.usage);
    assert.match(lines.join('\n'), /^no command given\nusage: /);
  });

  it('--env-file supplies the settings (over the environment); a file that cannot be read is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-env-'));
    try {
      const file = join(dir, 'cli.env');
      writeFileSync(file, `# comment\nTEMPORAL_ADDRESS=${temporal.address}\nTEMPORAL_NAMESPACE=${temporal.namespace}\n`);
      const lines: string[] = [];
      assert.equal(
        await runCli(['--env-file', file, 'ping'], (line) => lines.push(line), { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }),
        EXIT.ok,
        lines.join('\n'),
      );
      assert.match(lines.join('\n'), new RegExp(`Temporal at ${temporal.address} answers`));
      const missing: string[] = [];
      assert.equal(await runCli(['ping', '--env-file', join(dir, 'nope.env')], (line) => missing.push(line)), EXIT.usage);
      assert.match(firstLine(missing), /^--env-file .*nope\.env cannot be read: ENOENT$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an order command without a store says how to name one', async () => {
    const lines: string[] = [];
    assert.equal(
      await runCli(['status', '144'], (line) => lines.push(line), { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace }),
      EXIT.usage,
    );
    assert.match(firstLine(lines), /^no store given: pass --store NAME, or set WOO_STORES \(or WOO_DEFAULT_STORE\)/);
  });
});
