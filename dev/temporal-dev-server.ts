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
 * (or free) ports, Web UI on unless asked otherwise, optionally persisted with `--db-filename`; it resolves once the
 * server answers, and `stop()` shuts it down.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../src/api';

const execFileAsync = promisify(execFile);

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

/** `$WOO_NETSUITE_SYNC_CACHE`, else `$XDG_CACHE_HOME/woo-netsuite-sync`, else `~/.cache/woo-netsuite-sync`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WOO_NETSUITE_SYNC_CACHE) return env.WOO_NETSUITE_SYNC_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'woo-netsuite-sync');
}

/** Where the pinned CLI is cached. */
export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `PATH`, if any. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the pinned CLI with Go into the cache; the binary appears there atomically, so a half-built one is never used. */
async function goInstall(goPath: string, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<string> {
  const target = cachedCliPath(env);
  const versionDir = join(target, '..');
  mkdirSync(versionDir, { recursive: true });
  const staging = mkdtempSync(join(versionDir, '.building-'));
  log(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (a few minutes, once per machine)…`);
  const started = Date.now();
  try {
    await execFileAsync(goPath, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: staging, GOFLAGS: '-mod=mod' },
      maxBuffer: 64 * 1024 * 1024,
    });
    renameSync(join(staging, 'temporal'), target);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`go install of ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed: ${(e.stderr ?? e.message).trim().slice(-2000)}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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
  const go = findOnPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (go) return { source: 'go-install', path: await goInstall(go, env, log) };
  log('Go is not installed: letting the Temporal SDK download the CLI (needs internet)');
  return { source: 'sdk-download', downloadDir: join(cacheDir(env), 'sdk-download') };
}

export interface DevServerOptions extends ResolveOptions {
  /** gRPC port (default: a free port). */
  port?: number;
  /** Web UI port (default: gRPC port + 1000). */
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
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and resolves when it answers. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = await resolveTemporalCli(options);
  const namespace = options.namespace ?? 'default';
  const ui = options.ui ?? true;
  if (options.dbFilename) mkdirSync(join(options.dbFilename, '..'), { recursive: true });
  const extraArgs: string[] = [];
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    extraArgs.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.path
        ? { type: 'existing-path', path: cli.path }
        : { type: 'cached-download', version: TEMPORAL_CLI_VERSION, ...(cli.downloadDir ? { downloadDir: cli.downloadDir } : {}) },
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
  let stopped = false;
  return {
    address: env.address,
    namespace,
    ...(uiUrl ? { uiUrl } : {}),
    cli,
    env,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await env.teardown();
    },
  };
}
