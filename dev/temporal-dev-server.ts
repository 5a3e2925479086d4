/**
 * The Temporal dev server on demand, for tests and the demo (never used in production).
 *
 * `resolveTemporalCli` finds or installs the pinned Temporal CLI, in this order:
 *   1. `$TEMPORAL_CLI_PATH`
 *   2. `temporal` on PATH
 *   3. a cached copy (`<cache>/temporal-cli/<version>/temporal`)
 *   4. `go install github.com/temporalio/cli/cmd/temporal@<version>` into the cache, when Go is present
 *   5. the SDK's own download (needs internet), cached in the same folder
 * `startDevServer` runs `temporal server start-dev` with the project's search attributes registered, on the given
 * (or free) ports on 127.0.0.1, Web UI on unless asked otherwise, optionally persisted with `--db-filename`; it
 * resolves once the server answers (its own deadline, default 60 s), and `stop()` shuts it down with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../src/api';
import { cacheDir, findGo, findOnPath, goInstallInto, isExecutable } from './go-tools';

export { cacheDir, findOnPath };

/**
 * The pinned CLI. v1.5.1 (Temporal Server 1.29.1, UI 2.42.1) is the newest release `go install` accepts: later releases
 * carry a `replace` directive in go.mod.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type CliSource = 'env' | 'path' | 'cache' | 'go-install' | 'sdk-download';

export interface ResolvedCli {
  source: CliSource;
  /** Path of the executable; absent for 'sdk-download', where the SDK fetches and caches the binary itself. */
  path?: string;
  /** Where the SDK caches its download (for 'sdk-download'). */
  downloadDir?: string;
}

export interface ResolveOptions {
  /** Environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Progress messages (default: stderr). */
  log?: (message: string) => void;
  /** When false, never install: only look (default true). */
  install?: boolean;
}

/** Where the pinned CLI is cached. */
export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

/** Builds the pinned CLI with Go into the cache; the binary appears there atomically, so a half-built one is never used. */
async function goInstall(goPath: string, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<string> {
  log(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (a few minutes, once per machine)…`);
  const started = Date.now();
  const target = await goInstallInto({
    goPath,
    spec: `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`,
    binary: 'temporal',
    target: cachedCliPath(env),
    env: { ...env, GOFLAGS: '-mod=mod' },
  });
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

/** Finds or installs the pinned Temporal CLI (see the module comment for the order). */
export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<ResolvedCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => process.stderr.write(`[temporal-cli] ${m}\n`));
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return { source: 'env', path: explicit };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { source: 'path', path: onPath };
  const cached = cachedCliPath(env);
  if (isExecutable(cached)) return { source: 'cache', path: cached };
  if (options.install === false) throw new Error(`no Temporal CLI found (TEMPORAL_CLI_PATH, PATH, ${cached})`);
  const go = findGo(env);
  if (go) return { source: 'go-install', path: await goInstall(go, env, log) };
  log('Go is not installed: letting the Temporal SDK download the CLI (needs internet)');
  return { source: 'sdk-download', downloadDir: join(cacheDir(env), 'sdk-download') };
}

export interface DevServerOptions extends ResolveOptions {
  /** gRPC port (default: a free port). */
  port?: number;
  /** Web UI port (default: a free port). */
  uiPort?: number;
  /** Serve the Web UI (default true). */
  ui?: boolean;
  /** Persist to this SQLite file (default: in memory, gone on stop). */
  dbFilename?: string;
  /** Namespace created at start (default "default"). */
  namespace?: string;
  /** Server log level (default "warn"). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra `--dynamic-config-value k=v` settings. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** How long to wait for the server to answer (default 60 s: a cold 250 MB binary on a busy machine can take a while). */
  startupTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the frontend (gRPC). */
  address: string;
  namespace: string;
  /** The Web UI, when enabled. */
  uiUrl?: string;
  cli: ResolvedCli;
  /** A client environment connected to the server (client, connection, nativeConnection). */
  env: TestWorkflowEnvironment;
  /**
   * Stops the server process (SIGTERM) and keeps its address, database file and client environment: an outage, until
   * resume(). Only for a server this process runs itself (not the SDK-download fallback); without `dbFilename` the
   * server comes back empty.
   */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and database file; resolves once it answers. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SEARCH_ATTRIBUTE_FLAG_TYPES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** The `temporal server start-dev` arguments for these options. */
export function devServerArgs(options: {
  port: number;
  uiPort?: number;
  namespace: string;
  dbFilename?: string;
  logLevel: string;
  dynamicConfig?: DevServerOptions['dynamicConfig'];
}): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace, '--log-level', options.logLevel];
  args.push(...(options.uiPort ? ['--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${SEARCH_ATTRIBUTE_FLAG_TYPES[key.type] ?? 'Keyword'}`);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  return args;
}

/** True when the frontend at `address` describes `namespace`. */
async function answers(address: string, namespace: string): Promise<void> {
  const connection = Connection.lazy({ address });
  try {
    await connection.withDeadline(Date.now() + 2000, () => connection.workflowService.describeNamespace({ namespace }));
  } finally {
    await connection.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** True when something accepts TCP connections at host:port. */
function acceptsConnections(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once the frontend answers and the namespace exists; rejects if the process exits or the deadline passes. */
async function waitUntilAnswering(address: string, namespace: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`temporal server start-dev ${exited} before answering:\n${output()}`);
    // A plain TCP probe first: gRPC's client backs off for a second after a refused connection.
    if (!(await acceptsConnections(address))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    try {
      await withTimeout(answers(address, namespace), 3000, 'no gRPC answer within 3 s');
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`temporal server start-dev at ${address} did not answer within ${timeoutMs} ms (last error: ${lastError}):\n${output()}`);
}

/** Stops the process with SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `temporal server start-dev` and resolves when it answers. The process is ours: its output is kept (and shown
 * if it fails to start), it is waited for with our own deadline, and it is killed if this process exits first.
 * Only the SDK-download fallback goes through the SDK's ephemeral server.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = await resolveTemporalCli(options);
  const namespace = options.namespace ?? 'default';
  const ui = options.ui ?? true;
  if (options.dbFilename) mkdirSync(join(options.dbFilename, '..'), { recursive: true });
  if (!cli.path) return startWithSdkDownload(cli, namespace, ui, options);

  const port = options.port ?? (await freePort());
  const uiPort = ui ? (options.uiPort ?? (await freePort())) : undefined;
  const args = devServerArgs({
    port,
    ...(uiPort ? { uiPort } : {}),
    namespace,
    logLevel: options.logLevel ?? 'warn',
    ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
    ...(options.dynamicConfig ? { dynamicConfig: options.dynamicConfig } : {}),
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  const cliPath = cli.path;
  const launch = (): ChildProcess => {
    const spawned = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.stdout?.on('data', keep);
    spawned.stderr?.on('data', keep);
    return spawned;
  };
  let child = launch();
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${port}`;
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  try {
    await waitUntilAnswering(address, namespace, child, () => output, startupTimeoutMs);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopProcess(child, 1000);
    throw error;
  }
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return devServerHandle(
    { address, namespace, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, cli, env },
    async () => {
      await stopProcess(child);
      process.removeListener('exit', killOnExit);
    },
    {
      halt: () => stopProcess(child),
      async resume() {
        if (running()) return;
        child = launch();
        await waitUntilAnswering(address, namespace, child, () => output, startupTimeoutMs);
      },
    },
  );
}

/** The DevServer a caller gets: `stop()` closes the client environment, then whatever else stops the server; once. */
function devServerHandle(
  server: { address: string; namespace: string; uiUrl: string | undefined; cli: ResolvedCli; env: TestWorkflowEnvironment },
  stopServer: () => Promise<void>,
  outage: Pick<DevServer, 'halt' | 'resume'>,
): DevServer {
  let stopped = false;
  const { uiUrl, ...rest } = server;
  return {
    ...rest,
    ...(uiUrl ? { uiUrl } : {}),
    ...outage,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.env.teardown();
      await stopServer();
    },
  };
}

/** Users with internet and no Go: the SDK downloads, caches and runs the pinned CLI itself. */
async function startWithSdkDownload(cli: ResolvedCli, namespace: string, ui: boolean, options: DevServerOptions): Promise<DevServer> {
  const extraArgs: string[] = [];
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) extraArgs.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', version: TEMPORAL_CLI_VERSION, ...(cli.downloadDir ? { downloadDir: cli.downloadDir } : {}) },
      ip: '127.0.0.1',
      ...(options.port ? { port: options.port } : {}),
      ui,
      ...(ui && options.uiPort ? { uiPort: options.uiPort } : {}),
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      namespace,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: options.logLevel ?? 'warn' },
      extraArgs,
    },
  });
  const port = Number(env.address.split(':').pop());
  const uiUrl = ui ? `http://127.0.0.1:${options.uiPort ?? port + 1000}` : undefined;
  // The SDK's teardown stops the server process too.
  const unsupported = async (): Promise<never> => {
    throw new Error('halt/resume need a Temporal CLI this process runs itself (TEMPORAL_CLI_PATH, PATH or the cache), not the SDK download');
  };
  return devServerHandle({ address: env.address, namespace, uiUrl, cli, env }, async () => undefined, { halt: unsupported, resume: unsupported });
}
