import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv/dist/2020';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/api';
import {
  composeProblems,
  composeSchemaValidator,
  describeSchemaErrors,
  isSecretSetting,
  parseCompose,
  registeredSearchAttributes,
  type ComposeFile,
} from './compose-rules';

const root = join(__dirname, '..', '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');

/** A fresh copy of docker-compose.yml, parsed, to break one thing in. */
const copy = (): ComposeFile => parseCompose(composeText);

describe('docker-compose.yml', () => {
  let validate: ValidateFunction;
  before(async () => {
    validate = await composeSchemaValidator();
  });

  it('is valid against the Compose Specification schema (compose-go v2.16.2)', () => {
    const valid = validate(copy());
    assert.equal(valid, true, describeSchemaErrors(validate.errors).join('\n'));
  });

  it('keeps the project rules: pinned images, every service, simulators only in their profile, exec-form node, no secrets', () => {
    assert.deepEqual(composeProblems(copy()), []);
  });

  it('registers exactly the search attributes the workflows use, as Keyword', () => {
    const { names, types } = registeredSearchAttributes(copy());
    assert.deepEqual([...names].sort(), ALL_SEARCH_ATTRIBUTES.map((key) => key.name).sort());
    assert.ok(ALL_SEARCH_ATTRIBUTES.every((key) => key.type === 'KEYWORD'));
    assert.deepEqual(types, ['Keyword']);
  });

  it('the Web UI decodes through the codec server, which allows the UI origin', () => {
    const { services } = copy();
    const ui = services['temporal-ui']?.environment as Record<string, string>;
    const codec = services['codec-server']?.environment as Record<string, string | number>;
    assert.equal(ui.TEMPORAL_CODEC_ENDPOINT, `http://localhost:${codec.CODEC_SERVER_PORT}`);
    assert.ok(services['temporal-ui']?.ports, 'the UI is published');
    assert.deepEqual(services['temporal-ui']?.ports, ['8233:8080']);
    assert.equal(codec.CODEC_SERVER_CORS_ORIGINS, 'http://localhost:8233');
  });

  it('deploy/compose.env.example commits no secret: each one is empty, a change-me placeholder, or a local URL without credentials', () => {
    const example = readFileSync(join(root, 'deploy', 'compose.env.example'), 'utf8');
    const entries = example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
    assert.ok(entries.length > 0);
    for (const [name, value] of entries) {
      if (!isSecretSetting(name)) continue;
      const placeholder = value === '' || value.includes('change-me') || /^smtp:\/\/mailpit:1025$/.test(value);
      assert.ok(placeholder, `${name} in compose.env.example looks like a real value`);
    }
    // Every setting the stack reads from the file is in the example.
    for (const name of ['POSTGRES_PASSWORD', 'POSTGRES_PWD', 'NETSUITE_LIMITER_URL', 'CODEC_SERVER_TOKEN', 'PAYLOAD_CODEC_KEYS']) {
      assert.ok(
        entries.some(([n]) => n === name),
        `compose.env.example sets ${name}`,
      );
    }
  });

  describe('a broken copy is rejected with a readable error', () => {
    it('ports of the wrong type fails the schema, naming the service and the field', () => {
      const compose = copy();
      (compose.services.receiver as Record<string, unknown>).ports = 8080;
      assert.equal(validate(compose), false);
      const errors = describeSchemaErrors(validate.errors);
      assert.ok(errors.includes('/services/receiver/ports: must be array'), errors.join('\n'));
    });

    it('an unknown key fails the schema, naming the key', () => {
      const compose = copy();
      (compose.services.worker as Record<string, unknown>).restart_policy = 'always';
      assert.equal(validate(compose), false);
      const errors = describeSchemaErrors(validate.errors);
      assert.ok(errors.includes('/services/worker: must NOT have unevaluated properties (restart_policy)'), errors.join('\n'));
    });

    it('a latest or untagged image, a missing service, or a simulator outside its profile breaks the rules', () => {
      const compose = copy();
      compose.services.postgres = { ...compose.services.postgres, image: 'postgres:latest' };
      compose.services['temporal-ui'] = { ...compose.services['temporal-ui'], image: 'temporalio/ui' };
      delete compose.services['codec-server'];
      compose.services.mailpit = { ...compose.services.mailpit, profiles: [] };
      const problems = composeProblems(compose);
      assert.ok(problems.includes('service postgres: image postgres:latest is latest; pin a release tag'), problems.join('\n'));
      assert.ok(problems.includes('service temporal-ui: image temporalio/ui has no tag (it would float to latest)'), problems.join('\n'));
      assert.ok(problems.includes('service codec-server is missing'), problems.join('\n'));
      assert.ok(
        problems.some((p) => p.startsWith('service mailpit must be only in the simulators profile')),
        problems.join('\n'),
      );
    });

    it('a shell-form worker command, or a secret written into the file, breaks the rules', () => {
      const compose = copy();
      compose.services.worker = { ...compose.services.worker, command: 'node dist/src/worker.js' };
      compose.services.postgres = { ...compose.services.postgres, environment: { POSTGRES_USER: 'temporal', POSTGRES_PASSWORD: 'hunter2-hunter2' } };
      compose.services.receiver = { ...compose.services.receiver, environment: { NETSUITE_LIMITER_URL: 'postgres://temporal:hunter2@postgres:5432/woo' } };
      const problems = composeProblems(compose);
      assert.ok(
        problems.some((p) => p.startsWith('service worker: command must be exec form')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('service postgres: POSTGRES_PASSWORD is a secret')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('service receiver: NETSUITE_LIMITER_URL is a secret')),
        problems.join('\n'),
      );
      assert.ok(!problems.join('\n').includes('hunter2'), 'no secret value is echoed');
    });

    it('a worker stopped before its shutdown grace, or waiting for a required simulator, breaks the rules', () => {
      const compose = copy();
      compose.services.worker = { ...compose.services.worker, stop_grace_period: '20s', depends_on: { simulators: { condition: 'service_healthy' } } };
      const problems = composeProblems(compose);
      assert.ok(problems.includes('worker stop_grace_period (20 s) must be longer than WORKER_SHUTDOWN_GRACE_SECONDS (30 s)'), problems.join('\n'));
      assert.ok(
        problems.some((p) => p.includes('depends on simulators without required: false')),
        problems.join('\n'),
      );
      assert.ok(
        problems.includes('service worker must depend on temporal-search-attributes with condition service_completed_successfully'),
        problems.join('\n'),
      );
    });
  });
});
