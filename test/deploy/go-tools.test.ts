import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KUSTOMIZE, cachedToolPath, resolveComposeSpecSchema, resolveGoTool } from '../../dev/go-tools';

const quiet = (): void => undefined;

function executable(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

describe('pinned Go tools', () => {
  const root = mkdtempSync(join(tmpdir(), 'go-tools-'));
  // A stand-in for `go`: records its arguments and "builds" the binary into $GOBIN, as go install does.
  const goDir = join(root, 'go-bin');
  executable(
    join(goDir, 'go'),
    '#!/bin/sh\necho "$@" > "$ARGS_FILE"\nprintf "#!/bin/sh\\necho built\\n" > "$GOBIN/kustomize"\n/bin/chmod +x "$GOBIN/kustomize"\n',
  );

  it('KUSTOMIZE_BIN wins; a kustomize on PATH is not taken, since another version renders differently', async () => {
    const explicit = executable(join(root, 'env', 'kustomize'), '#!/bin/sh\n');
    const pathDir = join(root, 'path');
    executable(join(pathDir, 'kustomize'), '#!/bin/sh\n');
    const cache = { WOO_NETSUITE_SYNC_CACHE: join(root, 'cache') };
    assert.deepEqual(await resolveGoTool(KUSTOMIZE, { env: { ...cache, KUSTOMIZE_BIN: explicit, PATH: pathDir }, log: quiet }), {
      source: 'env',
      path: explicit,
    });
    await assert.rejects(
      resolveGoTool(KUSTOMIZE, { env: { ...cache, PATH: pathDir }, install: false, log: quiet }),
      /no kustomize v5\.5\.0 found \(KUSTOMIZE_BIN, .*cache/,
    );
  });

  it('without a cached copy, go install of the pinned package builds into the cache atomically, then the cache is used', async () => {
    const env = { WOO_NETSUITE_SYNC_CACHE: join(root, 'install-cache'), PATH: goDir, ARGS_FILE: join(root, 'args') };
    const tool = await resolveGoTool(KUSTOMIZE, { env, log: quiet });
    assert.deepEqual(tool, { source: 'go-install', path: cachedToolPath(KUSTOMIZE, env) });
    assert.equal(readFileSync(join(root, 'args'), 'utf8').trim(), 'install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0');
    assert.deepEqual(readdirSync(join(tool.path, '..')), ['kustomize'], 'no staging folder is left');
    assert.equal((await resolveGoTool(KUSTOMIZE, { env, log: quiet })).source, 'cache');
  });

  it('a failing go install names the package, ends with Go’s words, and leaves nothing in the cache', async () => {
    const broken = join(root, 'go-broken');
    executable(join(broken, 'go'), '#!/bin/sh\necho "go: sigs.k8s.io/kustomize/kustomize/v5@v5.5.0: module lookup disabled by GOPROXY=off" >&2\nexit 1\n');
    const env = { WOO_NETSUITE_SYNC_CACHE: join(root, 'broken-cache'), PATH: broken };
    await assert.rejects(
      resolveGoTool(KUSTOMIZE, { env, log: quiet }),
      /go install of sigs\.k8s\.io\/kustomize\/kustomize\/v5@v5\.5\.0 failed: .*module lookup disabled/,
    );
    assert.equal(existsSync(cachedToolPath(KUSTOMIZE, env)), false);
  });

  it('the Compose schema comes from the pinned compose-go module (go mod download), or COMPOSE_SPEC_SCHEMA', async () => {
    const schema = await resolveComposeSpecSchema();
    assert.match(schema, /compose-go\/v2@v2\.16\.2\/schema\/compose-spec\.json$/);
    assert.equal((JSON.parse(readFileSync(schema, 'utf8')) as { title?: string }).title, 'Compose Specification');
    assert.equal(await resolveComposeSpecSchema({ env: { ...process.env, COMPOSE_SPEC_SCHEMA: schema } }), schema);
    await assert.rejects(
      resolveComposeSpecSchema({ env: { COMPOSE_SPEC_SCHEMA: join(root, 'missing.json') } }),
      /COMPOSE_SPEC_SCHEMA=.*missing\.json does not exist/,
    );
  });
});
