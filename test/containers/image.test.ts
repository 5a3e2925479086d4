/**
 * The runtime image as built (`npm run image:build`, deploy/Dockerfile's runtime target), inspected layer by layer:
 * it runs as uid 1000 with a read-only root filesystem, and no layer holds a dev dependency, a test, a source file,
 * `.git` or a secret. Skipped, saying why, only where no container engine can start.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { APP_USER, IMAGE, containerSuiteSkipReason, docker } from '../../dev/containers';

const ROOT = resolve(__dirname, '../..');
const skip = containerSuiteSkipReason();

/** Every path of every layer of the image (a file deleted by a later layer is still shipped in the earlier one). */
async function layerPaths(image: string): Promise<{ layer: number; path: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wns-image-'));
  try {
    await docker(['save', '--output', join(dir, 'image.tar'), image]);
    execFileSync('tar', ['-xf', join(dir, 'image.tar'), '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    return manifest[0]!.Layers.flatMap((layer, index) =>
      execFileSync('tar', ['-tf', join(dir, layer)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
        .split('\n')
        .filter(Boolean)
        .map((path) => ({ layer: index, path: path.replace(/^\.\//, '').replace(/\/$/, '') })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Top-level packages the lockfile marks dev-only: none may be in the image's node_modules. */
function devOnlyPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, meta]) => meta.dev === true && path.split('node_modules/').length === 2)
    .map(([path]) => path.slice('node_modules/'.length));
}

describe('the runtime image', { skip }, () => {
  let paths: { layer: number; path: string }[] = [];
  let appPaths: string[] = [];
  before(async () => {
    paths = await layerPaths(IMAGE);
    appPaths = paths.map((p) => p.path).filter((p) => p === 'app' || p.startsWith('app/'));
  });

  it('runs as uid 1000 (by number, so runAsNonRoot can check it), and its root filesystem can be read-only', async () => {
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', IMAGE])) as { User: string; Cmd: string[]; Env: string[] };
    assert.equal(config.User, APP_USER, 'USER in the image config');
    assert.deepEqual(config.Cmd, ['node', 'dist/src/worker.js']);
    const probe = `
      const fs = require('node:fs');
      const tryWrite = (path) => { try { fs.writeFileSync(path, 'x'); return 'written'; } catch (error) { return error.code; } };
      console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), app: tryWrite('/app/probe'), tmp: tryWrite('/tmp/probe') }));`;
    const answer = JSON.parse(await docker(['run', '--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp', IMAGE, 'node', '-e', probe])) as Record<
      string,
      unknown
    >;
    assert.deepEqual(answer, { uid: 1000, gid: 1000, app: 'EROFS', tmp: 'written' });
    // No variable of the image names a credential: every secret comes from the deployment.
    assert.deepEqual(
      config.Env.map((e) => e.split('=')[0]!).filter((name) => /SECRET|PASSWORD|TOKEN|PRIVATE|_KEY\b|API_KEY/.test(name)),
      [],
    );
  });

  it('holds the compiled processes, the prebuilt workflow bundle, config/ and production node_modules — nothing else of the repository', () => {
    for (const needed of [
      'app/dist/src/worker.js',
      'app/dist/src/receiver.js',
      'app/dist/src/client.js',
      'app/dist/src/codec-server.js',
      'app/dist/workflow-bundle.js',
      'app/config/mapping.json',
      'app/package.json',
    ]) {
      assert.ok(appPaths.includes(needed), `${needed} is in the image`);
    }
    const topLevel = [...new Set(appPaths.filter((p) => p !== 'app').map((p) => p.split('/')[1]!))].sort();
    assert.deepEqual(topLevel, ['config', 'dist', 'node_modules', 'package.json']);
    const distTop = [...new Set(appPaths.filter((p) => p.startsWith('app/dist/')).map((p) => p.split('/')[2]!))].sort();
    assert.deepEqual(distTop, ['src', 'workflow-bundle.js'], 'dist holds the compiled src/ and the bundle only (no tests, simulators or scripts)');
    assert.deepEqual(
      appPaths.filter((p) => /\.ts$/.test(p) && !/\.d\.ts$/.test(p) && !p.startsWith('app/node_modules/')),
      [],
      'no TypeScript sources',
    );
    // The Temporal core ships a native library per platform (~30 MB each); the image keeps its own platform's only.
    const releases = [
      ...new Set(
        appPaths
          .filter((p) => p.startsWith('app/node_modules/@temporalio/core-bridge/releases/'))
          .map((p) => p.split('/')[5])
          .filter(Boolean),
      ),
    ];
    assert.deepEqual(releases, [process.arch === 'arm64' ? 'aarch64-unknown-linux-gnu' : 'x86_64-unknown-linux-gnu']);
  });

  it('holds no dev dependency, no .git and no secret in any layer', () => {
    const dev = devOnlyPackages();
    assert.ok(dev.includes('typescript') && dev.includes('tsx'), 'the lockfile marks the dev tools dev-only');
    const present = new Set(
      appPaths
        .filter((p) => p.startsWith('app/node_modules/'))
        .map((p) =>
          p
            .split('/')
            .slice(2, p.split('/')[2]!.startsWith('@') ? 4 : 3)
            .join('/'),
        ),
    );
    assert.deepEqual(
      dev.filter((name) => present.has(name)),
      [],
      'dev-only packages in the image',
    );
    const all = paths.map((p) => p.path);
    assert.deepEqual(
      all.filter((p) => /(^|\/)\.git(\/|$)/.test(p)),
      [],
      '.git',
    );
    const secretLike = /(^|\/)(\.env(\.[^/]*)?|compose\.env|\.npmrc|id_(rsa|ed25519|ecdsa)|[^/]*\.(pem|key|p12|pfx))$/;
    assert.deepEqual(
      all.filter((p) => secretLike.test(p) && !p.startsWith('app/node_modules/') && !p.startsWith('usr/')),
      [],
      'files that hold secrets',
    );
    assert.deepEqual(
      all.filter((p) => /^(root|home\/node)\/\.(npm|cache)(\/|$)/.test(p)),
      [],
      'npm caches (they may hold registry tokens)',
    );
  });
});
