import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dockerfileProblems, envOf, parseDockerfile } from './dockerfile-rules';

const root = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8');

/** deploy/Dockerfile with one line replaced; the original line must be there. */
function broken(find: string | RegExp, replace: string): string {
  const changed = dockerfile.replace(find, replace);
  assert.notEqual(changed, dockerfile, `the Dockerfile contains ${String(find)}`);
  return changed;
}

describe('deploy/Dockerfile', () => {
  it('keeps every rule: pinned Node 22 slim, lockfile install, production deps, non-root, exec-form CMD, prebuilt bundle', () => {
    assert.deepEqual(dockerfileProblems(dockerfile), []);
  });

  it('has a build stage, a dev target from it, production deps and a runtime stage that runs the worker', () => {
    const { stages, args } = parseDockerfile(dockerfile);
    assert.match(args.NODE_VERSION ?? '', /^22\.\d+\.\d+$/);
    assert.deepEqual(
      stages.map((s) => s.name),
      ['build', 'dev', 'prod-deps', 'runtime'],
    );
    const runtime = stages.at(-1);
    assert.ok(runtime);
    assert.equal(runtime.image, `node:${args.NODE_VERSION}-bookworm-slim`);
    assert.equal(envOf(runtime).WORKFLOW_BUNDLE_PATH, '/app/dist/workflow-bundle.js');
    assert.equal(envOf(runtime).MAPPING_FILE, 'config/mapping.json');
  });

  it('a shell-form CMD is rejected: node would not be PID 1', () => {
    const problems = dockerfileProblems(broken('CMD ["node", "dist/src/worker.js"]', 'CMD node dist/src/worker.js'));
    assert.ok(
      problems.some((p) => /CMD node dist\/src\/worker\.js is shell form/.test(p)),
      problems.join('\n'),
    );
  });

  it('USER root, or no USER at all, in the final stage is rejected', () => {
    const asRoot = dockerfileProblems(broken('USER 1000:1000', 'USER root'));
    assert.ok(
      asRoot.some((p) => /USER root in the final stage is root/.test(p)),
      asRoot.join('\n'),
    );
    const noUser = dockerfileProblems(broken('USER 1000:1000', ''));
    assert.ok(
      noUser.some((p) => /has no USER/.test(p)),
      noUser.join('\n'),
    );
  });

  it('an unpinned or non-22 Node, npm install, dev dependencies or sources in the final stage are rejected', () => {
    const floating = dockerfileProblems(broken('ARG NODE_VERSION=22.22.0', 'ARG NODE_VERSION=22'));
    assert.ok(
      floating.some((p) => /NODE_VERSION=22 is not a full Node 22 version/.test(p)),
      floating.join('\n'),
    );
    const node24 = dockerfileProblems(broken('ARG NODE_VERSION=22.22.0', 'ARG NODE_VERSION=24.1.0'));
    assert.ok(
      node24.some((p) => /not a full Node 22 version/.test(p)),
      node24.join('\n'),
    );
    const install = dockerfileProblems(broken('RUN npm ci --no-audit --no-fund\n', 'RUN npm install\n'));
    assert.ok(
      install.some((p) => /runs npm install/.test(p)),
      install.join('\n'),
    );
    const devDeps = dockerfileProblems(broken('COPY --from=prod-deps /app/node_modules', 'COPY --from=build /app/node_modules'));
    assert.ok(
      devDeps.some((p) => /npm ci --omit=dev/.test(p)),
      devDeps.join('\n'),
    );
    const sources = dockerfileProblems(broken('COPY config ./config', 'COPY config ./config\nCOPY src ./src'));
    assert.ok(
      sources.some((p) => /copies src/.test(p)),
      sources.join('\n'),
    );
  });

  it('a final stage without the bundle path or NODE_ENV=production is rejected', () => {
    const problems = dockerfileProblems(broken(/ENV NODE_ENV=production \\\n\s+WORKFLOW_BUNDLE_PATH=\S+ \\\n/, 'ENV '));
    assert.ok(
      problems.some((p) => /NODE_ENV=production/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /WORKFLOW_BUNDLE_PATH/.test(p)),
      problems.join('\n'),
    );
  });
});
