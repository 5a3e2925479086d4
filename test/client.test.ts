import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../dev/temporal-dev-server';
import { EXIT, runCli } from '../src/client';
import { useTestTemporal, type TestTemporal } from './helpers/temporal';

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
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}` // free: nothing listens there;
    const lines: string[] = [];
    assert.equal(await runCli(['ping'], (line) => lines.push(line)), EXIT.unreachable);
    assert.match(lines.join('\n'), /does not answer/);
  });

  it('an unknown command prints the usage and exits 1', async () => {
    const lines: string[] = [];
    assert.equal(await runCli(['frobnicate'], (line) => lines.push(line)), EXIT.usage);
    assert.match(lines.join('\n'), /^usage: client <command>/);
  });
});
