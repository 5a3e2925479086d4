/**
 * docker-compose.yml checked offline: the Compose Specification schema (pinned compose-go module, ajv with the draft
 * the schema declares) and the project's own rules — pinned images, the services issue #5 names, simulators only in
 * their profile, exec-form commands, secrets never written into the file.
 */
import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { resolveComposeSpecSchema } from '../../dev/go-tools';

export type ComposeFile = {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
};

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  healthcheck?: { test?: string | string[] };
  stop_grace_period?: string;
  [key: string]: unknown;
}

/** Parses Compose YAML as Compose does: YAML merge keys (`<<: *anchor`) resolved. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** The Compose Specification validator (draft 2020-12, as compose-spec.json declares). */
export async function composeSchemaValidator(): Promise<ValidateFunction> {
  const schema = JSON.parse(readFileSync(await resolveComposeSpecSchema(), 'utf8')) as { $schema?: string };
  if (schema.$schema !== 'https://json-schema.org/draft/2020-12/schema')
    throw new Error(`compose-spec.json declares ${schema.$schema}; this validator is draft 2020-12`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** ajv's errors as readable lines: `/services/receiver/ports: must be array`, the offending key named. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = (errors ?? []).map((error) => {
    const params = error.params as { additionalProperty?: string; unevaluatedProperty?: string };
    const key = params.additionalProperty ?? params.unevaluatedProperty;
    const extra = key === undefined ? '' : ` (${key})`;
    return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
  });
  return [...new Set(lines)];
}

/** The services issue #5 asks for. */
export const REQUIRED_SERVICES = [
  'postgres',
  'temporal',
  'temporal-search-attributes',
  'temporal-ui',
  'worker',
  'receiver',
  'codec-server',
  'schedules-apply',
] as const;
/** Only with `--profile simulators`. */
export const SIMULATOR_SERVICES = ['simulators', 'mailpit'] as const;
/** Services that run the product image; each must run node in exec form. */
export const NODE_SERVICES = ['worker', 'receiver', 'codec-server', 'schedules-apply'] as const;

/** Settings that hold a secret (or a URL with one): never a literal in docker-compose.yml. */
export function isSecretSetting(name: string): boolean {
  return (
    /PASSWORD|PWD|SECRET|TOKEN|PRIVATE_KEY|CONSUMER_KEY|CODEC_KEYS|API_KEY|TLS_CLIENT_KEY/.test(name) ||
    ['NETSUITE_LIMITER_URL', 'STATE_DATABASE_URL', 'ALERT_SMTP_URL', 'ALERT_CHAT_WEBHOOK_URL'].includes(name) ||
    /^NS_(SANDBOX|PROD)_(CLIENT_ID|CERTIFICATE_ID)$/.test(name)
  );
}

/** A value that only refers to a variable: `${NAME}`, `${NAME:?message}` — no literal default. */
const isPureReference = (value: string): boolean => /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$/.test(value);

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function seconds(duration: string | undefined): number | undefined {
  const match = /^(\d+)(s|m)$/.exec(duration ?? '');
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

/** Every project rule docker-compose.yml breaks, one sentence each. */
export function composeProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of [...REQUIRED_SERVICES, ...SIMULATOR_SERVICES]) if (!(name in services)) problems.push(`service ${name} is missing`);

  for (const [name, service] of Object.entries(services)) {
    const image = service.image;
    if (image === undefined) problems.push(`service ${name} has no image: name every image with a pinned tag`);
    else {
      const tag = /^(?:[^/]+\/)*[^:/@]+(?::([^@]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
      const digest = image.includes('@sha256:');
      if (tag === undefined && !digest) problems.push(`service ${name}: image ${image} has no tag (it would float to latest)`);
      else if (tag === 'latest') problems.push(`service ${name}: image ${image} is latest; pin a release tag`);
      else if (service.build === undefined && !digest && !/\d/.test(tag ?? ''))
        problems.push(`service ${name}: image ${image} is not a release tag (no version number)`);
    }

    const simulatorOnly = (SIMULATOR_SERVICES as readonly string[]).includes(name);
    const profiles = service.profiles ?? [];
    if (simulatorOnly && !(profiles.length === 1 && profiles[0] === 'simulators'))
      problems.push(`service ${name} must be only in the simulators profile (profiles: [simulators])`);
    if (!simulatorOnly && profiles.length > 0) problems.push(`service ${name} is in profiles ${profiles.join(', ')}: the stack itself runs without a profile`);

    for (const [key, value] of Object.entries(environmentOf(service))) {
      if (isSecretSetting(key) && !isPureReference(value))
        problems.push(`service ${name}: ${key} is a secret and is written into docker-compose.yml; take it from deploy/compose.env (env_file)`);
      if (/:\/\/[^/\s:@]+:[^@\s/]+@/.test(value) && !/\$\{/.test(value)) problems.push(`service ${name}: ${key} carries a URL with a literal password`);
    }
  }

  for (const name of NODE_SERVICES) {
    const service = services[name];
    if (service === undefined) continue;
    if (!Array.isArray(service.command) || service.command[0] !== 'node') {
      problems.push(`service ${name}: command must be exec form ["node", …] (node is PID 1 and receives SIGTERM), found ${JSON.stringify(service.command)}`);
    }
    if (service.entrypoint !== undefined) problems.push(`service ${name} overrides the entrypoint: run node directly`);
    const envFile = JSON.stringify(service.env_file ?? '');
    if (!envFile.includes('deploy/compose.env')) problems.push(`service ${name} does not read its secrets from deploy/compose.env`);
  }

  const dependsOn = (name: string): Record<string, { condition?: string; required?: boolean }> => {
    const raw = services[name]?.depends_on;
    if (raw === undefined) return {};
    return Array.isArray(raw) ? Object.fromEntries(raw.map((d) => [d, { condition: 'service_started' }])) : raw;
  };
  const expectDependency = (service: string, on: string, condition: string): void => {
    if (services[service] === undefined) return;
    const found = dependsOn(service)[on];
    if (found?.condition !== condition) problems.push(`service ${service} must depend on ${on} with condition ${condition}`);
  };
  expectDependency('temporal', 'postgres', 'service_healthy');
  expectDependency('temporal-search-attributes', 'temporal', 'service_healthy');
  expectDependency('temporal-ui', 'temporal', 'service_healthy');
  for (const name of ['worker', 'receiver', 'schedules-apply']) {
    expectDependency(name, 'temporal-search-attributes', 'service_completed_successfully');
    expectDependency(name, 'simulators', 'service_healthy');
    if (dependsOn(name).simulators !== undefined && dependsOn(name).simulators?.required !== false) {
      problems.push(`service ${name} depends on simulators without required: false, so it cannot start without the simulators profile`);
    }
  }
  for (const name of ['postgres', 'temporal', 'worker', 'receiver', 'simulators']) {
    if (services[name] !== undefined && services[name]?.healthcheck?.test === undefined) problems.push(`service ${name} has no healthcheck`);
  }

  const worker = services.worker;
  if (worker !== undefined) {
    const grace = Number(environmentOf(worker).WORKER_SHUTDOWN_GRACE_SECONDS ?? 30);
    const stop = seconds(worker.stop_grace_period) ?? 10;
    if (!(stop > grace)) problems.push(`worker stop_grace_period (${stop} s) must be longer than WORKER_SHUTDOWN_GRACE_SECONDS (${grace} s)`);
  }
  return problems;
}

/** The search attributes the one-shot registers: its SEARCH_ATTRIBUTES list, and the type its command creates them with. */
export function registeredSearchAttributes(compose: ComposeFile): { names: string[]; types: string[] } {
  const service = compose.services['temporal-search-attributes'];
  const names = (environmentOf(service ?? {}).SEARCH_ATTRIBUTES ?? '').split(/\s+/).filter(Boolean);
  const script = [service?.command ?? []].flat().join('\n');
  const types = [...script.matchAll(/--type\s+(\S+)/g)].map((m) => m[1] ?? '');
  return { names, types };
}
