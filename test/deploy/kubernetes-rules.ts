/**
 * The Kubernetes manifests checked offline: `kustomize build` with the pinned binary, every object validated by
 * kubernetes-models (bundled OpenAPI schemas; @kubernetes-models/prometheus-operator for the ServiceMonitor), and the
 * project's invariants — shutdown grace, probes on declared ports, a named metrics port, no Secret data, secrets only
 * by secretKeyRef, no sandbox/production cross-wiring, the mapping mounted where MAPPING_FILE points.
 */
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KUSTOMIZE, resolveGoTool } from '../../dev/go-tools';
import { NETSUITE_ENV_PREFIX, type NetSuiteEnvironment } from '../../src/config';
import { isSecretSetting } from './compose-rules';

const execFileAsync = promisify(execFile);

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `kustomize build <dir>` with the pinned kustomize; rejects with kustomize's own error. */
export async function kustomizeBuild(dir: string): Promise<K8sObject[]> {
  const { path } = await resolveGoTool(KUSTOMIZE);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(path, ['build', dir], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kustomize build ${dir} failed: ${(e.stderr || e.message).trim()}`, { cause: error });
  }
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

type Validatable = new (data: never) => { validate(): void };

/** The kubernetes-models class of each kind the manifests use (ESM packages: loaded with import()). */
const MODELS: Record<string, () => Promise<Validatable>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1')).Namespace as unknown as Validatable,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1')).ConfigMap as unknown as Validatable,
  'v1/Service': async () => (await import('kubernetes-models/v1')).Service as unknown as Validatable,
  'v1/Secret': async () => (await import('kubernetes-models/v1')).Secret as unknown as Validatable,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1')).Deployment as unknown as Validatable,
  'autoscaling/v2/HorizontalPodAutoscaler': async () => (await import('kubernetes-models/autoscaling/v2')).HorizontalPodAutoscaler as unknown as Validatable,
  'policy/v1/PodDisruptionBudget': async () => (await import('kubernetes-models/policy/v1')).PodDisruptionBudget as unknown as Validatable,
  'monitoring.coreos.com/v1/ServiceMonitor': async () =>
    (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1')).ServiceMonitor as unknown as Validatable,
};

const describeObject = (o: K8sObject): string => `${o.kind} ${o.metadata?.name ?? '(unnamed)'}`;

/** Each object validated against its schema; one sentence per invalid or unknown object. */
export async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const load = MODELS[`${object.apiVersion}/${object.kind}`];
    if (load === undefined) {
      problems.push(`${describeObject(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    const Model = await load();
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${describeObject(object)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

interface Probe {
  httpGet?: { path?: string; port?: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: unknown };
}
interface Container {
  name: string;
  command?: string[];
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: { name: string; emptyDir?: unknown; configMap?: { name: string } }[];
}
interface Deployment extends K8sObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface Service extends K8sObject {
  spec: { clusterIP?: string; selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: string | number }[] };
}
interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

const find = <T extends K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The workloads of the manifests: Deployment name → its one container's name. */
export const WORKLOADS = {
  'woo-netsuite-sync-worker': 'worker',
  'woo-netsuite-sync-receiver': 'receiver',
  'woo-netsuite-sync-codec-server': 'codec-server',
} as const;

/** The value of a container env var after envFrom ConfigMaps, and the ConfigMap a name comes from. */
function settingsOf(objects: readonly K8sObject[], container: Container): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef ? find<ConfigMap>(objects, 'ConfigMap', source.configMapRef.name) : undefined;
    Object.assign(settings, configMap?.data ?? {});
  }
  for (const variable of container.env ?? []) if (variable.value !== undefined) settings[variable.name] = variable.value;
  return settings;
}

function probeProblems(where: string, container: Container, probes: Record<'readinessProbe' | 'livenessProbe', string>): string[] {
  const problems: string[] = [];
  const declared = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
  for (const [kind, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
    const probe = container[kind];
    if (probe?.httpGet === undefined) {
      problems.push(`${where}: no ${kind} (httpGet ${path})`);
      continue;
    }
    if (probe.httpGet.path !== path) problems.push(`${where}: ${kind} asks ${probe.httpGet.path}, expected ${path}`);
    const port = probe.httpGet.port;
    const known = typeof port === 'string' ? declared.has(port) : [...declared.values()].includes(port ?? -1);
    if (!known) problems.push(`${where}: ${kind} points at port ${String(port)}, which the container does not declare`);
  }
  return problems;
}

/** Every invariant the rendered objects of one overlay break, one sentence each. */
export function manifestProblems(objects: readonly K8sObject[], environment: NetSuiteEnvironment): string[] {
  const problems: string[] = [];
  const other: NetSuiteEnvironment = environment === 'sandbox' ? 'production' : 'sandbox';

  for (const object of objects) {
    if (object.kind === 'Secret') {
      problems.push(`${describeObject(object)}: Secrets are created by the operator, never committed (deploy/README.md lists them)`);
    }
  }

  const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name;
  if (namespace === undefined) problems.push('the overlay declares no Namespace');
  for (const object of objects) {
    if (object.kind !== 'Namespace' && object.metadata.namespace !== namespace)
      problems.push(`${describeObject(object)} is in namespace ${object.metadata.namespace ?? '(none)'}, not ${namespace}`);
  }

  for (const [deploymentName, containerName] of Object.entries(WORKLOADS)) {
    const deployment = find<Deployment>(objects, 'Deployment', deploymentName);
    if (deployment === undefined) {
      problems.push(`Deployment ${deploymentName} is missing`);
      continue;
    }
    const pod = deployment.spec.template.spec;
    const container = pod.containers.find((c) => c.name === containerName);
    const where = `Deployment ${deploymentName}`;
    if (container === undefined) {
      problems.push(`${where}: no container ${containerName}`);
      continue;
    }
    if (!matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels))
      problems.push(`${where}: its selector does not match its pod labels`);
    const image = container.image ?? '';
    if (!/:[^:/]+$/.test(image) || image.endsWith(':latest')) problems.push(`${where}: image ${image} is not pinned to a release tag`);
    if (!container.command || container.command[0] !== 'node') problems.push(`${where}: command must be ["node", …]`);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: the pod must set runAsNonRoot: true`);
    if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    if (tmp === undefined || pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir === undefined)
      problems.push(`${where}: /tmp must be an emptyDir (the root filesystem is read-only)`);
    if (!container.resources?.requests?.cpu || !container.resources.requests.memory || !container.resources.limits?.memory) {
      problems.push(`${where}: set resources.requests (cpu, memory) and resources.limits.memory`);
    }
    if (!(container.envFrom ?? []).some((s) => s.configMapRef !== undefined))
      problems.push(`${where}: settings must come from the settings ConfigMap (envFrom)`);
    for (const source of container.envFrom ?? [])
      if (source.secretRef !== undefined) problems.push(`${where}: envFrom a Secret hides which secrets it reads; use secretKeyRef per variable`);
    for (const variable of container.env ?? []) {
      if (isSecretSetting(variable.name) && variable.valueFrom?.secretKeyRef === undefined) {
        problems.push(`${where}: ${variable.name} is a secret and must come from a secretKeyRef`);
      }
      if (variable.name.startsWith(NETSUITE_ENV_PREFIX[other])) problems.push(`${where}: ${variable.name} belongs to ${other}, not ${environment}`);
    }
  }

  for (const configMap of objects.filter((o): o is ConfigMap => o.kind === 'ConfigMap')) {
    for (const key of Object.keys(configMap.data ?? {})) {
      if (isSecretSetting(key)) problems.push(`${describeObject(configMap)}: ${key} is a secret; it belongs in a Secret, referenced by secretKeyRef`);
      if (key.startsWith(NETSUITE_ENV_PREFIX[other])) problems.push(`${describeObject(configMap)}: ${key} belongs to ${other}, not ${environment}`);
    }
  }
  // Any mention of the other environment, anywhere (a Secret name, a comment-free value): the cross-wiring guard.
  const rendered = JSON.stringify(objects);
  if (rendered.includes(NETSUITE_ENV_PREFIX[other])) problems.push(`the ${environment} overlay mentions ${NETSUITE_ENV_PREFIX[other]}* settings`);
  if (rendered.includes(`woo-netsuite-sync-netsuite-${other}`)) problems.push(`the ${environment} overlay references the ${other} NetSuite Secret`);

  const worker = find<Deployment>(objects, 'Deployment', 'woo-netsuite-sync-worker');
  const workerContainer = worker?.spec.template.spec.containers.find((c) => c.name === 'worker');
  if (worker !== undefined && workerContainer !== undefined) {
    const where = 'Deployment woo-netsuite-sync-worker';
    const settings = settingsOf(objects, workerContainer);
    if (settings.NETSUITE_ENVIRONMENT !== environment)
      problems.push(`${where}: NETSUITE_ENVIRONMENT is ${settings.NETSUITE_ENVIRONMENT ?? 'unset'}, expected ${environment}`);
    const accountId = settings[`${NETSUITE_ENV_PREFIX[environment]}ACCOUNT_ID`] ?? '';
    const accountIsSandbox = /_SB\d+$/.test(accountId);
    if (!/^\d+(_SB\d+)?$/.test(accountId) || accountIsSandbox !== (environment === 'sandbox')) {
      problems.push(`${where}: ${NETSUITE_ENV_PREFIX[environment]}ACCOUNT_ID=${accountId || '(unset)'} is not a ${environment} account ID`);
    }
    for (const field of ['CLIENT_ID', 'CERTIFICATE_ID', 'PRIVATE_KEY']) {
      const variable = workerContainer.env?.find((e) => e.name === `${NETSUITE_ENV_PREFIX[environment]}${field}`);
      const ref = variable?.valueFrom?.secretKeyRef;
      if (ref === undefined) problems.push(`${where}: ${NETSUITE_ENV_PREFIX[environment]}${field} must come from the ${environment} NetSuite Secret`);
      else if (ref.name !== `woo-netsuite-sync-netsuite-${environment}`)
        problems.push(`${where}: ${variable?.name} comes from Secret ${ref.name}, not woo-netsuite-sync-netsuite-${environment}`);
    }
    const grace = Number(workerContainer.env?.find((e) => e.name === 'WORKER_SHUTDOWN_GRACE_SECONDS')?.value);
    if (!Number.isFinite(grace)) problems.push(`${where}: set WORKER_SHUTDOWN_GRACE_SECONDS explicitly in the container env`);
    const termination = worker.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (!(termination > grace))
      problems.push(`${where}: terminationGracePeriodSeconds (${termination}) must be larger than WORKER_SHUTDOWN_GRACE_SECONDS (${grace})`);
    problems.push(...probeProblems(where, workerContainer, { readinessProbe: '/readyz', livenessProbe: '/livez' }));
    const health = workerContainer.ports?.find((p) => p.name === 'health');
    if (health?.containerPort !== Number(settings.HEALTH_PORT))
      problems.push(`${where}: the health port (${health?.containerPort}) is not HEALTH_PORT (${settings.HEALTH_PORT})`);
  }

  const receiver = find<Deployment>(objects, 'Deployment', 'woo-netsuite-sync-receiver');
  const receiverContainer = receiver?.spec.template.spec.containers.find((c) => c.name === 'receiver');
  if (receiverContainer !== undefined) {
    const where = 'Deployment woo-netsuite-sync-receiver';
    problems.push(...probeProblems(where, receiverContainer, { readinessProbe: '/readyz', livenessProbe: '/livez' }));
    const drain = Number(receiverContainer.env?.find((e) => e.name === 'WEBHOOK_DRAIN_SECONDS')?.value);
    if (!Number.isFinite(drain)) problems.push(`${where}: set WEBHOOK_DRAIN_SECONDS explicitly in the container env`);
    const termination = receiver?.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (!(termination > drain)) problems.push(`${where}: terminationGracePeriodSeconds (${termination}) must be larger than WEBHOOK_DRAIN_SECONDS (${drain})`);
    const http = receiverContainer.ports?.find((p) => p.name === 'http');
    if (http?.containerPort !== Number(settingsOf(objects, receiverContainer).WEBHOOK_PORT)) problems.push(`${where}: the http port is not WEBHOOK_PORT`);
  }
  const codec = find<Deployment>(objects, 'Deployment', 'woo-netsuite-sync-codec-server')?.spec.template.spec.containers[0];
  if (codec !== undefined)
    problems.push(...probeProblems('Deployment woo-netsuite-sync-codec-server', codec, { readinessProbe: '/livez', livenessProbe: '/livez' }));

  for (const [name, deployment] of [
    ['worker', worker],
    ['receiver', receiver],
  ] as const) {
    const container = deployment?.spec.template.spec.containers[0];
    const metrics = container?.ports?.find((p) => p.name === 'metrics');
    if (deployment !== undefined && metrics?.containerPort !== 9464) problems.push(`Deployment woo-netsuite-sync-${name}: needs a port named metrics on 9464`);
  }

  // Services: each selects its pods and targets a declared port.
  const services = objects.filter((o): o is Service => o.kind === 'Service');
  for (const service of services) {
    const pods = objects.filter((o): o is Deployment => o.kind === 'Deployment').filter((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
    if (pods.length === 0) problems.push(`${describeObject(service)} selects no Deployment's pods`);
    for (const port of service.spec.ports) {
      if (
        typeof port.targetPort === 'string' &&
        !pods.every((d) => d.spec.template.spec.containers.some((c) => c.ports?.some((p) => p.name === port.targetPort)))
      ) {
        problems.push(`${describeObject(service)}: targetPort ${port.targetPort} is not a declared container port`);
      }
    }
  }
  const workerMetrics = services.find(
    (s) => s.spec.clusterIP === 'None' && worker !== undefined && matches(s.spec.selector, worker.spec.template.metadata.labels),
  );
  if (workerMetrics === undefined || !workerMetrics.spec.ports.some((p) => p.name === 'metrics'))
    problems.push('the worker needs a headless Service with its metrics port');
  if (!services.some((s) => s.metadata.name === 'woo-netsuite-sync-codec-server')) problems.push('Service woo-netsuite-sync-codec-server is missing');

  interface Autoscaler extends K8sObject {
    spec: { scaleTargetRef: { kind: string; name: string } };
  }
  const hpa = find<Autoscaler>(objects, 'HorizontalPodAutoscaler', 'woo-netsuite-sync-receiver');
  if (hpa === undefined || hpa.apiVersion !== 'autoscaling/v2' || hpa.spec.scaleTargetRef.name !== 'woo-netsuite-sync-receiver')
    problems.push('the receiver needs an autoscaling/v2 HorizontalPodAutoscaler targeting it');
  const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as
    (K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }) | undefined;
  if (pdb === undefined || receiver === undefined || !matches(pdb.spec.selector.matchLabels, receiver.spec.template.metadata.labels))
    problems.push('the receiver needs a PodDisruptionBudget selecting its pods');

  const monitor = objects.find((o) => o.kind === 'ServiceMonitor') as
    | (K8sObject & {
        spec: {
          selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] };
          endpoints: { port?: string }[];
        };
      })
    | undefined;
  if (monitor === undefined) problems.push('no ServiceMonitor');
  else {
    if (!monitor.spec.endpoints.some((e) => e.port === 'metrics')) problems.push('the ServiceMonitor does not scrape the port named metrics');
    const selects = (service: Service | undefined): boolean => {
      if (service === undefined) return false;
      const labels = service.metadata.labels ?? {};
      const expressionsHold = (monitor.spec.selector.matchExpressions ?? []).every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''));
      return matches(monitor.spec.selector.matchLabels ?? {}, labels) && expressionsHold && service.spec.ports.some((p) => p.name === 'metrics');
    };
    if (!selects(workerMetrics)) problems.push("the ServiceMonitor does not select the worker's metrics Service");
    if (!selects(services.find((s) => s.metadata.name === 'woo-netsuite-sync-receiver')))
      problems.push("the ServiceMonitor does not select the receiver's Service");
  }
  return problems;
}

/** The file a setting names (MAPPING_FILE, SCHEDULES_FILE) as the worker sees it: read through its volume mounts. */
export function mountedFile(objects: readonly K8sObject[], setting: string): { path: string; content: string } {
  const worker = find<Deployment>(objects, 'Deployment', 'woo-netsuite-sync-worker');
  const container = worker?.spec.template.spec.containers.find((c) => c.name === 'worker');
  if (worker === undefined || container === undefined) throw new Error('no worker Deployment');
  const path = settingsOf(objects, container)[setting];
  if (path === undefined) throw new Error(`the worker's settings do not set ${setting}`);
  const mount = container.volumeMounts?.find((m) => m.mountPath === posix.dirname(path));
  if (mount === undefined) throw new Error(`${setting}=${path}: nothing is mounted at ${posix.dirname(path)}`);
  const volume = worker.spec.template.spec.volumes?.find((v) => v.name === mount.name);
  const configMap = volume?.configMap ? find<ConfigMap>(objects, 'ConfigMap', volume.configMap.name) : undefined;
  if (configMap === undefined) throw new Error(`${setting}=${path}: volume ${mount.name} is not a ConfigMap of this overlay`);
  const content = configMap.data?.[posix.basename(path)];
  if (content === undefined) throw new Error(`${setting}=${path}: ConfigMap ${configMap.metadata.name} has no key ${posix.basename(path)}`);
  return { path, content };
}

/** The store names the worker is configured with. */
export function configuredStores(objects: readonly K8sObject[]): string[] {
  const worker = find<Deployment>(objects, 'Deployment', 'woo-netsuite-sync-worker');
  const container = worker?.spec.template.spec.containers[0];
  if (container === undefined) return [];
  return (settingsOf(objects, container).WOO_STORES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
