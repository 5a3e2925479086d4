import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { TEMPORAL_CLI_VERSION, cachedCliPath, resolveTemporalCli, startDevServer } from '../dev/temporal-dev-server';
import { ALL_SEARCH_ATTRIBUTES } from '../src/api';

const quiet = (): void => undefined;

function executable(path: string, body = '#!/bin/sh\necho fake\n'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

describe('finding the Temporal CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'cli-resolve-'));
  const fromEnv = executable(join(root, 'env', 'temporal'));
  const pathDir = join(root, 'path');
  executable(join(pathDir, 'temporal'));
  const cache = join(root, 'cache');
  const cacheEnv = { WOO_NETSUITE_SYNC_CACHE: cache };
  executable(cachedCliPath(cacheEnv));

  it('TEMPORAL_CLI_PATH wins over PATH and the cache', async () => {
    const cli = await resolveTemporalCli({ env: { ...cacheEnv, TEMPORAL_CLI_PATH: fromEnv, PATH: pathDir }, log: quiet });
    assert.deepEqual(cli, { source: 'env', path: fromEnv });
  });

  it('temporal on PATH comes before the cached copy', async () => {
    const cli = await resolveTemporalCli({ env: { ...cacheEnv, PATH: `/nonexistent:${pathDir}` }, log: quiet });
    assert.deepEqual(cli, { source: 'path', path: join(pathDir, 'temporal') });
  });

  it('the cached copy of the pinned version is used when nothing else is set', async () => {
    const cli = await resolveTemporalCli({ env: { ...cacheEnv, PATH: '' }, log: quiet });
    assert.equal(cli.source, 'cache');
    assert.equal(cli.path, join(cache, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal'));
  });

  it('a TEMPORAL_CLI_PATH that is not an executable is a clear error', async () => {
    await assert.rejects(
      resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: join(root, 'missing') }, log: quiet }),
      /TEMPORAL_CLI_PATH=.*missing is not an executable file/,
    );
  });

  it('with installing disabled and no CLI anywhere, the error says where it looked', async () => {
    const empty = { WOO_NETSUITE_SYNC_CACHE: join(root, 'empty-cache'), PATH: '' };
    await assert.rejects(resolveTemporalCli({ env: empty, install: false, log: quiet }), /no Temporal CLI found .*empty-cache/);
  });

  it('with Go present, go install of the pinned module builds into the cache, atomically', async () => {
    const goDir = join(root, 'go-bin');
    // A stand-in for `go`: records its arguments and "builds" a binary into $GOBIN, as go install does.
    executable(
      join(goDir, 'go'),
      '#!/bin/sh\necho "$@" > "$ARGS_FILE"\nprintf "#!/bin/sh\\necho built\\n" > "$GOBIN/temporal"\n/bin/chmod +x "$GOBIN/temporal"\n',
    );
    const argsFile = join(root, 'go-args');
    const env = { WOO_NETSUITE_SYNC_CACHE: join(root, 'go-cache'), PATH: goDir, ARGS_FILE: argsFile };
    const messages: string[] = [];
    const cli = await resolveTemporalCli({ env, log: (m) => messages.push(m) });
    assert.equal(cli.source, 'go-install');
    assert.equal(cli.path, cachedCliPath(env));
    assert.match(readFileSync(cli.path ?? '', 'utf8'), /echo built/);
    assert.equal(readFileSync(argsFile, 'utf8').trim(), `install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`);
    // the staging folder is gone; only the binary is left
    assert.deepEqual(readdirSync(join(cli.path ?? '', '..')), ['temporal']);
    assert.ok(
      messages.some((m) => m.includes(`go install`)),
      messages.join('\n'),
    );
    // a second resolve reuses the cache instead of building again
    assert.equal((await resolveTemporalCli({ env, log: quiet })).source, 'cache');
  });

  it('a failing go install reports Go’s own error and leaves no half-built binary', async () => {
    const goDir = join(root, 'go-broken');
    executable(join(goDir, 'go'), '#!/bin/sh\necho "go: module lookup disabled by GOPROXY=off" >&2\nexit 1\n');
    const env = { WOO_NETSUITE_SYNC_CACHE: join(root, 'broken-cache'), PATH: goDir };
    await assert.rejects(
      resolveTemporalCli({ env, log: quiet }),
      /go install of github.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1 failed: go: module lookup disabled/,
    );
    assert.equal(existsSync(cachedCliPath(env)), false);
  });
});

describe('the dev server', () => {
  it('answers with the project’s search attributes registered, serves the Web UI, and stops cleanly', async () => {
    const server = await startDevServer({ log: quiet });
    const address = server.address;
    try {
      const { customAttributes } = await server.env.connection.operatorService.listSearchAttributes({ namespace: server.namespace });
      for (const key of ALL_SEARCH_ATTRIBUTES) {
        assert.ok(key.name in customAttributes, `${key.name} is registered`);
      }
      assert.ok(server.uiUrl, 'the Web UI is on by default');
      const ui = await fetch(server.uiUrl);
      assert.equal(ui.status, 200);
    } finally {
      await server.stop();
    }
    await assert.rejects(Connection.connect({ address, connectTimeout: '1s' }), 'nothing answers after stop()');
  });

  it('a server that cannot start fails at once with the CLI’s own words, not after a long wait', async () => {
    // Something else holds the port: it accepts TCP but speaks no gRPC.
    const held = new Set<Socket>();
    const blocker = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const started = Date.now();
    try {
      await assert.rejects(startDevServer({ ui: false, port, log: quiet, startupTimeoutMs: 60_000 }), (error: Error) => {
        assert.match(error.message, /start-dev exited with .* before answering/);
        assert.match(error.message, /address already in use|bind/i);
        return true;
      });
      assert.ok(Date.now() - started < 60_000, 'it did not wait for the deadline');
    } finally {
      blocker.close();
      for (const socket of held) socket.destroy();
    }
  });

  it('with --db-filename, a workflow started before a restart is still there after it', async () => {
    const dbFilename = join(mkdtempSync(join(tmpdir(), 'temporal-db-')), 'dev.db');
    const first = await startDevServer({ ui: false, dbFilename, log: quiet });
    const workflowId = `persisted-${Date.now()}`;
    try {
      await first.env.client.workflow.start('notServedByAnyWorker', { taskQueue: 'nobody-polls-this', workflowId, args: [] });
    } finally {
      await first.stop();
    }
    assert.ok(existsSync(dbFilename));
    const second = await startDevServer({ ui: false, dbFilename, log: quiet });
    try {
      const description = await second.env.client.workflow.getHandle(workflowId).describe();
      assert.equal(description.type, 'notServedByAnyWorker');
      assert.equal(description.status.name, 'RUNNING');
    } finally {
      await second.stop();
    }
  });
});
