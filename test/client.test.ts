import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EXIT, runCli } from '../src/client';
import { useTestTemporal, type TestTemporal } from './helpers/temporal';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await closedPort()}`;
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
