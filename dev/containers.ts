/**
 * The container engine for the container tests (test/containers/) and `npm run bench:image`: whether one answers here
 * (else the suite skips, saying why), the image under test (built by scripts/image-build.sh when missing), and the
 * stack's processes run as containers the way the Kubernetes manifests run them — uid 1000 from the image, read-only
 * root filesystem with a writable /tmp, every
 * capability dropped, no privilege escalation — on the host's network, so they reach the dev server, the simulators
 * and PostgreSQL on 127.0.0.1 like any process of the stack.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { SyncStack, WorkerProcess } from './sync-stack';

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

/** The image under test: CONTAINER_TEST_IMAGE (e.g. a deliberately broken build), else what `npm run image:build` tags. */
export const IMAGE = process.env.CONTAINER_TEST_IMAGE ?? 'woo-netsuite-sync:local';
/** The app's user in the image, by uid:gid, as the manifests' runAsUser / runAsGroup name it. */
export const APP_USER = '1000:1000';
/**
 * What the Kubernetes manifest of `kind` (deploy/kubernetes/base/<kind>.yaml) sets: terminationGracePeriodSeconds and
 * the value of a plain `- name: X / value: "…"` variable — read from the file, so the tests follow the manifests.
 */
export function manifest(kind: 'worker' | 'receiver'): { graceSeconds: number; memoryLimit: string; env(name: string): string } {
  const text = readFileSync(join(ROOT, 'deploy/kubernetes/base', `${kind}.yaml`), 'utf8');
  const grace = /terminationGracePeriodSeconds:\s*(\d+)/.exec(text)?.[1];
  if (!grace) throw new Error(`${kind}.yaml sets no terminationGracePeriodSeconds`);
  const limit = /limits:\s*\n\s*memory:\s*(\d+)(Mi|Gi)/.exec(text);
  if (!limit) throw new Error(`${kind}.yaml sets no memory limit in Mi or Gi`);
  return {
    graceSeconds: Number(grace),
    // Docker's m and g are binary units, as Kubernetes' Mi and Gi.
    memoryLimit: `${limit[1]}${limit[2] === 'Gi' ? 'g' : 'm'}`,
    env(name) {
      const value = new RegExp(`- name: ${name}\\s*\\n\\s*value: "?([^"\\n]*)"?`).exec(text)?.[1];
      if (value === undefined) throw new Error(`${kind}.yaml sets no ${name}`);
      return value;
    },
  };
}
/** Where a container finds the stack's files (mapping, key, Temporal profile): copies readable by uid 1000. */
const FILES_IN_CONTAINER = '/run/stack-files';

/**
 * Undefined when a container engine answers and the image is there (built now when it was missing and no image was
 * named); else the reason the suite skips. scripts/container-engine.sh starts dockerd where this machine allows it.
 */
export function containerSuiteSkipReason(): string | undefined {
  const engine = spawnSync('bash', [join(ROOT, 'scripts/container-engine.sh')], { encoding: 'utf8' });
  if (engine.status !== 0) return `no container engine: ${(engine.stderr || engine.stdout).trim().split('\n').at(-1) ?? 'docker info failed'}`;
  if (spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status === 0) return undefined;
  if (process.env.CONTAINER_TEST_IMAGE) throw new Error(`CONTAINER_TEST_IMAGE=${IMAGE} is not an image this engine has`);
  const build = spawnSync('bash', [join(ROOT, 'scripts/image-build.sh'), '--runtime-only'], { encoding: 'utf8', env: { ...process.env, IMAGE_TAG: IMAGE } });
  if (build.status !== 0) throw new Error(`npm run image:build failed:\n${build.stdout}\n${build.stderr}`);
  return undefined;
}

/** `docker …`: its standard output, trimmed; rejects with its standard error. */
export async function docker(args: readonly string[], options: { maxBuffer?: number } = {}): Promise<string> {
  const { stdout } = await run('docker', [...args], { maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024 });
  return stdout.trim();
}

/** The containers a test file started and their file copies, removed by `removeContainers` in its `after`. */
const started = new Set<string>();
const copies = new Set<string>();

export async function removeContainers(): Promise<void> {
  for (const name of started) await run('docker', ['rm', '--force', name]).catch(() => undefined);
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  started.clear();
  copies.clear();
}

export interface ContainerRun {
  /** The container's name (docker stop / inspect). */
  name: string;
  /** What `stack.spawnWorker` / `spawnReceiver` take as `how`: `docker run …` in place of node. */
  how: { program: string; command: string[] };
}

/**
 * `docker run` of the image under test with the stack's process environment (`stack.workerEnv(extra)`), as the
 * Kubernetes manifests run it, with the memory limit of `kind`'s manifest (Node sizes its heap by it). Values that are
 * paths of the stack's files are copied into one directory readable by uid 1000 and mounted read-only; the variables
 * reach the container by name (`-e NAME`), so no secret is on a command line. `command` replaces the image's default
 * (the worker).
 */
export function containerRun(stack: SyncStack, kind: 'worker' | 'receiver' | 'cli', extra: NodeJS.ProcessEnv = {}, command: string[] = []): ContainerRun {
  const name = `wns-${kind}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const memory = kind === 'cli' ? [] : ['--memory', manifest(kind).memoryLimit];
  const files = mkdtempSync(join(tmpdir(), 'wns-container-files-'));
  copies.add(files);
  const env = stack.workerEnv(extra);
  const overrides: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (key === 'PATH' || key === 'HOME' || !value?.startsWith('/') || !existsSync(value) || !statSync(value).isFile()) continue;
    const copy = join(files, `${key}-${basename(value)}`);
    copyFileSync(value, copy);
    overrides[key] = `${FILES_IN_CONTAINER}/${basename(copy)}`;
  }
  readableByTheAppUser(files);
  const names = Object.keys(env).filter((key) => key !== 'PATH' && key !== 'HOME');
  started.add(name);
  return {
    name,
    how: {
      program: 'docker',
      command: [
        'run',
        '--rm',
        '--name',
        name,
        '--network',
        'host',
        '--read-only',
        '--tmpfs',
        '/tmp:rw,size=256m',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        ...memory,
        '--volume',
        `${files}:${FILES_IN_CONTAINER}:ro`,
        ...names.flatMap((key) => ['--env', key]),
        ...Object.entries(overrides).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
        IMAGE,
        ...command,
      ],
    },
  };
}

/** Root's test files are 0600: the copies become the app user's (as a Kubernetes secret volume with fsGroup would). */
function readableByTheAppUser(dir: string): void {
  const asRoot = process.getuid?.() === 0;
  for (const path of [dir, ...readdirSync(dir).map((file) => join(dir, file))]) {
    if (asRoot) chownSync(path, 1000, 1000);
    else chmodSync(path, path === dir ? 0o755 : 0o644);
  }
}

/** `docker stop -t <grace>` (SIGTERM, then SIGKILL at the grace), timed. */
export async function stopContainer(name: string, graceSeconds: number): Promise<{ ms: number }> {
  const startedAt = Date.now();
  await docker(['stop', '--time', String(graceSeconds), name]);
  return { ms: Date.now() - startedAt };
}

/** A container's PID 1 as the kernel counts it (/proc/<pid>/status on the host): VmRSS now and VmHWM, its peak, in bytes. */
export async function containerMemory(name: string): Promise<{ rss: number; peak: number }> {
  const pid = await docker(['inspect', '--format', '{{.State.Pid}}', name]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const bytes = (field: string): number => {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    if (!kb) throw new Error(`no ${field} for container ${name} (pid ${pid})`);
    return Number(kb) * 1024;
  };
  return { rss: bytes('VmRSS'), peak: bytes('VmHWM') };
}

/**
 * Resolves once a container logged its ready line; rejects with its output when it exits first or is not ready within
 * `timeoutMs`.
 */
export async function readyOrExited(proc: WorkerProcess, what: string, timeoutMs = 120_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const failed = (why: string) => new Error(`the ${what} container ${why}:\n${proc.output().slice(-3000)}`);
  try {
    await Promise.race([
      proc.started,
      proc.exited.then((code) => Promise.reject(failed(`exited (${code}) before it was ready`))),
      new Promise((_, reject) => (timer = setTimeout(() => reject(failed(`was not ready within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
