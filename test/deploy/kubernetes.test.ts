import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseMapping } from '../../src/mapping/config';
import { parseSchedulesConfig } from '../../src/schedules/config';
import { configuredStores, kustomizeBuild, manifestProblems, mountedFile, schemaProblems, type K8sObject } from './kubernetes-rules';

const root = join(__dirname, '..', '..');
const kubernetes = join(root, 'deploy', 'kubernetes');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

for (const environment of ['sandbox', 'production'] as const) {
  describe(`kustomize build overlays/${environment}`, () => {
    let objects: K8sObject[];
    before(async () => {
      objects = await kustomizeBuild(join(kubernetes, 'overlays', environment));
    });

    it('renders the workloads, their Services, the HPA, the PDB and the ServiceMonitor', () => {
      const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((k) => !k.startsWith('ConfigMap/'));
      assert.deepEqual(kinds.sort(), [
        'Deployment/woo-netsuite-sync-codec-server',
        'Deployment/woo-netsuite-sync-receiver',
        'Deployment/woo-netsuite-sync-worker',
        'HorizontalPodAutoscaler/woo-netsuite-sync-receiver',
        `Namespace/${environment === 'sandbox' ? 'woo-netsuite-sync-sandbox' : 'woo-netsuite-sync'}`,
        'PodDisruptionBudget/woo-netsuite-sync-receiver',
        'Service/woo-netsuite-sync-codec-server',
        'Service/woo-netsuite-sync-receiver',
        'Service/woo-netsuite-sync-worker-metrics',
        'ServiceMonitor/woo-netsuite-sync',
      ]);
    });

    it('every object is valid against its Kubernetes (or Prometheus Operator) schema', async () => {
      assert.deepEqual(await schemaProblems(objects), []);
    });

    it(`keeps the invariants: grace period, probes on declared ports, metrics, no Secret data, secretKeyRefs, ${environment} settings only`, () => {
      assert.deepEqual(manifestProblems(objects, environment), []);
    });

    it('mounts the mapping where MAPPING_FILE points, and it is this account’s mapping', () => {
      const mapping = mountedFile(objects, 'MAPPING_FILE');
      assert.equal(mapping.path, '/etc/woo-netsuite-sync/mapping/mapping.json');
      const json = JSON.parse(mapping.content) as unknown;
      if (environment === 'sandbox') assert.deepEqual(json, readJson(join(root, 'config', 'mapping.json')), 'the sandbox mapping is config/mapping.json');
      else assert.notDeepEqual(json, readJson(join(root, 'config', 'mapping.json')), 'production carries its own internal IDs');
      // The project's own loader accepts it for every configured store (it throws MappingConfigError otherwise).
      const stores = configuredStores(objects);
      assert.deepEqual(stores, ['main']);
      for (const store of stores) parseMapping(json, store, mapping.path);
    });

    it('mounts the schedules where SCHEDULES_FILE points: config/schedules.json, valid', () => {
      const schedules = mountedFile(objects, 'SCHEDULES_FILE');
      const json = JSON.parse(schedules.content) as unknown;
      assert.deepEqual(json, readJson(join(root, 'config', 'schedules.json')));
      parseSchedulesConfig(json, schedules.path);
    });
  });
}

describe('a broken copy of the manifests is rejected', () => {
  let copy: string;
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'kustomize-broken-'));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  /** A fresh copy of deploy/kubernetes with `file` edited; returns the copy's folder. */
  function brokenCopy(name: string, file: string, find: string, replace: string): string {
    const dir = join(copy, name);
    cpSync(kubernetes, dir, { recursive: true });
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(find), `${file} contains ${find}`);
    writeFileSync(path, text.replace(find, replace));
    return dir;
  }

  it('a wrong-typed field fails schema validation, naming the object and the field', async () => {
    const dir = brokenCopy('wrong-type', 'base/worker.yaml', 'containerPort: 9464', 'containerPort: nine-four-six-four');
    const problems = await schemaProblems(await kustomizeBuild(join(dir, 'overlays', 'sandbox')));
    assert.ok(
      problems.some((p) => /^Deployment woo-netsuite-sync-worker: .*containerPort must be integer/.test(p)),
      problems.join('\n'),
    );
  });

  it('a missing resource fails the build with kustomize’s own error', async () => {
    const dir = brokenCopy('missing-resource', 'base/kustomization.yaml', '  - codec-server.yaml', '  - codec-server.yaml\n  - job.yaml');
    await assert.rejects(kustomizeBuild(join(dir, 'overlays', 'production')), /kustomize build .* failed: .*job\.yaml/s);
  });

  it('the production overlay naming a sandbox setting or Secret is cross-wiring', async () => {
    const dir = brokenCopy('cross-wired', 'overlays/production/netsuite-secrets.yaml', '- name: NS_PROD_CLIENT_ID', '- name: NS_SANDBOX_CLIENT_ID');
    const problems = manifestProblems(await kustomizeBuild(join(dir, 'overlays', 'production')), 'production');
    assert.ok(problems.includes('Deployment woo-netsuite-sync-worker: NS_SANDBOX_CLIENT_ID belongs to sandbox, not production'), problems.join('\n'));
    assert.ok(problems.includes('Deployment woo-netsuite-sync-worker: NS_PROD_CLIENT_ID must come from the production NetSuite Secret'), problems.join('\n'));
    assert.ok(problems.includes('the production overlay mentions NS_SANDBOX_* settings'), problems.join('\n'));
  });

  it('a grace period shorter than the worker’s shutdown grace, a probe on an undeclared port, a literal secret, a Secret with data', async () => {
    const dir = brokenCopy('invariants', 'base/worker.yaml', 'terminationGracePeriodSeconds: 60', 'terminationGracePeriodSeconds: 20');
    const worker = join(dir, 'base', 'worker.yaml');
    let text = readFileSync(worker, 'utf8');
    text = text.replace('path: /readyz\n              port: health', 'path: /readyz\n              port: http');
    text = text.replace(
      '            - name: NETSUITE_LIMITER_URL\n              valueFrom:\n                secretKeyRef:\n                  name: woo-netsuite-sync-database\n                  key: limiter-url',
      '            - name: NETSUITE_LIMITER_URL\n              value: postgres://woo:hunter2@db:5432/woo',
    );
    writeFileSync(worker, `${text}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n`);
    const problems = manifestProblems(await kustomizeBuild(join(dir, 'overlays', 'sandbox')), 'sandbox');
    assert.ok(
      problems.includes('Deployment woo-netsuite-sync-worker: terminationGracePeriodSeconds (20) must be larger than WORKER_SHUTDOWN_GRACE_SECONDS (30)'),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes('Deployment woo-netsuite-sync-worker: readinessProbe points at port http, which the container does not declare'),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes('Deployment woo-netsuite-sync-worker: NETSUITE_LIMITER_URL is a secret and must come from a secretKeyRef'),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('Secret leaked: Secrets are created by the operator')),
      problems.join('\n'),
    );
    assert.ok(!problems.join('\n').includes('hunter2'), 'no secret value is echoed');
  });

  it('a receiver whose grace period is not longer than its drain bound, and a literal Temporal API key', async () => {
    const dir = brokenCopy('receiver-drain', 'base/receiver.yaml', 'terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 10');
    const receiver = join(dir, 'base', 'receiver.yaml');
    writeFileSync(
      receiver,
      readFileSync(receiver, 'utf8').replace(
        '            - name: TEMPORAL_API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: woo-netsuite-sync-temporal\n                  key: api-key\n                  optional: true',
        '            - name: TEMPORAL_API_KEY\n              value: tmprl-hunter2',
      ),
    );
    const problems = manifestProblems(await kustomizeBuild(join(dir, 'overlays', 'sandbox')), 'sandbox');
    assert.ok(
      problems.includes('Deployment woo-netsuite-sync-receiver: terminationGracePeriodSeconds (10) must be larger than WEBHOOK_DRAIN_SECONDS (10)'),
      problems.join('\n'),
    );
    assert.ok(problems.includes('Deployment woo-netsuite-sync-receiver: TEMPORAL_API_KEY is a secret and must come from a secretKeyRef'), problems.join('\n'));
    assert.ok(!problems.join('\n').includes('hunter2'), 'no secret value is echoed');
  });

  it('a production mapping the loader refuses is caught', async () => {
    const dir = brokenCopy('bad-mapping', 'overlays/production/mapping.json', '"locations": ["3", "5"]', '"locations": ["warehouse"]');
    const objects = await kustomizeBuild(join(dir, 'overlays', 'production'));
    const mapping = mountedFile(objects, 'MAPPING_FILE');
    assert.throws(() => parseMapping(JSON.parse(mapping.content), 'main', mapping.path), /inventory\.locations\.0: a NetSuite location is its internal ID/);
  });
});
