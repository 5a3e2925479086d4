/**
 * Pinned developer tools built from Go modules, found or installed the same way everywhere (tests, CI, scripts):
 *
 *   1. an environment override naming the executable (e.g. `$KUSTOMIZE_BIN`),
 *   2. the tool on `PATH` — only for tools that accept any copy there (the Temporal CLI); a pinned validator such as
 *      kustomize is never taken from PATH, because another version renders the same manifests differently,
 *   3. the cached copy `<cache>/<tool>/<version>/<binary>`,
 *   4. `go install <package>@<version>` into a staging folder next to the cache entry, renamed into place once built,
 *      so a half-built binary is never used.
 *
 * Also the Compose Specification JSON schema, read from the Go module that publishes it (`go mod download -json`),
 * which Go keeps in its own module cache.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** `$WOO_NETSUITE_SYNC_CACHE`, else `$XDG_CACHE_HOME/woo-netsuite-sync`, else `~/.cache/woo-netsuite-sync`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WOO_NETSUITE_SYNC_CACHE) return env.WOO_NETSUITE_SYNC_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'woo-netsuite-sync');
}

export function isExecutable(path: string): boolean {
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

/** `go` on PATH, else the official tarball's location. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** A tool built from a Go package at a pinned version. */
export interface GoTool {
  /** Name of the cache folder and of the tool in messages, e.g. `kustomize`. */
  name: string;
  /** The Go package to install, e.g. `sigs.k8s.io/kustomize/kustomize/v5`. */
  package: string;
  /** The pinned version, e.g. `v5.5.0`. */
  version: string;
  /** The executable `go install` writes (the package's last path element unless it is a major-version suffix). */
  binary: string;
  /** Environment variable naming an executable to use instead. */
  envVar: string;
  /** Accept a copy found on PATH (whatever its version). Default false. */
  acceptFromPath?: boolean;
  /** Extra environment for `go install` (e.g. `GOFLAGS: '-mod=mod'`). */
  installEnv?: Record<string, string>;
}

/** kustomize, the renderer the Kubernetes tests validate (and `kubectl apply -k` embeds a version of). */
export const KUSTOMIZE: GoTool = {
  name: 'kustomize',
  package: 'sigs.k8s.io/kustomize/kustomize/v5',
  version: 'v5.5.0',
  binary: 'kustomize',
  envVar: 'KUSTOMIZE_BIN',
};

export type GoToolSource = 'env' | 'path' | 'cache' | 'go-install';

export interface ResolvedGoTool {
  source: GoToolSource;
  path: string;
}

export interface GoToolOptions {
  /** Environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Progress messages (default: stderr). */
  log?: (message: string) => void;
  /** When false, never install: only look (default true). */
  install?: boolean;
}

/** Where a tool's pinned version is cached. */
export function cachedToolPath(tool: GoTool, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), tool.name, tool.version, tool.binary);
}

export interface GoInstallRequest {
  goPath: string;
  /** `<package>@<version>`. */
  spec: string;
  /** The executable go install writes into GOBIN. */
  binary: string;
  /** Where the binary must end up. */
  target: string;
  env: NodeJS.ProcessEnv;
}

/**
 * `go install <spec>` into a staging folder beside `target`, then an atomic rename into place; the staging folder is
 * always removed. A failure names the spec and ends with Go's own words.
 */
export async function goInstallInto(request: GoInstallRequest): Promise<string> {
  const folder = join(request.target, '..');
  mkdirSync(folder, { recursive: true });
  const staging = mkdtempSync(join(folder, '.building-'));
  try {
    await execFileAsync(request.goPath, ['install', request.spec], {
      env: { ...request.env, GOBIN: staging },
      cwd: tmpdir(),
      maxBuffer: 64 * 1024 * 1024,
    });
    renameSync(join(staging, request.binary), request.target);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`go install of ${request.spec} failed: ${(e.stderr || e.message).trim().slice(-2000)}`, { cause: error });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return request.target;
}

/** Finds or installs a pinned Go tool (see the module comment for the order). */
export async function resolveGoTool(tool: GoTool, options: GoToolOptions = {}): Promise<ResolvedGoTool> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => process.stderr.write(`[${tool.name}] ${m}\n`));
  const explicit = env[tool.envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${tool.envVar}=${explicit} is not an executable file`);
    return { source: 'env', path: explicit };
  }
  if (tool.acceptFromPath) {
    const onPath = findOnPath(tool.binary, env);
    if (onPath) return { source: 'path', path: onPath };
  }
  const cached = cachedToolPath(tool, env);
  if (isExecutable(cached)) return { source: 'cache', path: cached };
  const where = `${tool.envVar}, ${tool.acceptFromPath ? 'PATH, ' : ''}${cached}`;
  if (options.install === false) throw new Error(`no ${tool.name} ${tool.version} found (${where})`);
  const go = findGo(env);
  if (!go) throw new Error(`no ${tool.name} ${tool.version} found (${where}) and Go is not installed to build it: install Go, or set ${tool.envVar}`);
  log(`building ${tool.name} ${tool.version} with go install (once per machine)…`);
  const started = Date.now();
  const path = await goInstallInto({
    goPath: go,
    spec: `${tool.package}@${tool.version}`,
    binary: tool.binary,
    target: cached,
    env: { ...env, ...tool.installEnv },
  });
  log(`built ${path} in ${Math.round((Date.now() - started) / 1000)} s`);
  return { source: 'go-install', path };
}

/** The Go module that publishes the Compose Specification schema, pinned. */
export const COMPOSE_SPEC_MODULE = { module: 'github.com/compose-spec/compose-go/v2', version: 'v2.16.2', file: 'schema/compose-spec.json' } as const;

/**
 * The Compose Specification JSON schema: `$COMPOSE_SPEC_SCHEMA` (a file) if set, else the pinned compose-go module's
 * `schema/compose-spec.json`, fetched into (or found in) Go's module cache by `go mod download -json`.
 */
export async function resolveComposeSpecSchema(options: Pick<GoToolOptions, 'env'> = {}): Promise<string> {
  const env = options.env ?? process.env;
  const explicit = env.COMPOSE_SPEC_SCHEMA;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`COMPOSE_SPEC_SCHEMA=${explicit} does not exist`);
    return explicit;
  }
  const go = findGo(env);
  const spec = `${COMPOSE_SPEC_MODULE.module}@${COMPOSE_SPEC_MODULE.version}`;
  if (!go) throw new Error(`the Compose schema comes from the Go module ${spec}, and Go is not installed: install Go, or set COMPOSE_SPEC_SCHEMA`);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(go, ['mod', 'download', '-json', spec], { env, cwd: tmpdir(), maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    // `go mod download -json` reports a module's own error inside the JSON on stdout.
    throw new Error(`go mod download ${spec} failed: ${(e.stderr || e.stdout || e.message).trim().slice(-2000)}`, { cause: error });
  }
  const { Dir: dir, Error: failure } = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (failure || !dir) throw new Error(`go mod download ${spec} failed: ${failure ?? 'no Dir in its answer'}`);
  const schema = join(dir, COMPOSE_SPEC_MODULE.file);
  if (!existsSync(schema)) throw new Error(`${spec} has no ${COMPOSE_SPEC_MODULE.file} (looked in ${dir})`);
  return schema;
}
